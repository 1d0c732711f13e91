"""`workplan indicators` and `show` of a topic's indicators, on the results fixture: golden
outputs (tests/golden/cli/indicators.*; `UPDATE_GOLDEN=1 pytest` rewrites them)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "golden" / "results" / "plan.yaml"
GOLDEN = Path(__file__).parent / "golden" / "cli"


@pytest.fixture
def plan(repo: Path) -> Path:
    for other in (repo / "data").glob("workplan-*.yaml"):
        other.unlink()
    path = repo / "data" / "workplan-2024.yaml"
    path.write_bytes(FIXTURE.read_bytes())
    return path


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "format, name", [("table", "indicators.txt"), ("markdown", "indicators.md")]
)
def test_indicators_golden(plan, cli, format, name):
    _golden(name, cli("indicators", "--as-of", "2024-07-01", "--format", format).stdout)


def test_indicators_json(plan, cli):
    data = json.loads(cli("indicators", "--as-of", "2024-07-01", "--format", "json").stdout)
    assert data["as_of"] == "2024-07-01"
    [first, *_] = data["indicators"]
    assert first == {
        "id": "1.1-a",
        "topic": "1.1",
        "objective": 1,
        "objective_text": "Both sides exchange on internet governance.",
        "text": "Expert exchanges held on internet governance",
        "measure": "number",
        "unit": "exchanges",
        "baseline": 0,
        "baseline_date": "2024-01-15",
        "latest": 1,
        "latest_date": "2024-06-30",
        "latest_period": "2024",
        "target": 4,
        "target_period": "2024",
        "pro_rata": 1.9,
        "achieved": 25.0,
        "variance": -47.8,
        "colour": "amber",
        "note": "48% below the pro-rata target of 1.91",
        "as_of": "2024-07-01",
    }


def test_as_of_changes_the_judgement(plan, cli):
    data = json.loads(cli("indicators", "--as-of", "2024-02-01", "-f", "json").stdout)
    assert data["indicators"][0]["colour"] == "grey"  # its only actual is dated 2024-06-30
    assert data["indicators"][0]["note"] == "no actual yet"


def test_filters_keep_indicators_by_topic_and_by_their_topics_activities(plan, cli):
    assert "1.1-a" in cli("indicators", "--topic", "1.1").stdout
    assert cli("indicators", "--topic", "1.2").stdout == "No indicator matches.\n"
    assert cli("indicators", "--status", "completed").stdout == "No indicator matches.\n"
    assert "1.1-a" in cli("indicators", "--status", "planned").stdout


def test_a_plan_without_indicators(repo, cli):
    assert cli("indicators").stdout == "The plan has no indicators.\n"


def test_a_bad_as_of_is_a_usage_error(plan, cli):
    result = cli("indicators", "--as-of", "2024-13-01", code=2)
    assert "'2024-13-01' is not a date; write it as YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize(
    "args, name",
    [
        (["1.1"], "show-topic-1.1.txt"),
        (["1.1/2", "-f", "markdown"], "show-objective-1.1-2.md"),
        (["1.1-a"], "show-indicator-1.1-a.txt"),
    ],
)
def test_show_a_topic_objective_or_indicator_golden(plan, cli, args, name):
    _golden(name, cli("show", *args, "--as-of", "2024-07-01").stdout)


def test_show_indicator_json_has_the_indicator_and_where_it_stands(plan, cli):
    data = json.loads(cli("show", "1.1-a", "--as-of", "2024-07-01", "-f", "json").stdout)
    assert data["indicator"]["targets"] == [
        {"period": "2024", "value": 4, "note": None},
        {"period": "2025", "value": 8, "note": None},
    ]
    assert data["indicator"]["standing"]["colour"] == "amber"


@pytest.mark.parametrize(
    "ident, message",
    [
        ("1.9", "Error: no activity, topic or indicator '1.9' in plan 2024"),
        ("1.1/5", "Error: topic 1.1 has 2 objective(s), not 5"),
        ("1.1-q", "Error: no indicator '1.1-q' in plan 2024; did you mean 1.1-a, 1.1-b, 1.1-c?"),
    ],
)
def test_show_an_unknown_topic_objective_or_indicator(plan, cli, ident, message):
    assert cli("show", ident, code=1).stderr.startswith(message)


def test_review_and_diff_put_a_recorded_actual_in_words(plan, repo, cli):
    from tests.conftest import git

    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "fixture")
    cli("record", "1.1-a", "3", "--period", "2024", "--on", "2024-10-01", "--by", "X")
    review = cli("review", "main", "--worktree").stdout
    assert "actual for 2024 recorded: 3 on 2024-10-01 by X" in review
    diff = cli("diff", "HEAD:2024", "2024").stdout
    assert "+ actual for 2024 recorded: 3 on 2024-10-01 by X" in diff


def test_status_rolls_the_indicators_into_their_topic_area_and_plan(plan, cli):
    # The fixture's activities have no dates; 1.1-a is behind its pro-rata target on the day.
    out = cli("status", "--as-of", "2024-07-01", "-f", "markdown").stdout
    assert "| Schedule | Overdue |" in out
    assert "| 1 | Digital policy | 1 | 1 | 0 | 0 | 0 | 2 | 0% | amber | 0 |" in out
    assert "| 1.1 | Internet governance | 1 | 0 | 0 | 0 | 0 | 1 | 0% | amber | 0 |" in out
    assert "| 1.2 | Data governance | 0 | 1 | 0 | 0 | 0 | 1 | 0% | grey | 0 |" in out
    data = json.loads(cli("status", "--as-of", "2024-07-01", "-f", "json").stdout)
    [topic, _] = data["areas"][0]["topics"]
    assert topic["schedule"]["colour"] == "amber"
    assert topic["schedule"]["indicators"] == {"red": 0, "amber": 1, "green": 0, "grey": 2}
    assert data["total"]["schedule"]["colour"] == "amber"
    # Filtered to area 1's topic 1.2, 1.1's indicator is left out.
    other = cli("status", "--topic", "1.2", "--as-of", "2024-07-01", "-f", "json").stdout
    assert json.loads(other)["total"]["schedule"]["colour"] == "grey"


def test_show_of_a_topic_gives_its_colour_with_its_indicators(plan, cli):
    out = cli("show", "1.1", "--as-of", "2024-07-01").stdout
    assert "Colour:       amber: the worst of 1 activity and 3 indicators (as of 2024-07-01)" in out
    data = json.loads(cli("show", "1.1", "--as-of", "2024-07-01", "-f", "json").stdout)
    assert data["schedule"]["colour"] == "amber"
    assert "Colour" not in cli("show", "1.1/2", "--as-of", "2024-07-01").stdout


def test_a_unit_is_shown_once_beside_bare_numbers(repo, cli, monkeypatch):
    # The shipped draft's 1.1-a counts "submissions" and targets 1: never "1 submissions"
    # (docs/data-format.md#units). The label is the field's declared one.
    from workplan_cli.plan import fields
    from workplan_cli.plan.model import Indicator

    unit = next(f for f in fields.declared(Indicator) if f.key == "unit")
    monkeypatch.setattr(unit.spec, "label", "Counted")
    outs = [
        cli("indicators", "--plan", "2025", *args).stdout for args in ((), ("--format", "markdown"))
    ]
    outs += [cli("show", ident, "--plan", "2025").stdout for ident in ("1.1", "1.1-a")]
    outs.append(cli("report", "--plan", "2025", "--format", "markdown").stdout)
    for out in outs:
        assert "submissions" in out and "1 submissions" not in out, out
    table, markdown, topic, indicator, report = outs
    assert table.split()[:3] == ["ID", "Objective", "Counted"]
    assert "| 1.1-a | 1 | submissions | - | - | 1 (2025) |" in markdown
    assert ": - of 1 (2025), counted: submissions, grey" in topic
    assert "Counted:      submissions\n" in indicator and "  2025: 1\n" in indicator
    assert "| submissions | – | 1 (2025) |" in report


def relabel(monkeypatch, labels) -> None:
    """Renames fields' declared labels for one test: (model, key, label) each."""
    from workplan_cli.plan import fields

    for model, key, label in labels:
        declared = next(f for f in fields.declared(model) if f.key == key)
        monkeypatch.setattr(declared.spec, "label", label)


