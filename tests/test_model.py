"""plan/model.py: the models' own behaviour (what pydantic checks is in test_load.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.conftest import ROOT
from workplan_cli.plan.model import (
    Activity,
    HistoryEntry,
    Kind,
    Rule,
    Stakeholder,
    StakeholderKind,
    StakeholderType,
    Status,
    alias,
)
from workplan_cli.plan.store import find_repo


def _activity(**changes) -> Activity:
    base = dict(id="1.1.1", title="T", text="X", kind=Kind.WORKSHOP, status=Status.PLANNED)
    return Activity(**{**base, **changes})


def test_models_are_frozen_and_keyword_only():
    activity = _activity()
    with pytest.raises(dataclasses.FrozenInstanceError):
        activity.status = Status.COMPLETED  # type: ignore[misc]  # the point of the test
    with pytest.raises(TypeError):
        Activity("1.1.1", "T", "X", Kind.WORKSHOP, Status.PLANNED)  # type: ignore[misc]
    assert activity.lead == [] and activity.history == []
    assert _activity().lead is not _activity().lead  # each its own list


def test_all_evidence_is_its_own_then_the_histories_without_repeats():
    history = [
        HistoryEntry(date=dt.date(2025, 1, 1), to=Status.IN_PROGRESS, evidence=["a", "b"]),
        HistoryEntry(date=dt.date(2025, 2, 1), to=Status.COMPLETED, evidence=["b", "c"]),
    ]
    assert _activity(evidence=["a"], history=history).all_evidence() == ["a", "b", "c"]
    assert _activity().all_evidence() == []


def test_plan_activities_find_and_version():
    plan = find_repo(ROOT).load_plan("2025")
    assert plan.version == "2025"
    refs = list(plan.activities())
    assert len(refs) == 17
    assert all(
        ref.activity in ref.topic.activities and ref.topic in ref.area.topics for ref in refs
    )
    assert plan.find("1.1.1") == refs[0]
    assert plan.find("9.9.9") is None


def test_a_stakeholder_label_and_the_file_by_id():
    person = Stakeholder(
        id="x", name="Long Name", type=StakeholderType.BUSINESS, kind=StakeholderKind.GROUP
    )
    assert person.label == "Long Name"
    assert dataclasses.replace(person, short_name="LN").label == "LN"
    people = find_repo(ROOT).load_stakeholders()
    assert list(people.by_id()) == [s.id for s in people.stakeholders]


def test_rule_checks_the_whole_text():
    rule = Rule(r"[0-9]{4}", "a year")
    assert rule.check("2025") == "2025"
    with pytest.raises(ValueError, match="'20251' is not a year"):
        rule.check("20251")


def test_alias_is_the_files_key():
    assert alias("from_") == "from"
    assert alias("short_name") == "short_name"
