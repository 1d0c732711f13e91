"""Editing YAML text: the one splice engine, edits at the marks of composed nodes."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from workplan_cli.errors import WorkplanError
from workplan_cli.yamlio.reading import _child, _compose

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
Path = Sequence[str | int]  # keys and list indexes from the document's root


@dataclass(frozen=True)
class SetScalar:
    """Replaces the one-line scalar at `path` by `value`, in the same quote style."""

    path: Path
    value: str


@dataclass(frozen=True)
class AppendItem:
    """Appends the mapping `item` (key, value pairs) to the list at `path` (see append_item)."""

    path: Path
    item: list[tuple[str, Any]]


@dataclass(frozen=True)
class ReplaceValue:
    """Replaces the written value at `path` by the YAML text `text`, whatever its style.

    A block scalar (| or >) is replaced up to the end of its last line of content, so that the
    blank lines and comments after it stay.
    """

    path: Path
    text: str


@dataclass(frozen=True)
class InsertAfter:
    """Inserts whole lines after the last line of the entry at `path`, at its key's column."""

    path: Path
    lines: tuple[str, ...]


@dataclass(frozen=True)
class RemoveEntry:
    """Removes the key at `path` with its value and the comment lines right above it."""

    path: Path


@dataclass(frozen=True)
class RemoveItems:
    """Removes the items at `indexes` of the block list at `path`, each with the comment lines
    right above it; when none is left the list is written `key: []`."""

    path: Path
    indexes: tuple[int, ...]


@dataclass(frozen=True)
class InsertText:
    """Inserts `text` at character `at` of the text (e.g. a comment above the document)."""

    at: int
    text: str


TextEdit = (
    SetScalar | AppendItem | ReplaceValue | InsertAfter | RemoveEntry | RemoveItems | InsertText
)


def under(prefix: Path, edits: Iterable[TextEdit]) -> list[TextEdit]:
    """Returns `edits` with their paths taken relative to the node at `prefix`."""
    return [e if isinstance(e, InsertText) else replace(e, path=(*prefix, *e.path)) for e in edits]


def splice(
    text: str,
    scalars: Sequence[tuple[Path, str]] = (),
    items: Sequence[tuple[Path, list[tuple[str, Any]]]] = (),
    edits: Sequence[TextEdit] = (),
) -> str:
    """Returns `text` with every edit made, composing it once: the one text-splice engine.

    `scalars` and `items` are short for SetScalar and AppendItem edits. Each edit becomes a
    splice at the marks of its node, so every other byte (comments, quoting, indentation, line
    endings) stays; two edits of the same place raise SpliceError. Edits that insert at the same
    place keep their order.
    """
    edits = [
        *(SetScalar(loc, value) for loc, value in scalars),
        *(AppendItem(loc, item) for loc, item in items),
        *edits,
    ]
    root = compose(text)
    splices: list[Splice] = []
    appends: dict[tuple[str | int, ...], list[list[tuple[str, Any]]]] = {}
    for edit in edits:
        if isinstance(edit, AppendItem):  # items for one list go in together, in their order
            appends.setdefault(tuple(edit.path), []).append(edit.item)
        else:
            splices += _splices(text, root, edit)
    splices += [_item_splice(text, root, loc, items) for loc, items in appends.items()]
    return apply_splices(text, splices)


def apply_splices(text: str, splices: Iterable[Splice]) -> str:
    """Returns `text` with each (start, end, new) splice made; marks index the original text."""
    ordered = sorted(splices, key=lambda s: (s[0], s[1]))  # stable: inserts keep their order
    for (_, end, _), (start, _, _) in itertools.pairwise(ordered):
        if start < end:
            raise SpliceError("two edits of the same place")
    parts, at = [], 0
    for start, end, new in ordered:
        parts += [text[at:start], new]
        at = end
    parts.append(text[at:])
    return "".join(parts)


def _splices(text: str, root: Node, edit: TextEdit) -> list[Splice]:
    if isinstance(edit, SetScalar):
        return [_scalar_splice(root, edit.path, edit.value)]
    if isinstance(edit, InsertText):
        return [(edit.at, edit.at, edit.text)]
    steps = _walk(root, edit.path)
    key, node = steps[-1]
    if isinstance(edit, ReplaceValue):
        end = node.end_mark.index
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            end = _content_end(text, node.start_mark.index, end)
            end -= text[end - 1 : end] == "\n"
            end -= text[end - 1 : end] == "\r"
        return [(node.start_mark.index, end, edit.text)]
    if key is None:
        raise SpliceError(f"{_render(edit.path)} is not a key of a mapping")
    if isinstance(edit, InsertAfter):
        at = _content_end(text, node.start_mark.index, node.end_mark.index)
        indent = " " * key.start_mark.column
        return [_insert_lines(text, at, [indent + line for line in edit.lines])]
    if isinstance(edit, RemoveEntry):
        end = _content_end(text, node.start_mark.index, node.end_mark.index)
        return [(_owned_start(text, key.start_mark.index), end, "")]
    assert isinstance(edit, RemoveItems)  # the last kind of TextEdit
    return _remove_items(text, key, node, edit)


