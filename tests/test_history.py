"""workplan log: an activity's life through real git history."""

from __future__ import annotations

import json

import pytest

from tests.conftest import git
from tests.gitplans import COMPLETED_132, commit, edit_activity, plan
from workplan_cli.plan import load
from workplan_cli.plan.cache import cache_dir

IN_PROGRESS = '[{date: 2024-05-02, from: planned, to: in-progress, note: "Call for participants"}]'
BOTH = (
    '[{date: 2024-05-02, from: planned, to: in-progress, note: "Call for participants"}, '
    '{date: 2024-10-12, from: in-progress, to: completed, note: "Held in Nairobi"}]'
)


@pytest.fixture
def dated_repo(git_repo):
    """The shipped plan, first committed on the signing day."""
    git(git_repo, "commit", "-q", "--amend", "--no-edit", "--date=2024-02-13T10:00:00+03:00")
    return git_repo


def _events(cli, *args):
    return json.loads(cli("log", *args, "--format", "json").stdout)["events"]


def test_commits_and_status_history_merged_by_date(dated_repo, cli):
    edit_activity(plan(dated_repo), "1.3.2", status="in-progress", history=IN_PROGRESS)
    commit(dated_repo, "1.3.2 started", "2024-05-03T09:00:00+03:00")
    edit_activity(plan(dated_repo), "1.3.2", status="completed", history=BOTH)
    commit(dated_repo, "1.3.2 done", "2024-10-14T09:00:00+03:00")
    edit_activity(plan(dated_repo), "1.1.1", status="cancelled")
    commit(dated_repo, "another activity", "2024-11-01T09:00:00+03:00")
    events = _events(cli, "1.3.2")
    assert [(e["kind"], e["date"][:10], e.get("subject")) for e in events] == [
        ("signed", "2024-02-13", None),  # the plan's signing (issue 17), before the day's commits
        ("commit", "2024-02-13", "Signed plan"),
        ("status", "2024-05-02", None),
        ("commit", "2024-05-03", "1.3.2 started"),
        ("status", "2024-10-12", None),
        ("commit", "2024-10-14", "1.3.2 done"),
    ]
    assert events[1]["change"] == "added"
    assert [f["field"] for f in events[3]["fields"]] == ["status", "history"]
    assert events[3]["author"] == "Test Author"
    assert events[4]["entry"]["note"] == "Held in Nairobi"
    text = cli("log", "1.3.2").stdout
    assert text.splitlines()[0] == (
        "Activity 1.3.2  Cyber security innovation challenge or hackathon  "
        "(data/workplan-2024.yaml)"
    )
    assert "2024-05-02  status  planned → in-progress: Call for participants" in text
    assert "    ~ status: in-progress → completed" in text
    md = cli("log", "1.3.2", "--format", "markdown").stdout
    assert md.startswith("## Activity 1.3.2: Cyber security innovation challenge or hackathon")
    assert "by Test Author: 1.3.2 done; changed" in md


def test_follows_a_renamed_plan_file(dated_repo, cli):
    edit_activity(plan(dated_repo), "1.3.2", status="in-progress", history=IN_PROGRESS)
    commit(dated_repo, "started", "2024-05-03T09:00:00+00:00")
    git(dated_repo, "mv", "data/workplan-2024.yaml", "data/workplan-2024-rev2.yaml")
    path = plan(dated_repo, "2024-rev2")
    path.write_text(path.read_text().replace('version: "2024"', 'version: "2024-rev2"'))
    commit(dated_repo, "second revision", "2024-06-01T09:00:00+00:00")
    commits = [e for e in _events(cli, "1.3.2", "--plan", "2024-rev2") if e["kind"] == "commit"]
    assert [(e["subject"], e["change"], e["path"]) for e in commits] == [
        ("Signed plan", "added", "data/workplan-2024.yaml"),
        ("started", "changed", "data/workplan-2024.yaml"),
        ("second revision", "file renamed", "data/workplan-2024-rev2.yaml"),
    ]
    assert commits[2]["old_path"] == "data/workplan-2024.yaml"


def test_follows_a_renumbered_id(dated_repo, cli):
    edit_activity(plan(dated_repo), "1.3.2", status="in-progress", history=IN_PROGRESS)
    commit(dated_repo, "started", "2024-05-03T09:00:00+00:00")
    edit_activity(plan(dated_repo), "1.3.2", new_id="1.3.9")
    commit(dated_repo, "renumber", "2024-06-01T09:00:00+00:00")
    commits = [e for e in _events(cli, "1.3.9") if e["kind"] == "commit"]
    assert [(e["subject"], e["id"], e["change"], e["old_id"]) for e in commits] == [
        ("Signed plan", "1.3.2", "added", None),
        ("started", "1.3.2", "changed", None),
        ("renumber", "1.3.9", "renumbered", "1.3.2"),
    ]
    assert "renumbered from 1.3.2" in cli("log", "1.3.9").stdout