def test_show_indicator_labels_its_fields_as_declared(plan, cli, monkeypatch):
    from workplan_cli.plan.model import Actual, Indicator

    by = "                by: tester\n"
    assert plan.read_text().count(by) == 1
    plan.write_text(plan.read_text().replace(by, by + "                evidence: [minutes]\n"))
    before = cli("show", "1.1-a", "--as-of", "2024-07-01").stdout
    assert "  2024-06-30  2024: 1  by tester: One exchange in Nairobi (evidence: minutes)" in before
    relabel(
        monkeypatch,
        [
            (Indicator, "objective", "Goal"),
            (Indicator, "measure", "Scale"),
            (Indicator, "baseline", "Starting point"),  # 14 characters: still a space after
            (Indicator, "targets", "Aims"),
            (Indicator, "actuals", "Measured"),
            (Actual, "by", "Recorded by"),
            (Actual, "evidence", "Proof"),
        ],
    )
    out = cli("show", "1.1-a", "--as-of", "2024-07-01").stdout
    assert "\nGoal:         1: Both sides exchange on internet governance.\n" in out
    assert "\nScale:        number\n" in out
    assert "\nStarting point: 0 on 2024-01-15\n" in out
    assert "\nAims:\n  2024: 4\n" in out
    assert "\nMeasured:\n" in out
    assert (
        "  2024-06-30  2024: 1  recorded by tester: One exchange in Nairobi (proof: minutes)" in out
    )
    for word in (
        "Objective:",
        "Measure:",
        "Baseline:",
        "Targets:",
        "Actuals:",
        "  by ",
        "evidence",
    ):
        assert word not in out, word
    # Topic (the level it sits in), Colour and Achieved (judged on the day) are no fields.
    assert "\nTopic:        1.1 Internet governance\n" in out and "\nColour:  " in out
    markdown = cli("show", "1.1-a", "--as-of", "2024-07-01", "-f", "markdown").stdout
    assert "\n**Aims**\n" in markdown and "\n**Measured**\n" in markdown
    assert "- Starting point: 0 on 2024-01-15\n" in markdown


