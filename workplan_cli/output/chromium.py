"""Printing the html report to pdf with headless Chromium, when it is installed (`--engine`).

Chromium prints a 2,000-activity report several times faster than WeasyPrint, in less memory
(the figures: docs/reports.md). It runs as a bounded child (sandbox.Piped), driven over a pipe by
the DevTools protocol, so that one Chromium prints the parts of a large report in turn. Each page
is a copy of the html in a private temporary folder, opened as a file:// URL, with every fetch
refused: a
Content-Security-Policy put first in the page allows only inline styles and data: images and
fonts, and so no script (a page's own policy can only narrow it), every host name resolves to
nothing and any other connection goes to a proxy that is not there. A page that asks to be sent
elsewhere (`<meta http-equiv="refresh">`) is refused before Chromium sees it.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from html import unescape
from pathlib import Path

from workplan_cli.errors import WorkplanError
from workplan_cli.output import sandbox

# Where to look, in order, when WORKPLAN_CHROMIUM does not name the program.
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
_ENV_NAMES = ("HOME", "PATH", "LANG", "TMPDIR", "FONTCONFIG_FILE", "FONTCONFIG_PATH")
_DOCTYPE = re.compile(r"\A\ufeff?\s*<!doctype[^>]*>", re.IGNORECASE)
# An attribute name cannot be written with character references, so every http-equiv is here.
_HTTP_EQUIV = re.compile(r"http-equiv\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]*)", re.IGNORECASE)
# The pragmas a page may have: none of them fetches or goes anywhere (a refresh does).
HARMLESS = ("content-security-policy", "content-type", "content-language", "default-style")


class NoChromiumError(WorkplanError):
    """Chromium (or Chrome) is not installed, or not where WORKPLAN_CHROMIUM says."""


def find() -> Path | None:
    """Returns Chromium's program: WORKPLAN_CHROMIUM if set, else the first of NAMES on PATH."""
    named = os.environ.get("WORKPLAN_CHROMIUM", "").strip()
    if named:
        path = Path(named)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise NoChromiumError(f"WORKPLAN_CHROMIUM={named!r}: not an executable file")
        return path
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def guarded(html: str) -> str:
    """Returns the html with the no-fetch policy first in it; refuses a page that redirects."""
    for value in _HTTP_EQUIV.findall(html):
        if unescape(value.strip("\"'")).strip().lower() not in HARMLESS:
            raise WorkplanError(
                f"the report's html has <meta http-equiv={value}>: a report printed by Chromium "
                f"may have only {', '.join(HARMLESS)}"
            )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
    doctype = _DOCTYPE.match(html)
    at = doctype.end() if doctype else 0
    return f"{html[:at]}{meta}{html[at:]}"


