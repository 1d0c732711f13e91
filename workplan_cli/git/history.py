"""The life of one activity through git history: the commits that changed it, and its statuses.

One `git log --raw` lists the commits that touched the data folder, children before parents,
with the blob ids of each file before and after. Walking that graph from the newest commit, each
commit inherits from its child the path and id the activity has *after* it, and hands on to its
parents the path and id it had *before* it (a renamed file or a renumbered id is followed). Every
blob is read through one `git cat-file --batch` process and parsed at most once; only what the
activity's life needs is kept and cached, keyed by blob id: the activity as that blob holds it
(or the file's first problem) and, for a commit that changed the activity, what the diff says of
it. A few parsed versions are held at a time, so memory does not grow with the history, and a
run after a new commit parses only that commit's version.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path

from workplan_cli.diff.plans import (
    ADDED,
    MOVED,
    REMOVED,
    EntryChange,
    FieldChange,
    compare_fields,
    diff_plans,
)
from workplan_cli.errors import InvalidFileError, Problem, UnknownActivityError, WorkplanError
from workplan_cli.git import gitio
from workplan_cli.plan import cache, query, store
from workplan_cli.plan.fields import to_plain
from workplan_cli.plan.model import Activity, Plan

COMMIT, STATUS = "commit", "status"  # event kinds
# The plan's agreement, as events of each activity's life (the signing and approvals pin the
# agreed content of the whole plan, its activities' texts and dates among it):
SIGNED, APPROVAL = "signed", "approval"
# What a commit did to the activity (`change` of a commit event):
CREATED, CHANGED, RENUMBERED, MOVED_TOPIC = "added", "changed", "renumbered", "moved"
RENAMED, INVALID, MISSING, NOT_FOUND = "file renamed", "invalid", "file missing", "not found"

Where = tuple[str, str]  # (path relative to the work tree, activity id)


@dataclass
class Event:
    """One line of an activity's life: a commit that changed it, or a status-history entry."""

    kind: str  # commit or status
    date: str  # commit: author date (ISO 8601 with offset); status: the entry's date
    id: str  # the activity's id after the event
    commit: str | None = None
    author: str | None = None
    subject: str | None = None
    change: str | None = None  # added, changed, renumbered, moved, file renamed, invalid, ...
    old_id: str | None = None
    path: str | None = None
    old_path: str | None = None
    problem: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    entry: dict | None = None  # status: the history entry (date, from, to, note, by, evidence)
    after: Activity | None = None  # commit: the activity as the commit left it
    before_unknown: bool = False  # the parent's file did not validate


@dataclass(frozen=True)
class ActivityLog:
    """An activity's life, oldest first."""

    id: str
    version: str
    path: str
    title: str
    events: list[Event]
    commits_scanned: int


def activity_log(repo: store.Repo, activity_id: str, version: str | None = None) -> ActivityLog:
    """Returns the commits that changed the activity, merged by date with its status history.

    The result is cached: it depends only on the commit HEAD names (which fixes the whole
    history), the paths, the id and the working copy of the plan file.
    """
    top = gitio.toplevel(repo.root)
    path = repo.plan_path(version) if version else repo.current_plan_path()
    rel = gitio.relative_path(path, top)
    data_rel = gitio.relative_path(repo.data_dir, top)
    plan, current = _current_activity(repo, path, rel, activity_id, top)
    head = head_commit(top)
    working_copy = repo.read(path)
    key = cache.key_of("log", working_copy, ["\0".join((head, data_rel, rel, activity_id))])
    life = cache.cached(
        ActivityLog, key, lambda: _activity_log(top, path, rel, data_rel, current, head)
    )
    # Not cached: the parties' names come from stakeholders.yaml, which may change alone.
    events = life.events + agreement_events(plan, current.id, party_names(repo))
    return replace(life, events=sorted(events, key=_order))


def agreement_events(plan: Plan, ident: str, names: dict[str, str]) -> list[Event]:
    """Returns the plan's signing and approvals as events (an entry of plain data, with the
    parties' names from `names`, ids as they are otherwise; `current`: whether it is of the
    agreed content as it is now)."""
    from workplan_cli.plan import agreed
    from workplan_cli.plan.model import PlanStatus

    meta = plan.plan
    out = []
    now = agreed.digest(plan) if agreed.pins(plan) else None
    if meta.status is not PlanStatus.DRAFT and meta.signed is not None:
        entry = to_plain(meta.signed, by_alias=True)
        entry["names"] = [names.get(p, p) for p in meta.signed.by]
        entry["status"] = meta.status.value
        entry["current"] = meta.signed.digest is None or meta.signed.digest == now
        out.append(Event(SIGNED, meta.signed.date.isoformat(), ident, entry=entry))
    for approval in meta.approvals:
        entry = to_plain(approval, by_alias=True)
        entry["name"] = names.get(approval.party, approval.party)
        entry["current"] = approval.digest == now
        out.append(Event(APPROVAL, approval.date.isoformat(), ident, entry=entry))
    return out


