"""What a branch (or the working tree) changes in the plan files since its merge base with BASE."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from workplan_cli import fileio
from workplan_cli.diff.plans import CHANGED, MOVED, PlanDiff, StakeholderChange, diff_plans
from workplan_cli.diff.plans import diff_stakeholders as _diff_stakeholders
from workplan_cli.errors import InvalidFileError, Problem, WorkplanError
from workplan_cli.git import gitio
from workplan_cli.git.agreement import AgreementReview, authorship, review_agreement
from workplan_cli.git.sides import Side
from workplan_cli.plan import store
from workplan_cli.plan.model import Plan, StakeholderFile
from workplan_cli.plan.store import PLAN_FILE, STAKEHOLDERS_FILE, Repo

ADDED, REMOVED, RENAMED = "added", "removed", "renamed"

Reader = Callable[[str], "bytes | None"]  # a path relative to the work tree's root -> bytes


@dataclass(frozen=True)
class FileReview:
    """One plan file that the change touches, and its semantic diff when both sides are valid."""

    path: str  # relative to the git work tree (the old path for a removed file)
    old_path: str | None  # None for an added file
    change: str  # added, removed, changed or renamed
    version: str | None = None  # from the file name
    activities: int | None = None  # added or removed file: how many activities it holds
    skipped: str | None = None  # why there is no diff: the side that does not validate
    diff: PlanDiff | None = None
    old: Side | None = None
    new: Side | None = None
    agreement: AgreementReview | None = None  # when the new side validates


@dataclass(frozen=True)
class StatusChange:
    """An activity whose status the change sets, with the new history entry's date and note."""

    version: str
    id: str
    title: str
    old: str | None
    new: str
    date: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Review:
    """Everything `workplan review` reports."""

    base: str  # as the user gave it
    base_commit: str
    merge_base: str
    head: str  # "HEAD" or "working tree"
    head_commit: str | None  # None for the working tree
    files: list[FileReview]
    stakeholders: list[StakeholderChange] | None  # None: stakeholders.yaml not changed
    stakeholders_skipped: str | None
    status_changes: list[StatusChange]
    problems: list[Problem]  # of the new state
    checked: int  # files validated in the new state
    data_dir: str = "data"

    @property
    def invalid(self) -> list[Problem]:
        """The problems of the new state but those that only await an approval."""
        return [p for p in self.problems if not p.awaiting]

    @property
    def awaiting(self) -> list[Problem]:
        """What only awaits the parties' approval: an amendment of a signed plan, an approval
        of an earlier text (validate reports them too)."""
        return [p for p in self.problems if p.awaiting]

    @property
    def valid(self) -> bool:
        return not self.invalid

    @property
    def agreed(self) -> bool:
        """No plan's agreed content changed without the approval of every party, and nothing
        awaits one."""
        return not self.awaiting and not any(
            f.agreement and f.agreement.needs_agreement for f in self.files
        )


def review(repo: Repo, base: str, worktree: bool = False) -> Review:
    """Returns the review of HEAD (or the working tree) against its merge base with `base`."""
    gitio.check_revision_text(base)
    top = gitio.toplevel(repo.root)
    head_commit = _head(top)
    base_commit = gitio.resolve(base, repo.root)
    mb = gitio.merge_base(base_commit, head_commit, top)
    data_rel = gitio.relative_path(repo.data_dir, top)
    changes = [
        c
        for c in gitio.changed_files(mb, None if worktree else head_commit, top, data_rel)
        if _is_ours(c.old_path, data_rel) or _is_ours(c.new_path, data_rel)
    ]
    old_read = _git_reader(mb, top)
    new_read = _work_reader(top) if worktree else _git_reader(head_commit, top)
    people_path = f"{data_rel}/{STAKEHOLDERS_FILE}"
    old_people, _ = _stakeholders(old_read, people_path, f"{mb[:10]}:")
    new_people, _ = _stakeholders(new_read, people_path, "" if worktree else "HEAD:")
    names = _Names(mb, None if worktree else head_commit)
    files = [
        _with_agreement(
            _file_review(c, old_read, new_read, old_people, new_people, names),
            top,
            mb,
            None if worktree else head_commit,
            lambda version: _superseded(old_read, f"{data_rel}/workplan-{version}.yaml"),
        )
        for c in changes
        if _is_plan(c.new_path or c.old_path)
    ]
    people_changed = any(
        PurePosixPath(p).name == STAKEHOLDERS_FILE
        for c in changes
        for p in (c.old_path, c.new_path)
        if p
    )
    stakeholder_changes, stakeholders_skipped = None, None
    if people_changed:
        if old_people is None or new_people is None:
            side = "at the base" if old_people is None else "in the new state"
            stakeholders_skipped = f"{people_path} does not validate {side}"
        else:
            stakeholder_changes = _diff_stakeholders(old_people, new_people)
    if worktree:
        problems, checked = repo.validate(), len(repo.plan_paths()) + 1
    else:
        problems, checked = validate_commit(head_commit, top, data_rel)
    return Review(
        base=base,
        base_commit=base_commit,
        merge_base=mb,
        head="working tree" if worktree else "HEAD",
        head_commit=None if worktree else head_commit,
        files=files,
        stakeholders=stakeholder_changes,
        stakeholders_skipped=stakeholders_skipped,
        status_changes=[s for f in files if f.diff for s in status_changes(f.diff, f.version)],
        problems=problems,
        checked=checked,
        data_dir=data_rel,
    )