def test_invalid_and_missing_commits_are_reported_and_skipped(dated_repo, cli):
    edit_activity(plan(dated_repo), "1.3.2", status="finished")
    commit(dated_repo, "typo", "2024-05-01T09:00:00+00:00")
    edit_activity(plan(dated_repo), "1.3.2", status="in-progress", history=IN_PROGRESS)
    commit(dated_repo, "fixed and started", "2024-05-03T09:00:00+00:00")
    saved = plan(dated_repo).read_text()
    git(dated_repo, "rm", "-q", "data/workplan-2024.yaml")
    commit(dated_repo, "oops, deleted", "2024-06-01T09:00:00+00:00")
    plan(dated_repo).write_text(saved)
    commit(dated_repo, "restored", "2024-06-02T09:00:00+00:00")
    commits = [e for e in _events(cli, "1.3.2") if e["kind"] == "commit"]
    assert [(e["subject"], e["change"]) for e in commits] == [
        ("Signed plan", "added"),
        ("typo", "invalid"),
        ("fixed and started", "changed"),  # compared with the last valid state
        ("oops, deleted", "file missing"),
        ("restored", "added"),
    ]
    assert "status" in commits[1]["problem"] and "finished" in commits[1]["problem"]
    assert [f["field"] for f in commits[2]["fields"]] == ["status", "history"]
    text = cli("log", "1.3.2").stdout
    assert "    invalid: 2024-05-01-typo" not in text
    typo = commits[1]["commit"][:10]
    assert f"typo\n    invalid: {typo}:data/workplan-2024.yaml:195:21: " in text
    assert "was deleted in this commit (skipped)" in text
    assert "    ~ history:\n      + 2024-05-02 planned → in-progress: Call for participants" in text


def test_branches_and_merges(dated_repo, cli):
    git(dated_repo, "checkout", "-q", "-b", "work")
    edit_activity(plan(dated_repo), "1.3.2", status="in-progress", history=IN_PROGRESS)
    commit(dated_repo, "on a branch", "2024-05-03T09:00:00+00:00")
    git(dated_repo, "checkout", "-q", "main")
    edit_activity(plan(dated_repo), "1.1.1", status="cancelled")
    commit(dated_repo, "on main", "2024-05-04T09:00:00+00:00")
    git(dated_repo, "merge", "-q", "--no-ff", "-m", "merge work", "work")
    commits = [e for e in _events(cli, "1.3.2") if e["kind"] == "commit"]
    assert [e["subject"] for e in commits] == ["Signed plan", "on a branch"]


def test_one_git_log_and_one_cat_file_process(dated_repo, cli, monkeypatch):
    from workplan_cli.git import gitio

    for day in range(1, 6):
        edit_activity(plan(dated_repo), "1.3.2", title=f"Hackathon take {day}")
        commit(dated_repo, f"take {day}", f"2024-03-0{day}T09:00:00+00:00")
    calls, batches = [], []
    real_run, real_enter = gitio.run_git, gitio.BlobReader.__enter__
    monkeypatch.setattr(
        gitio, "run_git", lambda args, *a, **k: calls.append(args[0]) or real_run(args, *a, **k)
    )
    monkeypatch.setattr(
        gitio.BlobReader, "__enter__", lambda self: batches.append(1) or real_enter(self)
    )
    assert len([e for e in _events(cli, "1.3.2") if e["kind"] == "commit"]) == 6
    assert calls.count("log") == 1 and "cat-file" not in calls
    assert batches == [1]


def test_a_second_run_parses_nothing_again(dated_repo, cli, monkeypatch):
    from workplan_cli.plan import cache, load

    edit_activity(plan(dated_repo), "1.3.2", status="in-progress", history=IN_PROGRESS)
    commit(dated_repo, "started", "2024-05-03T09:00:00+00:00")
    first = cli("log", "1.3.2").stdout
    monkeypatch.setattr(cache, "_memory", {})  # a new process: only the disk cache is left
    parsed = []
    real = load.parse_plan
    monkeypatch.setattr(load, "parse_plan", lambda *a, **k: parsed.append(1) or real(*a, **k))
    assert cli("log", "1.3.2").stdout == first
    assert parsed == []


