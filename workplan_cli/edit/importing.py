"""Partners' updates read back from a workbook or CSV (`workplan import`): each changed row becomes
the edit `set-status` makes (a new status and one history entry), all of them spliced together.

edit/rows.py turns the rows (edit/sheet.py's Table) into requests, conflicts and bad cells;
`apply` makes them one splice of the file, checked to hold exactly the intended plan; `record`
takes the lock, writes once and commits once, as set-status does (edit/progress.py).
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
from dataclasses import dataclass, replace
from pathlib import Path

from workplan_cli import fileio, yamlio
from workplan_cli.edit import progress, sheet
from workplan_cli.edit import status as edit
from workplan_cli.edit.rows import Batch, Change, ConflictError, changes, errors_message, header
from workplan_cli.edit.sheet import Table
from workplan_cli.errors import WorkplanError
from workplan_cli.git import gitio
from workplan_cli.plan import load
from workplan_cli.plan.model import Activity, HistoryEntry, Plan
from workplan_cli.plan.store import Repo, display_path, parse_plan, read_bytes
from workplan_cli.plan.vocab import Status

__all__ = ["Batch", "Change", "ConflictError", "Outcome", "apply", "record", "target"]


def apply(
    data: bytes, name: str, plan: Plan, batch: list[Change], ids=None, parse=load.parse_plan
) -> bytes:
    """Returns the plan file with every change made in one splice, checked to hold exactly the
    intended plan and to validate."""
    locations = {
        activity.id: ("areas", a, "topics", t, "activities", i)
        for a, area in enumerate(plan.areas)
        for t, topic in enumerate(area.topics)
        for i, activity in enumerate(topic.activities)
    }
    index = {ref.activity.id: ref.activity for ref in plan.activities()}
    edits: list[yamlio.TextEdit] = []
    changed: dict[str, Activity] = {}
    for change in batch:
        request, activity = change.request, index[change.request.activity_id]
        loc = locations[activity.id]
        if request.status != activity.status:
            edits.append(yamlio.SetScalar((*loc, "status"), request.status.value))
        edits.append(yamlio.AppendItem((*loc, "history"), edit.history_entry(activity, request)))
        entry = HistoryEntry(
            date=request.on,
            from_=activity.status,
            to=request.status,
            note=request.note or None,
            by=request.by or None,
            evidence=list(request.evidence),
        )
        changed[activity.id] = replace(
            activity, status=request.status, history=[*activity.history, entry]
        )
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    try:
        text = yamlio.splice(load.decode(data, name), edits=edits)
    except yamlio.SpliceError as e:
        raise WorkplanError(f"{name}: cannot update the activities in place: {e}") from None
    new = bom + text.encode("utf-8")
    try:
        same = parse(new, name, ids) == _intended(plan, changed)
    except WorkplanError:
        same = False
    if not same:
        raise WorkplanError(
            f"{name}: the import would change more than the statuses and histories of the "
            "activities; nothing was written (please report this as a bug)"
        )
    return new


def _intended(plan: Plan, changed: dict[str, Activity]) -> Plan:
    areas = [
        replace(
            area,
            topics=[
                replace(topic, activities=[changed.get(a.id, a) for a in topic.activities])
                for topic in area.topics
            ],
        )
        for area in plan.areas
    ]
    return replace(plan, areas=areas)


def commit_message(source: str, batch: list[Change]) -> str:
    """Returns the commit message: the file imported, then each change on its line."""
    n = len(batch)
    lines = [f"import {os.path.basename(source)}: {n} update{'s' * (n != 1)}", ""]
    for change in batch:
        r = change.request
        note = f": {' '.join(r.note.split())}" if r.note else ""
        lines.append(f"{r.activity_id}: {change.from_.value} -> {r.status.value}{note}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Outcome:
    """What an import did: the batch, the file's name, its bytes before and after, the commit."""

    batch: Batch
    name: str
    old: bytes
    new: bytes
    written: bool
    commit: str | None = None

    def diff(self) -> str:
        made = edit.Edit("", self.old, self.new, Status.PLANNED, Status.PLANNED)
        return edit.unified_diff(made, self.name)


def target(repo: Repo, table: Table, plan: str | None) -> Path:
    """Returns the plan file to update: --plan, else the version the workbook was made from,
    else the version in the rows' checks, else the current plan."""
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
        return repo.current_plan_path(set(repo.load_stakeholders().by_id()))
    return repo.plan_path(version)


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
    """Imports the table's updates into the plan under one lock, one atomic write and (with
    `commit`) one commit; raises ConflictError, or WorkplanError naming every bad cell, and
    then writes nothing."""
    ids = set(repo.load_stakeholders().by_id())
    path = target(repo, table, plan)
    repo.check_inside(path)
    path = Path(os.path.realpath(path))
    name = display_path(path)

    def checked(data: bytes) -> tuple[Plan, Batch]:
        the_plan = parse_plan(data, name, ids)
        batch, errors = changes(table, the_plan, today, by)
        if errors:
            raise WorkplanError(errors_message(errors))
        if batch.conflicts and not force:
            raise ConflictError(batch)
        return the_plan, batch

    def change(data: bytes) -> tuple[bytes, Batch]:
        if commit:
            progress.check_clean(path, name)  # again on every try: the new content is HEAD's
        the_plan, batch = checked(data)
        return apply(data, name, the_plan, batch.changes, ids, parse_plan), batch

    old = read_bytes(path)
    the_plan, batch = checked(old)
    if dry_run or not batch.changes:
        new = apply(old, name, the_plan, batch.changes, ids, parse_plan) if batch.changes else old
        return Outcome(batch, name, old, new, False)
    with fileio.locked(path):
        batch, before, written = fileio.rewrite(path, change, read=read_bytes)
        assert before.data is not None  # rewrite reads the file it changes
        if not commit:
            return Outcome(batch, name, before.data, written.data or b"", True)
        try:
            sha = gitio.commit_file(path, commit_message(table.name, batch.changes))
        except gitio.GitError as e:
            undone = progress.undo(path, before, written)
            raise WorkplanError(f"{name} was not committed ({e}); {undone}") from None
    return Outcome(batch, name, before.data, written.data or b"", True, sha)
