"""plan/snapshot.py: models to plain JSON-able data and back, without pydantic."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import ROOT
from workplan_cli.plan.fields import to_plain
from workplan_cli.plan.model import HistoryEntry, Plan, StakeholderFile, Status
from workplan_cli.plan.snapshot import from_plain
from workplan_cli.plan.store import find_repo


@pytest.mark.parametrize("version", ["2024", "2025"])
def test_a_plan_goes_through_json_and_back_equal(version):
    plan = find_repo(ROOT).load_plan(version)
    plain = json.loads(json.dumps(to_plain(plan)))
    again = from_plain(Plan, plain)
    assert again == plan
    assert isinstance(again.areas[0].topics[0].activities[0].status, Status)


def test_stakeholders_go_through_json_and_back_equal():
    people = find_repo(ROOT).load_stakeholders()
    assert from_plain(StakeholderFile, json.loads(json.dumps(to_plain(people)))) == people


def test_dates_and_enums_become_text_and_keys_follow_by_alias():
    entry = HistoryEntry(date=dt.date(2025, 3, 1), from_=Status.PLANNED, to=Status.IN_PROGRESS)
    assert to_plain(entry) == {
        "date": "2025-03-01",
        "from_": "planned",
        "to": "in-progress",
        "note": None,
        "by": None,
        "evidence": [],
    }
    assert "from" in to_plain(entry, by_alias=True)
    assert "from_" not in to_plain(entry, by_alias=True)
    back = from_plain(HistoryEntry, to_plain(entry))
    assert back == entry
    assert back.date == dt.date(2025, 3, 1)


def test_data_that_to_plain_did_not_write_is_refused():
    plain = to_plain(HistoryEntry(date=dt.date(2025, 3, 1), to=Status.PLANNED))
    with pytest.raises((TypeError, KeyError, ValueError)):
        from_plain(HistoryEntry, {**plain, "extra": 1})  # not the fields
    with pytest.raises((TypeError, KeyError, ValueError)):
        from_plain(HistoryEntry, {**plain, "to": "finished"})  # not a status
    with pytest.raises((TypeError, KeyError, ValueError)):
        from_plain(HistoryEntry, [plain])  # not a mapping
