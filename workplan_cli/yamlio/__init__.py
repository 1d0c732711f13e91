"""The one package that touches ruamel.yaml: reading plan files, and editing their text.

Reading is imported with the package; the editing half (the splice engine and its typed edits)
only when a name of it is first used, so commands that only read do not pay for defining it.
"""

from __future__ import annotations

import importlib
from typing import Any

from workplan_cli.yamlio.reading import (
    MAX_BRACKETS,
    MAX_DEPTH,
    MAX_KEYS,
    MAX_NODES,
    MAX_TEXT,
    Locator,
    YamlSyntaxError,
    find_all,
    parse,
)

_EDITING = {
    name: "editing"
    for name in (
        "AppendItem",
        "InsertAfter",
        "InsertText",
        "Plain",
        "RemoveEntry",
        "RemoveItems",
        "ReplaceValue",
        "SetScalar",
        "SpliceError",
        "TextEdit",
        "append_item",
        "compose",
        "double_quoted",
        "replace_scalar",
        "splice",
        "under",
    )
}
_EDITING["splice_item"] = "item"


def __getattr__(name: str) -> Any:
    """Returns a name of the editing half, importing it on first use (PEP 562)."""
    if name not in _EDITING:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_EDITING[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "MAX_BRACKETS",
    "MAX_DEPTH",
    "MAX_KEYS",
    "MAX_NODES",
    "MAX_TEXT",
    "AppendItem",
    "InsertAfter",
    "InsertText",
    "Locator",
    "Plain",
    "RemoveEntry",
    "RemoveItems",
    "ReplaceValue",
    "SetScalar",
    "SpliceError",
    "TextEdit",
    "YamlSyntaxError",
    "append_item",
    "compose",
    "double_quoted",
    "find_all",
    "parse",
    "replace_scalar",
    "splice",
    "splice_item",
    "under",
]
