"""Plan text bound for files that other programs read: control characters out, and checks.

Plan text may hold any character a YAML escape can write ("\\0", "\\e", "\\uFFFF"). Exports
replace control characters (C0 but tab, line feed and carriage return; DEL; C1) and the
noncharacters U+FFFE and U+FFFF with U+FFFD: XML 1.0 forbids most of them, an iCalendar TEXT
value forbids them, and a terminal that shows a CSV or calendar file would act on them.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def without_controls(text: str) -> str:
    """Returns `text` with each control character (but tab, LF, CR) replaced by U+FFFD."""
    return _CONTROLS.sub(REPLACEMENT, text)


def has_controls(text: str) -> bool:
    """Whether `text` holds a control character other than tab, LF and CR."""
    return _CONTROLS.search(text) is not None


class ExportBugError(RuntimeError):
    """An export that is not well-formed: a bug in workplan, never the plan's fault."""
