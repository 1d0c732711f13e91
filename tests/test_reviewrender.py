"""output/reviewrender.py: a review of a branch as Markdown and JSON, on a real git history."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import git
from tests.gitplans import commit, edit_activity
from workplan_cli.git.review import review
from workplan_cli.output import reviewrender
from workplan_cli.plan.store import find_repo


@pytest.fixture
def branch_review(git_repo: Path):
    git(git_repo, "checkout", "-q", "-b", "feature")
    edit_activity(
        git_repo / "data" / "workplan-2024.yaml",
        "1.3.2",
        status="in-progress",
        history='[{date: 2024-06-01, from: planned, to: in-progress, note: "*kick-off* | <b>x</b>"}]',
    )
    commit(git_repo, "Hackathon started")
    return review(find_repo(str(git_repo)), "main")


def test_markdown_lists_the_status_change_escaped(branch_review):
    text = reviewrender.to_markdown(branch_review)
    assert text.startswith("## Work plan review\n")
    assert "✅ The new state is valid (3 files checked)." in text
    (row,) = [line for line in text.splitlines() if line.startswith("| 2024 | 1.3.2 |")]
    assert "| planned | in-progress | 2024-06-01 |" in row
    assert "\\*kick-off\\*" in row  # plan text is escaped: no emphasis
    assert "<b>" not in text  # no tag
    assert len(re.findall(r"(?<!\\)\|", row)) == 8  # the note's "|" makes no cell
    assert "- data/workplan-2024.yaml: changed" in text


def test_json_holds_the_same_facts(branch_review):
    view = reviewrender.to_json(branch_review)
    json.dumps(view)
    assert view["format"] == 1
    assert view["base"]["rev"] == "main"
    assert view["valid"] is True and view["problems"] == []
    assert view["status_changes"] == [
        {
            "version": "2024",
            "id": "1.3.2",
            "title": "Cyber security innovation challenge or hackathon",
            "from": "planned",
            "to": "in-progress",
            "date": "2024-06-01",
            "note": "*kick-off* | <b>x</b>",  # JSON keeps the text as it is
        }
    ]
    (changed,) = view["files"]
    assert (changed["path"], changed["change"], changed["version"]) == (
        "data/workplan-2024.yaml",
        "changed",
        "2024",
    )
    assert changed["diff"]["summary"]["activities"]["changed"] == 1


def test_an_invalid_head_is_reported_not_raised(git_repo: Path):
    git(git_repo, "checkout", "-q", "-b", "broken")
    edit_activity(git_repo / "data" / "workplan-2024.yaml", "1.3.2", status="finished")
    commit(git_repo, "Typo")
    result = review(find_repo(str(git_repo)), "main")
    view = reviewrender.to_json(result)
    assert view["valid"] is False
    assert any("finished" in problem["message"] for problem in view["problems"])
    assert "✅" not in reviewrender.to_markdown(result)
