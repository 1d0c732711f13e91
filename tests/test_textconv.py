"""output/textconv.py: a plan or stakeholders file as one line a field, for git's line diff."""

from __future__ import annotations

from tests.conftest import DATA
from workplan_cli.output.textconv import plan_lines, render, stakeholder_lines
from workplan_cli.plan.store import find_repo


def test_a_plan_becomes_one_line_a_field_each_naming_its_owner():
    text = render((DATA / "workplan-2025.yaml").read_bytes(), "data/workplan-2025.yaml").decode()
    lines = text.splitlines()
    assert lines[0] == "schema_version: 1"
    assert "plan.version: 2025" in lines
    assert "1.1.1 status: planned" in lines
    assert "1.1.1 lead: micde, bmdv" in lines
    assert text.endswith("\n")
    activity_lines = [line for line in lines if line.startswith("1.1.1 ")]
    assert activity_lines[0].startswith("1.1.1 title: ")  # the title first, then the fields


def test_the_plan_lines_are_the_rendered_text():
    plan = find_repo(DATA.parent).load_plan("2025")
    rendered = render((DATA / "workplan-2025.yaml").read_bytes(), "data/workplan-2025.yaml")
    assert rendered.decode() == "\n".join(plan_lines(plan)) + "\n"


def test_stakeholders_become_one_line_a_field():
    text = render((DATA / "stakeholders.yaml").read_bytes(), "data/stakeholders.yaml").decode()
    assert "micde short_name: MICDE" in text.splitlines()
    people = find_repo(DATA.parent).load_stakeholders()
    assert text == "\n".join(stakeholder_lines(people)) + "\n"


def test_a_file_that_is_neither_shows_as_it_is():
    for data in (b"not: [a plan\n", b"\xff\xfe binary", b""):
        assert render(data, "data/workplan-2025.yaml") == data
        assert render(data, "data/stakeholders.yaml") == data


def test_a_line_break_in_a_value_stays_on_its_line():
    data = (
        (DATA / "workplan-2025.yaml")
        .read_text()
        .replace(
            "title: Work Plan of the Kenyan-German Digital Dialogue",
            'title: "Work Plan\\nof the Dialogue"',
            1,
        )
    )
    lines = render(data.encode(), "data/workplan-2025.yaml").decode().splitlines()
    (title,) = [line for line in lines if line.startswith("plan.title:")]
    assert "of the Dialogue" in title


def test_indicators_become_one_line_a_field_each_naming_the_indicator():
    from tests.conftest import ROOT

    data = (ROOT / "tests" / "golden" / "results" / "plan.yaml").read_bytes()
    lines = render(data, "data/workplan-2024.yaml").decode().splitlines()
    assert "1.1-a targets: period: 2025, value: 8" in lines
    assert (
        "1.1-a actuals: date: 2024-06-30, period: 2024, value: 1, note: One exchange in Nairobi, "
        "by: tester"
    ) in lines
    assert "plan.monitoring.periods: 2024, 2025, 2025-Q2" in lines