def arguments(program: Path, folder: Path) -> list[str]:
    """Returns Chromium's command line: headless, offline, driven over a pipe (fds 3 and 4).

    (`--blink-settings=scriptEnabled=false` would stop scripts too, but then Chromium 156 prints
    nothing; the policy that `guarded` puts in the page refuses every script.) The pipe, unlike
    `--remote-debugging-port`, is open to this process only.
    """
    args = [
        str(program),
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-sync",
        "--disable-quic",
        "--mute-audio",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        f"--user-data-dir={folder / 'profile'}",
        "--remote-debugging-pipe",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium's own sandbox refuses to run as root
    return [*args, "about:blank"]


# What Page.printToPDF is asked for: the page's own @page size, margins and footer (not
# Chromium's header and footer), its colours, and an untagged pdf as WeasyPrint's: tagging (the
# structure tree for screen readers) takes Chromium about 1.4 times as long on 2,000 activities.
PRINT = {
    "printBackground": True,
    "preferCSSPageSize": True,
    "displayHeaderFooter": False,
    "generateTaggedPDF": False,
    "transferMode": "ReturnAsStream",
}


# Pages printed at once, each in its own tab (and so its own process), on a machine with as many
# processors: on 2 cores, two print 2,000 activities in parts in 7.1 s instead of 8.2 s, for
# about 110 MB more over all of Chromium's processes (benchmarks/pdf.py's figures).
LANES = 2


class Printer:
    """One headless Chromium that prints html pages to pdf (a context manager: it ends Chromium
    and removes its private folder). NoChromiumError when Chromium is not installed."""

    def __init__(self, limits: sandbox.Limits) -> None:
        program = find()
        if program is None:
            raise NoChromiumError(
                "the chromium engine needs Chromium or Google Chrome, and none is installed "
                f"(looked for {', '.join(NAMES)} on PATH; WORKPLAN_CHROMIUM names another); "
                "install it (apt-get install chromium) or use --engine weasyprint"
            )
        self.program, self.limits, self.count = program, limits, 0
        self.lanes = max(1, min(LANES, os.cpu_count() or 1))
        self._folder = tempfile.TemporaryDirectory(prefix="workplan-pdf-")  # mode 0700
        self.folder = Path(self._folder.name)
        env = {"LC_ALL": "C.UTF-8"}
        env.update((k, v) for k, v in os.environ.items() if k in _ENV_NAMES or k.startswith("XDG_"))
        env["HOME"] = str(self.folder)  # Chromium writes its caches and settings under HOME
        self._stderr = open(self.folder / "stderr", "w+b")  # noqa: SIM115  # closed in close()
        try:
            self.browser = sandbox.Piped(
                arguments(program, self.folder),
                limits,
                "printing the pdf with Chromium",
                env,
                self._stderr,
            )
        except BaseException:
            self.close()
            raise
        self.session = _Session(self.browser)

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if getattr(self, "browser", None) is not None:
            self.browser.close()
        self._stderr.close()
        self._folder.cleanup()

    def print(self, pages: list[str]) -> list[bytes]:
        """Returns each page printed to pdf, each in a tab that is closed once printed, `lanes`
        at a time: while one tab prints, the next is laid out (and printed) beside it."""
        texts = [guarded(html) for html in pages]
        out: list[bytes] = [b""] * len(texts)
        printing: dict[int, tuple[int, str, str, Path]] = {}  # command -> page, target, tab, file
        try:
            waiting = list(range(len(texts)))
            while waiting or printing:
                while waiting and len(printing) < self.lanes:
                    index = waiting.pop(0)
                    target, tab, page = self._open(texts[index])
                    self.session.wait_for("Page.loadEventFired", tab)
                    number = self.session.send("Page.printToPDF", PRINT, tab)
                    printing[number] = (index, target, tab, page)
                number, result = self.session.first(printing)
                index, target, tab, page = printing.pop(number)
                out[index] = self._read(result["stream"], tab)
                self.session.call("Target.closeTarget", {"targetId": target})
                page.unlink()
        except (_Broken, OSError) as e:
            code = self.browser.close(grace=1)
            reason = "it ended" if isinstance(e, BrokenPipeError) else e
            raise WorkplanError(
                f"Chromium ({self.program}) did not print the pdf ({reason}; exit {code}; each of "
                f"its processes may use {self.limits.memory_mb:g} MB of data, "
                f"WORKPLAN_PDF_MEMORY_MB): {self.browser.stderr_tail() or 'no message'}"
            ) from None
        return out

    def _open(self, text: str) -> tuple[str, str, Path]:
        """Opens the page in a new tab; returns the tab's target, its session and the file."""
        session = self.session
        self.count += 1
        page = self.folder / f"page-{self.count}.html"
        page.write_text(text, encoding="utf-8", errors="surrogatepass")
        target = session.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = session.call("Target.attachToTarget", {"targetId": target, "flatten": True})
        tab = attached["sessionId"]
        session.call("Page.enable", tab=tab)
        session.call("Inspector.enable", tab=tab)  # to hear of a crash
        went = session.call("Page.navigate", {"url": page.as_uri()}, tab=tab)
        if went.get("errorText"):
            raise _Broken(f"it could not open the page: {went['errorText']}")
        return target, tab, page

    def _read(self, stream: str, tab: str) -> bytes:
        data, size = [], 0
        while True:
            chunk = self.session.call("IO.read", {"handle": stream, "size": 1 << 20}, tab=tab)
            piece = chunk.get("data", "")
            data.append(base64.b64decode(piece) if chunk.get("base64Encoded") else piece.encode())
            size += len(data[-1])
            if size > self.limits.output_bytes:
                raise _Broken(f"its pdf is larger than {self.limits.output_bytes} bytes")
            if chunk.get("eof"):
                break
        self.session.call("IO.close", {"handle": stream}, tab=tab)
        return b"".join(data)


class _Broken(Exception):
    """Chromium answered with an error, or not as the DevTools protocol says."""


# The events that a print waits for; any other is dropped as it comes.
_AWAITED = ("Page.loadEventFired", "Inspector.targetCrashed")


class _Session:
    """The DevTools protocol over Chromium's pipe: JSON messages, each ended by a NUL byte."""

    MAX_MESSAGE = 8 << 20  # bytes of one message (IO.read sends at most 1 MB, base64-encoded)

    def __init__(self, browser: sandbox.Piped) -> None:
        self.browser, self.pending, self.last = browser, b"", 0
        self.events: list[dict] = []
        self.methods: dict[int, str] = {}  # the commands sent and not yet answered
        self.replies: dict[int, dict] = {}  # answers that came while waiting for another

    def call(self, method: str, params: dict | None = None, tab: str | None = None) -> dict:
        """Returns the result of one command; _Broken with Chromium's message on an error."""
        return self.result(self.send(method, params, tab))

    def send(self, method: str, params: dict | None = None, tab: str | None = None) -> int:
        """Sends one command and returns its number, for `result`."""
        self.last += 1
        message: dict = {"id": self.last, "method": method, "params": params or {}}
        if tab is not None:
            message["sessionId"] = tab
        self.browser.send(json.dumps(message).encode() + b"\0")
        self.methods[self.last] = method
        return self.last

    def first(self, numbers: Iterable[int]) -> tuple[int, dict]:
        """Returns the number and result of whichever of the commands is answered first."""
        while not (answered := [n for n in numbers if n in self.replies]):
            self._keep(self._next())
        return answered[0], self.result(answered[0])

    def result(self, number: int) -> dict:
        """Returns the result of the command `number` (read now, or kept when it came)."""
        while number not in self.replies:
            self._keep(self._next())
        reply, method = self.replies.pop(number), self.methods.pop(number)
        if "error" in reply or not isinstance(reply.get("result"), dict):
            raise _Broken(f"{method}: {reply.get('error', reply)}")
        return reply["result"]

    def wait_for(self, event: str, tab: str) -> None:
        """Waits for the next event of that name from that tab (kept, or read when it comes)."""
        while True:
            for i, seen in enumerate(self.events):
                if seen.get("sessionId") != tab:
                    continue
                if seen.get("method") == "Inspector.targetCrashed":
                    raise _Broken("its page process ended (out of memory?)")
                if seen.get("method") == event:
                    del self.events[i]
                    return
            self._keep(self._next())

    def _keep(self, message: dict) -> None:
        if message.get("id") in self.methods:
            self.replies[message["id"]] = message
        elif message.get("method") in _AWAITED:
            self.events.append(message)

    def _next(self) -> dict:
        while b"\0" not in self.pending:
            more = self.browser.receive()
            if not more:
                raise _Broken("it ended")
            self.pending += more
            if len(self.pending) > self.MAX_MESSAGE:
                raise _Broken(f"it sent a message of more than {self.MAX_MESSAGE} bytes")
        message, self.pending = self.pending.split(b"\0", 1)
        try:
            value = json.loads(message)
        except ValueError:  # not JSON, or not UTF-8
            raise _Broken(f"it sent what is not a DevTools message: {message[:60]!r}") from None
        return value if isinstance(value, dict) else {}
