"""Printing: rich tables in a terminal, plain text when piped, JSON and Markdown on request.

Every byte a command prints goes through this module, and plan text is data here: control and
bidi characters are shown as visible escapes (`workplan_cli.output.inert`), and rich gets `Text`
objects, never strings it would read as markup (`[red]`, `[link=...]`) or emoji codes.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cache

import typer

from workplan_cli.output.inert import json_inert, one_line, visible


@dataclass(frozen=True)
class Column:
    header: str
    right: bool = False  # numbers are right-aligned


def field_column(model: type, key: str, right: bool = False) -> Column:
    """Returns the column of a model's field, headed by the label it is declared with
    (plan/model.py), read when the table is made: no table words a field's header itself."""
    from workplan_cli.plan.fields import label

    return Column(label(model, key), right)


@cache
def console():
    from rich.console import Console

    return Console(highlight=False)  # rich honours NO_COLOR and drops colour when piped


def is_terminal() -> bool:
    """Whether output goes to a terminal (asking rich only when it might: rich is slow to load)."""
    maybe = sys.stdout.isatty() or os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE")
    return bool(maybe) and console().is_terminal


def echo(text: str = "", style: str | None = None) -> None:
    """Prints lines of text, through rich (styled, never read as markup) in a terminal."""
    text = visible(text)
    if is_terminal():
        from rich.text import Text

        console().print(Text(text, style=style or ""))
    else:
        typer.echo(text)


def echo_plain(text: str = "", err: bool = False) -> None:
    """Prints lines of text as they are (no rich, no wrapping), to stderr when `err`."""
    typer.echo(visible(text), err=err)


def write(text: str) -> None:
    """Writes a whole output (plain text, Markdown, HTML) to stdout, made inert."""
    sys.stdout.write(visible(text))


def write_bytes(data: bytes) -> None:
    """Writes a data format (CSV, iCalendar, XML, JSON) to stdout: byte for byte when piped,
    made inert when stdout is a terminal (there it is read, not parsed; CRLF line ends kept)."""
    sys.stdout.flush()
    if sys.stdout.isatty():
        lines = data.decode("utf-8", "replace").split("\r\n")
        data = "\r\n".join(visible(line) for line in lines).encode("utf-8")
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def print_rich(*renderables) -> None:
    """Prints rich objects (Text, Tree) built from plain strings; a str is refused, since rich
    would read markup in it."""
    for renderable in renderables:
        if isinstance(renderable, str):
            raise TypeError("print_rich takes rich Text, not str (markup would be read)")
        console().print(renderable)


def to_json(data) -> str:
    """Returns data as indented JSON, every control and bidi character escaped."""
    import json

    return json_inert(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def print_json(data) -> None:
    """Prints data as JSON (see to_json)."""
    sys.stdout.write(to_json(data))


def print_table(columns: list[Column], rows: list[list[str]], bold_rows: frozenset = frozenset()):
    """Prints a table, each cell one inert line; `bold_rows` holds the indexes of rows that
    head a group."""
    rows = [[one_line(cell) for cell in row] for row in rows]
    if is_terminal():
        _rich_table(columns, rows, bold_rows)
    else:
        typer.echo(plain_table(columns, rows), nl=False)


def _rich_table(columns, rows, bold_rows) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in columns:
        table.add_column(Text(column.header), justify="right" if column.right else "left")
    for i, row in enumerate(rows):
        table.add_row(*(Text(cell) for cell in row), style="bold" if i in bold_rows else None)
    console().print(table)


def plain_table(columns: list[Column], rows: list[list[str]]) -> str:
    """Returns the table as aligned plain text, one line a row, nothing cut."""
    widths = [max(len(c.header), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    lines = []
    for cells in ([c.header for c in columns], *rows):
        parts = [
            cell.rjust(w) if c.right else cell.ljust(w)
            for cell, w, c in zip(cells, widths, columns, strict=False)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def markdown_table(columns: list[Column], rows: list[list[str]]) -> str:
    """Returns a GitHub-flavoured Markdown table, cells escaped so plan text cannot break it."""
    head = "| " + " | ".join(md_cell(c.header) for c in columns) + " |"
    rule = "|" + "|".join("---:" if c.right else "---" for c in columns) + "|"
    body = ["| " + " | ".join(md_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join([head, rule, *body]) + "\n"


def md_cell(text: str) -> str:
    from workplan_cli.output.markdown import md_inline

    return md_inline(text)


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"
