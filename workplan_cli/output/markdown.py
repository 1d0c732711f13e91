"""Plan text as Markdown that shows literally (GitHub and GitLab flavours, tables included).

Shows literally means: no emphasis, link, image, HTML tag, table cell or block that the text did
not come with as text; no @mention or #123 reference that a forge would turn into a
notification or a cross-reference; no control or bidi character (see `inert`).
"""

from __future__ import annotations

import re

from workplan_cli.output.inert import one_line

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&])")
# What makes a line start a block: a heading, a list item, a quote, a rule or an underline.
_MD_NUMBERED = re.compile(r"[0-9]{1,9}(?=[.)](\s|$))")
_MD_BLOCK_START = re.compile(r"#{1,6}(\s|$)|[-+](\s|$)|>|[-=][-= ]*$")
# GitHub and GitLab link `@name` (a user or `@org/team`: a notification), `#123`, `GH-123`,
# `owner/repo#123` and `!123` (an issue or merge request, which gets a cross-reference in its
# timeline that the plan's author did not mean to make). A backslash or an
# HTML entity does not stop them (forges find them in the rendered text); a WORD JOINER
# (U+2060, invisible, no line break) between the sign and the name does.
_REFERENCE = re.compile(r"(@(?=\w)|[#!](?=[0-9])|\b(?i:gh)(?=-[0-9]))")
WORD_JOINER = "\u2060"


def md_inline(text) -> str:
    """Returns text as one line of Markdown that shows literally where it does not start a line
    or a list item (after other text, inside emphasis): a `#` or `1.` at its start is kept
    as it is. Use `md` where the text comes first."""
    return _inert(_MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split())))


def md(text) -> str:
    """Returns text as one line of Markdown that shows literally (also inside a table cell)."""
    return _md_line(" ".join(str(text).split()))


def md_block(text) -> str:
    """Returns text as Markdown paragraphs that show literally, line breaks kept."""
    paragraphs = re.split(r"\n\s*\n", str(text).strip())
    out = []
    for paragraph in paragraphs:
        lines = [_md_line(" ".join(line.split())) for line in paragraph.splitlines()]
        # A backslash at the end of a line is a hard line break on GitHub and GitLab.
        out.append("\\\n".join(line for line in lines if line))
    return "\n\n".join(p for p in out if p)


def _md_line(text: str) -> str:
    """Returns one line (no leading space) escaped; a block marker at its start too."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    numbered = _MD_NUMBERED.match(text)
    if numbered:
        text = text[: numbered.end()] + "\\" + text[numbered.end() :]
    elif _MD_BLOCK_START.match(text):
        text = "\\" + text
    return _inert(text)


def _inert(text: str) -> str:
    """Returns escaped Markdown with mentions and references broken and control characters
    shown as escapes (a backslash before a letter shows as itself in Markdown)."""
    return one_line(_REFERENCE.sub("\\1" + WORD_JOINER, text))
