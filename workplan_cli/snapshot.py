"""Models to plain JSON-able data and back, without pydantic: the cache's format."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from enum import Enum
from functools import cache
from typing import Any

from workplan_cli.model import alias


def to_plain(value: Any, by_alias: bool = False) -> Any:
    """Returns dicts, lists and scalars for a model; dates as ISO text, enums as their values.

    Keys are the fields' names, or with `by_alias` the keys the files use (`from`, not `from_`).
    """
    if dataclasses.is_dataclass(value):
        key = alias if by_alias else str
        return {
            key(f.name): to_plain(getattr(value, f.name), by_alias)
            for f in dataclasses.fields(value)
        }
    if isinstance(value, list):
        return [to_plain(v, by_alias) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def from_plain(cls: type, data: Any) -> Any:
    """Returns the model of class `cls` that `to_plain` turned into `data`.

    The data must come from `to_plain` (it is not validated); a mismatch raises ValueError,
    TypeError or KeyError.
    """
    return _build(cls, data)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(kind: Any, data: Any) -> Any:
    if dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise TypeError(f"expected a mapping for {kind.__name__}")
        hints = _hints(kind)
        return kind(**{name: _build(hints[name], value) for name, value in data.items()})
    origin = typing.get_origin(kind)
    if origin is list:
        (item,) = typing.get_args(kind)
        if not isinstance(data, list):
            raise TypeError("expected a list")
        return [_build(item, v) for v in data]
    if origin in (types.UnionType, typing.Union):
        if data is None:
            return None
        (inner,) = [a for a in typing.get_args(kind) if a is not type(None)]
        return _build(inner, data)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if kind is dt.date:
        return dt.date.fromisoformat(data)
    if kind in (str, int) and type(data) is kind:
        return data
    raise TypeError(f"unexpected {type(data).__name__} for {kind}")
