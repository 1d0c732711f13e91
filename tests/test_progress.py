"""edit/progress.py: recording a status update under the lock, written and committed if asked."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import git
from workplan_cli.edit.progress import default_author, record
from workplan_cli.edit.status import Request
from workplan_cli.errors import WorkplanError
from workplan_cli.plan.model import Status
from workplan_cli.plan.store import find_repo

PLAN = Path("data") / "workplan-2025.yaml"
REQUEST = Request("1.1.1", Status.IN_PROGRESS, dt.date(2025, 3, 1), note="started")


@pytest.fixture
def identity(monkeypatch):
    for key in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(key, "Test Author")
    for key in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(key, "author@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def test_a_dry_run_writes_nothing(repo: Path):
    before = (repo / PLAN).read_bytes()
    outcome = record(find_repo(str(repo)), REQUEST, plan="2025", dry_run=True)
    assert not outcome.written and outcome.commit is None
    assert (repo / PLAN).read_bytes() == before
    assert outcome.edit.old == before
    assert any(
        line.startswith("+") and "2025-03-01" in line for line in outcome.diff().splitlines()
    )
    assert (outcome.edit.from_, outcome.edit.to) == (Status.PLANNED, Status.IN_PROGRESS)


def test_an_update_is_written_and_reads_back(repo: Path):
    outcome = record(find_repo(str(repo)), REQUEST, plan="2025")
    assert outcome.written and outcome.name == str(PLAN)
    assert (repo / PLAN).read_bytes() == outcome.edit.new
    plan = find_repo(str(repo)).load_plan("2025")
    activity = plan.find("1.1.1").activity
    assert activity.status is Status.IN_PROGRESS
    assert activity.history[-1].note == "started"


def test_commit_makes_one_commit_of_the_file(git_repo: Path, identity):
    outcome = record(find_repo(str(git_repo)), REQUEST, plan="2025", commit=True)
    assert outcome.commit == git(git_repo, "rev-parse", "HEAD").strip()
    assert git(git_repo, "show", "--name-only", "--format=", "HEAD").split() == [PLAN.as_posix()]
    assert git(git_repo, "status", "--porcelain", "--untracked-files=no").strip() == ""


def test_commit_refuses_a_file_with_changes_of_its_own(git_repo: Path, identity):
    path = git_repo / PLAN
    path.write_bytes(path.read_bytes() + b"# a local comment\n")
    before = path.read_bytes()
    with pytest.raises(WorkplanError, match="has uncommitted changes"):
        record(find_repo(str(git_repo)), REQUEST, plan="2025", commit=True)
    assert path.read_bytes() == before


def test_default_author_is_gits_user_name(git_repo: Path, identity):
    assert default_author(find_repo(str(git_repo))) is None
    git(git_repo, "config", "user.name", "Achieng Otieno")
    assert default_author(find_repo(str(git_repo))) == "Achieng Otieno"


def test_rewrite_files_leaves_and_does_not_commit_a_file_whose_edit_is_none(git_repo, identity):
    from types import SimpleNamespace

    from workplan_cli.edit.progress import rewrite_files

    other = git_repo / "data" / "workplan-2024.yaml"
    before = other.read_bytes()

    def append(data: bytes) -> SimpleNamespace:
        return SimpleNamespace(old=data, new=data + b"# noted\n")

    done = rewrite_files(
        [(git_repo / PLAN, append), (other, lambda data: None)], lambda edits: "noted\n", "it"
    )
    assert [f.edit is not None for f in done.files] == [True, False]
    assert done.files[1].old == done.files[1].new and other.read_bytes() == before
    assert (git_repo / PLAN).read_bytes().endswith(b"# noted\n")
    assert done.commit == git(git_repo, "rev-parse", "HEAD").strip()
    assert git(git_repo, "show", "--name-only", "--format=", "HEAD").split() == [PLAN.as_posix()]


def _taken_at_the_last_moment(monkeypatch, path: Path, data: bytes) -> None:
    """Makes another program create `path` when workplan's new file is on disk but not yet in
    place: after every check of the name, before the name is taken."""
    real = os.fsync

    def theirs_first(fd: int) -> None:
        if not path.exists():
            with open(path, "xb") as file:
                file.write(data)
        real(fd)

    monkeypatch.setattr(os, "fsync", theirs_first)


def test_create_takes_a_new_name_only_if_it_is_still_free(tmp_path, monkeypatch):
    from workplan_cli import fileio
    from workplan_cli.edit.progress import create

    path = tmp_path / "workplan-2026.yaml"
    _taken_at_the_last_moment(monkeypatch, path, b"# theirs\n")
    with pytest.raises(fileio.FileChangedError) as raised:
        create(path, b"# mine\n", fileio.Snapshot.absent())
    assert str(raised.value) == f"{path} already exists; nothing was written"
    assert path.read_bytes() == b"# theirs\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name, f"{path.name}.lock"]


def test_create_replaces_only_the_file_seen_and_a_new_file_is_like_its_source(tmp_path):
    from workplan_cli import fileio
    from workplan_cli.edit.progress import create

    source = tmp_path / "workplan-2025.yaml"
    source.write_bytes(b"# source\n")
    source.chmod(0o640)
    path = tmp_path / "workplan-2026.yaml"
    create(path, b"# first\n", fileio.Snapshot.absent(), like=source)
    assert (path.read_bytes(), stat.S_IMODE(path.stat().st_mode)) == (b"# first\n", 0o640)
    seen = fileio.snapshot(path)
    path.write_bytes(b"# theirs, in place\n")
    with pytest.raises(fileio.FileChangedError, match="changed by another program"):
        create(path, b"# mine\n", seen, like=source)
    assert path.read_bytes() == b"# theirs, in place\n"
    create(path, b"# mine\n", fileio.snapshot(path), like=source)
    assert path.read_bytes() == b"# mine\n"
