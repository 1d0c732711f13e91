"""The report's schedule and results (output/reportresults.py) on a fixture plan with dates and
indicators (tests/golden/report/results/workplan-2026.yaml, made-up values), as of 2026-03-01."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from workplan_cli.output import i18n, reportresults
from workplan_cli.output.reportdata import build_context, plan_as_of
from workplan_cli.plan.query import Filters
from workplan_cli.plan.store import find_repo

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "golden" / "report" / "results" / "workplan-2026.yaml"
DAY = dt.date(2026, 3, 1)


def results_repo(root: Path) -> Path:
    """Writes a plan repository holding the results fixture and the shipped stakeholders."""
    (root / "data").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "stakeholders.yaml", root / "data" / "stakeholders.yaml")
    shutil.copy(FIXTURE, root / "data" / FIXTURE.name)
    return root


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    store = find_repo(results_repo(tmp_path_factory.mktemp("results")))
    return store.load_plan(), store.load_stakeholders()


def _page(plan, filters=Filters(), day=DAY, lang="en"):
    people = find_repo(ROOT).load_stakeholders().by_id()
    return reportresults.first_page(
        plan_as_of(plan, day), filters, day, i18n.language(lang), lambda i: people[i].label
    )


def test_area_colours_are_the_worst_of_activities_and_indicators_named_in_words(loaded):
    page = _page(loaded[0])
    colours = {c["area"]: (c["colour"], c["label"]) for c in page["area_colours"]}
    assert colours["1"] == ("red", "Red: 2 overdue; 1 due soon; 1 indicator behind")
    assert colours["2"] == ("grey", "Grey: nothing to judge")


def test_an_indicator_behind_its_path_turns_an_area_without_dates_amber(loaded):
    plan = loaded[0]
    page = _page(plan, Filters(topic=("1.1",)), dt.date(2025, 6, 1))
    # In June 2025 nothing is due yet; 1.1-b (22% recorded only in 2026) has no actual yet.
    assert [c["colour"] for c in page["area_colours"]] == ["green"]
    assert page["overdue"] is None


def test_overdue_as_of_the_day_oldest_first_with_the_lead(loaded):
    page = _page(loaded[0])
    assert [(o["id"], o["text"]) for o in page["overdue"]] == [
        ("1.2.1", "due 31 January 2026, 29 days overdue; lead: MICDE and BMDV"),
        ("1.1.1", "due 20 February 2026, 9 days overdue; lead: BMDV"),
    ]
    assert _page(loaded[0], day=dt.date(2026, 2, 1))["overdue"][0]["id"] == "1.2.1"
    assert _page(loaded[0], day=dt.date(2026, 1, 15))["overdue"] is None


def test_indicators_on_and_off_track(loaded):
    page = _page(loaded[0])
    assert [(i["id"], i["label"]) for i in page["indicators"]] == [
        ("1.1-a", "Green: on track"),
        ("1.1-b", "Amber: behind its pro-rata target"),
        ("1.1-c", "Grey: qualitative: judged by its narrative"),
        ("1.2-a", "Grey: not judged: no actual yet"),
    ]
    assert page["indicator_summary"] == (
        "4 indicators: 1 on track (green), 1 behind (amber), 2 not judged (grey)."
    )


def test_filters_narrow_the_indicators_and_colours(loaded):
    page = _page(loaded[0], Filters(area=("2",)))
    assert page["indicators"] is None and page["overdue"] is None
    assert [c["area"] for c in page["area_colours"]] == ["2"]


def test_colours_and_reasons_in_german(loaded):
    page = _page(loaded[0], lang="de")
    assert page["area_colours"][0]["label"] == (
        "Rot: 2 überfällig; 1 bald fällig; 1 Indikator im Rückstand"
    )
    assert page["overdue"][1]["text"] == (
        "fällig am 20. Februar 2026, 9 Tage überfällig; Federführung: BMDV"
    )
    assert page["indicators"][0]["label"] == "Grün: im Plan"


def test_activity_colours_for_the_cards(loaded):
    colours = _page(loaded[0])["activity_colours"]
    assert colours["1.1.1"] == {"colour": "red", "label": "Red: 9 days overdue"}
    assert colours["1.1.2"] == {"colour": "amber", "label": "Amber: due in 14 days, not started"}
    assert colours["1.1.3"]["colour"] == "green"
    assert colours["2.1.1"]["colour"] == "grey"  # completed: nothing left to judge
    assert "2.1.2" not in colours  # no dates, nothing to judge: nothing said


def test_indicator_table_per_objective(loaded):
    plan = loaded[0]
    tables = reportresults.indicator_tables(plan, {"1.1", "1.2"}, DAY, i18n.language("en"))
    first, second = tables["1.1"]
    assert (first["number"], second["number"]) == (1, 2)
    a, b = first["indicators"]
    assert a == {
        "id": "1.1-a",
        "text": "Expert exchanges held on internet governance",
        "unit": "exchanges",  # once, in its own column: the values are bare numbers
        "baseline": "0 (1 January 2025)",
        "target": "10 (2026)",
        "actual": "6 (2026-Q1, 20 February 2026)",
        "achieved": "60%",
        "colour": "green",
        "colour_label": "Green",
        "note": "20% above the pro-rata target of 5",
    }
    assert b["unit"] == ""  # a percent has its sign, and no unit
    assert (b["achieved"], b["colour_label"]) == ("3%", "Amber")
    assert b["note"] == "60% below the pro-rata target of 55%"
    assert second["indicators"][0]["note"] == "qualitative: judged by its narrative"
    german = reportresults.indicator_tables(plan, {"1.1"}, DAY, i18n.language("de"))["1.1"]
    assert german[0]["indicators"][1]["note"] == "60\xa0% unter dem anteiligen Zielwert von 55\xa0%"


def test_a_plan_without_dates_or_indicators_gets_no_colours(repo):
    store = find_repo(repo)
    context = build_context(
        store.load_plan("2024"), store.load_stakeholders(), Filters(), today=DAY
    )
    assert context["area_colours"] is None and context["indicators"] is None
    assert context["overdue"] is None and context["indicator_summary"] is None
    cards = [a for area in context["areas"] for t in area["topics"] for a in t["activities"]]
    assert all(a["colour"] is None for a in cards)
    assert all(t["indicator_objectives"] == [] for area in context["areas"] for t in area["topics"])


def test_every_reason_results_gives_for_grey_has_its_own_words(loaded):
    # reportresults.NOT_JUDGED is keyed by plan/results.py's notes: a note it lost (or one
    # reworded there) would be said as the bare "nothing to judge".
    from dataclasses import replace

    from workplan_cli.plan import results
    from workplan_cli.plan.model import Measure

    ind = next(r.indicator for r in loaded[0].indicators() if r.indicator.id == "1.1-a")
    cases = {
        "no target": replace(ind, targets=[]),
        "no actual yet": replace(ind, actuals=[]),
        "qualitative": replace(ind, measure=Measure.QUALITATIVE),
    }
    said = {}
    for case, indicator in cases.items():
        found = results.standing(indicator, DAY)
        assert found.colour == results.GREY
        said[case] = reportresults.standing_words(found, i18n.language("en"))
    assert said == {
        "no target": "not judged: no target",
        "no actual yet": "not judged: no actual yet",
        "qualitative": "qualitative: judged by its narrative",
    }
