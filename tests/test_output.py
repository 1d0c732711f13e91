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
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
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


def test_rich_table_reads_no_markup_and_no_emoji_codes(terminal):
    # An unbalanced closing tag made rich raise MarkupError (exit 3); others were styles.
    cells = ["[/b] [red]x[/red] [link=https://evil]y[/link] :smile:", "a\x1b[2J\u009b\nb"]
    output.print_table([Column("A"), Column("B")], [cells])
    text = terminal.getvalue()
    assert "[/b] [red]x[/red] [link=https://evil]y[/link] :smile:" in text
    assert "a\\x1b[2J\\x9b\\nb" in text  # one line, control characters shown
    assert "\x1b]8;" not in text  # no hyperlink


def test_echo_in_a_terminal_shows_text_as_written(terminal):
    output.echo("[bold]x[/bold] :smile: \x1b]0;title\x07", style="bold")
    assert "[bold]x[/bold] :smile: \\x1b]0;title\\x07" in terminal.getvalue()


def test_json_output_escapes_c1_del_and_bidi(capsys):
    output.print_json({"t": "\u009b31m\x7f\u202e\x1b"})
    out = capsys.readouterr().out
    assert out == '{\n  "t": "\\u009b31m\\u007f\\u202e\\u001b"\n}\n'