def party_names(repo: store.Repo) -> dict[str, str]:
    """Returns each stakeholder's label by id ({} when stakeholders.yaml does not load)."""
    try:
        return {s.id: s.label for s in repo.load_stakeholders().stakeholders}
    except WorkplanError:
        return {}


def _activity_log(
    top: Path, path: Path, rel: str, data_rel: str, current: Activity, head: str
) -> ActivityLog:
    activity_id = current.id
    commits = gitio.log_with_changes(top, data_rel, head)
    with gitio.BlobReader(top) as reader:
        events = _walk(commits, (rel, activity_id), _Versions(reader))
    events.reverse()  # oldest first
    _fill_after_invalid(events)
    events += [_status_event(activity_id, h) for h in to_plain(current.history, by_alias=True)]
    events.sort(key=_order)
    plan_version = store.PLAN_FILE.fullmatch(path.name)
    return ActivityLog(
        id=activity_id,
        version=plan_version["version"] if plan_version else path.stem,
        path=rel,
        title=current.title,
        events=events,
        commits_scanned=len(commits),
    )


def head_commit(top: Path) -> str:
    """Returns the commit HEAD names, or raises a plain error in a repository with no commits."""
    try:
        return gitio.resolve("HEAD", top)
    except gitio.UnknownRevisionError:
        raise WorkplanError(f"the git repository {top} has no commits yet") from None


def _current_activity(
    repo: store.Repo, path: Path, rel: str, ident: str, top: Path
) -> tuple[Plan, Activity]:
    """Returns the plan and the activity in the working copy, or at HEAD when the working copy
    is invalid."""
    try:
        plan = store.parse_plan(repo.read(path), store.display_path(path))
    except WorkplanError:
        try:
            data = gitio.read_blob(head_commit(top), rel, top)
            plan = store.parse_plan(data, f"HEAD:{rel}")
        except WorkplanError:
            raise WorkplanError(
                f"{store.display_path(path)} does not validate in the working copy nor at HEAD "
                "(run workplan validate)"
            ) from None
    ref = plan.find(ident)
    if ref is None:
        ids = [r.activity.id for r in plan.activities()]
        raise UnknownActivityError(
            f"no activity {ident!r} in {store.display_path(path)}{query.suggest(ident, ids)}"
        )
    return plan, ref.activity


@dataclass
class Version:
    """What one version (blob) of a plan file holds of one activity."""

    problem: Problem | None = None  # the file's first problem when it does not validate
    activity: Activity | None = None  # the activity with the id asked for; None when absent


@dataclass
class Comparison:
    """What diff_plans says of one activity between two versions: None when only re-wrapped."""

    entry: EntryChange | None = None


class _Unreadable(Exception):
    """A blob git cannot give: reported for this run, never cached."""


class _Versions:
    """The activity in each version of the plan, by blob id: from the cache, or from the blob,
    parsed once (the last few parsed versions are held for the diff of the next commit)."""

    HELD = 3  # parsed versions kept at a time: a commit's two, and one to spare

    def __init__(self, reader: gitio.BlobReader):
        self.reader = reader
        self.plans: OrderedDict[str, Plan | Problem] = OrderedDict()

    def plan(self, blob: str, name: str) -> Plan | Problem:
        """Returns the parsed version, or its first problem; raises _Unreadable."""
        if blob in self.plans:
            self.plans.move_to_end(blob)
            return self.plans[blob]
        data = self.reader.read(blob)
        if data is None:
            raise _Unreadable
        from workplan_cli.plan import load  # not store.parse_plan: no whole model is cached or held

        try:
            found: Plan | Problem = load.parse_plan(data, name)
        except InvalidFileError as e:
            found = e.problems[0]
        self.plans[blob] = found
        if len(self.plans) > self.HELD:
            self.plans.popitem(last=False)
        return found

    def get(self, blob: str | None, name: str, ident: str) -> Version | str | None:
        """Returns what the blob holds of the activity, the first problem (text) when it does not
        validate, or None for no blob."""
        if blob is None:
            return None
        key = cache.key_of("log-version", blob.encode(), [ident])
        try:
            version = cache.cached(Version, key, lambda: self._version(blob, name, ident))
        except _Unreadable:
            return f"{name}: blob {blob[:12]} cannot be read"
        if version.problem is not None:
            # A blob seen before under another commit's name: its problem names this one.
            return str(replace(version.problem, file=name))
        return version

    def _version(self, blob: str, name: str, ident: str) -> Version:
        found = self.plan(blob, name)
        if not isinstance(found, Plan):
            return Version(problem=found)
        ref = found.find(ident)
        return Version(activity=None if ref is None else ref.activity)

    def compare(self, old: tuple[str, str], new: tuple[str, str], ident: str) -> Comparison:
        """Returns the diff's entry for the activity `ident` (new id) between two valid blobs,
        each given as (blob id, name)."""
        key = cache.key_of("log-compare", f"{old[0]}\0{new[0]}".encode(), [ident])

        def compared() -> Comparison:
            before, after = self.plan(*old), self.plan(*new)
            assert isinstance(before, Plan) and isinstance(after, Plan)  # both validated
            entry = next(
                (
                    e
                    for e in diff_plans(before, after).activities
                    if e.id == ident and e.change != REMOVED
                ),
                None,
            )
            return Comparison(entry)

        return cache.cached(Comparison, key, compared)


