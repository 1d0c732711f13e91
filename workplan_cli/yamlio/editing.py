"""Editing YAML text: surgical splices at the marks of composed nodes, and node marks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from workplan_cli.errors import WorkplanError
from workplan_cli.yamlio.reading import YamlSyntaxError, _child, _compose

# --- Node marks for text splices (workplan revise) ----------------------------------------------


def node_marks(text: str, locs: Iterable[Sequence[str | int]]) -> list[tuple[int | None, int, int]]:
    """Returns (key start, value start, value end) character indexes for each path.

    The key start is None for a list item. A path that the document does not hold raises
    KeyError. A block value's end may run past its last line into the blank lines and comments
    that follow it; callers trim to the last line of content.
    """
    root = _compose(text)
    out = []
    for loc in locs:
        node, key = root, None
        for part in loc:
            child = _child(node, part) if node is not None else None
            if child is None:
                raise KeyError(loc)
            key, node = child
        if node is None:  # an empty document, asked for its root
            raise KeyError(loc)
        out.append(
            (
                key.start_mark.index if key is not None else None,
                node.start_mark.index,
                node.end_mark.index,
            )
        )
    return out


# --- Editing: surgical splices ------------------------------------------------------------------
# An edit replaces or inserts characters at the marks of composed nodes, so that every other byte
# of a hand-edited file (comments, quoting, indentation, line endings) stays as it was.


class SpliceError(WorkplanError):
    """An edit that cannot be made by splicing text at the nodes' marks."""


@dataclass(frozen=True)
class Plain:
    """A value written as a plain scalar (a vocabulary word), never quoted."""

    text: str


def compose(text: str) -> Node:
    """Returns the root node of one document, with marks that index into `text`."""
    root = _compose(text)
    if root is None:
        raise SpliceError("the file is empty")
    return root


def _walk(root: Node, loc: Sequence[str | int]) -> list[tuple[Node | None, Node]]:
    """Returns the (key node, value node) of each step of `loc`, starting with (None, root)."""
    steps: list[tuple[Node | None, Node]] = [(None, root)]
    for part in loc:
        child = _child(steps[-1][1], part)
        if child is None:
            raise SpliceError(f"nothing at {_render(loc)} (stopped at {part!r})")
        steps.append(child)
    return steps


