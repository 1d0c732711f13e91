"""plan/query.py: filters, finding an activity and counting by status, on the shipped plan."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from workplan_cli.errors import UnknownActivityError, WorkplanError
from workplan_cli.plan.model import Status
from workplan_cli.plan.query import (
    Filters,
    Tally,
    find_activity,
    resolve_filters,
    select,
    stakeholder_activities,
    summarize,
)
from workplan_cli.plan.store import find_repo


@pytest.fixture(scope="module")
def shipped():
    repo = find_repo(ROOT)
    return repo.load_plan("2025"), repo.load_stakeholders()


def test_no_filter_keeps_every_activity_in_order(shipped):
    plan, _ = shipped
    refs = select(plan, Filters())
    assert [r.activity.id for r in refs] == [r.activity.id for r in plan.activities()]
    assert len(refs) == 17


def test_filters_narrow_and_combine(shipped):
    plan, _ = shipped
    in_area = select(plan, Filters(area="2"))
    assert in_area and all(r.area.id == "2" for r in in_area)
    in_topic = select(plan, Filters(area="1", topic="1.1"))
    assert in_topic and all(r.topic.id == "1.1" for r in in_topic)
    assert select(plan, Filters(area="2", topic="1.1")) == []
    postponed = select(plan, Filters(status=Status.POSTPONED))
    assert [r.activity.status for r in postponed] == [Status.POSTPONED]
    led = select(plan, Filters(lead="micde"))
    assert led and all("micde" in r.activity.lead for r in led)
    involved = select(plan, Filters(stakeholder="giz"))
    assert all("giz" in [*r.activity.lead, *r.activity.stakeholders] for r in involved)
    assert len(involved) >= len(select(plan, Filters(lead="giz")))


def test_resolve_filters_names_what_is_unknown(shipped):
    plan, people = shipped
    resolved = resolve_filters(Filters(area="1", topic="1.1", lead="MICDE"), plan, people)
    assert resolved.lead == ("micde",)
    with pytest.raises(WorkplanError, match=r"no area '9' in plan 2025 \(areas: 1, 2, 3\)"):
        resolve_filters(Filters(area="9"), plan, people)
    with pytest.raises(WorkplanError, match=r"no stakeholder 'micd' .*did you mean micde\b"):
        resolve_filters(Filters(lead="micd"), plan, people)


def test_find_activity_suggests_the_nearest_ids(shipped):
    plan, _ = shipped
    assert find_activity(plan, "1.1.1").activity.id == "1.1.1"
    with pytest.raises(
        UnknownActivityError, match=r"no activity '1\.1\.9' in plan 2025; did you mean"
    ):
        find_activity(plan, "1.1.9")


def test_tally_counts_and_progress_leaves_out_cancelled():
    tally = Tally()
    assert tally.progress is None
    for status in (Status.COMPLETED, Status.PLANNED, Status.CANCELLED, Status.CANCELLED):
        tally.add(status)
    assert tally.total == 4
    assert tally.progress == 0.5  # one completed of two that count
    assert tally.as_dict() == {
        "counts": {"planned": 1, "in-progress": 0, "completed": 1, "postponed": 0, "cancelled": 2},
        "total": 4,
        "progress": 0.5,
    }
    only_cancelled = Tally()
    only_cancelled.add(Status.CANCELLED)
    assert only_cancelled.progress is None


def test_summarize_gives_area_rows_then_their_topics(shipped):
    plan, _ = shipped
    rows, total = summarize(plan, Filters())
    assert total.total == 17
    assert rows[0].level == "area"
    areas = [r for r in rows if r.level == "area"]
    assert [r.id for r in areas] == ["1", "2", "3"]
    assert sum(r.tally.total for r in areas) == 17
    rows, total = summarize(plan, Filters(status=Status.POSTPONED))
    assert total.total == 1
    assert all(r.tally.total == 1 for r in rows)  # empty topics and areas are left out


def test_stakeholder_activities_lists_lead_and_involved(shipped):
    plan, people = shipped
    found = stakeholder_activities(plan, people)
    assert set(found) == {s.id for s in people.stakeholders}
    assert "1.1.1" in found["micde"]["lead"]
    assert "1.1.1" in found["giz"]["involved"]
    for ident, roles in found.items():
        for activity_id in roles["lead"]:
            assert ident in plan.find(activity_id).activity.lead