def _remove_items(text: str, key: Node, seq: Node, edit: RemoveItems) -> list[Splice]:
    if not isinstance(seq, SequenceNode) or seq.flow_style:
        raise SpliceError(f"{_render(edit.path)} is not a block list")
    items = [(item.start_mark.index, item.end_mark.index) for item in seq.value]
    kept = [i for i in range(len(items)) if i not in edit.indexes]
    if not kept:  # every item goes: the list becomes empty, comments inside it go too
        end = _content_end(text, seq.start_mark.index, seq.end_mark.index)
        name = text[key.start_mark.index : key.end_mark.index]
        return [(key.start_mark.index, end, f"{name}: []" + _newline_near(text, end))]
    last = kept[-1]
    out = [
        (_owned_start(text, items[i][0]), _owned_start(text, items[i + 1][0]), "")
        for i in sorted(set(edit.indexes))
        if i < last
    ]
    if last < len(items) - 1:  # the run after the last kept item, with the blank lines before it
        out.append((_content_end(text, *items[last]), _content_end(text, *items[-1]), ""))
    return out


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


def _item_splice(text: str, root: Node, loc: Sequence[str | int], items) -> Splice:
    parent_steps = _walk(root, loc[:-1])
    parent = parent_steps[-1][1]
    if not isinstance(parent, MappingNode):
        raise SpliceError(f"{_render(loc[:-1])} is not a mapping")
    child = _child(parent, loc[-1])
    if child is None:
        return _add_key(text, parent_steps, str(loc[-1]), items)
    key, seq = child
    if key is None:  # a mapping's child always has its key
        raise SpliceError(f"{_render(loc)} has no key")
    if not isinstance(seq, SequenceNode):
        raise SpliceError(f"{_render(loc)} is not a list")
    if parent.flow_style or (seq.flow_style and seq.value):
        return _append_flow(seq, items)
    if seq.value:
        return _append_block(text, seq, key, items)
    return _fill_empty(text, parent_steps, key, seq, items)  # `key: []` in a block mapping


def _flow(items: list[list[tuple[str, Any]]]) -> str:
    """Returns the items as flow mappings, separated by commas."""
    out = []
    for item in items:
        parts = []
        for name, value in item:
            if isinstance(value, list):
                value = "[" + ", ".join(_scalar(v) for v in value) + "]"
            else:
                value = _scalar(value)
            parts.append(f"{name}: {value}")
        out.append("{" + ", ".join(parts) + "}")
    return ", ".join(out)


def _append_flow(seq: SequenceNode, items: list[list[tuple[str, Any]]]) -> Splice:
    if seq.value:
        at = seq.value[-1].end_mark.index
        return at, at, ", " + _flow(items)
    return seq.start_mark.index, seq.end_mark.index, "[" + _flow(items) + "]"


def _block(items: list[list[tuple[str, Any]]], dash: int, key_offset: int, seq_offset: int):
    """Returns the lines of block-list items whose dashes stand at column `dash`."""
    lines = []
    indent = " " * (dash + key_offset)
    for item in items:
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


def _append_block(text: str, seq: SequenceNode, key: Node, items) -> Splice:
    dash, key_offset, seq_offset = _layout(text, key, seq)
    return _insert_lines(
        text, _end_of_content(text, seq), _block(items, dash, key_offset, seq_offset)
    )


def _fill_empty(text, parent_steps, key: Node, seq: SequenceNode, items) -> Splice:
    """Turns `key: []` into `key:` followed by a block list holding `items`."""
    between = text[key.end_mark.index : seq.start_mark.index]
    line_end = text.find("\n", seq.end_mark.index)
    rest = text[seq.end_mark.index : len(text) if line_end < 0 else line_end].strip()
    if between.strip() != ":" or "\n" in between or (rest and not rest.startswith("#")):
        raise SpliceError(f"cannot rewrite the empty list at line {seq.start_mark.line + 1}")
    _, key_offset, seq_offset = _enclosing_layout(text, parent_steps)
    lines = _block(items, key.start_mark.column + seq_offset, key_offset, seq_offset)
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


def _add_key(text, steps, name: str, items) -> Splice:
    """Adds `name:` with a block list holding `items` as the last key of the mapping."""
    mapping = steps[-1][1]
    if mapping.flow_style:
        raise SpliceError(f"cannot add {name!r} to a flow-style mapping; edit it by hand")
    _, key_offset, seq_offset = _enclosing_layout(text, steps)
    column = mapping.start_mark.column
    lines = [" " * column + f"{name}:"]
    lines += _block(items, column + seq_offset, key_offset, seq_offset)
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


def _line_start(text: str, at: int) -> int:
    """Returns where the line holding `at` starts."""
    return text.rfind("\n", 0, at) + 1


def _owned_start(text: str, at: int) -> int:
    """Returns the start of `at`'s line, moved up over the comment lines right above it."""
    start = _line_start(text, at)
    while start > 0:
        above = _line_start(text, start - 1)
        if not text[above:start].strip().startswith("#"):
            break
        start = above
    return start


def _content_end(text: str, start: int, end: int) -> int:
    """Returns the end (after the line break) of the last line of content in text[start:end],
    leaving out the blank lines and comments that belong to what follows."""
    last = start
    i = _line_start(text, start)
    while i < end:
        nxt = _line_end(text, i)
        line = text[i : min(nxt, end)].strip()  # only the part inside the node
        if (line and not line.startswith("#")) or i <= start:
            last = i
        i = nxt
    return _line_end(text, last)


def _newline_near(text: str, at: int) -> str:
    """Returns the line ending used by the line before `at` (or by the file's first line)."""
    before = text.rfind("\n", 0, at)
    if before < 0:
        before = text.find("\n")
    if before < 0:
        return "\n"
    return "\r\n" if before > 0 and text[before - 1] == "\r" else "\n"


def _line_end(text: str, at: int) -> int:
    """Returns the index just past the line break of the line holding `at` (or the end)."""
    end = text.find("\n", at)
    return len(text) if end < 0 else end + 1