def test_show_topic_heads_its_objectives_as_the_indicators_field_is_labelled(
    plan, cli, monkeypatch
):
    from workplan_cli.plan.model import Indicator, Topic

    assert "\n  no indicators\n" in cli("show", "1.2", "--as-of", "2024-07-01").stdout
    relabel(monkeypatch, [(Indicator, "objective", "Goal"), (Topic, "indicators", "Measures")])
    out = cli("show", "1.1", "--as-of", "2024-07-01").stdout
    assert "\nGoal 1: Both sides exchange on internet governance.\n" in out
    assert "\nGoal 2: Joint positions are prepared for international fora.\n" in out
    assert "Objective" not in out
    markdown = cli("show", "1.1/2", "--as-of", "2024-07-01", "-f", "markdown").stdout
    assert "- Goal 2: Joint positions are prepared for international fora.\n" in markdown
    assert "\n  no measures\n" in cli("show", "1.2", "--as-of", "2024-07-01").stdout


def test_indicators_columns_are_headed_by_the_fields_declared_labels(plan, cli, monkeypatch):
    from workplan_cli.plan.model import Indicator

    relabel(
        monkeypatch,
        [
            (Indicator, "id", "Key"),
            (Indicator, "objective", "Goal"),
            (Indicator, "baseline", "Start"),
            (Indicator, "text", "Measured"),
        ],
    )
    table = cli("indicators", "--as-of", "2024-07-01").stdout
    assert table.split("\n")[0].split() == [
        "Key", "Goal", "Unit", "Start", "Latest", "Target", "Achieved", "Colour", "Measured", "Note"
    ]  # fmt: skip
    markdown = cli("indicators", "--as-of", "2024-07-01", "-f", "markdown").stdout
    assert markdown.startswith(
        "| Key | Goal | Unit | Start | Latest | Target | Achieved | Colour | Measured | Note |\n"
    )
