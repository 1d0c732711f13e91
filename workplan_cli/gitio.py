"""The one module that runs git: without a shell, with arguments that cannot be read as options."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from workplan_cli.errors import WorkplanError


class GitError(WorkplanError):
    """git failed, or was asked for something it does not have."""


class NotAGitRepoError(GitError):
    """The folder is not inside a git work tree."""


class UnknownRevisionError(GitError):
    """A revision that does not name a commit."""


class FileAbsentError(GitError):
    """A file that the commit does not hold."""


def run_git(args: list[str], cwd: Path, input: bytes | None = None, check: bool = True) -> bytes:
    """Returns git's stdout; raises GitError with git's own message when it fails."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=input, capture_output=True, env=env, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed (no 'git' on PATH)") from None
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout


def toplevel(cwd: Path) -> Path:
    """Returns the root of the git work tree that holds `cwd`."""
    try:
        out = run_git(["rev-parse", "--show-toplevel"], cwd)
    except GitError:
        raise NotAGitRepoError(f"{cwd} is not in a git repository") from None
    return Path(out.decode().strip())


def check_revision_text(rev: str) -> None:
    """Refuses text that git could read as an option or that holds no revision at all."""
    if not rev or rev.startswith("-") or any(c in rev for c in "\n\r\0"):
        raise UnknownRevisionError(f"{rev!r} is not a valid git revision")


def resolve(rev: str, cwd: Path) -> str:
    """Returns the full commit id that `rev` names."""
    check_revision_text(rev)
    toplevel(cwd)
    out = run_git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
        cwd,
        check=False,
    )
    sha = out.decode().strip()
    if not sha:
        raise UnknownRevisionError(f"unknown git revision {rev!r}")
    return sha


def read_blob(commit: str, path: str, cwd: Path) -> bytes:
    """Returns the bytes of `path` (relative to the work tree's root) at a resolved commit."""
    spec = f"{commit}:{path}"
    kind = run_git(["cat-file", "-t", "--end-of-options", spec], cwd, check=False).strip()
    if kind != b"blob":
        raise FileAbsentError(f"{path} does not exist at {commit[:12]}")
    return run_git(["cat-file", "blob", "--end-of-options", spec], cwd)


def user_name(cwd: Path) -> str | None:
    """Returns git's user.name, or None when git has none (or there is no git)."""
    try:
        out = run_git(["config", "--get", "user.name"], cwd, check=False)
    except GitError:
        return None
    return out.decode("utf-8", "replace").strip() or None


def is_dirty(path: Path) -> bool:
    """Whether the file differs from HEAD (staged or not)."""
    out = run_git(["status", "--porcelain", "--", path.name], path.parent)
    return bool(out.strip())


def commit_file(path: Path, message: str) -> str:
    """Commits exactly one file with `message`; returns the new commit id."""
    run_git(["add", "--", path.name], path.parent)
    run_git(
        ["commit", "--quiet", "--file=-", "--only", "--", path.name],
        path.parent,
        input=message.encode(),
    )
    return run_git(["rev-parse", "HEAD"], path.parent).decode().strip()
