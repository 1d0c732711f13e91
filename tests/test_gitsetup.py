"""workplan git-setup and textconv: plain git diff, log -p and show print plan files field by field."""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest

from tests.conftest import git
from tests.gitplans import COMPLETED_132, commit, edit_activity, plan
from workplan_cli.git import setup as gitsetup
from workplan_cli.output.textconv import render


def _status_change(repo):
    edit_activity(plan(repo), "1.3.2", status="completed", history=COMPLETED_132)


@pytest.mark.slow
def test_git_diff_log_and_show_print_the_semantic_diff(git_repo, cli):
    out = cli("git-setup").stdout
    assert "added to .gitattributes: data/workplan-*.yaml diff=workplan" in out
    _status_change(git_repo)
    diff = git(git_repo, "diff")
    assert "-1.3.2 status: planned\n+1.3.2 status: completed\n" in diff
    assert "+1.3.2 history: 2024-10-12 planned → completed: Hackathon held in Nairobi" in diff
    assert re.search(r"^@@ .* @@ 1\.3[.0-9]* (title|topic): ", diff, re.M)  # hunk names its place
    assert "history: []" not in diff  # not the YAML lines
    commit(git_repo, "1.3.2 completed")
    assert "+1.3.2 status: completed" in git(git_repo, "show", "HEAD")
    assert "+1.3.2 status: completed" in git(git_repo, "log", "-p", "-1")


def test_stakeholders_diff_too(git_repo, cli):
    cli("git-setup")
    people = git_repo / "data" / "stakeholders.yaml"
    people.write_text(people.read_text().replace("short_name: GIZ", "short_name: GIZ GmbH"))
    assert "-giz short_name: GIZ\n+giz short_name: GIZ GmbH\n" in git(git_repo, "diff")


def test_an_invalid_side_shows_as_it_is(git_repo, cli):
    cli("git-setup")
    edit_activity(plan(git_repo), "1.3.2", status="finished")
    diff = git(git_repo, "diff")  # git ran textconv on a broken file and did not fail
    assert "+            status: finished" in diff
    assert "-1.3.2 status: planned" in diff  # the old side still converts


def test_setup_is_idempotent_and_uninstall_removes_exactly_what_it_added(git_repo, cli):
    attributes = git_repo / ".gitattributes"
    attributes.write_text("*.png binary\n*.pdf -diff")  # no newline at the end
    cli("git-setup")
    cli("git-setup")
    text = attributes.read_text()
    assert text.count("diff=workplan") == 2 and text.startswith("*.png binary\n*.pdf -diff\n")
    assert git(git_repo, "config", "--local", "--get", "diff.workplan.textconv").strip()
    out = cli("git-setup", "--uninstall").stdout
    assert "removed from .git/config: diff.workplan.textconv" in out
    assert attributes.read_text() == "*.png binary\n*.pdf -diff\n"
    assert "workplan" not in (git_repo / ".git" / "config").read_text()
    assert "Nothing to remove" in cli("git-setup", "--uninstall").stdout


def test_uninstall_deletes_a_gitattributes_that_held_only_its_lines(git_repo, cli):
    cli("git-setup")
    out = cli("git-setup", "--uninstall").stdout
    assert "removed .gitattributes" in out
    assert not (git_repo / ".gitattributes").exists()


def test_nothing_outside_the_repository_changes(git_repo, cli, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    cli("git-setup")
    assert list(home.iterdir()) == []
    cli("git-setup", "--uninstall")
    assert list(home.iterdir()) == []


def test_the_command_is_this_interpreter_quoted_for_gits_shell(monkeypatch):
    monkeypatch.setattr("sys.executable", "/opt/my env/bin/python'; touch x")
    words = shlex.split(gitsetup.textconv_command())
    assert words == ["/opt/my env/bin/python'; touch x", "-m", "workplan_cli", "textconv"]


def test_textconv_command(git_repo, cli):
    out = cli("textconv", "data/workplan-2024.yaml").stdout
    assert "1.3.2 status: planned\n" in out
    assert "plan.version: 2024\n" in out and "1 area: Internet Governance" in out
    assert "1.3 objective: " in out
    broken = git_repo / "broken.yaml"
    broken.write_bytes(b"plan: [\n")
    assert cli("textconv", str(broken)).stdout == "plan: [\n"
    assert "no such file" in cli("textconv", "nope.yaml", code=1).stderr
    assert "textconv" not in cli("--help").stdout  # hidden: it is for git


def test_textconv_is_stable_and_one_line_a_field(repo):
    data = (repo / "data" / "workplan-2024.yaml").read_bytes()
    text = render(data, "workplan-2024.yaml").decode()
    assert text == render(data, "x").decode()
    assert all(": " in line for line in text.splitlines())


def test_git_setup_outside_git(repo, cli):
    assert "not in a git repository" in cli("git-setup", code=1).stderr


def test_textconv_through_a_real_git_subprocess_uses_the_recorded_interpreter(git_repo, cli):
    cli("git-setup")
    command = git(git_repo, "config", "--local", "--get", "diff.workplan.textconv").strip()
    done = subprocess.run(
        [*shlex.split(command), "data/workplan-2024.yaml"],
        cwd=git_repo,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and "1.3.2 status: planned" in done.stdout
