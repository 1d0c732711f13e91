"""`workplan set-status`: the command's options, rules and messages on real files."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import git
from workplan_cli.plan.store import find_repo

PLAN = Path("data") / "workplan-2024.yaml"


def _activity(repo: Path, ident: str):
    return find_repo(repo).load_plan("2024").find(ident).activity


def test_records_status_and_history(repo, cli):
    result = cli(
        "set-status", "1.3.2", "completed", "--note", "Hackathon held", "--on", "2024-10-12",
        "--by", "A. Coordinator", "-e", "https://example.org/report", "-e", "Photos",
    )  # fmt: skip
    assert result.stdout == "1.3.2: planned -> completed (data/workplan-2024.yaml)\n"
    activity = _activity(repo, "1.3.2")
    assert activity.status.value == "completed"
    [entry] = activity.history
    assert (entry.date, entry.from_.value, entry.to.value) == (
        dt.date(2024, 10, 12),
        "planned",
        "completed",
    )
    assert (entry.note, entry.by, entry.evidence) == (
        "Hackathon held",
        "A. Coordinator",
        ["https://example.org/report", "Photos"],
    )


def test_on_defaults_to_today(repo, cli):
    cli("set-status", "1.1.1", "in-progress", "--by", "X")
    assert _activity(repo, "1.1.1").history[0].date == dt.date.today()


def test_dry_run_prints_the_diff_and_writes_nothing(repo, cli):
    before = (repo / PLAN).read_bytes()
    result = cli(
        "set-status", "1.3.2", "completed", "--note", "Hackathon held", "--on", "2024-10-12",
        "--by", "A. Coordinator", "--dry-run",
    )  # fmt: skip
    assert (repo / PLAN).read_bytes() == before
    assert result.stdout == (
        "--- a/data/workplan-2024.yaml\n"
        "+++ b/data/workplan-2024.yaml\n"
        "@@ -192,10 +192,15 @@\n"
        "               Pilot an innovation challenge or hackathon on cyber security with "
        "students from\n"
        "               Kenya and Germany.\n"
        "             kind: innovation-challenge\n"
        "-            status: planned\n"
        "+            status: completed\n"
        "             lead: [micde, bmdv]\n"
        "             stakeholders: [giz, students]\n"
        "-            history: []\n"
        "+            history:\n"
        "+              - date: \"2024-10-12\"\n"
        "+                from: planned\n"
        "+                to: completed\n"
        '+                note: "Hackathon held"\n'
        '+                by: "A. Coordinator"\n'
        " \n"
        '           - id: "1.3.3"\n'
        "             title: Gender dimension of cyber threats and online violence\n"
    )  # fmt: skip


def test_dry_run_and_commit_do_not_mix(repo, cli):
    result = cli("set-status", "1.3.2", "completed", "--dry-run", "--commit", code=2)
    assert "--dry-run" in result.stderr


def test_commit_holds_only_the_plan_file(git_repo, cli):
    (git_repo / "data" / "stakeholders.yaml").write_text(
        (git_repo / "data" / "stakeholders.yaml").read_text() + "# an unrelated edit\n"
    )
    git(git_repo, "add", "data/stakeholders.yaml")  # staged, yet it must not ride along
    git(git_repo, "config", "user.name", "Test Author")
    git(git_repo, "config", "user.email", "author@example.org")
    result = cli(
        "set-status", "1.3.2", "completed", "--note", "Hackathon held with students",
        "--on", "2024-10-12", "--commit",
    )  # fmt: skip
    assert "committed " in result.stdout
    assert git(git_repo, "log", "-1", "--format=%B") == (
        "1.3.2: planned -> completed\n\nHackathon held with students\n\n"
    )
    files = git(git_repo, "show", "--name-only", "--format=", "HEAD").split()
    assert files == ["data/workplan-2024.yaml"]
    assert "M  data/stakeholders.yaml" in git(git_repo, "status", "--porcelain")
    assert _activity(git_repo, "1.3.2").history[0].by == "Test Author"  # git's user.name


def test_commit_refuses_when_the_file_has_other_changes(git_repo, cli):
    plan = git_repo / PLAN
    plan.write_bytes(plan.read_bytes() + b"# a reviewer's unrelated edit\n")
    before = plan.read_bytes()
    head = git(git_repo, "rev-parse", "HEAD")
    result = cli("set-status", "1.3.2", "completed", "--commit", code=1)
    assert result.stderr.startswith("Error: data/workplan-2024.yaml has uncommitted changes")
    assert plan.read_bytes() == before
    assert git(git_repo, "rev-parse", "HEAD") == head


def test_commit_outside_git_is_an_error(repo, cli, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(repo.parent))
    before = (repo / PLAN).read_bytes()
    result = cli("set-status", "1.3.2", "completed", "--commit", code=1)
    assert "not in a git repository" in result.stderr
    assert (repo / PLAN).read_bytes() == before


def test_by_is_left_out_when_git_has_no_name(repo, cli, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(repo.parent))
    cli("set-status", "1.3.2", "in-progress", "--on", "2024-05-01")
    assert _activity(repo, "1.3.2").history[0].by is None
    assert "      by:" not in (repo / PLAN).read_text()  # no history entry's `by`


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        ("completed", "in-progress", "1.3.2 is completed; moving it to in-progress reopens"),
        ("cancelled", "planned", "1.3.2 is cancelled; moving it to planned reopens"),
        ("in-progress", "in-progress", "1.3.2 is already in-progress; add --force"),
    ],
)
def test_transitions_that_need_force(repo, cli, first, second, why):
    cli("set-status", "1.3.2", first, "--on", "2024-05-01", "--by", "X")
    before = (repo / PLAN).read_bytes()
    result = cli("set-status", "1.3.2", second, "--on", "2024-06-01", "--by", "X", code=1)
    assert result.stderr.startswith(f"Error: {why}")
    assert "--force" in result.stderr
    assert (repo / PLAN).read_bytes() == before
    cli("set-status", "1.3.2", second, "--on", "2024-06-01", "--by", "X", "--force")
    assert [h.to.value for h in _activity(repo, "1.3.2").history] == [first, second]


def test_unknown_id_suggests_the_nearest(repo, cli):
    result = cli("set-status", "1.3.9", "completed", code=1)
    assert result.stderr == (
        "Error: no activity '1.3.9' in plan 2024; did you mean 1.3.1, 1.3.2, 1.3.3?\n"
    )


@pytest.mark.parametrize("date", ["2024-02-30", "12.10.2024", "2024-1-5", "tomorrow"])
def test_bad_date(repo, cli, date):
    before = (repo / PLAN).read_bytes()
    result = cli("set-status", "1.3.2", "completed", "--on", date, code=1)
    assert result.stderr == (
        f"Error: --on {date!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-10-12\n"
    )
    assert (repo / PLAN).read_bytes() == before


def test_date_before_the_last_entry_is_refused(repo, cli):
    cli("set-status", "1.3.2", "in-progress", "--on", "2024-05-01", "--by", "X")
    result = cli("set-status", "1.3.2", "completed", "--on", "2024-04-30", code=1)
    assert "is dated 2024-05-01; --on 2024-04-30 is earlier" in result.stderr


def test_a_date_in_the_future_needs_force_and_validate_reports_it(repo, cli):
    before = (repo / PLAN).read_bytes()
    err = cli("set-status", "1.3.2", "completed", "--on", "2999-01-01", code=1).stderr
    assert err.startswith("Error: --on 2999-01-01 is in the future (today is ")
    assert "add --force if this computer's clock is wrong" in err
    assert (repo / PLAN).read_bytes() == before
    # tomorrow in the earliest time zone is today somewhere: --on accepts it
    cli("set-status", "1.3.1", "in-progress", "--by", "X", "--on", str(dt.date.today()))
    # a wrong clock: --force records it, and validate reports it, naming the activity
    cli("set-status", "1.3.2", "completed", "--on", "2999-01-01", "--by", "X", "--force")
    err = cli("validate", code=1).stderr
    [line] = err.splitlines()
    assert line.startswith("data/workplan-2024.yaml:")
    assert line.endswith(
        ".history[0].date (activity 1.3.2): history entry dated 2999-01-01 is in the future "
        f"(today is {line.split('today is ')[1][:10]} at the latest); record a change when it "
        "has happened"
    )
    number = int(line.split(":")[1])
    assert (repo / PLAN).read_text().splitlines()[number - 1].strip() == '- date: "2999-01-01"'
    # other commands read the plan as before, and validate --allow-future accepts it
    assert "1.3.2" in cli("show", "1.3.2").stdout
    assert cli("validate", "--allow-future").stdout == "3 files valid.\n"


def test_today_anywhere_is_utc_plus_14():
    from workplan_cli.plan.checks import today_anywhere

    utc = dt.UTC
    assert today_anywhere(dt.datetime(2024, 3, 1, 9, 59, tzinfo=utc)) == dt.date(2024, 3, 1)
    assert today_anywhere(dt.datetime(2024, 3, 1, 10, 0, tzinfo=utc)) == dt.date(2024, 3, 2)


def test_unknown_status_is_a_usage_error(repo, cli):
    result = cli("set-status", "1.3.2", "done", code=2)
    assert "'done' is not one of" in result.stderr


def test_empty_evidence_is_refused(repo, cli):
    result = cli("set-status", "1.3.2", "completed", "-e", " ", code=1)
    assert result.stderr == "Error: --evidence must not be empty\n"


def test_an_invalid_file_is_not_touched(repo, cli):
    plan = repo / PLAN
    plan.write_text(plan.read_text().replace("status: planned", "status: complted", 1))
    before = plan.read_bytes()
    result = cli("set-status", "1.3.2", "completed", code=1)
    assert "'complted' is not one of" in result.stderr
    assert plan.read_bytes() == before


def test_the_file_mode_is_kept(repo, cli):
    plan = repo / PLAN
    plan.chmod(0o640)
    cli("set-status", "1.3.2", "completed", "--by", "X")
    assert stat.S_IMODE(plan.stat().st_mode) == 0o640
    assert not [p for p in plan.parent.iterdir() if p.name.endswith(".tmp")]


def test_plan_option_names_a_version_or_a_file(repo, cli):
    cli("set-status", "1.3.2", "completed", "--plan", "2024", "--by", "X")
    cli("set-status", "1.3.1", "completed", "--plan", str(repo / PLAN), "--by", "X")
    result = cli("set-status", "1.3.1", "completed", "--plan", "2031", code=1)
    assert "no plan version '2031'" in result.stderr


def test_help_shows_an_example(cli):
    assert "workplan set-status 1.3.2 completed" in cli("set-status", "--help").stdout


def test_any_note_loads_back_exactly(repo, cli):
    note = "  Zeile 1: «ü» # kein Kommentar\n- \"quoted\" \\ 'single'\n\tend  "
    cli(
        "set-status",
        "1.3.2",
        "completed",
        "--note",
        note,
        "--by",
        "Wanjiků: Ñ",
        "--on",
        "2024-10-12",
    )
    entry = _activity(repo, "1.3.2").history[0]
    assert (entry.note, entry.by) == (note, "Wanjiků: Ñ")


def test_a_new_list_item_is_written_as_its_model_declares_it():
    # A history entry and an actual: every field in its declared order under its key in the
    # files (`from`, not `from_`), empty ones left out; dates quoted, words and numbers plain.
    from workplan_cli import yamlio
    from workplan_cli.edit.status import as_pairs
    from workplan_cli.plan import fields
    from workplan_cli.plan.model import Actual, HistoryEntry
    from workplan_cli.plan.vocab import Status

    entry = HistoryEntry(
        date=dt.date(2025, 3, 1), from_=Status.PLANNED, to=Status.IN_PROGRESS, by="GIZ",
        note=None, evidence=["https://example.org/x"],
    )  # fmt: skip
    pairs = as_pairs(entry)
    assert [k for k, _ in pairs] == [
        f.key for f in fields.declared(HistoryEntry) if f.key != "note"
    ]
    assert pairs[0] == ("date", "2025-03-01") and type(pairs[0][1]) is str
    assert pairs[1] == ("from", yamlio.Plain("planned"))  # a dataclass: never equal to a str
    assert pairs[-1] == ("evidence", ["https://example.org/x"])
    actual = Actual(date=dt.date(2025, 3, 1), period="2025", value=4, evidence=[])
    assert as_pairs(actual) == [
        ("date", "2025-03-01"),
        ("period", "2025"),
        ("value", yamlio.Plain("4")),
    ]
