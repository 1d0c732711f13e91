"""How a model field is declared once: `spec(...)` puts its label, description and kind of value
in the dataclass field's metadata, where the JSON Schema, `diff`, `show`, the views, exports and
reports read it (through plan/fields.py). Imports nothing of pydantic."""

from __future__ import annotations

import dataclasses
from typing import Any

# Kinds of value: how a field is compared, shown and exported.
ID = "id"  # the entry's own id: not compared as a field (a new id is a move)
TITLE = "title"  # the entry's heading: compared, and shown with the id
TEXT = "text"  # short text: old -> new
PROSE = "prose"  # long text: word-diffed, shown as a paragraph
NUMBER = "number"
STATUS = "status"  # an activity status (the tallies and IATI map it); comes first in a row
ENUM = "enum"  # a value of another vocabulary
DATE = "date"
REF = "ref"  # one stakeholder id
IDS = "ids"  # stakeholder ids
LIST = "list"  # texts, one an item
LINES = "lines"  # texts compared by position (a topic's objectives)
ENTRIES = "entries"  # nested entries, one a line (an activity's history)
BLOCK = "block"  # one nested model, compared field by field as `name.field`
META = "meta"  # the plan's metadata: its fields are compared without a prefix
CHILDREN = "children"  # the next level down (areas, topics, activities): compared as entries

KINDS: tuple[str, ...] = (ID, TITLE, TEXT, PROSE, NUMBER, STATUS, ENUM, DATE, REF, IDS, LIST)
KINDS += (LINES, ENTRIES, BLOCK, META, CHILDREN)

SPEC = "workplan"  # the key of a field's metadata that holds its Spec


class Spec:
    """What the outputs need to know about one field (a plain class: a dataclass costs every
    command about a millisecond to define)."""

    __slots__ = (
        "agreed",
        "group",
        "help",
        "iati",
        "kind",
        "label",
        "last",
        "progress",
        "row",
        "shown",
    )

    def __init__(
        self,
        label: str,  # for people: a column, a row of `show`, the schema's title
        help: str,  # one line: the schema's description, shown by editors on hover
        kind: str = TEXT,
        row: int | None = None,  # its place in the `list` row and the summary of show/report
        group: str | None = None,  # fields sharing a row label show as one ("Dates")
        shown: str | None = None,  # a method giving the value people see (all_evidence)
        last: dict[str, str] | None = None,  # ENTRIES in CSV: column -> field of the last entry
        iati: str | None = None,  # IATI code: a DATE's ActivityDateType, IDS' OrganisationRole
        progress: bool = False,  # part of the progress record, not of the agreed content
        agreed: bool = True,  # False: neither (the record of the agreement itself, settings)
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown kind of field {kind!r}")
        self.label, self.help, self.kind, self.row = label, help, kind, row
        self.group, self.shown, self.last, self.iati = group, shown, last, iati
        self.progress = progress
        self.agreed = agreed and not progress  # what the parties agree on (plan/agreed.py)

    def __repr__(self) -> str:
        return f"Spec({self.label!r}, kind={self.kind!r})"


def spec(label: str, help: str, kind: str = TEXT, **options: Any) -> Any:
    """Returns a dataclass field declared with its Spec; `default` and `default_factory` go to
    `dataclasses.field`, the rest to Spec."""
    default = options.pop("default", dataclasses.MISSING)
    factory = options.pop("default_factory", dataclasses.MISSING)
    return dataclasses.field(
        default=default,
        default_factory=factory,
        metadata={SPEC: Spec(label, help, kind, **options)},
    )


def spec_of(f: dataclasses.Field) -> Spec:
    """Returns a dataclass field's Spec; a model field declared without one is a bug."""
    try:
        return f.metadata[SPEC]
    except KeyError:
        raise TypeError(f"field {f.name!r} is declared without spec(...)") from None


def alias(name: str) -> str:
    """Returns a field's key in the files: `from_` is written `from`."""
    return name.rstrip("_")


def describe(schema: dict[str, Any], cls: type) -> None:
    """pydantic's `json_schema_extra` hook: each property gets its field's label and help."""
    properties = schema.get("properties", {})
    for f in dataclasses.fields(cls):
        found = properties.get(alias(f.name))
        if found is not None:
            s = spec_of(f)
            found["title"] = s.label
            found["description"] = s.help
