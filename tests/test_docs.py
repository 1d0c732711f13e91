"""The documentation: every relative link resolves, README stays short and runs CI's command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from workplan_cli.cli import COMMANDS

README = ROOT / "README.md"
PAGES = [README, ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
MAX_README_LINES = 220

_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_INLINE_CODE = re.compile(r"`[^`]*`")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _prose_lines(text: str) -> list[str]:
    """Returns the lines outside fenced code blocks."""
    lines, fenced = [], False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def _slug(heading: str) -> str:
    """Returns GitHub's anchor for a heading's text."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = text.lower().replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Returns the anchors of a Markdown file's headings, numbered as GitHub numbers repeats."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in _prose_lines(path.read_text(encoding="utf-8")):
        match = _HEADING.match(line)
        if not match:
            continue
        slug = _slug(match[2])
        if slug in seen:
            seen[slug] += 1
            found.add(f"{slug}-{seen[slug]}")
        else:
            seen[slug] = 0
            found.add(slug)
    return found


def relative_links(path: Path) -> list[str]:
    """Returns the targets of links in a Markdown file that are not URLs."""
    targets = []
    for line in _prose_lines(path.read_text(encoding="utf-8")):
        for match in _LINK.finditer(_INLINE_CODE.sub("", line)):
            target = match[1]
            if not re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                targets.append(target)
    return targets


def test_the_pages_exist():
    names = {p.name for p in PAGES}
    for page in (
        "index.md",
        "commands.md",
        "data-format.md",
        "git-review.md",
        "reports.md",
        "exports.md",
        "security.md",
        "recording-progress.md",
    ):
        assert page in names, page


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    problems = []
    for target in relative_links(page):
        path_part, _, anchor = target.partition("#")
        dest = (page.parent / path_part).resolve() if path_part else page
        if not dest.exists():
            problems.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            problems.append(f"{target}: no heading with that anchor in {dest.name}")
    assert not problems, problems


def test_link_checker_finds_broken_links(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# A `code` heading: yes\n\n[ok](#a-code-heading-yes) [gone](missing.md)\n"
        "`[not a link](nowhere.md)`\n```\n[in code](nowhere.md)\n```\n[web](https://example.org)\n"
    )
    assert relative_links(page) == ["#a-code-heading-yes", "missing.md"]
    assert anchors(page) == {"a-code-heading-yes"}


def test_readme_stays_short():
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines < MAX_README_LINES, f"README.md has {lines} lines; move detail to docs/"


def test_readme_holds_the_commands_ci_and_users_run():
    readme = README.read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert f"```sh\n{ci}\n```" in readme  # .ci/run runs README's test command
    setup = "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && workplan status"
    assert f"```sh\n{setup}\n```" in readme


def test_every_command_is_documented():
    reference = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    for name in COMMANDS:  # the hidden textconv too
        assert f"`workplan {name}" in reference, name
