"""The models' fields as declared (plan/spec.py), for every output to walk instead of naming them;
and a model's plain form: dicts, lists and scalars (the JSON export, the diff, the cache)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable
from enum import Enum
from functools import cache
from typing import Any, TypeVar, cast

from workplan_cli.plan import spec as kinds
from workplan_cli.plan.model import (
    Activity,
    Actual,
    Approval,
    Area,
    Baseline,
    HistoryEntry,
    IatiSettings,
    Indicator,
    Monitoring,
    Mou,
    Plan,
    PlanMeta,
    Review,
    Signing,
    Stakeholder,
    StakeholderFile,
    Target,
    Topic,
)
from workplan_cli.plan.spec import Spec, alias, spec_of

_R = TypeVar("_R")


def per_model(walk: Callable[[type], _R]) -> Callable[[type], _R]:
    """Caches a walk per model class (mypy's Hashable check does not see that classes are)."""
    return cast(Callable[[type], _R], cache(walk))


# Every model, for the walks that must cover them all (the cache's builders, the tests).
MODELS: tuple[type, ...] = (Plan, PlanMeta, Mou, Signing, Approval, Review, IatiSettings)
MODELS += (Area, Topic)
MODELS += (Activity, HistoryEntry, StakeholderFile, Stakeholder)
MODELS += (Monitoring, Indicator, Baseline, Target, Actual)

# Kinds that are not a value of the entry itself but its identity or the level below it.
_NOT_COMPARED = (kinds.ID, kinds.CHILDREN, kinds.LINES)


class Field:
    """One declared field of a model (a plain class: see Spec)."""

    __slots__ = ("key", "name", "spec")

    def __init__(self, name: str, key: str, spec: Spec) -> None:
        self.name = name  # the attribute
        self.key = key  # the key in the files and in plain data (`from`, not `from_`)
        self.spec = spec

    def __repr__(self) -> str:
        return f"Field({self.name!r})"

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def label(self) -> str:
        return self.spec.label

    def value(self, model: Any) -> Any:
        return getattr(model, self.name)

    def shown(self, model: Any) -> Any:
        """Returns the value people see (an activity's evidence with its history's)."""
        if self.spec.shown:
            return getattr(model, self.spec.shown)()
        return getattr(model, self.name)

    def plain(self, model: Any) -> Any:
        """Returns the value as plain data (dates as ISO text, enums as their values)."""
        return to_plain(self.shown(model), by_alias=True)


@per_model
def declared(cls: type) -> tuple[Field, ...]:
    """Returns every field of a model class, in declaration order."""
    return tuple(Field(f.name, alias(f.name), spec_of(f)) for f in dataclasses.fields(cls))


@per_model
def compared(cls: type) -> tuple[Field, ...]:
    """Returns the fields `diff` compares one by one: all but the id, the level below and
    objectives (compared by position on their own)."""
    return tuple(f for f in declared(cls) if f.kind not in _NOT_COMPARED)


@per_model
def row(cls: type) -> tuple[Field, ...]:
    """Returns the fields of the `list` row and the summary lines of show and the report, in
    their order."""
    return tuple(sorted((f for f in declared(cls) if f.spec.row), key=lambda f: f.spec.row or 0))


# Kinds of value that fit on one line of a summary; the others are shown below it.
_ONE_LINE = (kinds.TEXT, kinds.NUMBER, kinds.STATUS, kinds.ENUM, kinds.DATE, kinds.REF, kinds.IDS)


@per_model
def summary(cls: type) -> tuple[tuple[str, tuple[Field, ...]], ...]:
    """Returns the summary lines of show and the report as (label, fields): the row's fields in
    their order (a group's fields on one line: "Dates"), then the other one-line fields."""
    out: list[tuple[str, list[Field]]] = []
    for f in row(cls):
        label = f.spec.group or f.label
        if out and f.spec.group and out[-1][0] == label:
            out[-1][1].append(f)
        else:
            out.append((label, [f]))
    out += [(f.label, [f]) for f in compared(cls) if f.kind in _ONE_LINE and not f.spec.row]
    return tuple((label, tuple(fs)) for label, fs in out)


@per_model
def body(cls: type) -> tuple[Field, ...]:
    """Returns the fields shown below the summary lines (description, history, evidence):
    paragraphs first, entries next, lists of texts last (an activity's evidence gathers its
    history's)."""
    rest = [f for f in compared(cls) if f.kind not in (kinds.TITLE, *_ONE_LINE)]
    return tuple(sorted(rest, key=lambda f: _BODY_ORDER.get(f.kind, 1)))


_BODY_ORDER = {kinds.PROSE: 0, kinds.ENTRIES: 2, kinds.LIST: 3}


def label(cls: type, key: str) -> str:
    """Returns the label the field `key` of a model class is declared with (read each time, not
    cached: it is the declaration's own)."""
    for f in declared(cls):
        if f.key == key:
            return f.label
    raise KeyError(f"{cls.__name__} declares no field {key!r}")


def of_kind(cls: type, *wanted: str) -> tuple[Field, ...]:
    """Returns the fields of those kinds of value, in declaration order."""
    return tuple(f for f in declared(cls) if f.kind in wanted)


def to_plain(value: Any, by_alias: bool = False) -> Any:
    """Returns dicts, lists and scalars for a model; dates as ISO text, enums as their values.

    Keys are the fields' names, or with `by_alias` the keys the files use (`from`, not `from_`).
    """
    kind = type(value)
    if kind is str or value is None:
        return value
    if kind is list:
        return [to_plain(v, by_alias) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(kind):
        return {
            key: v if type(v) is same or v is None else to_plain(v, by_alias)
            for name, key, same in _keys(kind, by_alias)
            for v in (getattr(value, name),)
        }
    return value


_AS_IS = (str, int, bool, float)  # JSON gives these back as they were: only their type is checked


@cache
def _keys(kind: type, by_alias: bool) -> tuple[tuple[str, str, type | None], ...]:
    """Returns (field name, key, the type its value is written as it is) for each field of a
    model class, looked up once a class: text, the most common value, then needs no call."""
    try:
        hints = typing.get_type_hints(kind)
    except (NameError, TypeError):
        hints = {}
    return tuple(
        (f.name, alias(f.name) if by_alias else f.name, as_is(hints.get(f.name)))
        for f in dataclasses.fields(kind)
    )


def as_is(hint: Any) -> type | None:
    """Returns the one type a field's value may keep as JSON gave it (str for `str | None`)."""
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        hint = inner[0] if len(inner) == 1 else None
    return hint if hint in _AS_IS else None
