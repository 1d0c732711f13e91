"""`workplan schedule`: planned dates set through the splice engine (edit/schedule.py), checked,
locked, written atomically; refusals that write nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from workplan_cli.edit import schedule as edit
from workplan_cli.errors import WorkplanError
from workplan_cli.plan import load

from .conftest import STAKEHOLDER_IDS, git
from .schedplans import DATED_PLAN, dated_repo

NAME = "workplan-2026.yaml"


def _set(request: edit.Request, text: str = DATED_PLAN) -> edit.Edit:
    return edit.set_dates(text.encode(), NAME, request, STAKEHOLDER_IDS)


def _dates(data: bytes, ident: str) -> tuple:
    a = load.parse_plan(data, NAME, STAKEHOLDER_IDS).find(ident).activity
    return a.start, a.end


D = dt.date.fromisoformat


def test_moving_an_end_keeps_its_style_and_comment():
    made = _set(edit.Request("1.1.1", end=D("2026-04-30")))
    assert b"            end: 2026-04-30   # the due date\n" in made.new
    assert made.changes == (("end", D("2026-02-20"), D("2026-04-30")),)
    assert edit.describe(made.changes) == "end moved from 2026-02-20 to 2026-04-30"
    assert edit.commit_message(made) == "1.1.1: end moved from 2026-02-20 to 2026-04-30\n"


def test_a_new_start_goes_before_the_end_and_a_new_pair_after_the_lead():
    made = _set(edit.Request("1.1.2", start=D("2026-03-01")))
    assert b'lead: [micde, bmdv]\n            start: "2026-03-01"\n            end:' in made.new
    made = _set(edit.Request("2.1.2", start=D("2026-05-01"), end=D("2026-05-31")))
    assert b'status: planned\n            start: "2026-05-01"\n            end: "2026-05-31"\n' in (
        made.new
    )
    assert _dates(made.new, "2.1.2") == (D("2026-05-01"), D("2026-05-31"))


def test_clearing_removes_the_line():
    made = _set(edit.Request("1.1.1", clear=("start",)))
    assert b"start: 2026-01-15" not in made.new
    assert _dates(made.new, "1.1.1") == (None, D("2026-02-20"))
    assert edit.describe(made.changes) == "start cleared (was 2026-01-15)"


@pytest.mark.parametrize(
    "request_, message",
    [
        (edit.Request("1.1.3", end=D("2026-01-01")), "--end 2026-01-01 is before the start"),
        (edit.Request("1.1.2", start=D("2026-04-01")), "the end date 2026-03-15 is before the"),
        (edit.Request("1.2.1", start=D("2026-01-05")), "already has these dates"),
        (edit.Request("1.1.9", end=D("2026-01-01")), "did you mean 1.1.1, 1.1.2, 1.1.3?"),
    ],
)
def test_refusals(request_, message):
    with pytest.raises(WorkplanError, match=message.replace("?", r"\?")):
        _set(request_)


def test_a_request_must_ask_for_something_and_not_contradict_itself():
    with pytest.raises(WorkplanError, match="nothing to change"):
        edit.Request("1.1.1")
    with pytest.raises(WorkplanError, match="contradict"):
        edit.Request("1.1.1", end=D("2026-01-01"), clear=("end",))


def test_a_flow_style_activity_is_refused_with_a_message():
    text = DATED_PLAN.replace(
        """          - id: "2.1.2"
            title: Without dates
            text: No dates agreed.
            kind: other
            status: planned
            history: []
""",
        """          - {id: "2.1.2", title: Without dates, text: No dates., kind: other, status: planned}
