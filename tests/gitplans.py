"""Helpers for tests on real git repositories of plans: small text edits and commits."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import git


def edit_activity(
    path: Path,
    ident: str,
    status: str | None = None,
    history: str | None = None,
    new_id: str | None = None,
    title: str | None = None,
) -> None:
    """Edits one activity's block in place: status, history (a flow list), id or title."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f'- id: "{ident}"')
    end = text.find("- id:", start + 5)
    end = len(text) if end < 0 else end
    block = text[start:end]
    if status is not None:
        block = re.sub(r"status: \S+", f"status: {status}", block, count=1)
    if history is not None:
        block = re.sub(r"history: .*", f"history: {history}", block, count=1)
    if new_id is not None:
        block = block.replace(f'- id: "{ident}"', f'- id: "{new_id}"', 1)
    if title is not None:
        block = re.sub(r"title: .*", f"title: {title}", block, count=1)
    path.write_text(text[:start] + block + text[end:], encoding="utf-8")


def commit(repo: Path, message: str, date: str | None = None) -> str:
    """Commits everything (with a fixed date when given); returns the commit id."""
    git(repo, "add", "-A")
    args = ["commit", "-q", "-m", message]
    if date:
        args += [f"--date={date}"]
    git(repo, *args)
    return git(repo, "rev-parse", "HEAD").strip()


def plan(repo: Path, version: str = "2024") -> Path:
    return repo / "data" / f"workplan-{version}.yaml"


COMPLETED_132 = (
    '[{date: 2024-10-12, from: planned, to: completed, note: "Hackathon held in Nairobi"}]'
)
