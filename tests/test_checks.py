"""plan/checks.py: the rules across fields, on models changed from the shipped plan."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.conftest import ROOT, STAKEHOLDER_IDS
from workplan_cli.plan.checks import (
    check_future,
    check_plan,
    check_stakeholders,
    render_loc,
    subject_of,
)
from workplan_cli.plan.model import HistoryEntry, Plan, Status
from workplan_cli.plan.store import find_repo


@pytest.fixture(scope="module")
def plan() -> Plan:
    return find_repo(ROOT).load_plan("2025")


def _with_activity(plan: Plan, **changes) -> Plan:
    """The plan with its first activity (areas[0].topics[0].activities[0]) changed."""
    area = plan.areas[0]
    topic = area.topics[0]
    activity = dataclasses.replace(topic.activities[0], **changes)
    topic = dataclasses.replace(topic, activities=[activity, *topic.activities[1:]])
    area = dataclasses.replace(area, topics=[topic, *area.topics[1:]])
    return dataclasses.replace(plan, areas=[area, *plan.areas[1:]])


def _messages(plan: Plan, ids=STAKEHOLDER_IDS) -> list[tuple[str, str]]:
    return [(render_loc(f.loc), f.message) for f in check_plan(plan, ids)]


def test_the_shipped_plan_breaks_no_rule(plan):
    assert check_plan(plan, STAKEHOLDER_IDS) == []


def test_an_unknown_stakeholder_is_found_only_when_ids_are_given(plan):
    changed = _with_activity(plan, lead=["nobody"])
    assert _messages(changed) == [
        (
            "areas[0].topics[0].activities[0].lead[0]",
            "unknown stakeholder 'nobody' (not in stakeholders.yaml)",
        )
    ]
    assert check_plan(changed, None) == []


def test_a_stakeholder_listed_twice(plan):
    lead = plan.areas[0].topics[0].activities[0].lead[0]
    found = _messages(_with_activity(plan, lead=[lead, lead]))
    assert found == [("areas[0].topics[0].activities[0].lead[1]", f"{lead!r} is listed twice")]


def test_an_end_before_the_start(plan):
    found = _messages(_with_activity(plan, start=dt.date(2025, 5, 2), end=dt.date(2025, 5, 1)))
    assert found == [
        ("areas[0].topics[0].activities[0].end", "end 2025-05-01 is before start 2025-05-02")
    ]


def test_a_history_out_of_date_order(plan):
    history = [
        HistoryEntry(date=dt.date(2025, 6, 1), to=Status.IN_PROGRESS),
        HistoryEntry(date=dt.date(2025, 5, 1), from_=Status.IN_PROGRESS, to=Status.COMPLETED),
    ]
    found = _messages(_with_activity(plan, history=history, status=Status.COMPLETED))
    assert ("areas[0].topics[0].activities[0].history[1].date") in [loc for loc, _ in found]
    assert any("keep the history in date order" in message for _, message in found)


def test_a_duplicate_activity_id_names_the_first(plan):
    first = plan.areas[0].topics[0].activities[0]
    second = plan.areas[0].topics[0].activities[1]
    found = _messages(_with_activity(plan, id=second.id))
    assert any(
        loc == "areas[0].topics[0].activities[1].id"
        and f"duplicate activity id {second.id!r}" in message
        and "areas[0].topics[0].activities[0].id" in message
        for loc, message in found
    ), found
    assert first.id != second.id


def test_an_activity_id_outside_its_topic(plan):
    found = _messages(_with_activity(plan, id="9.9.9"))
    assert (
        "areas[0].topics[0].activities[0].id",
        "activity id '9.9.9' does not start with its topic's id '1.1.'",
    ) in found


def test_duplicate_stakeholder_ids():
    people = find_repo(ROOT).load_stakeholders()
    assert check_stakeholders(people) == []
    doubled = dataclasses.replace(
        people, stakeholders=[*people.stakeholders, people.stakeholders[0]]
    )
    (finding,) = check_stakeholders(doubled)
    index = len(people.stakeholders)
    assert finding.loc == ("stakeholders", index, "id")
    assert finding.message == (
        f"duplicate stakeholder id {people.stakeholders[0].id!r} (first used by stakeholders[0])"
    )


@pytest.mark.parametrize(
    ("loc", "text"),
    [
        ((), ""),
        (("plan",), "plan"),
        (("areas", 0, "topics", 2, "status"), "areas[0].topics[2].status"),
        ((0, "id"), "[0].id"),
    ],
)
def test_render_loc(loc, text):
    assert render_loc(loc) == text


def test_subject_names_the_innermost_item_with_an_id(plan):
    loc = ("areas", 0, "topics", 2, "activities", 1, "history", 0, "date")
    assert subject_of(loc, plan) == "activity 1.3.2"
    assert subject_of(("areas", 0, "topics", 2, "objectives", 0), plan) == "topic 1.3"
    assert subject_of(("areas", 1, "title"), plan) == "area 2"
    assert subject_of(("plan", "version"), plan) == ""
    data = {"stakeholders": [{"id": "giz"}, {"id": " x\n"}, {"id": 5}, "junk"]}
    assert subject_of(("stakeholders", 0, "type"), data) == "stakeholder giz"
    assert subject_of(("stakeholders", 1, "id"), data) == "stakeholder ' x\\n'"  # visibly
    assert subject_of(("stakeholders", 2, "id"), data) == ""  # not text: nothing to name
    assert subject_of(("stakeholders", 3), data) == ""
    assert subject_of(("stakeholders", 9, "id"), data) == ""  # past the end
    assert subject_of(("stakeholders", 0), {"stakeholders": [{"id": "x" * 500}]}).endswith("...")


def test_check_future_flags_entries_after_today(plan):
    entry = HistoryEntry(date=dt.date(2024, 6, 1), to=Status.IN_PROGRESS)
    later = _with_activity(plan, status=Status.IN_PROGRESS, history=[entry])
    assert check_future(later, dt.date(2024, 6, 1)) == []
    [finding] = check_future(later, dt.date(2024, 5, 31))
    assert render_loc(finding.loc).endswith(".history[0].date")
    assert "is in the future (today is 2024-05-31 at the latest)" in finding.message


# --- indicators (tests/golden/results/plan.yaml, a fixture with made-up values) ------------

RESULTS_PLAN = (ROOT / "tests" / "golden" / "results" / "plan.yaml").read_text()


def _problems(text: str) -> list[str]:
    """Returns the located messages for a plan text (`x.yaml:line:col: ...`), [] when valid."""
    from workplan_cli.errors import WorkplanError
    from workplan_cli.plan import load

    try:
        load.parse_plan(text.encode(), "x.yaml", STAKEHOLDER_IDS)
    except WorkplanError as e:
        return str(e).splitlines()
    return []


def test_the_results_fixture_breaks_no_rule():
    assert _problems(RESULTS_PLAN) == []


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            'id: "1.1-b"',
            'id: "1.1-a"',
            "x.yaml:51:17: areas[0].topics[0].indicators[1].id (indicator 1.1-a): duplicate "
            "indicator id '1.1-a' (also at areas[0].topics[0].indicators[0].id)",
        ),
        (
            'id: "1.1-b"',
            'id: "1.2-b"',
            "x.yaml:51:17: areas[0].topics[0].indicators[1].id (indicator 1.2-b): indicator id "
            "'1.2-b' does not start with its topic's id and a dash '1.1-'",
        ),
        (
            '- period: "2025"\n                value: 8',
            '- period: "2026"\n                value: 8',
            "x.yaml:43:25: areas[0].topics[0].indicators[0].targets[1].period (indicator 1.1-a): "
            "target for 2026, a period the plan does not declare "
            "(plan.monitoring.periods: 2024, 2025, 2025-Q2)",
        ),
        (
            'date: "2024-06-30"',
            'date: "2024-01-01"',
            "x.yaml:46:23: areas[0].topics[0].indicators[0].actuals[0].date (indicator 1.1-a): "
            "actual dated 2024-01-01 is before the baseline date 2024-01-15",
        ),
        (
            "value: 60",
            "value: 160",
            "x.yaml:60:24: areas[0].topics[0].indicators[1].targets[0].value (indicator 1.1-b): "
            "160 is not a percentage: the measure is percent, 0 to 100",
        ),
        (
            "value: No joint position exists.",
            "value: 3",
            "x.yaml:67:22: areas[0].topics[0].indicators[2].baseline.value (indicator 1.1-c): "
            "the measure is qualitative: write a narrative, not the number 3",
        ),
        (
            "value: 4",
            "value: four",
            "x.yaml:42:24: areas[0].topics[0].indicators[0].targets[0].value (indicator 1.1-a): "
            "the measure is number: write a number, not the text 'four'",
        ),
        (
            "value: 4",
            "value: .nan",
            "x.yaml:42:24: areas[0].topics[0].indicators[0].targets[0].value (indicator 1.1-a): "
            "nan is not a number that can be measured",
        ),
        (
            "objective: 2",
            "objective: 3",
            "x.yaml:62:24: areas[0].topics[0].indicators[2].objective (indicator 1.1-c): "
            "objective 3: topic 1.1 has 2 objectives",
        ),
        (
            '- period: "2025"\n                value: 8',
            '- period: "2024"\n                value: 8',
            "x.yaml:43:25: areas[0].topics[0].indicators[0].targets[1].period (indicator 1.1-a): "
            "a second target for 2024",
        ),
    ],
    ids=[
        "duplicate-id",
        "id-outside-topic",
        "undefined-period",
        "before-baseline",
        "percent-over-100",
        "qualitative-number",
        "number-text",
        "not-finite",
        "objective-out-of-range",
        "second-target",
    ],
)
def test_an_indicator_rule_broken_is_located_and_names_the_indicator(old, new, expected):
    assert old in RESULTS_PLAN
    assert _problems(RESULTS_PLAN.replace(old, new, 1)) == [expected]


def test_a_plan_without_periods_has_no_period_for_a_target():
    text = RESULTS_PLAN.replace('    periods: ["2024", "2025", "2025-Q2"]\n', "")
    problems = _problems(text)
    assert problems[0].endswith(
        "target for 2024, a period the plan does not declare "
        "(plan.monitoring.periods: none: add plan.monitoring.periods)"
    )


def test_an_actual_in_the_future_is_found_with_the_history_dates():
    from workplan_cli.plan import load

    plan = load.parse_plan(RESULTS_PLAN.encode(), "x.yaml", STAKEHOLDER_IDS)
    assert check_future(plan, dt.date(2024, 12, 31)) == []
    [finding] = check_future(plan, dt.date(2024, 6, 1))
    assert render_loc(finding.loc) == "areas[0].topics[0].indicators[0].actuals[0].date"
    assert "actual dated 2024-06-30 is in the future" in finding.message
    assert subject_of(finding.loc, plan) == "indicator 1.1-a"
