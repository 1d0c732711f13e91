"""Recording progress in a plan file: lock, read, edit, validate, write, and commit if asked."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from workplan_cli import edit, fileio, gitio
from workplan_cli.errors import WorkplanError
from workplan_cli.store import Repo, display_path, parse_plan, read_bytes


@dataclass(frozen=True)
class Outcome:
    """What a status update did: the edit, the file's name, and the commit made (if any)."""

    edit: edit.Edit
    name: str
    written: bool
    commit: str | None = None

    def diff(self) -> str:
        return edit.unified_diff(self.edit, self.name)


def default_author(repo: Repo) -> str | None:
    """Returns git's user.name for the repository, or None when there is none."""
    return gitio.user_name(repo.root)


def record(
    repo: Repo,
    request: edit.Request,
    plan: str | None = None,
    dry_run: bool = False,
    commit: bool = False,
) -> Outcome:
    """Returns the outcome of recording `request` in the plan named (default: the current one).

    The read-modify-write runs under the file's lock, so concurrent updates are never lost.
    """
    ids = set(repo.load_stakeholders().by_id())
    path = repo.plan_path(plan) if plan else repo.current_plan_path(ids)
    repo.check_inside(path)  # never edit a file that a link under data/ leads to elsewhere
    path = Path(os.path.realpath(path))
    name = display_path(path)
    if dry_run:
        change = edit.set_status(read_bytes(path), name, request, ids, parse_plan)
        return Outcome(change, name, False)
    with fileio.locked(path):
        if commit:
            _check_clean(path, name)
        change = edit.set_status(read_bytes(path), name, request, ids, parse_plan)
        try:
            fileio.write_atomic(path, change.new)
        except OSError as e:
            raise WorkplanError(
                f"{name}: cannot be written ({e.strerror}); it is unchanged"
            ) from None
        if not commit:
            return Outcome(change, name, True)
        try:
            sha = gitio.commit_file(path, edit.commit_message(change, request.note))
        except gitio.GitError as e:
            raise WorkplanError(f"{name} was updated but not committed: {e}") from None
    return Outcome(change, name, True, sha)


def _check_clean(path: Path, name: str) -> None:
    """Refuses to commit when the file already had changes that would ride along."""
    gitio.toplevel(path.parent)
    if gitio.is_dirty(path):
        raise WorkplanError(
            f"{name} has uncommitted changes (or is not committed yet); commit or stash them "
            "first, or leave out --commit, so that only this update goes into the commit"
        )
