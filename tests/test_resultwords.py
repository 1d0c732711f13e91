"""Indicator changes in `diff` (and so `review`): plain words from output/resultwords.py, on
the results fixture (tests/golden/results/plan.yaml) changed field by field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from types import SimpleNamespace

import pytest

from tests.conftest import ROOT, STAKEHOLDER_IDS
from tests.test_fields import changed
from workplan_cli.diff.plans import diff_plans, narrow
from workplan_cli.output import diffrender
from workplan_cli.plan import fields, load
from workplan_cli.plan.model import Actual, Indicator, Plan, Target
from workplan_cli.plan.spec import ID

PLAN = load.parse_plan(
    (ROOT / "tests/golden/results/plan.yaml").read_bytes(), "plan.yaml", STAKEHOLDER_IDS
)


def _with_indicator(plan: Plan, indicator: Indicator) -> Plan:
    area = plan.areas[0]
    topic = area.topics[0]
    kept = [indicator if i.id == indicator.id else i for i in topic.indicators]
    topic = dataclasses.replace(topic, indicators=kept)
    area = dataclasses.replace(area, topics=[topic, *area.topics[1:]])
    return dataclasses.replace(plan, areas=[area, *plan.areas[1:]])


def _text(old: Plan, new: Plan) -> str:
    side = SimpleNamespace(name="x", source="x.yaml", plan=new)
    return diffrender.to_text(diff_plans(old, new), side, side)


def _lines(old: Plan, new: Plan) -> list[str]:
    return [line.strip() for line in _text(old, new).splitlines()]


FIRST = PLAN.areas[0].topics[0].indicators[0]  # 1.1-a: number, baseline 0, targets 4 and 8


@pytest.mark.parametrize("name", [f.name for f in fields.declared(Indicator) if f.kind != ID])
def test_a_change_to_any_indicator_field_shows_in_the_diff(name):
    hints = typing.get_type_hints(Indicator, include_extras=True)
    new = _with_indicator(
        PLAN, dataclasses.replace(FIRST, **{name: changed(hints[name], getattr(FIRST, name))})
    )
    lines = _lines(PLAN, new)
    assert "~ indicator 1.1-a  " + new.areas[0].topics[0].indicators[0].text in lines
    assert "indicators: 1 changed" in lines
    data = diffrender.to_json(
        diff_plans(PLAN, new), *[SimpleNamespace(name="x", source="x", plan=PLAN)] * 2
    )
    assert [f["field"] for f in data["indicators"][0]["fields"]] == [name]


@pytest.mark.parametrize(
    "targets, words",
    [
        ([("2024", 4), ("2025", 9)], ["~ target for 2025 raised from 8 to 9"]),
        ([("2024", 3), ("2025", 8)], ["~ target for 2024 lowered from 4 to 3"]),
        ([("2024", 4)], ["- target for 2025 removed (was 8)"]),
        ([("2024", 4), ("2025", 8), ("2025-Q2", 6)], ["+ target for 2025-Q2 added: 6"]),
        ([("2024", 4), ("2025", 8.5)], ["~ target for 2025 raised from 8 to 8.5"]),
    ],
)
def test_target_changes_in_plain_words(targets, words):
    new = _with_indicator(
        PLAN, dataclasses.replace(FIRST, targets=[Target(period=p, value=v) for p, v in targets])
    )
    assert _lines(PLAN, new)[-len(words) :] == words


def test_actual_changes_in_plain_words():
    day = dt.date(2024, 10, 1)
    recorded = Actual(date=day, period="2024", value=3, note="Three now", by="X", evidence=["m"])
    new = _with_indicator(PLAN, dataclasses.replace(FIRST, actuals=[*FIRST.actuals, recorded]))
    assert _lines(PLAN, new)[-1] == (
        "+ actual for 2024 recorded: 3 on 2024-10-01 by X: Three now (evidence: m)"
    )
    fixed = dataclasses.replace(FIRST.actuals[0], value=2)
    new = _with_indicator(PLAN, dataclasses.replace(FIRST, actuals=[fixed]))
    assert _lines(PLAN, new)[-1] == "~ actual for 2024 of 2024-06-30 raised from 1 to 2"
    new = _with_indicator(PLAN, dataclasses.replace(FIRST, actuals=[]))
    assert _lines(PLAN, new)[-1] == "- actual for 2024 of 2024-06-30 removed (was 1)"


def test_an_added_and_a_removed_indicator():
    topic = PLAN.areas[0].topics[0]
    fewer = dataclasses.replace(topic, indicators=topic.indicators[1:])
    area = dataclasses.replace(PLAN.areas[0], topics=[fewer, *PLAN.areas[0].topics[1:]])
    old = dataclasses.replace(PLAN, areas=[area, *PLAN.areas[1:]])
    lines = _lines(old, PLAN)
    at = lines.index("+ indicator 1.1-a  Expert exchanges held on internet governance")
    assert (
        lines[at + 1 : at + 9]
        == [
            "objective: 1",
            "measure: number",
            "unit: exchanges",
            "baseline: 0 (2024-01-15)",
            "target for 2024: 4",
            "target for 2025: 8",
            "actual for 2024: 1 on 2024-06-30 by tester: One exchange in Nairobi",
            "",
        ][: len(lines[at + 1 : at + 9])]
    )
    assert "- indicator 1.1-a  Expert exchanges held on internet governance" in _lines(PLAN, old)


def test_narrowing_keeps_the_indicators_of_the_topic():
    new = _with_indicator(PLAN, dataclasses.replace(FIRST, unit="events"))
    diff = diff_plans(PLAN, new)
    assert [e.id for e in narrow(diff, topic="1.1").indicators] == ["1.1-a"]
    assert narrow(diff, topic="1.2").indicators == []


def test_plans_without_indicators_keep_the_diffs_shape():
    plain = dataclasses.replace(
        PLAN,
        areas=[
            dataclasses.replace(a, topics=[dataclasses.replace(t, indicators=[]) for t in a.topics])
            for a in PLAN.areas
        ],
    )
    diff = diff_plans(plain, plain)
    side = SimpleNamespace(name="x", source="x", plan=plain)
    assert "indicators" not in diffrender.to_json(diff, side, side)
    assert "indicators" not in diff.counts()
