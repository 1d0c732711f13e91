"""plan/results.py: where an indicator stands on a day, on a table of cases."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.conftest import ROOT, STAKEHOLDER_IDS
from workplan_cli.plan import load, results
from workplan_cli.plan.model import Actual, Baseline, Indicator, Measure, Target

D = dt.date


def _indicator(
    measure=Measure.NUMBER, baseline=(D(2024, 1, 1), 0), targets=(("2024", 10),), actuals=()
) -> Indicator:
    return Indicator(
        id="1.1-a",
        objective=1,
        text="Things done",
        measure=measure,
        baseline=None if baseline is None else Baseline(date=baseline[0], value=baseline[1]),
        targets=[Target(period=p, value=v) for p, v in targets],
        actuals=[Actual(date=d, period=p, value=v) for d, p, v in actuals],
    )


@pytest.mark.parametrize(
    "period, first, last",
    [
        ("2024", D(2024, 1, 1), D(2024, 12, 31)),
        ("2024-Q1", D(2024, 1, 1), D(2024, 3, 31)),
        ("2024-Q2", D(2024, 4, 1), D(2024, 6, 30)),
        ("2024-Q4", D(2024, 10, 1), D(2024, 12, 31)),
    ],
)
def test_period_span(period, first, last):
    assert results.period_span(period) == (first, last)


# (case, indicator keywords, as of, colour, achieved, note)
CASES = [
    ("on the path", {"actuals": [(D(2024, 7, 1), "2024", 5)]}, D(2024, 7, 1), "green", 50.0, ""),
    (
        "behind the path",
        {"actuals": [(D(2024, 7, 1), "2024", 2)]},
        D(2024, 7, 1),
        "amber",
        20.0,
        "60% below the pro-rata target of 4.99",
    ),
    (
        "ahead of the path",
        {"actuals": [(D(2024, 3, 1), "2024", 8)]},
        D(2024, 3, 1),
        "green",
        80.0,
        "387% above the pro-rata target of 1.64",
    ),
    (
        "just within 10%",
        {"actuals": [(D(2024, 7, 1), "2024", 4.6)]},
        D(2024, 7, 1),
        "amber",
        46.0,
        "",
    ),
    (
        "target met after the end",
        {"actuals": [(D(2024, 12, 1), "2024", 10)]},
        D(2025, 3, 1),
        "green",
        100.0,
        "",
    ),
    (
        "stale actual, path moved on",
        {"actuals": [(D(2024, 2, 1), "2024", 1)]},
        D(2024, 12, 31),
        "amber",
        10.0,
        "90% below the pro-rata target of 10",
    ),
    ("no actual yet", {}, D(2024, 7, 1), "grey", None, "no actual yet"),
    (
        "actual after the day",
        {"actuals": [(D(2024, 8, 1), "2024", 9)]},
        D(2024, 7, 1),
        "grey",
        None,
        "no actual yet",
    ),
    ("no target", {"targets": ()}, D(2024, 7, 1), "grey", None, "no target"),
    (
        "qualitative",
        {
            "measure": Measure.QUALITATIVE,
            "baseline": (D(2024, 1, 1), "none"),
            "targets": (("2024", "a position"),),
            "actuals": [(D(2024, 7, 1), "2024", "a draft")],
        },
        D(2024, 7, 1),
        "grey",
        None,
        "qualitative: judged by its narrative",
    ),
    (
        "a falling target, on the path",
        {
            "baseline": (D(2024, 1, 1), 10),
            "targets": (("2024", 0),),
            "actuals": [(D(2024, 7, 1), "2024", 4)],
        },
        D(2024, 7, 1),
        "green",
        60.0,
        "20% below the pro-rata target of 5.01",
    ),
    (
        "a falling target, behind",
        {
            "baseline": (D(2024, 1, 1), 10),
            "targets": (("2024", 0),),
            "actuals": [(D(2024, 7, 1), "2024", 8)],
        },
        D(2024, 7, 1),
        "amber",
        20.0,
        "60% above the pro-rata target of 5.01",
    ),
    (
        "no baseline: from 0 at the period's start",
        {"baseline": None, "actuals": [(D(2024, 7, 1), "2024", 5)]},
        D(2024, 7, 1),
        "green",
        50.0,
        "",
    ),
    (
        "second period starts at the first target",
        {"targets": (("2024", 10), ("2025", 20)), "actuals": [(D(2025, 7, 1), "2025", 15)]},
        D(2025, 7, 1),
        "green",
        75.0,
        "",
    ),
    (
        "before the baseline",
        {"actuals": [(D(2024, 1, 1), "2024", 0)]},
        D(2024, 1, 1),
        "green",
        0.0,
        "",
    ),
]


@pytest.mark.parametrize(
    "name, kw, as_of, colour, achieved, note", CASES, ids=[c[0] for c in CASES]
)
def test_standing(name, kw, as_of, colour, achieved, note):
    found = results.standing(_indicator(**kw), as_of)
    assert found.colour == colour
    assert (None if found.achieved is None else round(found.achieved, 1)) == achieved
    assert found.note == note


def test_the_target_judged_is_the_first_not_ended_then_the_last():
    ind = _indicator(targets=(("2025", 8), ("2024", 4), ("2025-Q2", 6)))
    assert results.target_on(ind, D(2024, 5, 1)).period == "2024"
    assert results.target_on(ind, D(2025, 5, 1)).period == "2025-Q2"
    assert results.target_on(ind, D(2025, 7, 1)).period == "2025"
    assert results.target_on(ind, D(2027, 1, 1)).period == "2025"


def test_values_for_people():
    ind = _indicator()
    assert results.value_text(ind, 4.0) == "4"
    # never with the unit, which the tool cannot inflect ("1 events"): shown once, beside
    assert results.value_text(dataclasses.replace(ind, unit="events"), 4.25) == "4.25"
    assert results.value_text(dataclasses.replace(ind, unit="events"), 1) == "1"
    assert results.value_text(dataclasses.replace(ind, measure=Measure.PERCENT), 60) == "60%"


def test_the_fixture_plan_as_plain_rows():
    plan = load.parse_plan(
        (ROOT / "tests/golden/results/plan.yaml").read_bytes(), "plan.yaml", STAKEHOLDER_IDS
    )
    rows = [results.as_plain(r, s) for r, s in results.standings(plan, D(2024, 7, 1))]
    assert [(r["id"], r["colour"]) for r in rows] == [
        ("1.1-a", "amber"),
        ("1.1-b", "grey"),
        ("1.1-c", "grey"),
    ]
    assert rows[0]["latest"] == 1 and rows[0]["target"] == 4 and rows[0]["achieved"] == 25.0
    area, topic = plan.areas[0], plan.areas[0].topics[0]
    table = results.objective_rows(area, topic, D(2024, 7, 1))
    assert [(n, [r["id"] for r in rows]) for n, _, rows in table] == [
        (1, ["1.1-a", "1.1-b"]),
        (2, ["1.1-c"]),
    ]


def test_row_keys_are_the_keys_of_a_row():
    plan = load.parse_plan(
        (ROOT / "tests/golden/results/plan.yaml").read_bytes(), "plan.yaml", STAKEHOLDER_IDS
    )
    [(ref, found), *_] = results.standings(plan, D(2024, 7, 1))
    assert tuple(results.as_plain(ref, found)) == results.ROW_KEYS


def test_topic_tables_hold_the_topics_with_indicators():
    plan = load.parse_plan(
        (ROOT / "tests/golden/results/plan.yaml").read_bytes(), "plan.yaml", STAKEHOLDER_IDS
    )
    [table] = results.topic_tables(plan, D(2024, 7, 1))
    assert (table["area"], table["topic"], table["title"]) == ("1", "1.1", "Internet governance")
    assert [o["number"] for o in table["objectives"]] == [1, 2]
    assert table["objectives"][1]["indicators"][0]["id"] == "1.1-c"
    assert results.topic_tables(plan, D(2024, 7, 1), topics={"1.2"}) == []
