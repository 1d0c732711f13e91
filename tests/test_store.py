"""plan/store.py: finding the repository, naming plans, reading them, guarding output files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workplan_cli.errors import InvalidFileError, RepoNotFoundError, UnknownPlanError, WorkplanError
from workplan_cli.plan.store import (
    check_output,
    display_path,
    find_repo,
    version_key,
    write_output,
)


def test_versions_sort_naturally():
    versions = ["2025", "2024-rev10", "2024", "2024-rev2"]
    assert sorted(versions, key=version_key) == ["2024", "2024-rev2", "2024-rev10", "2025"]


def test_find_repo_walks_up_from_a_subfolder(repo: Path):
    inner = repo / "data" / "deeper"
    inner.mkdir()
    assert find_repo(start=inner).root == repo
    assert find_repo(str(repo)).root == repo


def test_find_repo_says_what_it_looked_for(tmp_path: Path):
    with pytest.raises(RepoNotFoundError, match=r"no plan repository here: .*use --repo PATH"):
        find_repo(start=tmp_path)
    with pytest.raises(
        RepoNotFoundError, match=r"is not a plan repository \(no data/workplan-\*\.yaml"
    ):
        find_repo(str(tmp_path))


def test_plan_paths_plan_path_and_the_current_plan(repo: Path):
    found = find_repo(str(repo))
    assert list(found.plan_paths()) == ["2024", "2025"]
    assert found.plan_path("2025") == repo / "data" / "workplan-2025.yaml"
    assert found.plan_path("other/plan.yaml") == Path("other/plan.yaml")
    with pytest.raises(
        UnknownPlanError, match=r"no plan version '2030' .*\(versions: 2024, 2025\)"
    ):
        found.plan_path("2030")
    # 2025 is a draft: the current plan is the newest one that is not
    assert found.current_plan_path().name == "workplan-2024.yaml"
    assert found.load_plan().version == "2024"


def test_a_file_whose_name_and_version_disagree_is_refused(repo: Path):
    found = find_repo(str(repo))
    renamed = repo / "data" / "workplan-2026.yaml"
    renamed.write_bytes((repo / "data" / "workplan-2025.yaml").read_bytes())
    with pytest.raises(
        InvalidFileError, match=r"plan\.version is '2025' but the file name says '2026'"
    ):
        found.load_plan("2026")


def test_a_link_out_of_the_repository_is_not_read(repo: Path, tmp_path: Path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_bytes((repo / "data" / "workplan-2025.yaml").read_bytes())
    link = repo / "data" / "workplan-2026.yaml"
    link.symlink_to(outside)
    with pytest.raises(InvalidFileError, match="is a link to a file outside the repository"):
        find_repo(str(repo)).read(link)


def test_display_path_is_relative_inside_the_current_folder(repo: Path, tmp_path: Path):
    assert display_path(repo / "data" / "stakeholders.yaml") == os.path.join(
        "data", "stakeholders.yaml"
    )
    assert display_path(tmp_path / "x") == str(tmp_path / "x")


def test_output_never_goes_over_a_plan_or_stakeholders_file(repo: Path, tmp_path: Path):
    plan_file = repo / "data" / "workplan-2025.yaml"
    before = plan_file.read_bytes()
    for target in (
        plan_file,
        repo / "data" / "stakeholders.yaml",
        repo / "data" / "workplan-2030.yaml",
    ):
        with pytest.raises(WorkplanError, match="nothing was written"):
            write_output(target, b"x")
    link = tmp_path / "link.json"
    link.symlink_to(plan_file)
    with pytest.raises(WorkplanError, match="refusing to write output over a plan"):
        check_output(link)
    assert plan_file.read_bytes() == before
    assert not (repo / "data" / "workplan-2030.yaml").exists()
    write_output(repo / "report.md", b"# fine\n")
    assert (repo / "report.md").read_bytes() == b"# fine\n"
