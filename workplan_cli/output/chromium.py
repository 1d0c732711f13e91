"""Printing the html report to pdf with headless Chromium, when it is installed (`--engine`).

Chromium prints a 2,000-activity report several times faster than WeasyPrint, in less memory
(the figures: docs/reports.md). It runs as a bounded child (sandbox.run_program) on a copy of the
html in a private temporary folder, opened as a file:// URL, with every fetch refused: a
Content-Security-Policy put first in the page allows only inline styles and data: images and
fonts, and so no script (a page's own policy can only narrow it), every host name resolves to
nothing and any other connection goes to a proxy that is not there. A page that asks to be sent
elsewhere (`<meta http-equiv="refresh">`) is refused before Chromium sees it.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from html import unescape
from pathlib import Path

from workplan_cli.errors import WorkplanError
from workplan_cli.fileio import read_regular
from workplan_cli.output import sandbox

# Where to look, in order, when WORKPLAN_CHROMIUM does not name the program.
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
MAX_PDF = 1_000_000_000  # bytes of pdf read back
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


def arguments(program: Path, folder: Path, page: Path, pdf: Path) -> list[str]:
    """Returns Chromium's command line that prints `page` to `pdf`, offline.

    (`--blink-settings=scriptEnabled=false` would stop scripts too, but then Chromium 156 prints
    nothing; the policy that `guarded` puts in the page refuses every script.)
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
        "--no-pdf-header-footer",  # the page's own @page footer, not Chromium's
        # An untagged pdf, as WeasyPrint's: tagging (the structure tree for screen readers)
        # takes Chromium about 1.4 times as long on 2,000 activities, and more memory.
        "--disable-pdf-tagging",
        f"--print-to-pdf={pdf}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium's own sandbox refuses to run as root
    return [*args, page.as_uri()]


def html_to_pdf(html: str, limits: sandbox.Limits) -> bytes:
    """Returns the html printed to pdf by Chromium; NoChromiumError when it is not installed."""
    program = find()
    if program is None:
        raise NoChromiumError(
            "the chromium engine needs Chromium or Google Chrome, and none is installed "
            f"(looked for {', '.join(NAMES)} on PATH; WORKPLAN_CHROMIUM names another); "
            "install it (apt-get install chromium) or use --engine weasyprint"
        )
    text = guarded(html)
    env = {"LC_ALL": "C.UTF-8"}
    env.update((k, v) for k, v in os.environ.items() if k in _ENV_NAMES or k.startswith("XDG_"))
    with tempfile.TemporaryDirectory(prefix="workplan-pdf-") as name:  # mode 0700
        folder = Path(name)
        env["HOME"] = str(folder)  # Chromium writes its caches and settings under HOME
        page, pdf = folder / "report.html", folder / "report.pdf"
        page.write_text(text, encoding="utf-8", errors="surrogatepass")
        done = sandbox.run_program(
            arguments(program, folder, page, pdf), limits, "printing the pdf with Chromium", env
        )
        if done.code == 0 and pdf.is_file() and pdf.stat().st_size > 0:
            return read_regular(pdf, MAX_PDF, "Chromium's pdf")
    tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
    raise WorkplanError(
        f"Chromium ({program}) did not print the pdf (exit {done.code}; each of its processes "
        f"may use {limits.memory_mb:g} MB of data, WORKPLAN_PDF_MEMORY_MB): "
        f"{' / '.join(tail) or 'no message'}"
    )
