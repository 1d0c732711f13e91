"""git/gitio.py: running git without a shell, on a real temporary repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git
from workplan_cli.errors import InvalidFileError
from workplan_cli.git import gitio

PLAN = "data/workplan-2025.yaml"


@pytest.fixture
def identity(monkeypatch):
    for key in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(key, "Test Author")
    for key in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(key, "author@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def test_toplevel_relative_path_and_not_a_repository(git_repo: Path, tmp_path: Path):
    assert gitio.toplevel(git_repo / "data").resolve() == git_repo.resolve()
    assert gitio.relative_path(git_repo / PLAN, git_repo) == PLAN
    outside = tmp_path / "nowhere"
    outside.mkdir()
    with pytest.raises(gitio.NotAGitRepoError, match="is not in a git repository"):
        gitio.toplevel(outside)
    with pytest.raises(gitio.GitError, match="is outside the git work tree"):
        gitio.relative_path(outside, git_repo)


@pytest.mark.parametrize("rev", ["", "--output=/tmp/x", "-n1", "HEAD\nmain", "a\0b"])
def test_text_that_git_could_read_as_an_option_is_no_revision(git_repo: Path, rev: str):
    with pytest.raises(gitio.UnknownRevisionError, match="is not a valid git revision"):
        gitio.resolve(rev, git_repo)


def test_resolve_names_the_full_commit(git_repo: Path):
    head = git(git_repo, "rev-parse", "HEAD").strip()
    assert gitio.resolve("HEAD", git_repo) == head
    assert gitio.resolve("main", git_repo) == head
    with pytest.raises(gitio.UnknownRevisionError, match="unknown git revision 'nope'"):
        gitio.resolve("nope", git_repo)


def test_read_blob_reads_the_committed_bytes_within_the_limit(git_repo: Path):
    head = gitio.resolve("HEAD", git_repo)
    committed = (git_repo / PLAN).read_bytes()
    (git_repo / PLAN).write_bytes(b"changed in the working copy\n")
    assert gitio.read_blob(head, PLAN, git_repo) == committed
    with pytest.raises(gitio.FileAbsentError, match=r"data/none\.yaml does not exist"):
        gitio.read_blob(head, "data/none.yaml", git_repo)
    with pytest.raises(gitio.FileAbsentError):
        gitio.read_blob(head, "data", git_repo)  # a tree, not a blob
    with pytest.raises(InvalidFileError, match="file is too large"):
        gitio.read_blob(head, PLAN, git_repo, limit=10)


def test_blob_reader_reads_many_blobs_through_one_process(git_repo: Path):
    head = gitio.resolve("HEAD", git_repo)
    people = (git_repo / "data" / "stakeholders.yaml").read_bytes()
    assert len((git_repo / PLAN).read_bytes()) > len(people)
    with gitio.BlobReader(git_repo, limit=len(people)) as reader:
        assert reader.read(f"{head}:data/stakeholders.yaml") == people
        assert reader.read(f"{head}:data/none.yaml") is None
        assert reader.read(f"{head}:data") is None  # a tree
        assert reader.read("HEAD:x\nHEAD:y") is None
        with pytest.raises(InvalidFileError, match="too large"):
            reader.read(f"{head}:{PLAN}")
        # the stream stays in step after a refused blob
        assert reader.read(f"{head}:data/stakeholders.yaml") == people
    with pytest.raises(gitio.GitError, match="outside its `with` block"):
        reader.read(f"{head}:{PLAN}")


def test_is_dirty_commit_file_and_the_log(git_repo: Path, identity):
    path = git_repo / PLAN
    assert not gitio.is_dirty(path)
    path.write_bytes(path.read_bytes().replace(b"status: planned", b"status: completed", 1))
    assert gitio.is_dirty(path)
    sha = gitio.commit_files([path], "Record progress\n\nbody")
    assert not gitio.is_dirty(path)
    assert git(git_repo, "log", "-1", "--format=%H %s").strip() == f"{sha} Record progress"
    commits = gitio.log_with_changes(git_repo, "data")
    assert [c.subject for c in commits] == ["Record progress", "Signed plan"]
    (change,) = commits[0].changes
    assert (change.status, change.old_path, change.new_path) == ("M", PLAN, PLAN)
    assert commits[0].parents == (commits[1].sha,)
    assert gitio.changed_files(commits[1].sha, sha, git_repo, "data") == [
        gitio.FileChange("M", PLAN, PLAN)
    ]


def test_config_set_get_unset(git_repo: Path):
    assert gitio.config_get(git_repo, "workplan.test") is None
    gitio.config_set(git_repo, "workplan.test", "value with spaces")
    assert gitio.config_get(git_repo, "workplan.test") == "value with spaces"
    gitio.config_unset(git_repo, "workplan.test")
    assert gitio.config_get(git_repo, "workplan.test") is None
