"""Models back from their plain form (plan/fields.py `to_plain`), without pydantic: how the cache
reads an entry. Every declared field's type must have a builder: they are all made when this
module is imported, so a type without one fails at once ("cannot build ..."), never as a cache
that silently misses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable
from enum import Enum
from functools import cache
from typing import Any

from workplan_cli import fast
from workplan_cli.plan.fields import MODELS
from workplan_cli.plan.fields import as_is as kept_as_is


def from_plain(cls: type, data: Any) -> Any:
    """Returns the model of class `cls` that `to_plain` turned into `data`.

    The data must come from `to_plain` (it is not validated); a mismatch raises ValueError,
    TypeError or KeyError.
    """
    return _builder(cls)(data)


Build = Callable[[Any], Any]


_AS_IS = (str, int, bool, float)  # JSON gives these back as they were: only their type is checked


@cache
def _builder(kind: Any) -> Build:
    """Returns a function that builds a value of type `kind` from plain data (made once a type:
    a large plan has tens of thousands of values to build, so text, the most common value, is
    checked in place rather than by a call)."""
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        fields = {name: _builder(hint) for name, hint in hints.items()}
        as_is = {name: kept_as_is(hint) for name, hint in hints.items()}
        names = fields.keys()
        fill = fast.filler(kind)  # the fields' dict is the instance's, see fast.py

        def build_model(data: Any) -> Any:
            if type(data) is not dict or data.keys() != names:
                raise TypeError(f"expected a mapping of the fields of {kind.__name__}")
            for name, value in data.items():
                if type(value) is not as_is[name]:
                    data[name] = fields[name](value)  # the data is ours: built in place
            return fill(data)  # to_plain wrote every field

        return build_model
    if kind is Any:
        return lambda data: data  # plain data stays plain
    if kind in (list, dict):

        def build_plain(data: Any) -> Any:
            if type(data) is not kind:
                raise TypeError(f"expected a {kind.__name__}")
            return data

        return build_plain
    origin = typing.get_origin(kind)
    if origin is list:
        (item_kind,) = typing.get_args(kind)
        if item_kind in _AS_IS:
            allowed = {item_kind}

            def build_values(data: Any) -> list:
                if type(data) is not list or not allowed.issuperset(map(type, data)):
                    raise TypeError(f"expected a list of {item_kind.__name__}")
                return data

            return build_values
        item = _builder(item_kind)

        def build_list(data: Any) -> list:
            if type(data) is not list:
                raise TypeError("expected a list")
            return [item(v) for v in data]

        return build_list
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        if len(args) > 1 and all(a in _AS_IS for a in args):  # a number or a text: as JSON gave it
            allowed = set(args) | (
                {type(None)} if len(args) < len(typing.get_args(kind)) else set()
            )

            def build_either(data: Any) -> Any:
                if type(data) not in allowed:
                    raise TypeError(f"unexpected {type(data).__name__} for {kind}")
                return data

            return build_either
        (inner,) = [_builder(a) for a in args]
        return lambda data: None if data is None else inner(data)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return {member.value: member for member in kind}.__getitem__
    if kind is dt.date:
        return dt.date.fromisoformat
    if kind in _AS_IS:

        def build_scalar(data: Any) -> Any:
            if type(data) is not kind:
                raise TypeError(f"unexpected {type(data).__name__} for {kind.__name__}")
            return data

        return build_scalar
    raise TypeError(f"cannot build {kind}")


for _model in MODELS:
    _builder(_model)
