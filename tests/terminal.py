"""Hostile plan text for the terminal and Markdown tests: a copy of the shipped data whose
titles, notes, evidence and names carry escape sequences, rich markup, HTML and mentions."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

# One YAML double-quoted string with everything a terminal or a forge could act on: clear
# screen, an OSC window title ended by BEL, an OSC 8 hyperlink, rich markup (balanced,
# unbalanced, a link), an emoji code, CR to overwrite the line, a C1 CSI (U+009B), NEL (U+0085),
# DEL, a bidi override, a newline that would fake a table row, HTML, mentions, an issue
# reference, a Markdown image and link, a table pipe.
HOSTILE = (
    r"T\e[2J\e]0;pwned\a\e]8;;https://evil\e\\click\e]8;;\e\\ [red]x[/red] [/b]"
    r" [link=https://evil]y[/link] :smile: \rvalid\u009b31m\u0085\x7f\u202Eevil"
    r"\n1.1.3  completed  fake row <img src=x onerror=alert(1)> @org/team @alice #12"
    r" ![t](http://track/p.png) [c](javascript:alert(1)) a|b"
)


def _decoded(text: str) -> str:
    from workplan_cli import yamlio

    return yamlio.parse(f'text: "{text}"\n')["text"]


HOSTILE_TEXT = _decoded(HOSTILE)  # the string a reader of the plan gets
# Bytes that only hostile text can have put in the output (the tool's own colours use ESC [
# ... m, so ESC is looked for only where no colour is asked for: NO_COLOR and piped output).
BAD_BYTES = [b"\x1b", b"\x07", b"\r", b"\xc2\x9b", b"\xc2\x85", b"\x7f", "\u202e".encode()]


def q(text: str = HOSTILE) -> str:
    return f'"{text}"'


def make_hostile(root: Path) -> None:
    """Rewrites the plan and stakeholders files under `root/data` with hostile text."""
    plan = root / "data" / "workplan-2024.yaml"
    text = plan.read_text(encoding="utf-8")
    replacements = {
        "  title: Work Plan of the Kenyan-German Digital Dialogue\n": f"  title: {q()}\n",
        "            title: Expert exchange on open internet governance\n": (
            f"            title: {q()}\n"
        ),
        "        title: Internet governance and multilateral fora\n": f"        title: {q()}\n",
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    marker = "            stakeholders: [giz]\n            history: []\n"
    assert marker in text
    history = (
        "            stakeholders: [giz]\n"
        "            end: 2024-06-30\n"  # overdue: `due` and status's colours show it
        f"            evidence: [{q()}]\n"
        "            history:\n"
        "              - date: 2024-03-01\n"
        "                from: planned\n"
        "                to: in-progress\n"
        f"                by: {q()}\n"
        f"                note: {q()}\n"
        f"                evidence: [{q('E' + HOSTILE)}]\n"
    )
    text = text.replace(marker, history, 1)
    text = text.replace(
        "            kind: expert-exchange\n            status: planned\n",
        "            kind: expert-exchange\n            status: in-progress\n",
        1,
    )
    plan.write_text(text, encoding="utf-8")
    people = root / "data" / "stakeholders.yaml"
    text = people.read_text(encoding="utf-8")
    old = "    name: Ministry of Information, Communications and the Digital Economy\n"
    assert old in text
    people.write_text(text.replace(old, f"    name: {q()}\n", 1), encoding="utf-8")


def approve_both(path: Path) -> None:
    """Has both parties approve the hostile text of the signed plan (an amendment), so that
    every command, `validate` and `review` too, runs on a valid and agreed plan."""
    from tests.conftest import STAKEHOLDER_IDS
    from workplan_cli.edit import approve
    from workplan_cli.edit.status import parse_date

    data = path.read_bytes()
    for party in ("micde", "bmdv"):
        request = approve.Request("2024", party, "Eve", parse_date("2024-03-01"))
        data = approve.approve(data, path.name, request, STAKEHOLDER_IDS).new
    path.write_bytes(data)


def hostile_repo(root: Path) -> Path:
    """Makes `root` a plan repository: the shipped plan on main, hostile text committed on a
    branch by an author whose name and commit subject are hostile too."""
    from tests.conftest import DATA, git

    shutil.copytree(DATA, root / "data")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Signed plan")
    git(root, "checkout", "-q", "-b", "change")
    make_hostile(root)
    approve_both(root / "data" / "workplan-2024.yaml")
    author = "Eve \x1b]0;pwned\x07 <eve@example.org>"
    git(root, "commit", "-qam", "evil \x1b[2J @org/team #7", f"--author={author}")
    return root


def run_on_pty(args: list[str], cwd: Path, env: dict | None = None) -> tuple[int, bytes]:
    """Runs `workplan ARGS` with stdout and stderr on a pseudo-terminal; returns the exit
    code and every byte the terminal received."""
    main, child = pty.openpty()
    # A wide terminal, so that a table does not wrap plan text over lines.
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 500, 0, 0))
    command = [sys.executable, "-m", "workplan_cli", *args]
    environment = {**os.environ, **(env or {})}
    environment.pop("COLUMNS", None)
    proc = subprocess.Popen(
        command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=child, stderr=child, env=environment
    )
    os.close(child)
    out = bytearray()
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            proc.kill()
            raise TimeoutError(args)
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    return proc.wait(timeout=60), bytes(out)


# The line discipline turns "\n" into "\r\n" on the way out (a CRLF file line into
# "\r\r\n"); only a CR not before LF is one that the command wrote from plan text. The tool's
# own styles are SGR sequences (bold, colours): ESC [ digits m.
_ONLCR = re.compile(rb"\r+\n")
_SGR = re.compile(rb"\x1b\[[0-9;]*m")


def terminal_bytes(raw: bytes) -> bytes:
    """Returns what a pty received without the line discipline's CRs and the tool's styles."""
    return _SGR.sub(b"", _ONLCR.sub(b"\n", raw))


def inert_problems(out: bytes) -> list[bytes]:
    """Returns the bytes in `out` that a terminal would act on (after terminal_bytes)."""
    found = [bad for bad in BAD_BYTES if bad in out]
    found += re.findall(rb"\xc2[\x80-\x9f]", out)  # any C1 control in UTF-8
    return found