def _head(top: Path) -> str:
    try:
        return gitio.resolve("HEAD", top)
    except gitio.UnknownRevisionError:
        raise WorkplanError(f"the git repository {top} has no commits yet") from None


@dataclass(frozen=True)
class _Names:
    old: str
    new: str | None  # None: the working tree

    def side(self, version: str, new: bool) -> str:
        """Returns a name `workplan diff` accepts for this side (COMMIT:VERSION or VERSION)."""
        if not new:
            return f"{self.old[:10]}:{version}"
        return version if self.new is None else f"HEAD:{version}"

    def source(self, path: str, new: bool) -> str:
        sha = self.new if new else self.old
        return path if sha is None else f"{path} at {sha[:12]}"

    def file(self, path: str, new: bool) -> str:
        if new and self.new is None:
            return path
        return f"{'HEAD' if new else self.old[:10]}:{path}"


def _file_review(change, old_read, new_read, old_people, new_people, names) -> FileReview:
    path = change.new_path or change.old_path
    version = _version(path)
    old_side = new_side = None
    problems = {}
    if change.old_path is not None:
        old_side, problems["old"] = _side(old_read, change.old_path, old_people, names, False)
    if change.new_path is not None:
        new_side, problems["new"] = _side(new_read, change.new_path, new_people, names, True)
    if change.old_path is None or change.new_path is None:
        kind = ADDED if change.old_path is None else REMOVED
        side = new_side if kind == ADDED else old_side
        skipped = problems.get("new" if kind == ADDED else "old")
        count = None if side is None else plan_count(side.plan)
        return FileReview(path, change.old_path, kind, version, count, skipped, None, None, side)
    kind = RENAMED if change.old_path != change.new_path else CHANGED
    skipped = None
    if problems["old"]:
        skipped = f"does not validate at the base, not compared: {problems['old']}"
    elif problems["new"]:
        skipped = f"does not validate in the new state, not compared: {problems['new']}"
    diff = None
    if old_side and new_side:
        diff = diff_plans(old_side.plan, new_side.plan)
    return FileReview(path, change.old_path, kind, version, None, skipped, diff, old_side, new_side)


def _with_agreement(
    f: FileReview, top: Path, mb: str, head: str | None, base_plan: Callable[[str], Plan | None]
) -> FileReview:
    """Adds what the change means for the plan's agreement (when the new side validates): an
    added plan is compared with the plan it supersedes at the base, when there is one; for
    commits, who changed what."""
    if f.new is None or f.change == REMOVED or (f.old is None and f.change != ADDED):
        return f  # removed, or not valid at the base: nothing to compare with
    old = f.old.plan if f.old is not None else None
    if old is None and f.new.plan.plan.supersedes:
        old = base_plan(f.new.plan.plan.supersedes)
    authors = authorship(top, mb, head, f.path, old) if head is not None else []
    return dataclasses.replace(f, agreement=review_agreement(old, f.new.plan, authors))


def _superseded(read: Reader, path: str) -> Plan | None:
    try:
        data = read(path)
        return None if data is None else store.parse_plan(data, path)
    except InvalidFileError:
        return None


def _side(read: Reader, path: str, people, names: _Names, new: bool) -> tuple[Side | None, str]:
    """Returns the validated side at `path` (or None) and the first problem that stops it."""
    try:
        data = read(path)
        if data is None:
            return None, f"{path} is missing"
        ids = None if people is None else set(people.by_id())
        plan = store.parse_plan(data, names.file(path, new), ids)
    except InvalidFileError as e:
        return None, _first(e)
    version = _version(path) or plan.version
    side = Side(names.side(version, new), names.source(path, new), plan, people or _NO_PEOPLE)
    return side, ""