""",
    )
    with pytest.raises(WorkplanError, match=r"cannot set the dates of 2\.1\.2 in place"):
        _set(edit.Request("2.1.2", end=D("2026-05-31")), text)
    # a date it already has is replaced in place, flow style or not
    text = text.replace("status: planned}", "status: planned, end: 2026-05-01}")
    made = _set(edit.Request("2.1.2", end=D("2026-05-31")), text)
    assert b"status: planned, end: 2026-05-31}" in made.new


# --- the command ---------------------------------------------------------------------------


@pytest.fixture
def dated(tmp_path: Path, monkeypatch) -> Path:
    root = dated_repo(tmp_path / "dated")
    monkeypatch.chdir(root)
    return root


def test_the_command_writes_and_says_what_moved(dated: Path, cli):
    plan = dated / "data" / NAME
    out = cli("schedule", "1.1.1", "--end", "2026-04-30")
    assert (
        out.stdout == "1.1.1: end moved from 2026-02-20 to 2026-04-30 (data/workplan-2026.yaml)\n"
    )
    assert _dates(plan.read_bytes(), "1.1.1") == (D("2026-01-15"), D("2026-04-30"))
    assert not list((dated / "data").glob("*.tmp*"))


def test_dry_run_prints_a_diff_and_writes_nothing(dated: Path, cli):
    plan = dated / "data" / NAME
    before = plan.read_bytes()
    out = cli("schedule", "1.1.1", "--start", "2026-01-20", "--dry-run")
    assert "-            start: 2026-01-15\n+            start: 2026-01-20\n" in out.stdout
    assert plan.read_bytes() == before


@pytest.mark.parametrize(
    "args, message",
    [
        (["1.1.3", "--end", "2026-01-01"], "is before the start 2026-01-20 of 1.1.3"),
        (["1.1.9", "--end", "2026-01-01"], "no activity '1.1.9' in plan 2026; did you mean"),
        (["1.1.3", "--end", "2026-02-30"], "--end '2026-02-30' is not a date"),
        (["1.1.3", "--start", "tomorrow"], "--start 'tomorrow' is not a date"),
        (["1.1.3"], "give --start, --end or --clear"),
        (["1.1.3", "--end", "2026-05-01", "--clear", "end"], "contradict"),
    ],
)
def test_the_command_refuses_and_writes_nothing(dated: Path, cli, args, message):
    plan = dated / "data" / NAME
    before = plan.read_bytes()
    out = cli("schedule", *args, code=1)
    assert message in out.stderr
    assert plan.read_bytes() == before


def test_dry_run_and_commit_exclude_each_other(dated: Path, cli):
    out = cli("schedule", "1.1.1", "--end", "2026-04-30", "--dry-run", "--commit", code=2)
    assert "--dry-run writes nothing" in out.output


def test_commit_commits_only_the_plan_file(dated: Path, cli):
    git(dated, "init", "-q", "-b", "main")
    git(dated, "add", "-A")
    git(dated, "commit", "-q", "-m", "Dated plan")
    (dated / "notes.txt").write_text("not part of the commit\n")
    out = cli("schedule", "1.1.2", "--end", "2026-06-30", "--commit")
    assert "committed " in out.stdout
    message = git(dated, "log", "-1", "--format=%B").strip()
    assert message == "1.1.2: end moved from 2026-03-15 to 2026-06-30"
    assert git(dated, "show", "--name-only", "--format=", "HEAD").split() == [
        "data/workplan-2026.yaml"
    ]


SCHEDULER = """
import sys
from workplan_cli.cli import app
repo, activity, count = sys.argv[1:]
for k in range(int(count)):
    args = ["schedule", activity, "--end", f"2024-11-{k + 1:02d}", "--repo", repo]
    if app(args, prog_name="workplan", standalone_mode=False):
        sys.exit(1)
"""
STATUS_SETTER = """
import sys
from workplan_cli.cli import app
repo, activity, count = sys.argv[1:]
for k in range(int(count)):
    status = "in-progress" if k % 2 == 0 else "postponed"
    args = ["set-status", activity, status, "--on", "2024-10-12", "--by", "w",
            "--note", f"#{k}", "--repo", repo]
    if app(args, prog_name="workplan", standalone_mode=False):
        sys.exit(1)
"""


@pytest.mark.slow
def test_schedule_and_set_status_at_once_lose_nothing(repo: Path):
    import os
    import subprocess
    import sys

    from workplan_cli.plan.store import find_repo

    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    count = "8"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(repo), ident, count],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for code, ident in ((SCHEDULER, "2.2.3"), (SCHEDULER, "1.1.1"), (STATUS_SETTER, "1.3.2"))
    ]
    errors = [child.communicate(timeout=300)[1] for child in children]
    assert [child.returncode for child in children] == [0, 0, 0], errors
    plan = find_repo(repo).load_plan("2024")
    assert plan.find("2.2.3").activity.end == D("2024-11-08")
    assert plan.find("1.1.1").activity.end == D("2024-11-08")
    assert [h.note for h in plan.find("1.3.2").activity.history] == [f"#{k}" for k in range(8)]
