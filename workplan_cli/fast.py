"""The fast paths, in one place, each beside the plain path it must give the same result as.

Every trick here was measured to matter (CONTRIBUTING.md, Benchmarks) and is held equal to its
plain path on generated input by tests/test_fast.py. Plain Python only (no dependency), so every
layer may use it; the glue that hands each path its dependency's part stays where that
dependency may be imported:

- `filler`: a model filled through its `__dict__`, without `__init__` (the cache's models,
  plan/snapshot.py). Plain path: the class called with the fields as keywords. A plan of 2,000
  activities is about 20,000 models; calling the dataclasses' `__init__` for each was slower.
- `ScalarTags`: the YAML 1.2 tag of a plain scalar, from the rules for its first character,
  and remembered for short values (the resolver of yamlio/reading.py). Plain path: every rule
  tried in order. ruamel's own resolver looks the document's YAML version up on every scalar
  (through an AttributeError under the C parser): composing a plan of 2,000 activities took
  1.8 s with it and 0.7 s with this.
- `splice_item`: one list item spliced on its own, as a small document (set-status,
  yamlio/editing.py). Plain path: the whole file spliced. Composing a whole plan of 10,000
  activities to find the marks of one took a second.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from workplan_cli.errors import WorkplanError

# --- A model filled through its __dict__ ----------------------------------------------------


def filler(kind: type) -> Callable[[dict[str, Any]], Any]:
    """Returns a function that makes an instance of the dataclass `kind` from a dict of every
    one of its fields (keyed by name, already of their types), storing the dict itself as the
    instance's `__dict__`: what `kind(**fields)` stores, at once, the way copy and pickle fill a
    frozen instance. The dict must not be used afterwards. Plain path: `kind(**fields)`."""
    if hasattr(kind, "__post_init__") or hasattr(kind, "__slots__"):
        raise TypeError(f"{kind.__name__}: the fast fill skips __init__ and fills __dict__")
    new, set_attribute = object.__new__, object.__setattr__

    def fill(fields: dict[str, Any]) -> Any:
        model: Any = new(kind)
        set_attribute(model, "__dict__", fields)
        return model

    return fill


# --- The tag of a plain scalar --------------------------------------------------------------

Rule = tuple[Any, re.Pattern[str]]  # (tag, the pattern a value must match in full)


class ScalarTags:
    """The tag of a plain scalar by the first rule that matches it; rules are looked up by the
    value's first character, and the tags of values of up to 40 characters remembered (keys and
    vocabulary words recur thousands of times in a plan). Plain path: `plain_tag`."""

    def __init__(self, rules: Iterable[tuple[Any, re.Pattern[str], Iterable[str] | None]], default):
        table: dict[str | None, list[Rule]] = {}
        for tag, regexp, firsts in rules:
            starts: list[str | None] = list(firsts) if firsts else [None]
            for first in starts:
                table.setdefault(first, []).append((tag, regexp))
        any_first = table.pop(None, [])
        self.by_first = {first: [*found, *any_first] for first, found in table.items()}
        self.any_first, self.default = any_first, default
        self.known: dict[str, Any] = {}

    def tag(self, value: str) -> Any:
        tag = self.known.get(value)
        if tag is None:
            rules = self.by_first.get(value[:1], self.any_first)
            tag = next((tag for tag, regexp in rules if regexp.match(value)), self.default)
            if len(value) <= 40:
                self.known[value] = tag
        return tag


def plain_tag(rules: Iterable[tuple[Any, re.Pattern[str], Iterable[str] | None]], default, value):
    """The plain path of `ScalarTags.tag`: every rule whose first characters admit the value,
    in order."""
    for tag, regexp, firsts in rules:
        if (not firsts or value[:1] in firsts) and regexp.match(value):
            return tag
    return default


# --- One list item, spliced on its own ------------------------------------------------------
# An item written `- ID_KEY: VALUE` on its own line, under a `LIST_KEY:` line, is spliced as a
# small document of those two parts: the same columns and layout, so the same bytes. Anything
# else gives None, and the caller splices the whole text (the plain path).


def splice_item(
    text: str,
    list_key: str,
    id_key: str,
    value: str,
    splice: Callable[[str, tuple[str, int]], str],
) -> str | None:
    """Returns `text` with the item spliced, or None. `splice(sub, inner)` splices the small
    document `sub`, whose item stands at the path `inner`, as the whole-file splice would; the
    WorkplanError it raises declines (None)."""
    region = _item_region(text, list_key, id_key, value)
    if region is None:
        return None
    head, start, end = region
    try:
        new = splice(head + text[start:end], (list_key, 0))
    except WorkplanError:
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


def _line_end(text: str, at: int) -> int:
    """Returns the index just past the line break of the line holding `at` (or the end)."""
    end = text.find("\n", at)
    return len(text) if end < 0 else end + 1


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
