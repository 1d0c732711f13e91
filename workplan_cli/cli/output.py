"""Printing: rich tables in a terminal, plain text when piped, JSON and Markdown on request."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cache

import typer


@dataclass(frozen=True)
class Column:
    header: str
    right: bool = False  # numbers are right-aligned


@cache
def console():
    from rich.console import Console

    return Console(highlight=False)  # rich honours NO_COLOR and drops colour when piped


def is_terminal() -> bool:
    """Whether output goes to a terminal (asking rich only when it might: rich is slow to load)."""
    maybe = sys.stdout.isatty() or os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE")
    return bool(maybe) and console().is_terminal


def echo(text: str = "", style: str | None = None) -> None:
    if is_terminal():
        console().print(text, style=style, markup=False)
    else:
        typer.echo(text)


def print_json(data) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def print_table(columns: list[Column], rows: list[list[str]], bold_rows: frozenset = frozenset()):
    """Prints a table; `bold_rows` holds the indexes of rows that head a group."""
    if is_terminal():
        _rich_table(columns, rows, bold_rows)
    else:
        typer.echo(plain_table(columns, rows), nl=False)


def _rich_table(columns, rows, bold_rows) -> None:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in columns:
        table.add_column(column.header, justify="right" if column.right else "left")
    for i, row in enumerate(rows):
        table.add_row(*row, style="bold" if i in bold_rows else None)
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