def _walk(commits: list[gitio.LogCommit], start: Where, plans: _Versions) -> list[Event]:
    """Returns the commit events, newest first."""
    after_of: dict[str, Where | None] = {}
    has_child: set[str] = set()
    events = []
    for commit in commits:
        if commit.sha in after_of:
            after = after_of[commit.sha]
        elif commit.sha in has_child:
            after = None
        else:
            after = start  # a tip of the walk
        before = after
        if after is not None:
            event, before = _step(commit, after, plans)
            if event is not None:
                events.append(event)
        for parent in commit.parents:
            has_child.add(parent)
            if after_of.get(parent) is None:
                after_of[parent] = before  # the newest child that knows it wins
    return events


def _step(
    commit: gitio.LogCommit, after: Where, plans: _Versions
) -> tuple[Event | None, Where | None]:
    """Returns what `commit` did to the activity that is at `after` once it is made, and where
    the activity was before it (None: it did not exist)."""
    path, ident = after
    base = Event(
        COMMIT,
        commit.date,
        ident,
        commit=commit.sha,
        author=commit.author,
        subject=commit.subject,
        path=path,
    )
    change = next((c for c in commit.changes if c.new_path == path), None)
    if change is None:
        deleted = any(c.old_path == path and c.new_path is None for c in commit.changes)
        if deleted:  # a later commit brings the file back
            base.change = MISSING
            base.problem = f"{path} was deleted in this commit"
            return base, after
        return None, after
    old_path = change.old_path
    if old_path is not None and old_path != path:
        base.old_path = old_path
    new_name = f"{commit.sha[:10]}:{path}"
    new = plans.get(change.new_blob, new_name, ident)
    before: Where = (old_path or path, ident)
    if not isinstance(new, Version):
        base.change, base.problem = INVALID, new or f"{path} cannot be read"
        return base, before
    if new.activity is None:
        base.change = NOT_FOUND
        base.problem = f"no activity {ident} in {path} at this commit"
        return base, before
    base.after = new.activity
    old_name = f"{commit.sha[:10]}^:{old_path}"
    old = plans.get(change.old_blob, old_name, ident)
    if old is None:  # the file is new here: the activity comes with it
        base.change = CREATED
        return base, before
    if not isinstance(old, Version):
        base.change, base.before_unknown = CHANGED, True  # compared in _fill_after_invalid
        return base, before
    if old.activity is not None and old.activity == new.activity:
        if base.old_path:
            base.change = RENAMED
            return base, before
        return None, before
    assert change.old_blob is not None and change.new_blob is not None  # both versions read
    try:
        entry = plans.compare((change.old_blob, old_name), (change.new_blob, new_name), ident)
    except _Unreadable:  # read from the cache before, gone from the repository since
        base.change, base.problem = INVALID, f"{new_name}: a version cannot be read"
        return base, before
    return _compared(base, entry.entry, old_path or path)


def _compared(
    base: Event, entry: EntryChange | None, old_path: str
) -> tuple[Event | None, Where | None]:
    """Returns the event for an activity that differs between two valid plans, given what the
    diff says of it."""
    ident = base.id
    if entry is None:  # only re-wrapped text
        if base.old_path:
            base.change = RENAMED
            return base, (old_path, ident)
        return None, (old_path, ident)
    if entry.change == ADDED:
        base.change, base.fields = CREATED, []
        return base, None
    base.fields = list(entry.fields)
    if entry.change == MOVED:
        base.change = RENUMBERED if entry.renumbered else MOVED_TOPIC
        base.old_id = entry.old_id
        return base, (old_path, entry.old_id or ident)
    base.change = CHANGED
    return base, (old_path, ident)


def _fill_after_invalid(events: list[Event]) -> None:
    """Compares an activity whose parent file did not validate with its last valid state."""
    last: Activity | None = None
    for event in events:
        if event.kind != COMMIT:
            continue
        if event.before_unknown and event.after is not None:
            if last is not None:
                event.fields = activity_fields(last, event.after)
            if not event.fields:
                event.change = None  # the fix restored what was there: nothing to show
        if event.after is not None:
            last = event.after
    events[:] = [e for e in events if e.change is not None]


def activity_fields(old: Activity, new: Activity) -> list[FieldChange]:
    """Returns the fields that differ between two states of one activity."""
    return compare_fields(old, new)


def _status_event(ident: str, entry: dict) -> Event:
    return Event(STATUS, entry["date"], ident, entry=entry)


def _order(event: Event) -> tuple:
    """Sorts by day, a day's status entries (and agreement events) before its commits, commits
    by their instant."""
    if event.kind != COMMIT:
        return (event.date, 0, 0.0)
    instant = dt.datetime.fromisoformat(event.date)
    return (instant.date().isoformat(), 1, instant.timestamp())
