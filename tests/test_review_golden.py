"""`workplan review` and `workplan log` outputs on a scripted history, checked against golden files
(commit ids masked: they change whenever the shipped data does)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import git
from tests.gitplans import COMPLETED_132, commit, edit_activity, plan

GOLDEN = Path(__file__).parent / "golden" / "review"


def check_golden(name: str, text: str) -> None:
    text = re.sub(r"\b[0-9a-f]{10,40}\b", "<sha>", text)
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture
def history(git_repo, monkeypatch):
    """main: the signed plan; branch `review`: 1.3.2 completed, 1.3.3 renumbered, GIZ renamed,
    and on the way a commit that did not validate."""
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2024-11-01T12:00:00+00:00")
    git(git_repo, "commit", "-q", "--amend", "--no-edit", "--date=2024-02-13T10:00:00+03:00")
    git(git_repo, "checkout", "-q", "-b", "review")
    edit_activity(plan(git_repo), "1.3.2", status="finished")
    commit(git_repo, "1.3.2: a typo", "2024-10-13T09:00:00+03:00")
    edit_activity(plan(git_repo), "1.3.2", status="completed", history=COMPLETED_132)
    commit(git_repo, "1.3.2 completed", "2024-10-14T09:00:00+03:00")
    edit_activity(plan(git_repo), "1.3.3", new_id="1.3.9")
    people = git_repo / "data" / "stakeholders.yaml"
    people.write_text(people.read_text().replace("short_name: GIZ", "short_name: GIZ GmbH"))
    commit(git_repo, "Renumber 1.3.3; GIZ's short name", "2024-10-20T09:00:00+03:00")
    return git_repo


def test_review_markdown(history, cli):
    # Renumbering 1.3.3 changes agreed content of the signed plan: an amendment without approvals.
    check_golden("review.md", cli("review", "main", code=5).stdout)


def test_review_json(history, cli):
    check_golden("review.json", cli("review", "main", "--format", "json", code=5).stdout)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_log(history, cli, fmt):
    suffix = {"text": "txt", "markdown": "md", "json": "json"}[fmt]
    check_golden(f"log-1.3.2.{suffix}", cli("log", "1.3.2", "--format", fmt).stdout)


def test_log_of_a_renumbered_activity(history, cli):
    check_golden("log-1.3.9.txt", cli("log", "1.3.9").stdout)
