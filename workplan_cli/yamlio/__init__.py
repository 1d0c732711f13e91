"""The one package that touches ruamel.yaml: reading plan files, and editing their text."""

from workplan_cli.yamlio.editing import (
    Plain,
    SpliceError,
    append_item,
    compose,
    double_quoted,
    node_marks,
    replace_scalar,
    splice,
    splice_item,
)
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

__all__ = [
    "MAX_BRACKETS",
    "MAX_DEPTH",
    "MAX_KEYS",
    "MAX_NODES",
    "MAX_TEXT",
    "Locator",
    "Plain",
    "SpliceError",
    "YamlSyntaxError",
    "append_item",
    "compose",
    "double_quoted",
    "find_all",
    "node_marks",
    "parse",
    "replace_scalar",
    "splice",
    "splice_item",
]
