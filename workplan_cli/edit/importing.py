"""Partners' updates read back from a workbook or CSV (`workplan import`): each changed row becomes
the edit `set-status` makes (a new status and one history entry), all of them spliced together.

edit/rows.py turns the rows (edit/sheet.py's Table) into requests, conflicts and bad cells;
`apply` makes them one splice of the file, checked to hold exactly the intended plan; `record`
writes once and commits once through edit/progress.py's `rewrite`, as set-status does.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from workplan_cli import yamlio
from workplan_cli.edit import indicatorsheet, progress, schedule, sheet, sign
from workplan_cli.edit import record as recording
from workplan_cli.edit import status as edit
from workplan_cli.edit.indicatorsheet import New
from workplan_cli.edit.rows import Batch, Change, ConflictError, changes, errors_message, header
from workplan_cli.edit.sheet import Table
from workplan_cli.errors import UnknownPlanError, WorkplanError
from workplan_cli.plan import load
from workplan_cli.plan.model import Activity, Plan
from workplan_cli.plan.store import Repo, display_path, parse_plan, read_bytes

__all__ = ["Batch", "Change", "ConflictError", "Outcome", "apply", "record", "target"]


def apply(
    data: bytes,
    name: str,
    plan: Plan,
    batch: list[Change],
    ids=None,
    parse=load.parse_plan,
    news: Sequence[New] = (),
) -> bytes:
    """Returns the plan file with every change made in one splice (statuses and history
    entries, planned dates, new actuals), checked to hold exactly the intended plan and to
    validate."""
    locations = edit.locs(plan)
    index = {ref.activity.id: ref.activity for ref in plan.activities()}
    edits: list[yamlio.TextEdit] = []
    intended = plan
    text = load.decode(data, name)
    for change in batch:
        activity = index[change.activity_id]
        loc = locations[activity.id]
        new = activity
        if change.dates is not None:
            dates = schedule.wanted(activity, change.dates)
            edits += yamlio.under(loc, _date_edits(text, activity, dates))
            new = replace(new, start=dates["start"], end=dates["end"])
        request = change.request
        if request is not None:
            if request.status != activity.status:
                edits.append(yamlio.SetScalar((*loc, "status"), request.status.value))
            edits.append(
                yamlio.AppendItem((*loc, "history"), edit.history_entry(activity, request))
            )
            new = edit.with_entry(new, request)
        intended = edit.replaced_at(intended, loc, new)
    where = edit.locs(plan, "indicators")
    by_id = {ref.indicator.id: ref.indicator for ref in plan.indicators()}
    for item in news:
        indicator = by_id[item.request.indicator_id]
        loc = where[indicator.id]
        edits.append(yamlio.AppendItem((*loc, "actuals"), recording.actual_entry(item.actual)))
        measured = replace(indicator, actuals=[*indicator.actuals, item.actual])
        intended = edit.replaced_at(intended, loc, measured)
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    try:
        spliced = yamlio.splice(text, edits=edits)
    except yamlio.SpliceError as e:
        raise WorkplanError(f"{name}: cannot update the plan in place: {e}") from None
    new_bytes = bom + spliced.encode("utf-8")
    try:
        same = parse(new_bytes, name, ids) == intended
    except WorkplanError:
        same = False
    if not same:
        raise WorkplanError(
            f"{name}: the import would change more than the statuses, histories and planned "
            "dates of the activities and the actuals of the indicators; nothing was written "
            "(please report this as a bug)"
        )
    return new_bytes


def _date_edits(text: str, activity: Activity, dates: dict) -> list[yamlio.TextEdit]:
    """Returns `schedule`'s edits of an activity's dates, after the first anchor key the
    activity's own lines have (tried on its lines alone: cheap)."""
    for anchor in schedule.ANCHORS:
        edits = schedule.date_edits(activity, dates, anchor)
        if yamlio.splice_item(text, "activities", "id", activity.id, edits=edits) is not None:
            return edits
    return schedule.date_edits(activity, dates, schedule.ANCHORS[-1])


def commit_message(source: str, batch: list[Change], news: Sequence[New] = ()) -> str:
    """Returns the commit message: the file imported, then each change on its line."""
    n = len(batch) + len(news)
    lines = [f"import {os.path.basename(source)}: {n} update{'s' * (n != 1)}", ""]
    for change in batch:
        lines.append(f"{change.activity_id}: {describe(change)}")
    for item in news:
        r = item.request
        lines.append(f"{r.indicator_id}: {actual_words(item)}")
    return "\n".join(lines) + "\n"