def test_a_second_run_reuses_the_whole_log_until_history_or_working_copy_change(
    dated_repo, cli, monkeypatch
):
    from workplan_cli.git import gitio
    from workplan_cli.plan import cache

    edit_activity(plan(dated_repo), "1.3.2", status="in-progress", history=IN_PROGRESS)
    commit(dated_repo, "started", "2024-05-03T09:00:00+00:00")
    first = cli("log", "1.3.2").stdout
    monkeypatch.setattr(cache, "_memory", {})
    calls = []
    real_run = gitio.run_git
    monkeypatch.setattr(
        gitio, "run_git", lambda args, *a, **k: calls.append(args[0]) or real_run(args, *a, **k)
    )
    assert cli("log", "1.3.2").stdout == first
    assert "log" not in calls  # the history was not walked again
    # a new commit changes HEAD: the log is walked again and shows it
    edit_activity(plan(dated_repo), "1.3.2", title="Hackathon, renamed")
    commit(dated_repo, "retitled", "2024-06-01T09:00:00+00:00")
    monkeypatch.setattr(cache, "_memory", {})
    assert "retitled" in cli("log", "1.3.2").stdout
    # an uncommitted change of the plan file is seen too
    edit_activity(plan(dated_repo), "1.3.2", title="Hackathon, renamed again")
    monkeypatch.setattr(cache, "_memory", {})
    assert "Hackathon, renamed again" in cli("log", "1.3.2").stdout


def test_unknown_activity(git_repo, cli):
    assert "no activity '9.9.9'" in cli("log", "9.9.9", code=1).stderr
    # the nearest ids are named, as show and set-status do
    err = cli("log", "1.3.9", code=1).stderr
    assert err.endswith("; did you mean 1.3.1, 1.3.2, 1.3.3?\n"), err


def test_not_a_git_repository(repo, cli):
    assert "not in a git repository" in cli("log", "1.3.2", code=1).stderr


def test_uncommitted_history_shows_with_no_commits(dated_repo, cli):
    edit_activity(plan(dated_repo), "1.3.2", status="completed", history=COMPLETED_132)
    events = _events(cli, "1.3.2")
    assert [e["kind"] for e in events] == ["signed", "commit", "status"]


def test_a_rename_that_only_rewraps_the_activity_is_a_rename(dated_repo, cli):
    git(dated_repo, "mv", "data/workplan-2024.yaml", "data/workplan-2024-rev2.yaml")
    path = plan(dated_repo, "2024-rev2")
    path.write_text(path.read_text().replace('version: "2024"', 'version: "2024-rev2"'))
    edit_activity(path, "1.3.2", title="Cyber security  innovation challenge or hackathon")
    commit(dated_repo, "rev2", "2024-06-01T09:00:00+00:00")
    commits = [e for e in _events(cli, "1.3.2", "-p", "2024-rev2") if e["kind"] == "commit"]
    assert [(e["change"], e["fields"]) for e in commits] == [("added", []), ("file renamed", [])]


def _whole_plans_in_cache() -> int:
    """Returns how many cache entries hold a whole plan."""
    count = 0
    for entry in cache_dir().glob("v*/*/*.json"):
        payload = json.loads(entry.read_bytes().partition(b"\n")[2])
        count += isinstance(payload, dict) and "areas" in payload
    return count


def test_log_caches_what_the_activity_needs_not_each_version(dated_repo, cli, monkeypatch):
    """Each version of the plan used to be cached (and held in memory) whole: 300 versions of a
    2,000-activity plan took 1.1 GB. Now only the activity is, and a run after a new commit
    parses only that commit's version."""
    for n in range(12):
        ident = "1.3.2" if n % 4 == 0 else "1.1.1"
        edit_activity(plan(dated_repo), ident, title=f"Take {n}")
        commit(dated_repo, f"take {n}", f"2024-03-{n + 1:02d}T09:00:00+03:00")
    first = _events(cli, "1.3.2")
    assert [e["subject"] for e in first if e["kind"] == "commit"] == [
        "Signed plan",
        "take 0",
        "take 4",
        "take 8",
    ]
    assert _whole_plans_in_cache() <= 2  # the working copy's plans, as every command caches
    edit_activity(plan(dated_repo), "1.1.1", title="Take 12")
    commit(dated_repo, "take 12", "2024-03-20T09:00:00+03:00")
    monkeypatch.setattr("workplan_cli.plan.cache._memory", {})  # a new process
    parsed = []
    real = load.parse_plan
    monkeypatch.setattr(load, "parse_plan", lambda data, *a: parsed.append(1) or real(data, *a))
    assert _events(cli, "1.3.2") == first
    assert len(parsed) == 2  # the working copy and the one new version
