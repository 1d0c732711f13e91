"""The life of one indicator through git history: the commits that changed it (targets,
baseline, text...), merged by date with its recorded actuals.

Simpler than an activity's log (git/history.py): an indicator is followed by its id along the
plan file (renames of the file followed), one `git log --raw` and one `git cat-file --batch`
process; a version that does not validate is reported and skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from workplan_cli.diff.plans import FieldChange, compare_fields
from workplan_cli.errors import InvalidFileError, WorkplanError
from workplan_cli.git import gitio
from workplan_cli.git.history import COMMIT, agreement_events, head_commit, party_names
from workplan_cli.plan import load, query, store
from workplan_cli.plan.fields import to_plain
from workplan_cli.plan.model import Indicator, Plan

ACTUAL = "actual"  # an event kind, beside history.COMMIT
ADDED, CHANGED, REMOVED, INVALID = "added", "changed", "removed", "invalid"


@dataclass
class IndicatorEvent:
    """A commit that changed the indicator, or one of its actuals."""

    kind: str  # commit or actual
    date: str  # commit: author date (ISO 8601 with offset); actual: its date
    commit: str | None = None
    author: str | None = None
    subject: str | None = None
    change: str | None = None  # added, changed, removed, invalid
    problem: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    entry: dict | None = None  # actual: date, period, value, note, by, evidence


@dataclass(frozen=True)
class IndicatorLog:
    id: str
    version: str
    path: str
    title: str
    events: list[IndicatorEvent]
    commits_scanned: int


def indicator_log(repo: store.Repo, ident: str, version: str | None = None) -> IndicatorLog:
    """Returns the commits that changed the indicator, merged by date with its actuals."""
    top = gitio.toplevel(repo.root)
    path = repo.plan_path(version) if version else repo.current_plan_path()
    rel = gitio.relative_path(path, top)
    data_rel = gitio.relative_path(repo.data_dir, top)
    plan = store.parse_plan(repo.read(path), store.display_path(path))
    current = query.find_indicator(plan, ident).indicator
    commits = gitio.log_with_changes(top, data_rel, head_commit(top))
    events: list[IndicatorEvent] = []
    where = rel
    with gitio.BlobReader(top) as reader:
        versions = _Versions(reader, ident)
        for commit in commits:
            change = next((c for c in commit.changes if c.new_path == where), None)
            if change is None:
                continue
            event = _event(commit, change, versions)
            if event is not None:
                events.append(event)
            where = change.old_path or where
    events.reverse()
    events += [
        IndicatorEvent(ACTUAL, a["date"], entry=a) for a in to_plain(current.actuals, by_alias=True)
    ]
    # The plan's signing and approvals (its targets are agreed content), as an activity's log has.
    events += [
        IndicatorEvent(e.kind, e.date, entry=e.entry)
        for e in agreement_events(plan, ident, party_names(repo))
    ]
    events.sort(key=_order)
    found = store.PLAN_FILE.fullmatch(path.name)
    return IndicatorLog(
        id=ident,
        version=found["version"] if found else path.stem,
        path=rel,
        title=current.text,
        events=events,
        commits_scanned=len(commits),
    )


class _Versions:
    """The indicator as each blob holds it, each blob read and parsed once (a commit's old blob
    is the new blob of the commit before it); a blob that does not validate gives its problem."""

    def __init__(self, reader: gitio.BlobReader, ident: str):
        self.reader, self.ident = reader, ident
        self.seen: dict[str, Indicator | str | None] = {}

    def get(self, blob: str | None) -> Indicator | None:
        if blob is None:
            return None
        if blob not in self.seen:
            try:
                self.seen[blob] = _indicator(self.reader, blob, self.ident)
            except WorkplanError as e:
                self.seen[blob] = str(e)
        found = self.seen[blob]
        if isinstance(found, str):
            raise WorkplanError(found)
        return found


def _event(commit, change, versions: _Versions) -> IndicatorEvent | None:
    base = IndicatorEvent(
        COMMIT, commit.date, commit=commit.sha, author=commit.author, subject=commit.subject
    )
    try:
        new = versions.get(change.new_blob)
        old = versions.get(change.old_blob)
    except WorkplanError as e:
        base.change, base.problem = INVALID, str(e).splitlines()[0]
        return base
    if new is None and old is None:
        return None
    if old is None:
        base.change = ADDED
    elif new is None:
        base.change = REMOVED
    else:
        base.fields = compare_fields(old, new)
        if not base.fields:
            return None
        base.change = CHANGED
    return base


def _indicator(reader: gitio.BlobReader, blob: str, ident: str) -> Indicator | None:
    data = reader.read(blob)
    if data is None:
        raise WorkplanError(f"blob {blob[:12]} cannot be read")
    try:
        plan: Plan = load.parse_plan(data, f"blob {blob[:12]}")
    except InvalidFileError as e:
        raise WorkplanError(str(e.problems[0])) from None
    return next((r.indicator for r in plan.indicators() if r.indicator.id == ident), None)


def _order(event: IndicatorEvent) -> tuple:
    """Sorts by day, a day's actuals (and agreement events) before its commits, commits by their
    instant."""
    if event.kind != COMMIT:
        return (event.date, 0, 0.0)
    instant = dt.datetime.fromisoformat(event.date)
    return (instant.date().isoformat(), 1, instant.timestamp())


def is_indicator_id(ident: str) -> bool:
    """Whether `workplan log` was given an indicator's id (1.3-a) rather than an activity's."""
    return "-" in ident
