"""Markdown for forges shows plan text literally: rendered by a CommonMark renderer with GFM
tables (markdown-it-py), hostile text makes no tag, link, image, mention, reference or cell."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.terminal import hostile_repo
from workplan_cli.output.markdown import WORD_JOINER, md, md_block, md_inline

# CommonMark with raw HTML allowed (as GitHub and GitLab allow a safe subset), GFM tables and
# strikethrough: what a pull-request comment or a README goes through.
RENDERER = MarkdownIt("commonmark").enable("table").enable("strikethrough")

LIVE_REFERENCE = re.compile(r"@(?=\w)|#(?=[0-9])|!(?=[0-9])|\bGH-[0-9]", re.IGNORECASE)

OUTPUTS = [
    ["report"],
    ["report", "--since", "main:2024"],
    ["diff", "main:2024", "2024", "-f", "markdown"],
    ["review", "main"],
    ["log", "1.1.2", "-f", "markdown"],
    ["show", "1.1.2", "-f", "markdown"],
    ["list", "-f", "markdown"],
    ["status", "-f", "markdown"],
    ["stakeholders", "-f", "markdown"],
]


def rendered_text(rendered: str) -> str:
    """Returns the text a reader sees in rendered HTML (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]*>", "", rendered))


def check_inert(markdown: str) -> str:
    """Renders Markdown and checks that plan text stayed text; returns the HTML."""
    rendered = RENDERER.render(markdown)
    tags = set(re.findall(r"<([a-z0-9]+)", rendered))
    assert not tags & {"img", "a", "script", "iframe", "svg", "details", "style"}, tags
    text = rendered_text(rendered)
    assert LIVE_REFERENCE.search(text) is None, LIVE_REFERENCE.search(text)
    assert re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text) is None
    for table in _tables(RENDERER.parse(markdown)):
        assert len({len(row) for row in table}) == 1, table  # every row as wide as the head
    return rendered


def _tables(tokens) -> list[list[list[str]]]:
    """Returns each table as rows of cell texts."""
    tables, row = [], None
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
            tables[-1].append(row)
        elif token.type in ("th_open", "td_open"):
            row.append(tokens[i + 1].content)
    return tables


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return hostile_repo(tmp_path_factory.mktemp("hostile") / "plans")


@pytest.mark.parametrize("args", OUTPUTS, ids=" ".join)
def test_hostile_plan_text_renders_as_text(hostile, args, cli, monkeypatch):
    monkeypatch.chdir(hostile)
    markdown = cli(*args).stdout
    rendered = check_inert(markdown)
    text = rendered_text(rendered)
    # What the text said is all there to read: the tag, the mention and the link as text.
    assert "<img src=x onerror=alert(1)>" in text
    assert f"@{WORD_JOINER}org/team" in text
    assert "[c](javascript:alert(1))" in text
    assert "[red]x[/red]" in text
    assert "\\x1b" in text  # the escape character is shown, not sent


HOSTILE_LINES = [
    "<img src=x onerror=alert(1)> <script>alert(1)</script> <!-- hidden --> &amp; &#64;x",
    "@alice, @org/team, cc @bob-x: fixes #12, org/repo#34, GH-56 and !78",
    "![track](http://track/p.png) [c](javascript:alert(1)) [r][ref] <http://auto.link>",
    "*em* **strong** `code` ~~gone~~ a|b|c \\| trailing \\",
    "# heading\n- item\n1. number\n> quote\n---\n| x | y |",
    "\x1b[2J\x1b]0;title\x07 \u009b31m \u202eevil",
]


@pytest.mark.parametrize("text", HOSTILE_LINES)
@pytest.mark.parametrize("escape", [md_inline, md, md_block])
def test_escaped_text_renders_as_itself(text, escape):
    markdown = escape(text)
    body = f"- x {markdown}" if escape is md_inline else markdown  # md_inline: never first
    rendered = check_inert(body)
    shown = rendered_text(rendered).replace(WORD_JOINER, "")
    shown = shown.strip().removeprefix("x ") if escape is md_inline else shown
    # Exactly the words written, control characters as visible escapes.
    expected = " ".join(text.split()) if escape is not md_block else text
    expected = expected.replace("\x1b", "\\x1b").replace("\x07", "\\x07").replace("\u009b", "\\x9b")
    expected = expected.replace("\u202e", "\\u202e")
    assert " ".join(shown.split()) == " ".join(expected.split())


@pytest.mark.parametrize("text", HOSTILE_LINES)
def test_escaped_text_keeps_a_table_cell(text):
    table = f"| a | b |\n|---|---|\n| {md_inline(text)} | {md(text)} |\n"
    check_inert(table)
    assert [len(row) for row in _tables(RENDERER.parse(table))[0]] == [2, 2]


def test_plain_text_is_left_alone():
    # The shipped plan has none of these; ordinary words and e-mail-free text are unchanged.
    assert md_inline("Cyber security (GIZ), 2024-Q4: ok.") == "Cyber security (GIZ), 2024-Q4: ok."
