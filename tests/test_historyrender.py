"""output/historyrender.py: an activity's life as text, Markdown and JSON, from real commits."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from tests.gitplans import commit, edit_activity
from workplan_cli.git.history import activity_log
from workplan_cli.output import historyrender
from workplan_cli.plan.store import find_repo

SUBJECT = "Hackathon *started* \x1b[31m<b>"


@pytest.fixture
def log(git_repo: Path):
    edit_activity(
        git_repo / "data" / "workplan-2024.yaml",
        "1.3.2",
        status="in-progress",
        history='[{date: 2024-06-01, from: planned, to: in-progress, note: "*kick-off*"}]',
    )
    commit(git_repo, SUBJECT)
    return activity_log(find_repo(str(git_repo)), "1.3.2", "2024")


def test_text_lists_the_status_history_then_the_commits(log):
    text = historyrender.to_text(log)
    lines = text.splitlines()
    assert lines[0] == (
        "Activity 1.3.2  Cyber security innovation challenge or hackathon  (data/workplan-2024.yaml)"
    )
    assert "2024-06-01  status  planned → in-progress: *kick-off*" in lines
    commits = [line for line in lines if "  commit " in line]
    assert len(commits) == 2
    assert commits[0].endswith("Signed plan")
    assert "\x1b" not in text  # a commit subject is inert in a terminal
    assert "    ~ status: planned → in-progress" in lines


def test_markdown_escapes_plan_text_and_commit_messages(log):
    text = historyrender.to_markdown(log)
    assert text.startswith("## Activity 1.3.2: Cyber security innovation challenge or hackathon\n")
    assert "- 2024-06-01 status: planned → in-progress: \\*kick-off\\*" in text
    assert "<b>" not in text and "*started*" not in text
    assert "  - **changed** status: planned → in-progress" in text


def test_json_keeps_the_facts_as_they_are(log):
    view = historyrender.to_json(log)
    json.dumps(view)
    assert (view["format"], view["id"], view["version"]) == (1, "1.3.2", "2024")
    kinds = [event["kind"] for event in view["events"]]
    assert kinds == ["signed", "status", "commit", "commit"]
    assert view["events"][1]["entry"]["note"] == "*kick-off*"
    assert view["events"][3]["subject"] == SUBJECT
    assert view["events"][2]["change"] == "added"


def test_an_activity_without_events_says_so(git_repo: Path):
    log = activity_log(find_repo(str(git_repo)), "1.1.1", "2024")
    assert "No commits changed it" not in historyrender.to_text(log)  # the first commit added it
    empty = dataclasses.replace(log, events=[])
    assert "No commits changed it and it has no status history." in historyrender.to_markdown(empty)
    assert "No commits changed it and it has no status history." in historyrender.to_text(empty)