_NO_PEOPLE = StakeholderFile(schema_version=1, stakeholders=[])


def _first(error: InvalidFileError) -> str:
    more = len(error.problems) - 1
    return str(error.problems[0]) + (f" (and {more} more)" if more > 0 else "")


def _stakeholders(read: Reader, path: str, prefix: str) -> tuple[StakeholderFile | None, str]:
    try:
        data = read(path)
        if data is None:
            return None, f"{path} is missing"
        return store.parse_stakeholders(data, prefix + path), ""
    except InvalidFileError as e:
        return None, _first(e)


def status_changes(diff: PlanDiff, version: str | None) -> list[StatusChange]:
    """Returns the activities whose status changed, with the date and note of the history entry
    that records the change (the newest added entry that goes to the new status)."""
    out = []
    for entry in diff.activities:
        if entry.change not in (CHANGED, MOVED):
            continue
        fields = {f.field: f for f in entry.fields}
        status = fields.get("status")
        if status is None:
            continue
        added = fields["history"].added or [] if "history" in fields else []
        recorded = [h for h in added if isinstance(h, dict) and h.get("to") == status.new]
        last = recorded[-1] if recorded else {}
        out.append(
            StatusChange(
                version or "",
                entry.id,
                entry.title,
                status.old,
                status.new,
                last.get("date"),
                last.get("note"),
            )
        )
    return out


def validate_commit(commit: str, top: Path, data_rel: str) -> tuple[list[Problem], int]:
    """Returns the problems of every plan file and of stakeholders.yaml at a commit (as
    `workplan validate` finds them in a working copy), and how many files were checked."""
    read = _git_reader(commit, top)
    people_path = f"{data_rel}/{STAKEHOLDERS_FILE}"
    problems: list[Problem] = []
    ids = None
    try:
        data = read(people_path)
        if data is None:
            problems.append(Problem(people_path, "no such file"))
        else:
            ids = set(store.parse_stakeholders(data, people_path).by_id())
    except InvalidFileError as e:
        problems += e.problems
    plans = [p for p in gitio.ls_tree(commit, top, data_rel) if _is_plan(p, data_rel)]
    for path in plans:
        try:
            data = read(path) or b""
        except InvalidFileError as e:  # a blob over the size limit
            problems += e.problems
            continue
        problems += _plan_problems(data, path, ids)
    return problems, len(plans) + 1


def _plan_problems(data: bytes, path: str, ids) -> list[Problem]:
    try:
        plan = store.parse_plan(data, path, ids)
    except InvalidFileError as e:
        return e.problems
    version = _version(path)
    if version != plan.version:
        message = f"plan.version is {plan.version!r} but the file name says {version!r}"
        return [Problem(path, message, path="plan.version")]
    from workplan_cli.plan import load

    return load.agreement_problems(plan, data, path)


# --- paths and readers ---------------------------------------------------------------------


def _is_ours(path: str | None, data_rel: str) -> bool:
    if path is None:
        return False
    p = PurePosixPath(path)
    return p.parent.as_posix() == data_rel and (
        p.name == STAKEHOLDERS_FILE or PLAN_FILE.fullmatch(p.name) is not None
    )


def _is_plan(path: str | None, data_rel: str | None = None) -> bool:
    if path is None:
        return False
    p = PurePosixPath(path)
    if data_rel is not None and p.parent.as_posix() != data_rel:
        return False
    return PLAN_FILE.fullmatch(p.name) is not None


def _version(path: str) -> str | None:
    match = PLAN_FILE.fullmatch(PurePosixPath(path).name)
    return match["version"] if match else None


def _git_reader(commit: str, top: Path) -> Reader:
    def read(path: str) -> bytes | None:
        try:
            return gitio.read_blob(commit, path, top)
        except gitio.FileAbsentError:
            return None

    return read


def _work_reader(top: Path) -> Reader:
    def read(path: str) -> bytes | None:
        try:  # a FIFO, device or file over the size limit is refused, never waited for
            return fileio.read_regular(top / path, name=path)
        except fileio.FileMissingError:
            return None

    return read


def plan_count(plan: Plan) -> int:
    """Returns how many activities a plan holds."""
    return sum(1 for _ in plan.activities())