def _render(loc: Sequence[str | int]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def double_quoted(value: str) -> str:
    """Returns `value` as a double-quoted YAML scalar that loads back to exactly `value`."""
    out = ['"']
    for char in value:
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _printable(code):
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        else:
            out.append(f"\\u{code:04x}")
    out.append('"')
    return "".join(out)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def _printable(code: int) -> bool:
    # Surrogates cannot be written as UTF-8; line and paragraph separators and the BOM would be
    # read as line breaks or dropped: all of them are escaped.
    if 0xD800 <= code <= 0xDFFF or code in (0x2028, 0x2029, 0xFEFF):
        return False
    return 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFFFD or code > 0xFFFF


def _scalar(value: Any) -> str:
    return value.text if isinstance(value, Plain) else double_quoted(str(value))


Splice = tuple[int, int, str]  # replace text[start:end] by the string


def splice(
    text: str,
    scalars: Sequence[tuple[Sequence[str | int], str]] = (),
    items: Sequence[tuple[Sequence[str | int], list[tuple[str, Any]]]] = (),
) -> str:
    """Returns `text` with scalars replaced and list items appended, composing it once.

    Each scalar keeps its quote style; see `append_item` for the items.
    """
    root = compose(text)
    splices = [_scalar_splice(root, loc, value) for loc, value in scalars]
    splices += [_item_splice(text, root, loc, item) for loc, item in items]
    splices.sort(reverse=True)
    for (_, end, _), (next_start, _, _) in zip(splices[1:], splices, strict=False):
        if end > next_start:
            raise SpliceError("two edits of the same place")
    for start, end, new in splices:  # from the end, so that earlier marks stay valid
        text = text[:start] + new + text[end:]
    return text


def replace_scalar(text: str, loc: Sequence[str | int], value: str) -> str:
    """Returns `text` with the scalar at `loc` replaced by `value`, in the same quote style."""
    return splice(text, scalars=[(loc, value)])


def append_item(text: str, loc: Sequence[str | int], item: list[tuple[str, Any]]) -> str:
    """Returns `text` with the mapping `item` appended to the list at `loc`.

    The list may be block or flow style, empty or not, or absent from its mapping (it is then
    added as the mapping's last key). New lines follow the indentation of the surrounding
    entries and the line ending of the place they go.
    """
    return splice(text, items=[(loc, item)])


def _scalar_splice(root: Node, loc: Sequence[str | int], value: str) -> Splice:
    node = _walk(root, loc)[-1][1]
    quote = (node.style or "") if isinstance(node, ScalarNode) else None  # "" is plain
    if quote not in ("", "'", '"'):
        raise SpliceError(f"{_render(loc)} is not written as a one-line scalar; edit it by hand")
    new = double_quoted(value) if quote == '"' else quote + value + quote
    return node.start_mark.index, node.end_mark.index, new


def _item_splice(text: str, root: Node, loc: Sequence[str | int], item) -> Splice:
    parent_steps = _walk(root, loc[:-1])
    parent = parent_steps[-1][1]
    if not isinstance(parent, MappingNode):
        raise SpliceError(f"{_render(loc[:-1])} is not a mapping")
    child = _child(parent, loc[-1])
    if child is None:
        return _add_key(text, parent_steps, str(loc[-1]), item)
    key, seq = child
    if key is None:  # a mapping's child always has its key
        raise SpliceError(f"{_render(loc)} has no key")
    if not isinstance(seq, SequenceNode):
        raise SpliceError(f"{_render(loc)} is not a list")
    if parent.flow_style or (seq.flow_style and seq.value):
        return _append_flow(seq, item)
    if seq.value:
        return _append_block(text, seq, key, item)
    return _fill_empty(text, parent_steps, key, seq, item)  # `key: []` in a block mapping


def _flow(item: list[tuple[str, Any]]) -> str:
    parts = []
    for name, value in item:
        if isinstance(value, list):
            value = "[" + ", ".join(_scalar(v) for v in value) + "]"
        else:
            value = _scalar(value)
        parts.append(f"{name}: {value}")
    return "{" + ", ".join(parts) + "}"


def _append_flow(seq: SequenceNode, item: list[tuple[str, Any]]) -> Splice:
    if seq.value:
        at = seq.value[-1].end_mark.index
        return at, at, ", " + _flow(item)
    return seq.start_mark.index, seq.end_mark.index, "[" + _flow(item) + "]"


def _block(item: list[tuple[str, Any]], dash: int, key_offset: int, seq_offset: int) -> list[str]:
    """Returns the lines of a block-list item whose dash stands at column `dash`."""
    lines = []
    indent = " " * (dash + key_offset)
    for i, (name, value) in enumerate(item):
        lead = " " * dash + "-".ljust(key_offset) if i == 0 else indent
        if isinstance(value, list):
            lines.append(f"{lead}{name}:")
            lines += [f"{indent}{' ' * seq_offset}- {_scalar(v)}" for v in value]
        else:
            lines.append(f"{lead}{name}: {_scalar(value)}")
    return lines


def _dash_column(text: str, item: Node) -> int | None:
    """Returns the column of the dash that opens a block-list item, or None if there is none."""
    i = item.start_mark.index - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    if i < 0 or text[i] != "-":
        return None
    return i - (text.rfind("\n", 0, i) + 1)


def _layout(text: str, key: Node, seq: SequenceNode) -> tuple[int, int, int]:
    """Returns (dash column, key offset, sequence offset) of a non-empty block list of mappings."""
    last = seq.value[-1]
    dash = _dash_column(text, last)
    if dash is None or not isinstance(last, MappingNode) or last.start_mark.column <= dash + 1:
        raise SpliceError(
            f"cannot tell the indentation of the list at line {seq.start_mark.line + 1}"
        )
    return dash, last.start_mark.column - dash, dash - key.start_mark.column


def _append_block(text: str, seq: SequenceNode, key: Node, item: list[tuple[str, Any]]) -> Splice:
    dash, key_offset, seq_offset = _layout(text, key, seq)
    return _insert_lines(
        text, _end_of_content(text, seq), _block(item, dash, key_offset, seq_offset)
    )


def _fill_empty(text, parent_steps, key: Node, seq: SequenceNode, item) -> Splice:
    """Turns `key: []` into `key:` followed by a block list holding `item`."""
    between = text[key.end_mark.index : seq.start_mark.index]
    line_end = text.find("\n", seq.end_mark.index)
    rest = text[seq.end_mark.index : len(text) if line_end < 0 else line_end].strip()
    if between.strip() != ":" or "\n" in between or (rest and not rest.startswith("#")):
        raise SpliceError(f"cannot rewrite the empty list at line {seq.start_mark.line + 1}")
    _, key_offset, seq_offset = _enclosing_layout(text, parent_steps)
    lines = _block(item, key.start_mark.column + seq_offset, key_offset, seq_offset)
    at, _, new = _insert_lines(text, len(text) if line_end < 0 else line_end + 1, lines)
    # One splice from the key's end: `: []  # comment` becomes `:  # comment`, then the lines.
    return key.end_mark.index, at, ":" + text[seq.end_mark.index : at] + new


def _enclosing_layout(text: str, steps: list[tuple[Node | None, Node]]) -> tuple[int, int, int]:
    """Returns the layout of the block list that holds the mapping at the end of `steps`."""
    if len(steps) >= 2:
        seq_key, seq = steps[-2]
        if isinstance(seq, SequenceNode) and not seq.flow_style and seq_key is not None:
            holder = SequenceNode(seq.tag, [steps[-1][1]], seq.start_mark, seq.end_mark)
            return _layout(text, seq_key, holder)
    return 0, 2, 2  # the file gives no example: two spaces, the common style


def _add_key(text, steps, name: str, item) -> Splice:
    """Adds `name:` with a block list holding `item` as the last key of the mapping."""
    mapping = steps[-1][1]
    if mapping.flow_style:
        raise SpliceError(f"cannot add {name!r} to a flow-style mapping; edit it by hand")
    _, key_offset, seq_offset = _enclosing_layout(text, steps)
    column = mapping.start_mark.column
    lines = [" " * column + f"{name}:"]
    lines += _block(item, column + seq_offset, key_offset, seq_offset)
    return _insert_lines(text, _end_of_content(text, mapping), lines)


def _end_of_content(text: str, node: Node) -> int:
    """Returns where the line after the node's last written character begins (or the end)."""
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    end = node.end_mark.index
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        if text[end - 1 : end] != "\n":
            # A line break added after it would become part of its value.
            raise SpliceError("the file ends inside a block scalar (| or >) without a line break")
        return end  # a block scalar's end already includes its line break
    line_end = text.find("\n", end)
    return len(text) if line_end < 0 else line_end + 1


def _insert_lines(text: str, at: int, lines: list[str]) -> Splice:
    """Returns the splice that inserts whole lines at `at`, a line's start or the text's end."""
    newline = _newline_near(text, at)
    block = newline.join(lines)
    if at == len(text) and text and not text.endswith("\n"):
        return at, at, newline + block  # a file without a final line break stays without one
    return at, at, block + newline


def _newline_near(text: str, at: int) -> str:
    """Returns the line ending used by the line before `at` (or by the file's first line)."""
    before = text.rfind("\n", 0, at)
    if before < 0:
        before = text.find("\n")
    if before < 0:
        return "\n"
    return "\r\n" if before > 0 and text[before - 1] == "\r" else "\n"


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
    scalars: Sequence[tuple[Sequence[str | int], str]] = (),
    items: Sequence[tuple[Sequence[str | int], list[tuple[str, Any]]]] = (),
) -> str | None:
    """Returns `text` spliced as `splice` would, with paths relative to the item, or None."""
    region = _item_region(text, list_key, id_key, value)
    if region is None:
        return None
    head, start, end = region
    sub = head + text[start:end]
    inner = (list_key, 0)
    try:
        new = splice(
            sub,
            scalars=[((*inner, *loc), v) for loc, v in scalars],
            items=[((*inner, *loc), item) for loc, item in items],
        )
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
