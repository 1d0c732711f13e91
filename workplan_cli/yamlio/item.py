"""Splicing one list item on its own, as a small document, when a big file's item is plain.

Composing a whole plan of 10,000 activities to find the marks of one took a second. An item
written `- ID_KEY: VALUE` on its own line, under a `LIST_KEY:` line, is spliced instead as a
small document of those two parts: the same columns and layout, so the same bytes. Anything else
gives None, and the caller splices the whole text. Finding the item's lines is the fast path in
workplan_cli/fast.py, beside the property test that it agrees with the whole-file splice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workplan_cli import fast
from workplan_cli.yamlio.editing import (
    AppendItem,
    InsertText,
    Path,
    SetScalar,
    TextEdit,
    splice,
    under,
)


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
    if any(isinstance(e, InsertText) for e in edits):
        return None
    batch = [
        *(SetScalar(loc, v) for loc, v in scalars),
        *(AppendItem(loc, item) for loc, item in items),
        *edits,
    ]

    def spliced(sub: str, inner: tuple[str, int]) -> str:
        return splice(sub, edits=under(inner, batch))

    return fast.splice_item(text, list_key, id_key, value, spliced)
