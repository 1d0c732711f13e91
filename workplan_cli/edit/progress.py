"""Recording progress in a plan file: lock, read, edit, validate, write, and commit if asked;
and a new plan file (a revision) written whole under its lock."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from workplan_cli import fileio
from workplan_cli.edit import record as results_edit
from workplan_cli.edit import status as edit
from workplan_cli.errors import WorkplanError
from workplan_cli.git import gitio
from workplan_cli.plan.store import Repo, display_path, parse_plan, read_bytes


@dataclass(frozen=True)
class Outcome:
    """What an update did: the edit (a status change, planned dates or an indicator's actual:
    its `old` and `new` bytes), the file's name, and the commit made (if any)."""

    edit: Any
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

    def made(data: bytes, name: str, ids: set[str]) -> edit.Edit:
        return edit.set_status(data, name, request, ids, parse_plan)

    return update(repo, made, lambda e: edit.commit_message(e, request.note), plan, dry_run, commit)


def record_actual(
    repo: Repo,
    request: results_edit.Request,
    plan: str | None = None,
    dry_run: bool = False,
    commit: bool = False,
) -> Outcome:
    """Returns the outcome of appending an indicator's actual (`workplan record`), with every
    guarantee of a status update."""

    def made(data: bytes, name: str, ids: set[str]) -> results_edit.Edit:
        return results_edit.record(data, name, request, ids, parse_plan)

    return update(
        repo, made, lambda e: results_edit.commit_message(e, request.note), plan, dry_run, commit
    )


def update(
    repo: Repo,
    make: Callable[[bytes, str, set[str]], Any],
    message: Callable[[Any], str],
    plan: str | None,
    dry_run: bool,
    commit: bool,
) -> Outcome:
    """Returns the outcome of the edit that `make(bytes, name, stakeholder ids)` returns for
    the plan named (default: the current one): made under the file's lock, written atomically,
    committed with `message(edit)` when asked."""
    ids = set(repo.load_stakeholders().by_id())
    path = plan_file(repo, plan, ids)
    name = display_path(path)
    if dry_run:
        return Outcome(make(read_bytes(path), name, ids), name, False)
    made = rewrite(path, lambda data: make(data, name, ids), message if commit else None)
    return Outcome(made.edit, name, True, made.commit)


E = TypeVar("E", bound=edit.Change)


@dataclass(frozen=True)
class Rewritten(Generic[E]):
    """What `rewrite` did: the edit made (whatever its kind) and the commit, if any."""

    edit: E
    commit: str | None


def rewrite(
    path: Path, make: Callable[[bytes], E], message: Callable[[E], str] | None = None
) -> Rewritten[E]:
    """Edits the plan file at `path` under its lock: `make` turns its bytes into an edit (with
    `.new`, the new bytes, checked and validated), which is written atomically; with `message`,
    only that file is committed (it must have no other uncommitted change), and when the commit
    fails the file is put back as it was. (`rewrite_files` with one file.)"""

    def committed(edits: list[E | None]) -> str:
        assert message is not None and edits[0] is not None
        return message(edits[0])

    done = rewrite_files([(path, make)], committed if message else None, display_path(path))
    made = done.files[0].edit
    assert made is not None  # `make` gives an edit or raises
    return Rewritten(made, done.commit)


@dataclass(frozen=True)
class Written(Generic[E]):
    """One file of `rewrite_files`: the edit made (None: the file was left as it was), the
    snapshot it was made from and the one written (the same when it was left)."""

    path: Path
    edit: E | None
    old: fileio.Snapshot
    new: fileio.Snapshot


@dataclass(frozen=True)
class Files(Generic[E]):
    """What `rewrite_files` did: each file, in the order given, and the commit, if any."""

    files: tuple[Written[E], ...]
    commit: str | None


def rewrite_files(
    makes: Sequence[tuple[Path, Callable[[bytes], E | None]]],
    message: Callable[[list[E | None]], str] | None,
    what: str,
) -> Files[E]:
    """Edits plan files of one folder together, all or nothing, under the locks of all of them:
    each `make` turns its file's bytes into an edit (or None: that file stays as it is), made
    again on the new bytes of all when another program wrote one meanwhile; then each is
    replaced atomically. With `message(edits)`, the files changed go into one commit: every file
    is checked again on every try, under the locks, to have no other uncommitted change (it
    would ride along), and when the commit fails all of them are put back as they were and the
    error says that `what` was not committed."""
    paths = [path for path, _ in makes]
    with contextlib.ExitStack() as stack:
        for path in sorted(set(paths)):  # one order for all writers: no two wait on each other
            stack.enter_context(fileio.locked(path))

        def change(data: list[bytes]) -> tuple[list[bytes | None], list[E | None]]:
            if message is not None:
                for path in paths:
                    check_clean(path, display_path(path))  # the new content must be HEAD's
            edits = [make(old) for (_, make), old in zip(makes, data, strict=True)]
            return [None if e is None else e.new for e in edits], edits

        edits, olds, written = fileio.rewrite_all(paths, change, read=read_bytes)
        files = tuple(
            Written(path, e, old, old if new is None else new)
            for path, e, old, new in zip(paths, edits, olds, written, strict=True)
        )
        changed = [f for f in files if f.edit is not None]
        if message is None or not changed:
            return Files(files, None)
        try:
            sha = gitio.commit_files([f.path for f in changed], message(edits))
        except gitio.GitError as e:
            said = "; ".join(undo(f.path, f.old, f.new) for f in changed)
            raise WorkplanError(f"{what} was not committed ({e}); {said}") from None
    return Files(files, sha)


def create(
    path: Path, data: bytes, over: fileio.Snapshot, like: Path | None = None
) -> fileio.Snapshot:
    """Writes a plan file made whole rather than edited (`revise`'s new revision) atomically
    under its lock, and returns what was written. Where `over` saw no file, the name is taken
    only if it is still free (a hard link, which fails on a name taken meanwhile); where it saw
    one (`--force`), only that very file is replaced. Either way another writer's file stays:
    FileChangedError, nothing written. A new file gets the mode, owner and group of `like`."""
    with fileio.locked(path, like=like):
        return fileio.replace_if_unchanged(path, over, data, like=like)


def plan_file(repo: Repo, version: str | None, ids: set[str] | None = None) -> Path:
    """Returns the real path of the plan file named (default: the current one), refusing a
    file that a link under data/ leads to elsewhere."""
    if version:
        path = repo.plan_path(version)
    else:
        path = repo.current_plan_path(set(repo.load_stakeholders().by_id()) if ids is None else ids)
    repo.check_inside(path)
    return Path(os.path.realpath(path))


def undo(path: Path, old: fileio.Snapshot, written: fileio.Snapshot) -> str:
    """Puts the old bytes back if the file is still what was written; says what it did."""
    if old.data is None:  # not so: rewrite changes a file that it read
        return "the update could not be undone (the file was new); it is written but not staged"
    try:
        fileio.replace_if_unchanged(path, written, old.data)
    except fileio.FileChangedError:
        return (
            "the file was changed after the update was written (by a git hook?), so it is left "
            "as it is now, not staged"
        )
    except WorkplanError as e:
        return f"the update could not be undone ({e}); it is written but not staged"
    return "the update was undone: the file is as it was before, and nothing is staged"


def check_clean(path: Path, name: str) -> None:
    """Refuses to commit when the file already had changes that would ride along."""
    gitio.toplevel(path.parent)
    if gitio.is_dirty(path):
        raise WorkplanError(
            f"{name} has uncommitted changes (or is not committed yet); commit or stash them "
            "first, or leave out --commit, so that only this update goes into the commit"
        )
