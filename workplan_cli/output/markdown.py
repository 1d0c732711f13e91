"""Plan text as Markdown that shows literally (GitHub and GitLab flavours, tables included)."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&])")
# What makes a line start a block: a heading, a list item, a quote, a rule or an underline.
_MD_NUMBERED = re.compile(r"[0-9]{1,9}(?=[.)](\s|$))")
_MD_BLOCK_START = re.compile(r"#{1,6}(\s|$)|[-+](\s|$)|>|[-=][-= ]*$")


def md_inline(text) -> str:
    """Returns text as one line of Markdown that shows literally where it does not start a line
    (after a list marker, in a table cell, inside emphasis)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


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
        return text[: numbered.end()] + "\\" + text[numbered.end() :]
    return "\\" + text if _MD_BLOCK_START.match(text) else text
