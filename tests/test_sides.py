"""git/sides.py: a side of a comparison named as a version, a file, or GITREV:VERSION."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import git
from workplan_cli.errors import InvalidFileError, UnknownPlanError
from workplan_cli.git import gitio
from workplan_cli.git.sides import load_side
from workplan_cli.plan.store import find_repo


def test_a_version_is_read_from_the_working_copy(repo: Path):
    side = load_side(find_repo(str(repo)), "2025")
    assert (side.name, side.source, side.working_copy_version) == (
        "2025",
        "data/workplan-2025.yaml",
        "2025",
    )
    assert side.plan.version == "2025"
    assert "micde" in side.stakeholders.by_id()


def test_a_file_path_is_read_as_it_is(repo: Path):
    copy = repo / "old.yaml"
    shutil.copy(repo / "data" / "workplan-2024.yaml", copy)
    side = load_side(find_repo(str(repo)), "old.yaml")
    assert (side.name, side.source, side.working_copy_version) == ("old.yaml", "old.yaml", None)
    assert side.plan.version == "2024"


def test_gitrev_version_reads_the_committed_plan(git_repo: Path):
    head = gitio.resolve("HEAD", git_repo)
    plan_file = git_repo / "data" / "workplan-2025.yaml"
    plan_file.write_text(plan_file.read_text().replace("status: postponed", "status: planned"))
    side = load_side(find_repo(str(git_repo)), "HEAD:2025")
    assert side.source == f"data/workplan-2025.yaml at {head[:12]}"
    assert side.working_copy_version is None
    statuses = [ref.activity.status.value for ref in side.plan.activities()]
    assert "postponed" in statuses  # the committed text, not the working copy's


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("HEAD:2030", r"no plan version '2030' at git revision 'HEAD'"),
        ("HEAD:latest", r"'latest' is not a plan version \(write GITREV:VERSION"),
        ("2030", r"no plan version '2030' in data"),
    ],
)
def test_what_is_not_there_is_named(git_repo: Path, spec: str, message: str):
    with pytest.raises(UnknownPlanError, match=message):
        load_side(find_repo(str(git_repo)), spec)


def test_a_committed_file_whose_version_disagrees_is_refused(git_repo: Path):
    data = git_repo / "data"
    (data / "workplan-2026.yaml").write_bytes((data / "workplan-2025.yaml").read_bytes())
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "copy")
    with pytest.raises(
        InvalidFileError, match=r"plan\.version is '2025' but the file name says '2026'"
    ):
        load_side(find_repo(str(git_repo)), "HEAD:2026")
