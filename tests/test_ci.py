"""The pre-commit hook definition and the GitHub Actions workflow, exercised by running their commands."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT, git
from tests.gitplans import COMPLETED_132, commit, edit_activity, plan
from workplan_cli import yamlio
from workplan_cli.git import setup as gitsetup

BIN = Path(sys.executable).parent


def _workplan_command(words: list[str]) -> list[str]:
    """Returns the command with `workplan` as this environment installs it."""
    assert words[0] == "workplan"
    exe = BIN / "workplan"
    head = [str(exe)] if exe.exists() else [sys.executable, "-m", "workplan_cli"]
    return head + words[1:]


def _plan_repo(tmp_path: Path) -> Path:
    root = tmp_path / "plans"
    shutil.copytree(DATA, root / "data")
    return root


def test_pre_commit_hook_definition(tmp_path):
    hooks = yamlio.parse((ROOT / ".pre-commit-hooks.yaml").read_text())
    [hook] = hooks
    assert hook["id"] == "workplan-validate"
    assert (hook["language"], hook["pass_filenames"]) == ("python", False)
    files = re.compile(hook["files"])
    assert files.search("data/workplan-2024.yaml") and files.search("data/stakeholders.yaml")
    assert not files.search("README.md") and not files.search("schema/workplan.schema.json")
    root = _plan_repo(tmp_path)
    command = _workplan_command(shlex.split(hook["entry"]))
    assert subprocess.run(command, cwd=root, capture_output=True).returncode == 0
    edit_activity(plan(root), "1.3.2", status="finished")
    done = subprocess.run(command, cwd=root, capture_output=True, text=True)
    assert done.returncode == 1 and "finished" in done.stderr


def test_init_pre_commit_config_runs_the_same_hook(tmp_path):
    config = yamlio.parse(gitsetup.PRE_COMMIT_CONFIG)
    [hook] = config["repos"][0]["hooks"]
    defined = yamlio.parse((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    for key in ("id", "entry", "files", "pass_filenames"):
        assert hook[key] == defined[key], key


def _workflow(path: Path) -> dict:
    return yamlio.parse(path.read_text())


def test_workflow_triggers_and_steps():
    path = ROOT / ".github" / "workflows" / "workplan-review.yml"
    assert path.read_text() == gitsetup.workflow_text(".")  # init writes the same, see below
    flow = _workflow(path)
    assert flow["on"] == {"pull_request": {"paths": ["data/**"]}}
    job = flow["jobs"]["review"]
    assert job["env"]["WORKPLAN_INSTALL"] == "."
    assert job["env"]["BASE_REF"] == "${{ github.base_ref }}"
    steps = job["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    assert steps[1]["uses"].startswith("actions/setup-python@")
    runs = [s["run"] for s in steps if "run" in s]
    assert runs[0].splitlines()[-1] == 'pip install "$WORKPLAN_INSTALL"'
    assert 'case "$WORKPLAN_INSTALL" in ""|SET-ME*)' in runs[0]  # init's placeholder stops here
    assert runs[1] == "workplan validate --format github"
    assert runs[2].startswith('workplan review "origin/$BASE_REF" --format markdown')
    assert all("${{" not in run for run in runs)  # no expression is pasted into a script


def _run_workflow_steps(repo: Path, summary: Path) -> list[subprocess.CompletedProcess]:
    """Runs the workflow's commands after the install step as Actions would (bash -e), with the
    base branch as a local branch instead of origin/..."""
    flow = _workflow(ROOT / ".github" / "workflows" / "workplan-review.yml")
    runs = [s["run"] for s in flow["jobs"]["review"]["steps"] if "run" in s][1:]
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "BASE_REF": "main",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    results = []
    for run in runs:
        script = run.replace('"origin/$BASE_REF"', '"$BASE_REF"')
        results.append(
            subprocess.run(
                ["bash", "-e", "-c", script], cwd=repo, env=env, capture_output=True, text=True
            )
        )
    return results


@pytest.fixture
def pr_repo(tmp_path):
    repo = _plan_repo(tmp_path)
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "signed plan")
    git(repo, "checkout", "-q", "-b", "pull-request")
    return repo


def test_workflow_commands_on_a_valid_pull_request(pr_repo, tmp_path):
    edit_activity(plan(pr_repo), "1.3.2", status="completed", history=COMPLETED_132)
    commit(pr_repo, "1.3.2 completed")
    summary = tmp_path / "summary.md"
    validate, review = _run_workflow_steps(pr_repo, summary)
    assert (validate.returncode, validate.stdout) == (0, "")
    assert review.returncode == 0, review.stderr
    text = summary.read_text()
    assert text.startswith("## Work plan review")
    assert "| 2024 | 1.3.2 |" in text


def test_workflow_commands_on_an_invalid_pull_request(pr_repo, tmp_path):
    edit_activity(plan(pr_repo), "1.3.2", status="finished")
    commit(pr_repo, "typo")
    summary = tmp_path / "summary.md"
    validate, review = _run_workflow_steps(pr_repo, summary)
    assert validate.returncode == 1
    assert validate.stdout.startswith("::error file=data/workplan-2024.yaml,line=195,col=21::")
    assert review.returncode == 1  # the job fails, and the summary still tells why
    assert "❌ The new state does not validate" in summary.read_text()


# The first major of each action that runs on Node 24 (Node 20 actions are deprecated, and
# actionlint reports them): checkout v5.0.0 "use node 24", setup-python v6.0.0.
NODE24_MAJORS = {"actions/checkout": 5, "actions/setup-python": 6}


def _uses(flow: dict) -> list[str]:
    return [s["uses"] for job in flow["jobs"].values() for s in job["steps"] if "uses" in s]


def test_workflows_use_actions_that_run_on_node_24():
    shipped = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
    flows = [_workflow(p) for p in shipped] + [
        yamlio.parse(text(".")) for text in (gitsetup.workflow_text, gitsetup.due_workflow_text)
    ]
    assert shipped and flows
    for flow in flows:
        uses = _uses(flow)
        assert uses
        for use in uses:
            action, _, ref = use.partition("@")
            assert re.fullmatch(r"v\d+", ref), use
            assert int(ref[1:]) >= NODE24_MAJORS[action], use


def test_the_weekly_due_workflow_posts_the_digest_and_fails_on_overdue(tmp_path):
    from tests.schedplans import dated_repo

    flow = yamlio.parse(gitsetup.due_workflow_text("."))
    assert flow["on"]["schedule"] == [{"cron": "17 6 * * 1"}]  # weekly
    assert "workflow_dispatch" in flow["on"]
    assert flow["permissions"] == {"contents": "read"}
    [run] = [s["run"] for s in flow["jobs"]["due"]["steps"] if "run" in s][1:]
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    repo = dated_repo(tmp_path / "dated")  # dated 2026: everything with a date is overdue now
    done = subprocess.run(["bash", "-e", "-c", run], cwd=repo, env=env, capture_output=True)
    assert done.returncode == 4  # the job fails: something is overdue
    text = summary.read_text()
    assert text.startswith("## What is due: A dated test plan (2026)")
    assert "| 1.1.1 | Overdue workshop | BMDV |" in text
    shipped = _plan_repo(tmp_path)  # the signed plan has no dates: nothing is overdue
    summary.write_text("")
    done = subprocess.run(["bash", "-e", "-c", run], cwd=shipped, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert "Nothing is overdue." in summary.read_text()


def test_workflow_commands_on_an_amendment_awaiting_approval(pr_repo, tmp_path):
    # A title is agreed content: in the signed plan, an amendment that both parties must approve.
    edit_activity(plan(pr_repo), "1.3.2", title="Hackathon, with a date")
    commit(pr_repo, "1.3.2 retitled")
    summary = tmp_path / "summary.md"
    validate, review = _run_workflow_steps(pr_repo, summary)
    assert validate.returncode == 1 and "differs from what was signed" in validate.stdout
    assert review.returncode == 5  # valid but awaiting the parties' approval: the job fails
    assert "⏳ Awaiting the parties' approval:" in summary.read_text()
