"""workplan init: a new plan repository ready for review."""

from __future__ import annotations

import datetime as dt
import tomllib

from tests.conftest import DATA, ROOT, git
from workplan_cli.git import setup as gitsetup
from workplan_cli.plan import schemas


def test_init_with_the_shipped_plan(tmp_path, cli, monkeypatch):
    target = tmp_path / "dialogue"
    out = cli("init", str(target)).stdout
    assert "wrote data/workplan-2024.yaml" in out
    assert (target / ".git").is_dir()
    assert (target / "data" / "workplan-2024.yaml").read_bytes() == (
        DATA / "workplan-2024.yaml"
    ).read_bytes()
    assert (target / "schema" / "workplan.schema.json").read_text() == schemas.render(
        schemas.plan_schema()
    )
    assert (target / ".github/workflows/workplan-review.yml").read_text() == (
        gitsetup.workflow_text("workplan")
    )
    assert "id: workplan-validate" in (target / ".pre-commit-config.yaml").read_text()
    assert "data/workplan-*.yaml diff=workplan" in (target / ".gitattributes").read_text()
    assert git(target, "config", "--local", "--get", "diff.workplan.textconv").strip()
    assert "2 files valid." in cli("validate", "--repo", str(target)).stdout
    monkeypatch.chdir(target)
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "start")
    assert "## Work plan review" in cli("review", "HEAD").stdout


def test_init_blank_skeletons_validate(tmp_path, cli):
    target = tmp_path / "new"
    cli("init", str(target), "--blank")
    year = dt.date.today().year
    assert (target / "data" / f"workplan-{year}.yaml").exists()
    assert "2 files valid." in cli("validate", "--repo", str(target)).stdout
    cli("status", "--repo", str(target))


def test_init_refuses_a_non_empty_folder_or_a_file(tmp_path, cli):
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine")
    assert "is not an empty folder" in cli("init", str(full), code=1).stderr
    assert sorted(p.name for p in full.iterdir()) == ["notes.txt"]
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert "is not an empty folder" in cli("init", str(a_file), code=1).stderr


def test_init_into_an_existing_empty_folder(tmp_path, cli):
    empty = tmp_path / "empty"
    empty.mkdir()
    cli("init", str(empty))
    assert (empty / "data" / "stakeholders.yaml").exists()


def test_starter_files_are_the_shipped_data_and_package_data():
    for name in ("workplan-2024.yaml", "stakeholders.yaml"):
        assert gitsetup.starter_file(name) == (DATA / name).read_bytes(), name
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "starter/*.yaml" in config["tool"]["setuptools"]["package-data"]["workplan_cli"]


def test_init_with_a_relative_path(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = cli("init", "rel").stdout
    assert "wrote .gitattributes" in out and "wrote data/stakeholders.yaml" in out