def describe(change: Change) -> str:
    """Returns a change in words: 'planned -> completed: Held; end moved from ... to ...'."""
    parts = []
    r = change.request
    if r is not None:
        note = f": {' '.join(r.note.split())}" if r.note else ""
        parts.append(f"{change.from_.value} -> {r.status.value}{note}")
    if change.dates is not None:
        parts.append(schedule.describe(change.moved))
    return "; ".join(parts)


def actual_words(item: New) -> str:
    """Returns a new actual in words: '4 for 2024 (2024-11-02)', then its note."""
    note = f": {' '.join(item.request.note.split())}" if item.request.note else ""
    return f"{recording.in_words(item.actual)}{note}"


@dataclass(frozen=True)
class Outcome:
    """What an import did: the batch, the file's name, its bytes before and after, the commit,
    and the amendment notice when it moved planned dates of a signed plan."""

    batch: Batch
    name: str
    old: bytes
    new: bytes
    written: bool
    commit: str | None = None
    notice: str | None = None

    def diff(self) -> str:
        return edit.unified_diff(self, self.name)  # any Change: its old and new bytes


def target(repo: Repo, table: Table, plan: str | None, ids: set[str]) -> Path:
    """Returns the plan file to update: --plan, else the version the workbook was made from,
    else the version in the rows' checks, else the current plan (by the stakeholder `ids`)."""
    if plan:
        return repo.plan_path(plan)
    version = table.meta.get("version")
    if version is None:
        i = header(table)["check"]
        for _, row in table.rows[1:]:
            check = sheet.parse_check(str(row[i].value)) if i < len(row) else None
            if check:
                version = check.version
                break
    if version is None:
        return repo.current_plan_path(ids)
    # The workbook's word, not the user's: a version of a plan under data/, never a path.
    paths = repo.plan_paths()
    if version not in paths:
        raise UnknownPlanError(
            f"{table.name}: made from plan version {version!r}, which is not a plan in "
            f"{display_path(repo.data_dir)}; name the plan to update with --plan"
        )
    return paths[version]


def record(
    repo: Repo,
    table: Table,
    today: dt.date,
    by: str | None,
    plan: str | None = None,
    dry_run: bool = False,
    commit: bool = False,
    force: bool = False,
) -> Outcome:
    """Imports the table's updates into the plan in one write (and with `commit` one commit)
    of edit/progress.py's `rewrite`, under the lock; raises ConflictError, or WorkplanError
    naming every bad cell, and then writes nothing."""
    ids = set(repo.load_stakeholders().by_id())
    path = target(repo, table, plan, ids)
    repo.check_inside(path)
    path = Path(os.path.realpath(path))
    name = display_path(path)

    def checked(data: bytes) -> tuple[Plan, Batch]:
        the_plan = parse_plan(data, name, ids)
        batch, errors = changes(table, the_plan, today, by)
        more = table.more.get(indicatorsheet.SHEET)
        if more is not None:
            news, conflicts, bad = indicatorsheet.new_actuals(more, the_plan, today, by)
            batch.actuals, errors = news, errors + bad
            batch.conflicts += conflicts
        if errors:
            raise WorkplanError(errors_message(errors))
        if batch.conflicts and not force:
            raise ConflictError(batch)
        return the_plan, batch

    old = read_bytes(path)
    the_plan, batch = checked(old)
    moved = any(c.dates is not None for c in batch.changes)
    notice = sign.amendment_notice(the_plan) if moved else None

    def made(data: bytes, parsed: Plan, found: Batch, written: bool) -> Outcome:
        new = apply(data, name, parsed, found.changes, ids, parse_plan, found.actuals)
        return Outcome(found, name, data, new, written, notice=notice)

    if not batch.size():
        return Outcome(batch, name, old, old, False, notice=notice)
    if dry_run:
        return made(old, the_plan, batch, False)

    def message(outcome: Outcome) -> str:
        return commit_message(table.name, outcome.batch.changes, outcome.batch.actuals)

    done = progress.rewrite(
        path, lambda data: made(data, *checked(data), True), message if commit else None
    )
    return replace(done.edit, commit=done.commit)
