"""The schedule's colour rules, actual dates and roll-ups (plan/schedule.py), on a table of cases."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from workplan_cli.plan import schedule
from workplan_cli.plan.model import (
    Activity,
    HistoryEntry,
    Indicator,
    IndicatorRef,
    Measure,
    Monitoring,
    Plan,
    Status,
)
from workplan_cli.plan.query import Filters, select
from workplan_cli.plan.schedule import AMBER, GREEN, GREY, RED

from .schedplans import activity, plan_of

DAY = dt.date(2025, 3, 1)


def _on(days: int) -> dt.date:
    return DAY + dt.timedelta(days=days)


# (status, end as days from DAY or None, amber days, colour, overdue, reason)
CASES = [
    # no end date: grey, whatever the status, except postponed (red) and closed (grey)
    ("planned", None, 30, GREY, False, "no end date"),
    ("in-progress", None, 30, GREY, False, "no end date"),
    ("postponed", None, 30, RED, False, "postponed"),
    ("completed", None, 30, GREY, False, "completed"),
    ("cancelled", None, 30, GREY, False, "cancelled"),
    # past its end: red unless closed
    ("planned", -1, 30, RED, True, "1 day overdue"),
    ("in-progress", -1, 30, RED, True, "1 day overdue"),
    ("planned", -400, 30, RED, True, "400 days overdue"),
    ("postponed", -3, 30, RED, True, "postponed, 3 days past its end"),
    ("completed", -1, 30, GREY, False, "completed"),
    ("cancelled", -1, 30, GREY, False, "cancelled"),
    # due today: not overdue; amber unless in progress
    ("planned", 0, 30, AMBER, False, "due today, not started"),
    ("in-progress", 0, 30, GREEN, False, "due today"),
    ("planned", 0, 0, AMBER, False, "due today, not started"),
    # around the amber threshold
    ("planned", 29, 30, AMBER, False, "due in 29 days, not started"),
    ("planned", 30, 30, AMBER, False, "due in 30 days, not started"),
    ("planned", 31, 30, GREEN, False, "due in 31 days"),
    ("in-progress", 30, 30, GREEN, False, "due in 30 days"),
    ("planned", 1, 0, GREEN, False, "due in 1 day"),
    ("planned", 7, 7, AMBER, False, "due in 7 days, not started"),
    ("planned", 8, 7, GREEN, False, "due in 8 days"),
    # postponed is red even far from its end; closed is grey even near it
    ("postponed", 100, 30, RED, False, "postponed"),
    ("completed", 5, 30, GREY, False, "completed"),
    ("cancelled", 5, 30, GREY, False, "cancelled"),
]


@pytest.mark.parametrize("status, end, amber, colour, overdue, reason", CASES)
def test_the_colour_of_an_activity(status, end, amber, colour, overdue, reason):
    a = activity("1.1.1", Status(status), end=None if end is None else _on(end))
    verdict = schedule.judge(a, DAY, amber)
    assert (verdict.colour, verdict.overdue, verdict.reason) == (colour, overdue, reason)
    assert verdict.days_left == (None if end is None else end)


def test_every_status_is_covered_by_the_table():
    assert {c[0] for c in CASES} == {s.value for s in Status}


def test_a_start_date_alone_gives_nothing_to_judge():
    assert schedule.judge(activity("1.1.1", start=_on(-10)), DAY, 30).colour == GREY


def test_the_status_on_the_day_may_be_given():
    a = activity("1.1.1", Status.COMPLETED, end=_on(-5))
    assert schedule.judge(a, DAY, 30, Status.PLANNED).colour == RED


@pytest.mark.parametrize(
    "colours, expected",
    [
        ([], GREY),
        ([GREY], GREY),
        ([GREY, GREEN], GREEN),
        ([GREEN, AMBER, GREY], AMBER),
        ([AMBER, RED, GREEN], RED),
        ((c for c in [GREEN, GREEN]), GREEN),
    ],
)
def test_worst_of(colours, expected):
    assert schedule.worst(colours) == expected


def test_worst_of_takes_extra_colours():
    assert schedule.worst([GREEN], extra=[AMBER]) == AMBER
    assert schedule.worst([], extra=[RED]) == RED


def test_worst_of_refuses_a_word_that_is_not_a_colour():
    with pytest.raises(ValueError, match="'pink' is not a colour"):
        schedule.worst([GREEN, "pink"])


def _entry(day: str, from_: str | None, to: str) -> HistoryEntry:
    return HistoryEntry(
        date=dt.date.fromisoformat(day), from_=Status(from_) if from_ else None, to=Status(to)
    )


@pytest.mark.parametrize(
    "history, as_of, expected",
    [
        ([], None, (None, None)),
        ([("2025-01-10", "planned", "in-progress")], None, ("2025-01-10", None)),
        (
            [("2025-01-10", "planned", "in-progress"), ("2025-02-01", "in-progress", "completed")],
            None,
            ("2025-01-10", "2025-02-01"),
        ),
        # completed at once: started and ended on the same day
        ([("2025-02-01", "planned", "completed")], None, ("2025-02-01", "2025-02-01")),
        # cancelled before it started: an end without a start
        ([("2025-02-01", "planned", "cancelled")], None, (None, "2025-02-01")),
        # reopened: no actual end any more
        (
            [("2025-02-01", "planned", "completed"), ("2025-02-10", "completed", "in-progress")],
            None,
            ("2025-02-01", None),
        ),
        # postponed first, started later
        (
            [("2025-01-05", "planned", "postponed"), ("2025-01-20", "postponed", "in-progress")],
            None,
            ("2025-01-20", None),
        ),
        # as of a day: later entries do not count
        (
            [("2025-01-10", "planned", "in-progress"), ("2025-02-01", "in-progress", "completed")],
            "2025-01-15",
            ("2025-01-10", None),
        ),
    ],
)
def test_actual_dates_come_from_the_history(history, as_of, expected):
    a = activity("1.1.1", history=[_entry(*h) for h in history])
    day = None if as_of is None else dt.date.fromisoformat(as_of)
    got = schedule.actual_dates(a, day)
    assert tuple(None if d is None else d.isoformat() for d in got) == expected


def _plan() -> Plan:
    return plan_of(
        {
            "1.1": [
                activity("1.1.1", end=_on(-2)),  # red, overdue
                activity("1.1.2", end=_on(10)),  # amber
            ],
            "1.2": [activity("1.2.1", Status.IN_PROGRESS, end=_on(10))],  # green
            "2.1": [
                activity("2.1.1"),  # grey
                activity("2.1.2", Status.COMPLETED, end=_on(-20)),  # grey
            ],
        }
    )


def test_roll_up_per_topic_area_and_plan():
    plan = _plan()
    s = schedule.schedule(plan, plan.activities(), as_of=DAY)
    assert {k: r.colour for k, r in s.topics.items()} == {"1.1": RED, "1.2": GREEN, "2.1": GREY}
    assert {k: r.colour for k, r in s.areas.items()} == {"1": RED, "2": GREY}
    assert s.total.colour == RED
    assert s.total.counts == {RED: 1, AMBER: 1, GREEN: 1, GREY: 2}
    assert s.total.overdue == 1
    assert s.areas["1"].as_dict() == {
        "colour": RED,
        "counts": {RED: 1, AMBER: 1, GREEN: 1, GREY: 0},
        "overdue": 1,
        "indicators": {RED: 0, AMBER: 0, GREEN: 0, GREY: 0},
    }
    assert [k for k in s.colours] == ["1.1.1", "1.1.2", "1.2.1", "2.1.1", "2.1.2"]


def test_roll_up_of_what_the_filters_keep():
    plan = _plan()
    s = schedule.schedule(plan, select(plan, Filters(area="2")), as_of=DAY)
    assert s.total.colour == GREY and list(s.areas) == ["2"]


def test_the_plan_sets_the_amber_threshold():
    plan = _plan()
    assert schedule.amber_days(plan) == 30
    strict = dataclasses.replace(
        plan, plan=dataclasses.replace(plan.plan, monitoring=Monitoring(amber_days=5))
    )
    assert schedule.amber_days(strict) == 5
    s = schedule.schedule(strict, strict.activities(), as_of=DAY)
    assert s.colours["1.1.2"] == GREEN
    assert schedule.schedule(plan, plan.activities(), as_of=DAY).colours["1.1.2"] == AMBER


def test_as_of_takes_the_status_on_that_day_from_the_history():
    done = activity(
        "1.1.1",
        Status.COMPLETED,
        end=_on(-2),
        history=[_entry("2025-03-05", "planned", "completed")],
    )
    plan = plan_of({"1.1": [done]})
    assert schedule.schedule(plan, plan.activities(), as_of=DAY).colours["1.1.1"] == RED
    later = dt.date(2025, 3, 6)
    assert schedule.schedule(plan, plan.activities(), as_of=later).total.colour == GREY


def test_without_as_of_the_recorded_status_and_today_count():
    a = activity("1.1.1", end=dt.date.today() - dt.timedelta(days=1))
    plan = plan_of({"1.1": [a]})
    s = schedule.schedule(plan, plan.activities())
    assert s.as_of == dt.date.today() and s.total.overdue == 1


def test_has_dates():
    assert schedule.has_dates(_plan())
    assert not schedule.has_dates(plan_of({"1.1": [activity("1.1.1", start=DAY)]}))


def test_due_lists_overdue_and_due_soon_in_date_order():
    plan = plan_of(
        {
            "1.1": [
                activity("1.1.1", end=_on(-2)),
                activity("1.1.2", end=_on(-9), lead=["bmdv"]),
                activity("1.1.3", Status.IN_PROGRESS, end=_on(3)),
                activity("1.1.4", end=_on(0)),
                activity("1.1.5", end=_on(31)),  # outside 30 days
                activity("1.1.6", Status.COMPLETED, end=_on(-1)),  # done: not due
                activity("1.1.7", Status.POSTPONED, end=_on(-1)),  # postponed and overdue
                activity("1.1.8", Status.POSTPONED),  # no date: not listed
            ]
        }
    )
    overdue, soon = schedule.due(plan, plan.activities(), as_of=DAY)
    assert [d.ref.activity.id for d in overdue] == ["1.1.2", "1.1.1", "1.1.7"]
    assert [d.ref.activity.id for d in soon] == ["1.1.4", "1.1.3"]
    overdue, soon = schedule.due(plan, plan.activities(), as_of=DAY, within=31)
    assert [d.ref.activity.id for d in soon] == ["1.1.4", "1.1.3", "1.1.5"]
    _, soon = schedule.due(plan, plan.activities(), as_of=DAY, within=0)
    assert [d.ref.activity.id for d in soon] == ["1.1.4"]


def test_an_activity_without_history_keeps_its_status_on_any_day():
    a = activity("1.1.1", Status.IN_PROGRESS)
    assert schedule.status_on(a, dt.date(2000, 1, 1)) is Status.IN_PROGRESS
    assert isinstance(a, Activity)


@pytest.mark.parametrize(
    "setting, message",
    [
        (
            "amber_days: -1",
            "plan.monitoring.amber_days: Input should be greater than or equal to 0",
        ),
        ("amber_days: 7.5", "plan.monitoring.amber_days"),
        ("amber_days: true", "plan.monitoring.amber_days"),
        ("amber_days: 30\n    colour: red", "plan.monitoring.colour"),
    ],
)
def test_the_monitoring_settings_are_checked(setting, message):
    from workplan_cli.errors import WorkplanError
    from workplan_cli.plan import load

    from .conftest import STAKEHOLDER_IDS
    from .schedplans import DATED_PLAN

    text = DATED_PLAN.replace("amber_days: 30", setting)
    with pytest.raises(WorkplanError) as caught:
        load.parse_plan(text.encode(), "workplan-2026.yaml", STAKEHOLDER_IDS)
    assert message in str(caught.value)


def test_the_amber_threshold_is_read_from_the_file():
    from workplan_cli.plan import load

    from .conftest import STAKEHOLDER_IDS
    from .schedplans import DATED_PLAN

    text = DATED_PLAN.replace("amber_days: 30", "amber_days: 7")
    plan = load.parse_plan(text.encode(), "workplan-2026.yaml", STAKEHOLDER_IDS)
    assert schedule.amber_days(plan) == 7
    assert plan.plan.monitoring.periods == ["2026", "2026-Q1"]  # an unquoted year is a text


def _indicator_ref(plan: Plan, topic_id: str, ident: str) -> IndicatorRef:
    area = next(a for a in plan.areas if any(t.id == topic_id for t in a.topics))
    topic = next(t for t in area.topics if t.id == topic_id)
    indicator = Indicator(id=ident, objective=1, text="Measured.", measure=Measure.NUMBER)
    return IndicatorRef(area, topic, indicator)


def test_indicators_colour_their_topic_area_and_plan():
    plan = _plan()
    found = [
        (_indicator_ref(plan, "1.2", "1.2-a"), AMBER),  # off track: the green topic turns amber
        (_indicator_ref(plan, "2.1", "2.1-a"), GREEN),  # the grey topic has something green
        (_indicator_ref(plan, "2.1", "2.1-b"), GREY),
    ]
    s = schedule.schedule(plan, plan.activities(), as_of=DAY, indicators=found)
    assert {k: r.colour for k, r in s.topics.items()} == {"1.1": RED, "1.2": AMBER, "2.1": GREEN}
    assert {k: r.colour for k, r in s.areas.items()} == {"1": RED, "2": GREEN}
    assert s.total.indicators == {RED: 0, AMBER: 1, GREEN: 1, GREY: 1}
    assert s.total.counts == {RED: 1, AMBER: 1, GREEN: 1, GREY: 2}  # activities only
    assert s.topics["1.2"].overdue == 0
    only = schedule.schedule(plan, [], as_of=DAY, indicators=found[:1])
    assert only.topics["1.2"].colour == AMBER and only.areas["1"].colour == AMBER
