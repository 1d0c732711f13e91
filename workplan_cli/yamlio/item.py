"""Splicing one list item on its own, as a small document, when a big file's item is plain."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from workplan_cli.yamlio.editing import (
    AppendItem,
    InsertText,
    Path,
    SetScalar,
    SpliceError,
    TextEdit,
    _line_end,
    splice,
    under,
)
from workplan_cli.yamlio.reading import YamlSyntaxError

# --- One list item, spliced on its own ----------------------------------------------------------
# Composing a whole plan of 10,000 activities to find the marks of one took a second. An item
# written `- ID_KEY: VALUE` on its own line, under a `LIST_KEY:` line, is spliced instead as a
# small document of those two parts: the same columns and layout, so the same bytes. Anything
# else gives None, and the caller splices the whole text.


def splice_item(
    text: str,
    list_key: str,
    id_key: str,
    value: str,
    scalars: Sequence[tuple[Path, str]] = (),
    items: Sequence[tuple[Path, list[tuple[str, Any]]]] = (),
    edits: Sequence[TextEdit] = (),
) -> str | None:
    """Returns `text` spliced as `splice` would, with paths relative to the item, or None."""
    region = _item_region(text, list_key, id_key, value)
    if region is None or any(isinstance(e, InsertText) for e in edits):
        return None
    head, start, end = region
    sub = head + text[start:end]
    inner = (list_key, 0)
    edits = [
        *(SetScalar(loc, v) for loc, v in scalars),
        *(AppendItem(loc, item) for loc, item in items),
        *edits,
    ]
    try:
        new = splice(sub, edits=under(inner, edits))
    except (SpliceError, YamlSyntaxError):
        return None
    if not new.startswith(head):
        return None
    return text[:start] + new[len(head) :] + text[end:]


def _item_region(text: str, list_key: str, id_key: str, value: str) -> tuple[str, int, int] | None:
    """Returns (the list key's line, start, end of the item's lines), or None when the item is
    not found exactly once in that shape."""
    item_line = re.compile(
        rf"( *)- +{re.escape(id_key)}: *(\"|'|)({re.escape(value)})\2 *(#.*)?\r?\n?"
    )
    found = []
    at = text.find(value)
    while at >= 0:
        line_start = text.rfind("\n", 0, at) + 1
        match = item_line.fullmatch(text, line_start, _line_end(text, at))
        if match and match.start(3) == at:
            found.append(match)
        at = text.find(value, at + 1)
    if len(found) != 1:
        return None
    match = found[0]
    dash = len(match.group(1))
    start, end = match.start(), _block_end(text, match.end(), dash)
    key = _parent_line(text, start, dash)
    if key is None or not re.fullmatch(rf" *{re.escape(list_key)}: *(#.*)?\r?\n", key):
        return None
    return key, start, end


def _indent(line: str) -> int | None:
    """Returns a line's indentation, or None for a blank or comment-only line."""
    stripped = line.lstrip(" ")
    if not stripped.strip() or stripped.startswith("#"):
        return None
    return len(line) - len(stripped)


def _block_end(text: str, at: int, dash: int) -> int:
    """Returns where the first line from `at` that is indented no deeper than `dash` starts."""
    while at < len(text):
        end = _line_end(text, at)
        indent = _indent(text[at:end])
        if indent is not None and indent <= dash:
            return at
        at = end
    return at


def _parent_line(text: str, start: int, dash: int) -> str | None:
    """Returns the line above `start` that holds the list an item at column `dash` is in."""
    while start > 0:
        line_start = text.rfind("\n", 0, start - 1) + 1
        line = text[line_start:start]
        indent = _indent(line)
        start = line_start
        if indent is None or indent > dash:
            continue
        if indent == dash and line[indent] == "-":
            continue  # an earlier item of the same list
        return line
    return None
