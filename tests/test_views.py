"""output/views.py: the JSON shapes of the read commands, built from the shipped plan."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import ROOT
from workplan_cli.output.views import (
    activity_view,
    list_view,
    plan_header,
    stakeholders_view,
    status_view,
)
from workplan_cli.plan.fields import to_plain
from workplan_cli.plan.model import HistoryEntry, Status
from workplan_cli.plan.query import Filters, select, stakeholder_activities, summarize
from workplan_cli.plan.store import find_repo


@pytest.fixture(scope="module")
def shipped():
    repo = find_repo(ROOT)
    return repo.load_plan("2024"), repo.load_plan("2025"), repo.load_stakeholders()


def test_plan_header(shipped):
    signed, draft, _ = shipped
    assert plan_header(draft) == {
        "id": "ke-de-digital-dialogue",
        "title": "Work Plan of the Kenyan-German Digital Dialogue",
        "version": "2025",
        "status": "draft",
        "signed": None,
    }
    assert plan_header(signed)["status"] == "signed"
    dt.date.fromisoformat(plan_header(signed)["signed"])


def test_status_view_nests_topics_under_their_areas(shipped):
    _, plan, _ = shipped
    filters = Filters(area="1")
    rows, total = summarize(plan, filters)
    view = status_view(plan, rows, total, filters)
    assert view["filters"] == {
        "area": "1",
        "topic": None,
        "status": None,
        "lead": None,
        "stakeholder": None,
    }
    assert [a["id"] for a in view["areas"]] == ["1"]
    area = view["areas"][0]
    assert [t["id"] for t in area["topics"]] == [t.id for t in plan.areas[0].topics]
    assert area["total"] == sum(t["total"] for t in area["topics"]) == view["total"]["total"]
    json.dumps(view)  # plain data only


def test_activity_view_short_and_full(shipped):
    _, plan, _ = shipped
    ref = plan.find("1.1.1")
    short = activity_view(ref)
    assert short["id"] == "1.1.1"
    assert short["status"] == "planned"
    assert short["lead"] == ["micde", "bmdv"]
    assert (short["area"], short["topic"]) == ("1", "1.1")
    assert "text" not in short
    full = activity_view(ref, full=True)
    assert full.items() >= short.items()
    assert full["text"] == ref.activity.text
    assert full["objectives"] == list(ref.topic.objectives)
    assert full["history"] == []
    json.dumps(full)


def test_a_history_entry_is_written_with_from_not_from_():
    entry = HistoryEntry(
        date=dt.date(2025, 2, 3), from_=Status.PLANNED, to=Status.COMPLETED, evidence=["minutes"]
    )
    assert to_plain(entry, by_alias=True) == {
        "date": "2025-02-03",
        "from": "planned",
        "to": "completed",
        "note": None,
        "by": None,
        "evidence": ["minutes"],
    }
    assert (
        to_plain(HistoryEntry(date=dt.date(2025, 2, 3), to=Status.PLANNED), by_alias=True)["from"]
        is None
    )


def test_list_and_stakeholders_views(shipped):
    _, plan, people = shipped
    filters = Filters(status=Status.POSTPONED)
    listed = list_view(plan, select(plan, filters), filters)
    assert [a["status"] for a in listed["activities"]] == ["postponed"]
    view = stakeholders_view(plan, people, stakeholder_activities(plan, people))
    assert [s["id"] for s in view["stakeholders"]] == [s.id for s in people.stakeholders]
    micde = view["stakeholders"][0]
    assert micde["id"] == "micde" and micde["country"] == "KE" and "1.1.1" in micde["lead"]
