"""`workplan due`: what is overdue and what falls due soon, on a dated fixture plan; and the
schedule's colours in `status` and `show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .schedplans import AS_OF, dated_repo
from .test_cli_read import golden


@pytest.fixture
def dated(tmp_path: Path, monkeypatch) -> Path:
    root = dated_repo(tmp_path / "dated")
    monkeypatch.chdir(root)
    return root


def test_due_table(dated: Path, cli):
    golden("due.txt", cli("due", "--as-of", AS_OF).stdout)


def test_due_markdown_for_a_job_summary(dated: Path, cli):
    golden("due.md", cli("due", "--as-of", AS_OF, "--format", "markdown").stdout)


def test_due_json(dated: Path, cli):
    out = cli("due", "--as-of", AS_OF, "--format", "json").stdout
    golden("due.json", out)
    data = json.loads(out)
    assert data["format"] == 1 and data["within"] == 30
    assert [d["id"] for d in data["overdue"]] == ["1.1.1"]
    assert [d["id"] for d in data["due_soon"]] == ["1.1.3", "1.1.2"]
    assert data["overdue"][0]["lead"] == ["bmdv"]
    assert data["overdue"][0]["days_left"] == -9


def test_within_and_overdue(dated: Path, cli):
    data = json.loads(cli("due", "--as-of", AS_OF, "--within", "9", "-f", "json").stdout)
    assert [d["id"] for d in data["due_soon"]] == ["1.1.3"]
    data = json.loads(cli("due", "--as-of", AS_OF, "--within", "300", "-f", "json").stdout)
    assert [d["id"] for d in data["due_soon"]] == ["1.1.3", "1.1.2", "2.1.1"]
    data = json.loads(cli("due", "--as-of", AS_OF, "--overdue", "-f", "json").stdout)
    assert data["due_soon"] == [] and data["within"] is None
    out = cli("due", "--as-of", AS_OF, "--overdue").stdout
    assert "Overdue (1)" in out and "Due within" not in out


def test_the_shared_filters_apply(dated: Path, cli):
    data = json.loads(cli("due", "--as-of", AS_OF, "--lead", "MICDE", "-f", "json").stdout)
    assert data["overdue"] == [] and [d["id"] for d in data["due_soon"]] == ["1.1.3", "1.1.2"]
    data = json.loads(cli("due", "--as-of", AS_OF, "--area", "2", "-f", "json").stdout)
    assert data["overdue"] == data["due_soon"] == []
    out = cli("due", "--lead", "nobody", code=1)
    assert "no stakeholder 'nobody'" in out.stderr


def test_exit_code_4_when_something_is_overdue(dated: Path, cli):
    cli("due", "--as-of", AS_OF, "--exit-code", code=4)
    cli("due", "--as-of", "2026-02-20", "--exit-code", code=0)  # due today is not overdue
    cli("due", "--as-of", AS_OF, code=0)  # without --exit-code


def test_as_of_takes_statuses_from_the_history(dated: Path, cli):
    # 1.2.1 was completed on 2026-01-30: on 2026-01-29 it was in progress, its end ahead
    data = json.loads(cli("due", "--as-of", "2026-01-29", "-f", "json").stdout)
    soon = {d["id"]: d for d in data["due_soon"]}
    assert soon["1.2.1"]["status"] == "in-progress" and soon["1.2.1"]["colour"] == "green"


def test_a_bad_as_of_is_a_usage_error(dated: Path, cli):
    out = cli("due", "--as-of", "2026-02-30", code=2)
    assert "is not a date" in out.output


def test_nothing_due_says_so(dated: Path, cli):
    out = cli("due", "--as-of", "2025-01-01").stdout
    assert "Nothing is overdue." in out and "Nothing falls due in that time." in out
    md = cli("due", "--as-of", "2025-01-01", "-f", "markdown").stdout
    assert "Nothing is overdue." in md


def test_the_signed_plan_has_no_dates_so_nothing_is_due(repo: Path, cli):
    data = json.loads(cli("due", "-f", "json").stdout)
    assert data["overdue"] == data["due_soon"] == []
    cli("due", "--exit-code", code=0)


# --- status and show -------------------------------------------------------------------------


def test_status_shows_colours_and_overdue_counts_when_the_plan_has_dates(dated: Path, cli):
    golden("status-dated.txt", cli("status", "--as-of", AS_OF).stdout)
    golden("status-dated.md", cli("status", "--as-of", AS_OF, "-f", "markdown").stdout)


def test_status_json_carries_the_schedule(dated: Path, cli):
    data = json.loads(cli("status", "--as-of", AS_OF, "-f", "json").stdout)
    assert data["schedule"] == {"as_of": AS_OF, "amber_days": 30}
    assert data["total"]["schedule"] == {
        "colour": "red",
        "counts": {"red": 1, "amber": 1, "green": 2, "grey": 2},
        "overdue": 1,
        "indicators": {"red": 0, "amber": 0, "green": 0, "grey": 0},
    }
    area1, area2 = data["areas"]
    assert area1["schedule"]["colour"] == "red" and area2["schedule"]["colour"] == "green"
    assert [t["schedule"]["colour"] for t in area1["topics"]] == ["red", "grey"]


def test_status_as_of_counts_the_statuses_of_that_day(dated: Path, cli):
    data = json.loads(cli("status", "--as-of", "2026-01-01", "-f", "json").stdout)
    assert data["total"]["counts"]["planned"] == 6  # nothing had started yet
    out = cli("status", "--as-of", "2026-01-01").stdout
    assert "as of 2026-01-01, from the status histories" in out


def test_status_filters_narrow_the_colours(dated: Path, cli):
    data = json.loads(cli("status", "--as-of", AS_OF, "--area", "2", "-f", "json").stdout)
    assert data["total"]["schedule"]["colour"] == "green"


def test_status_of_a_plan_without_dates_shows_no_colours(repo: Path, cli):
    # the signed 2024 plan has no dates: its output is as it always was (tests/test_cli_read.py)
    out = cli("status").stdout
    assert "Schedule" not in out and "Overdue" not in out


def test_show_gives_the_schedule_and_the_actual_dates(dated: Path, cli):
    out = cli("show", "1.1.3", "--as-of", AS_OF).stdout
    assert "Dates:        2026-01-20 to 2026-03-10\n" in out
    assert "Schedule:     green: due in 9 days (as of 2026-03-01)\n" in out
    assert "Actual:       started 2026-01-20, ended -\n" in out
    out = cli("show", "1.1.1", "--as-of", AS_OF).stdout
    assert "Schedule:     red: 9 days overdue (as of 2026-03-01)\n" in out
    out = cli("show", "1.2.1", "--as-of", AS_OF, "-f", "markdown").stdout
    assert "- **Actual:** started 2026-01-05, ended 2026-01-30\n" in out
    out = cli("show", "2.1.2", "--as-of", AS_OF).stdout
    assert "Schedule:" not in out and "Actual:" not in out


def test_show_json_carries_the_schedule(dated: Path, cli):
    data = json.loads(cli("show", "1.1.1", "--as-of", AS_OF, "-f", "json").stdout)
    assert data["schedule"] == {
        "as_of": AS_OF,
        "colour": "red",
        "reason": "9 days overdue",
        "days_left": -9,
        "overdue": True,
        "actual_start": None,
        "actual_end": None,
    }
    # as of a day before it was completed, 1.2.1 was in progress
    data = json.loads(cli("show", "1.2.1", "--as-of", "2026-01-29", "-f", "json").stdout)
    assert data["schedule"]["colour"] == "green"
    assert data["schedule"]["actual_end"] is None


def test_log_tells_a_date_change_in_words(dated: Path, cli):
    from .conftest import git

    git(dated, "init", "-q", "-b", "main")
    git(dated, "add", "-A")
    git(dated, "commit", "-q", "-m", "Dated plan")
    cli("schedule", "1.1.1", "--end", "2026-04-30", "--commit")
    out = cli("log", "1.1.1").stdout
    assert "end moved from 2026-02-20 to 2026-04-30" in out
