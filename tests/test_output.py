"""Printing helpers: rich in a terminal, plain when piped, escaped Markdown."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from workplan_cli.cli import output
from workplan_cli.cli.output import Column, markdown_table, md_cell, plain_table


@pytest.fixture
def terminal(monkeypatch):
    """Makes the output module believe it writes to an 80-column colour terminal."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=80, color_system="standard")
    monkeypatch.setattr(output, "console", lambda: console)
    return buffer


def test_plain_table_aligns_and_never_cuts():
    text = plain_table([Column("ID"), Column("N", right=True)], [["1.1", "7"], ["1.10", "12"]])
    assert text == "ID     N\n1.1    7\n1.10  12\n"


def test_markdown_cells_are_escaped():
    assert md_cell("a | b *c* <script>\nnext") == "a \\| b \\*c\\* \\<script\\> next"
    table = markdown_table([Column("A"), Column("N", right=True)], [["x|y", "1"]])
    assert table == "| A | N |\n|---|---:|\n| x\\|y | 1 |\n"


def test_terminal_gets_a_rich_table(terminal):
    output.print_table([Column("ID"), Column("Title")], [["1.1", "Internet governance"]])
    text = terminal.getvalue()
    assert "─" in text  # a rich rule under the header, not the plain layout
    assert "Internet governance" in text


def test_status_in_a_terminal_is_compact(repo, cli, terminal):
    cli("status")
    text = terminal.getvalue()
    assert "17: 17 planned" in text
    assert "Progress" in text


@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False)])
def test_no_color_is_honoured(monkeypatch, capsys, no_color, coloured):
    monkeypatch.setenv("FORCE_COLOR", "1")  # a terminal, as far as rich can tell
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    output.console.cache_clear()
    try:
        output.echo("x", style="red")
    finally:
        output.console.cache_clear()
    assert ("\x1b[31m" in capsys.readouterr().out) is coloured
