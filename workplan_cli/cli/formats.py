"""Choosing an output format: --format when given, else the output file's suffix."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Optional, TypeVar

import typer

F = TypeVar("F", bound=StrEnum)


def choose_format(
    given: Optional[F], output: Optional[Path], suffixes: dict[str, F], default: F
) -> F:
    """Returns the format to write: `given`, else the one `output`'s suffix names, else
    `default`. A suffix that names another format than `given` is a usage error (exit 2): a
    file called report.pdf that holds Markdown helps nobody."""
    named = suffixes.get(output.suffix.lower()) if output is not None else None
    if given is None:
        return named or default
    if output is not None and named is not None and named is not given:
        raise typer.BadParameter(
            f"{output.name!r} names {named.value} output but --format is {given.value}; "
            f"drop --format or name the file for {given.value}",
            param_hint="-o",
        )
    return given
