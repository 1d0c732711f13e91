"""Plan text made inert for terminals: control and bidi characters shown as visible escapes."""

from __future__ import annotations

import re

# What a terminal may act on rather than show: C0 controls (ESC starts every escape sequence,
# BEL ends OSC, CR overwrites a line, BS erases), DEL, C1 controls (U+009B is a one-character
# CSI, U+009D an OSC, U+0085 a line break), and the bidi embeddings, overrides and isolates
# that make text display in another order than it reads ("Trojan Source"). Newline and tab
# are two of them too; text of many lines keeps its own (`visible`), one line escapes them.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _shown(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text) -> str:
    """Returns text (many lines) inert: every control and bidi character but newline and tab as
    a visible escape like `\\x1b` or `\\r` (what Python's repr shows)."""
    return _UNSAFE.sub(_shown, str(text))


def one_line(text) -> str:
    """Returns text as one inert line: as `visible`, and newlines and tabs as `\\n` and `\\t`."""
    return visible(text).replace("\n", _NAMED["\n"]).replace("\t", _NAMED["\t"])


# U+2028 and U+2029 are not escaped by json.dumps; terminals do not act on them, but C1 and DEL
# reach the terminal as they are unless escaped. A pattern, not compiled on import: re compiles
# and keeps it on first use, and only JSON output uses it (each of these patterns took about
# 0.4 ms to compile, paid by every command that imported this module).
_JSON_UNSAFE = r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]"


def json_inert(text: str) -> str:
    """Returns JSON text (from json.dumps with ensure_ascii=False) with DEL, C1 and bidi
    characters written as \\uXXXX escapes: the same JSON value, inert in a terminal.
    json.dumps escapes C0 itself; outside strings JSON holds no such character."""
    return re.sub(_JSON_UNSAFE, lambda m: f"\\u{ord(m.group()):04x}", text)
