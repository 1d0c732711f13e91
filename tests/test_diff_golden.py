"""`workplan diff 2024 2025` on the shipped data, checked against golden files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from workplan_cli.edit.revise import header
from workplan_cli.plan.store import find_repo

GOLDEN = Path(__file__).parent / "golden" / "diff"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("markdown", "2024-2025.md"), ("json", "2024-2025.json"), ("text", "2024-2025.txt")],
)
def test_diff_of_the_shipped_plans(repo, cli, fmt, name):
    check_golden(name, cli("diff", "2024", "2025", "--format", fmt).stdout)


def test_the_shipped_draft_shows_every_kind_of_change(repo, cli):
    data = json.loads(cli("diff", "2024", "2025", "--format", "json").stdout)
    changes = {
        (a["change"], a["old_id"] is not None and a["old_topic"] == a["topic"])
        for a in data["activities"]
    }
    assert {c for c, _ in changes} == {"added", "removed", "moved", "changed"}
    moved = [a for a in data["activities"] if a["change"] == "moved"]
    assert any(a["old_topic"] != a["topic"] for a in moved)  # moved to another topic
    assert any(a["old_topic"] == a["topic"] for a in moved)  # renumbered
    fields = {f["field"] for a in data["activities"] for f in a["fields"]}
    assert fields >= {
        "title",
        "text",
        "kind",
        "status",
        "lead",
        "stakeholders",
        "start",
        "end",
    }  # a history change is covered by the unit tests: the draft records no events
    assert [t["change"] for t in data["topics"]] == ["added", "changed"]
    assert data["topics"][1]["objectives"][0]["change"] == "changed"
    meta = {f["field"] for f in data["metadata"]}
    assert meta >= {"version", "status", "signed", "supersedes", "note"}


def test_the_shipped_draft_says_it_is_illustrative(repo, cli):
    plan = find_repo(repo).load_plan("2025").plan
    assert (plan.status.value, plan.supersedes, plan.signed) == ("draft", "2024", None)
    assert "Illustrative draft" in plan.note and "not an agreed" in plan.note
    head = (repo / "data/workplan-2025.yaml").read_text(encoding="utf-8")[:1500]
    assert "ILLUSTRATIVE DRAFT, NOT AN AGREED PLAN" in head
    assert header("2024", "2025") in head  # made with workplan revise
    assert "Version 2024, signed on 2024-02-13" in cli("status").stdout
    cli("validate")


def test_the_draft_claims_no_event(repo):
    plan = find_repo(repo).load_plan("2025")
    for ref in plan.activities():
        assert ref.activity.status.value in ("planned", "postponed")
        assert ref.activity.history == []  # a proposal is not something that happened
