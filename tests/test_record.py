"""edit/record.py and `workplan record`: an indicator's actual appended, or a clear refusal
with nothing written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import git
from workplan_cli.edit import record as edit
from workplan_cli.errors import WorkplanError
from workplan_cli.plan.model import Indicator, Measure

FIXTURE = Path(__file__).parent / "golden" / "results" / "plan.yaml"


@pytest.fixture
def plan(repo: Path) -> Path:
    """The results fixture as the repository's only plan."""
    for other in (repo / "data").glob("workplan-*.yaml"):
        other.unlink()
    path = repo / "data" / "workplan-2024.yaml"
    path.write_bytes(FIXTURE.read_bytes())
    return path


def _indicator(measure: Measure) -> Indicator:
    return Indicator(id="1.1-a", objective=1, text="x", measure=measure)


@pytest.mark.parametrize(
    "measure, text, value",
    [
        (Measure.NUMBER, "3", 3),
        (Measure.NUMBER, " 2.5 ", 2.5),
        (Measure.NUMBER, "-1", -1),
        (Measure.NUMBER, "1e3", 1000.0),
        (Measure.PERCENT, "55%", 55),
        (Measure.PERCENT, "99.5", 99.5),
        (Measure.QUALITATIVE, "A draft exists", "A draft exists"),
    ],
)
def test_a_value_that_fits_the_measure(measure, text, value):
    found = edit.parse_value(_indicator(measure), text)
    assert found == value and type(found) is type(value)


@pytest.mark.parametrize(
    "measure, text, message",
    [
        (Measure.NUMBER, "three", "1.1-a is measured as number: 'three' is not a number"),
        (Measure.NUMBER, "1e999", "1.1-a is measured as number: 1e999 is too large a number"),
        (Measure.NUMBER, "nan", "'nan' is not a number"),
        (Measure.NUMBER, "9" * 5000, "is too long a number"),
        (
            Measure.NUMBER,
            "Three exchanges were held, in Nairobi and Berlin",
            "1.1-a is measured as number: 'Three exchanges were held, in Nairobi...' is not a number",
        ),
        (Measure.PERCENT, "101", "1.1-a: 101 is not a percentage: the measure is percent"),
        (Measure.PERCENT, "-5%", "1.1-a: -5 is not a percentage"),
        (Measure.QUALITATIVE, "3", "qualitative: write a narrative, not the number 3"),
        (Measure.QUALITATIVE, "  ", "qualitative: write a narrative, not an empty text"),
    ],
)
def test_a_value_that_does_not_fit_the_measure_is_refused(measure, text, message):
    with pytest.raises(WorkplanError, match=message.replace("(", r"\(")):
        edit.parse_value(_indicator(measure), text)


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["1.1-x", "2", "--period", "2024"],
            "Error: no indicator '1.1-x' in plan 2024; did you mean 1.1-a, 1.1-b, 1.1-c?",
        ),
        (
            ["1.1-a", "two", "--period", "2024"],
            "Error: 1.1-a is measured as number: 'two' is not a number (write e.g. 3 or 2.5)",
        ),
        (
            ["1.1-c", "3", "--period", "2025"],
            "Error: 1.1-c is measured as qualitative: write a narrative, not the number 3",
        ),
        (
            ["1.1-a", "2", "--period", "2026"],
            "Error: --period '2026' is not a period of plan 2024 "
            "(plan.monitoring.periods: 2024, 2025, 2025-Q2)",
        ),
        (
            ["1.1-a", "2", "--period", "next year"],
            "Error: --period 'next year' (a year 2024 or a quarter 2024-Q4) is not a period of "
            "plan 2024 (plan.monitoring.periods: 2024, 2025, 2025-Q2)",
        ),
        (
            ["1.1-a", "2", "--period", "2024", "--on", "2999-01-01"],
            "Error: --on 2999-01-01 is in the future",
        ),
        (
            ["1.1-a", "2", "--period", "2024", "--on", "2024-01-02"],
            "Error: --on 2024-01-02 is before the baseline of 1.1-a (2024-01-15)",
        ),
        (
            ["1.1-a", "2", "--period", "2024", "--on", "2024-06-01"],
            "Error: the last actual of 1.1-a is dated 2024-06-30; --on 2024-06-01 is earlier "
            "(the actuals are kept in date order)",
        ),
        (
            ["1.1-a", "2", "--period", "2024", "--on", "yesterday"],
            "Error: --on 'yesterday' is not a date",
        ),
        (
            ["1.1-a", "2", "--period", "2024", "-e", " "],
            "Error: --evidence must not be empty",
        ),
        (
            ["1.1-a", "2", "--period", "2024", "--note", "bad \udcff byte"],
            "Error: --note holds bytes that are not valid text",
        ),
        (
            ["1.1-a", "2", "--period", "2024", "-e", "\udcff"],
            "Error: --evidence holds bytes that are not valid text",
        ),
    ],
)
def test_refusals_are_clear_and_write_nothing(plan, cli, args, message):
    before = plan.read_bytes()
    result = cli("record", *args, code=1)
    assert result.stderr.startswith(message), result.stderr
    assert plan.read_bytes() == before


def test_a_plan_without_indicators_says_so(repo, cli):
    result = cli("record", "1.1-a", "2", "--period", "2024", code=1)
    assert "Error: no indicator '1.1-a': plan 2024 has no indicators" in result.stderr


def test_dry_run_prints_the_diff_and_writes_nothing(plan, cli):
    before = plan.read_bytes()
    args = ["1.1-a", "2", "--period", "2024", "--on", "2024-09-01", "--by", "T", "--dry-run"]
    result = cli("record", *args)
    assert plan.read_bytes() == before
    added = [line for line in result.stdout.splitlines() if line.startswith("+ ")]
    assert added == [
        '+              - date: "2024-09-01"',
        '+                period: "2024"',
        "+                value: 2",
        '+                by: "T"',
    ]


def test_record_says_what_it_recorded(plan, cli):
    result = cli("record", "1.1-a", "2", "--period", "2024", "--on", "2024-09-01", "--by", "T")
    assert result.stdout == "1.1-a: 2 for 2024 (2024-09-01) (data/workplan-2024.yaml)\n"


def test_commit_commits_the_plan_file_alone(plan, repo, cli):
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "fixture")
    (repo / "other.txt").write_text("not staged\n")
    args = ["1.1-a", "2", "--period", "2024", "--on", "2024-09-01", "--note", "Two now", "--commit"]
    result = cli("record", *args)
    assert "committed " in result.stdout
    assert git(repo, "log", "-1", "--format=%B") == "1.1-a: 2 for 2024 (2024-09-01)\n\nTwo now\n\n"
    assert git(repo, "status", "--porcelain", "data/workplan-2024.yaml") == ""
    assert git(repo, "show", "--name-only", "--format=", "HEAD") == "data/workplan-2024.yaml\n"


def test_commit_message_shortens_a_long_narrative():
    actual = edit.Actual(date=dt.date(2024, 9, 1), period="2025", value="word " * 30)
    change = edit.Edit("1.1-c", b"", b"", actual)
    subject = edit.commit_message(change, None).strip()
    assert subject.startswith("1.1-c: word word") and "... for 2025 (2024-09-01)" in subject
