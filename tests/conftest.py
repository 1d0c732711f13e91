"""Shared fixtures: a copy of the shipped plan repository, and running the real command."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workplan_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SOURCE_TEXT = ROOT / "docs" / "source" / "workplan-2024-signed.txt"  # the signed plan
IATI_2_03 = ROOT / "docs" / "standards" / "iati-2.03"  # the XSD and codelists, from IATI
# The stakeholder ids of the shipped data/stakeholders.yaml, for loading plans in unit tests.
STAKEHOLDER_IDS = frozenset(
    re.findall(r"^  - id: ([a-z-]+)$", (DATA / "stakeholders.yaml").read_text(), re.MULTILINE)
)


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("WORKPLAN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setattr("workplan_cli.plan.cache._memory", {})
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("WORKPLAN_REPO", raising=False)
    monkeypatch.delenv("WORKPLAN_DEBUG", raising=False)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the shipped plan repository, and the current folder inside it."""
    root = tmp_path / "plans"
    shutil.copytree(DATA, root / "data")
    monkeypatch.chdir(root)
    return root


def git(cwd: Path, *args: str) -> str:
    """Runs git in `cwd` with a fixed identity; returns stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test Author",
        "GIT_AUTHOR_EMAIL": "author@example.org",
        "GIT_COMMITTER_NAME": "Test Author",
        "GIT_COMMITTER_EMAIL": "author@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


@pytest.fixture
def git_repo(repo: Path) -> Path:
    """The plan repository copy as a git repository with one commit on main."""
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Signed plan")
    return repo


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str):
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def cli():
    """Runs `workplan ARGS` in-process and checks that no traceback leaked."""

    def invoke(*args: str, code: int | None = 0, input: str | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(app, list(args), input=input, prog_name="workplan")
        out = Result(result.exit_code, result.stdout, result.stderr)
        assert "Traceback" not in out.output, out.output
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
        if code is not None:
            assert out.exit_code == code, out.output
        return out

    return invoke


@contextlib.contextmanager
def hang_guard(seconds: int):
    """Fails the test (instead of hanging the suite) when the block runs for `seconds`."""

    def hung(*_):
        raise AssertionError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
