"""The report's data: statuses as of a date, and the context that templates see."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from tests.reportplans import add_history
from workplan_cli.output.reportdata import build_context, plan_as_of, status_on
from workplan_cli.plan.query import Filters
from workplan_cli.plan.store import find_repo
from workplan_cli.plan.vocab import Status


@pytest.fixture
def loaded(repo):
    add_history(repo)
    store = find_repo(repo)
    return store.load_plan(), store.load_stakeholders()


def _activity(plan, ident="1.1.1"):
    return plan.find(ident).activity


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2024-01-01", "planned"),  # before the first entry: its `from`
        ("2024-03-01", "in-progress"),  # an entry counts on its own date
        ("2024-06-14", "in-progress"),
        ("2024-06-15", "postponed"),
        ("2024-10-01", "in-progress"),
        ("2024-11-20", "completed"),
        ("2030-01-01", "completed"),
    ],
)
def test_status_on_follows_the_history(loaded, day, expected):
    plan, _ = loaded
    assert status_on(_activity(plan), dt.date.fromisoformat(day)).value == expected


def test_status_before_a_first_entry_without_from_is_planned(loaded):
    plan, _ = loaded
    activity = _activity(plan)
    first = replace(activity.history[0], from_=None)
    changed = replace(activity, history=[first, *activity.history[1:]])
    assert status_on(changed, dt.date(2024, 1, 1)) is Status.PLANNED


def test_without_history_the_recorded_status_holds(loaded):
    plan, _ = loaded
    assert status_on(_activity(plan, "1.1.2"), dt.date(2000, 1, 1)) is Status.PLANNED


def test_plan_as_of_keeps_only_history_up_to_the_date(loaded):
    plan, _ = loaded
    then = plan_as_of(plan, dt.date(2024, 7, 1))
    activity = _activity(then)
    assert activity.status is Status.POSTPONED
    assert [h.date.isoformat() for h in activity.history] == ["2024-03-01", "2024-06-15"]
    assert _activity(plan).status is Status.COMPLETED  # the original is untouched


def test_context_counts_and_latest_history(loaded):
    plan, stakeholders = loaded
    context = build_context(plan, stakeholders, Filters())
    counts = {c["status"]: c["count"] for c in context["overview"]["counts"]}
    assert counts == {
        "planned": 16,
        "in-progress": 0,
        "completed": 1,
        "postponed": 0,
        "cancelled": 0,
    }
    assert context["overview"]["total"] == 17
    assert context["overview"]["percent"] == 6  # 1 of 17
    activity = context["areas"][0]["topics"][0]["activities"][0]
    assert [h["date"] for h in activity["history"]] == ["2024-11-20", "2024-09-30", "2024-06-15"]
    assert activity["history_total"] == 4
    assert activity["evidence"] == ["test evidence A", "test evidence B"]
    assert activity["lead"] == ["MICDE", "BMDV"]  # short names; the full ones in the list
    micde = context["stakeholders"][0]
    assert micde["name"] == "Ministry of Information, Communications and the Digital Economy"
    assert context["changes"] is None


def test_context_as_of_and_filters(loaded):
    plan, stakeholders = loaded
    context = build_context(
        plan, stakeholders, Filters(area="1", status=Status.POSTPONED), as_of=dt.date(2024, 7, 1)
    )
    assert context["as_of"] == "2024-07-01"
    assert context["selection"] == ["Area: 1", "Status: Postponed"]
    assert context["status_date_text"] == "1 July 2024"
    assert [a["id"] for a in context["areas"]] == ["1"]
    (topic,) = context["areas"][0]["topics"]
    assert [a["id"] for a in topic["activities"]] == ["1.1.1"]
    assert context["overview"]["total"] == 1
    names = [s["id"] for s in context["stakeholders"]]
    assert names == ["micde", "bmdv", "giz", "igf"]  # only those the shown activities name


def test_context_in_german(loaded):
    plan, stakeholders = loaded
    context = build_context(plan, stakeholders, Filters(), lang="de", today=dt.date(2025, 3, 1))
    assert context["lang"] == "de"
    assert context["status_date_text"] == "1. März 2025"
    assert [s["label"] for s in context["statuses"]][:2] == ["Geplant", "In Arbeit"]
    activity = context["areas"][0]["topics"][0]["activities"][0]
    assert activity["facts"][0]["label"] == "Stand"
    assert activity["history"][0]["date_text"] == "20. November 2024"
    assert context["plan"]["state"] == "Unterzeichnet am 13. Februar 2024"
    assert activity["title"] == plan.areas[0].topics[0].activities[0].title  # plan text as written


def test_the_first_page_says_what_the_plan_is(loaded):
    plan, stakeholders = loaded
    context = build_context(plan, stakeholders, Filters(), today=dt.date(2025, 3, 1))
    head = context["plan"]
    assert head["state"] == "Signed on 13 February 2024" and head["draft"] is False
    assert head["parties_full"] == [
        "Ministry of Information, Communications and the Digital Economy",
        "Federal Ministry for Digital and Transport",
    ]
    assert context["status_date"] == "2025-03-01" and context["as_of"] is None
    assert context["overview"]["progress"] == "6%"
    # The slots other parts of workplan fill: empty until they do.
    assert context["area_colours"] is None and context["overdue"] is None
    assert context["indicators"] is None


def test_no_timeline_without_dates(loaded):
    plan, stakeholders = loaded
    assert build_context(plan, stakeholders, Filters())["timeline"] is None  # no dates in 2024


def test_the_first_page_shows_the_slots_once_they_are_filled(loaded):
    from workplan_cli.output.report import choose_template, render

    plan, stakeholders = loaded
    context = build_context(plan, stakeholders, Filters(), today=dt.date(2025, 3, 1))
    context["area_colours"] = [
        {"area": "1", "title": "Policy", "colour": "red", "label": "Red: 2 overdue"}
    ]
    context["overdue"] = [{"id": "1.1.2", "title": "Expert exchange", "text": "due 2024-12-31"}]
    context["indicators"] = [
        {"id": "I1", "title": "Workshops held", "colour": "green", "label": "Green: on track"}
    ]
    for fmt in ("markdown", "html"):
        out = render(choose_template(fmt, None, None), context, fmt)
        for text in (
            "Red: 2 overdue",
            "Expert exchange: due 2024-12-31",
            "I1 Workshops held",
        ):
            assert text in out, (fmt, text)
