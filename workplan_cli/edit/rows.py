"""The rows of a workbook or CSV read back (`workplan import`): which ask for a change, which
conflict with the plan, and which cells are bad (named `plan.xlsx:Activities!D7: ...`).

edit/importing.py makes the changes; edit/sheet.py defines the columns and reads the files.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from workplan_cli.edit import schedule, sheet
from workplan_cli.edit import status as edit
from workplan_cli.edit.sheet import Cell, Table
from workplan_cli.errors import WorkplanError
from workplan_cli.plan.checks import today_anywhere
from workplan_cli.plan.model import Activity, Plan
from workplan_cli.plan.vocab import STATUSES, Status

MAX_ERRORS = 50  # bad cells listed; the rest are counted
_FORMULA_QUOTE = re.compile(r"'(?=[=+\-@\t\r\uff1d\uff0b\uff0d\uff20])")  # the CSV export's


@dataclass(frozen=True)
class Change:
    """One row's update, from the row numbered `row`: the request set-status would get (None
    when only the planned dates change) and the one `schedule` would get (None: dates kept)."""

    row: int
    request: edit.Request | None
    from_: Status
    dates: schedule.Request | None = None
    moved: tuple[tuple[str, dt.date | None, dt.date | None], ...] = ()  # (field, old, new)

    @property
    def activity_id(self) -> str:
        made = self.request or self.dates
        assert made is not None  # a change asks for one or the other
        return made.activity_id


@dataclass(frozen=True)
class Conflict:
    row: int
    activity_id: str
    reason: str


@dataclass
class Batch:
    """What a table asks for: the changes, the new actuals and the rows refused."""

    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    actuals: list[Any] = field(default_factory=list)  # the Indicators sheet's (indicatorsheet.New)

    def size(self) -> int:
        """Returns how many updates the batch makes (rows of either sheet)."""
        return len(self.changes) + len(self.actuals)


class ConflictError(WorkplanError):
    """Rows whose activity changed since the workbook was made (or is gone): nothing written."""

    def __init__(self, batch: Batch):
        self.batch = batch
        n = len(batch.conflicts)
        super().__init__(
            f"{n} row{'s' * (n != 1)} conflict with the plan; nothing was written (--force "
            f"applies the {batch.size()} other change{'s' * (batch.size() != 1)})"
        )


def _key(label: str) -> str:
    return " ".join(label.split()).casefold()


def header(table: Table) -> dict[str, int]:
    """Returns each column's key by its index in the rows, from the header row's labels."""
    if not table.rows:
        raise WorkplanError(f"{table.name}: empty; no header row")
    cols = sheet.columns()
    by_label = {_key(c.label): c.key for c in cols}
    by_label.update({_key(c.key): c.key for c in cols})
    found: dict[str, int] = {}
    for i, cell in enumerate(table.rows[0][1]):
        key = by_label.get(_key(str(cell.value))) if isinstance(cell.value, str) else None
        if key and key not in found:
            found[key] = i
    labels = {c.key: c.label for c in cols}
    missing = [labels[k] for k in ("id", "status", "check") if k not in found]
    if missing:
        raise WorkplanError(
            f"{table.where(table.rows[0][0], 0)}: no column {', '.join(map(repr, missing))} in "
            "the header row; import the workbook that `workplan export --format xlsx` made (or "
            "its Activities sheet saved as CSV)"
        )
    return found


class Cells:
    """One row's cells by column key, collecting what is wrong with them."""

    def __init__(self, table: Table, number: int, row: list[Cell], keys: dict[str, int]):
        self.table, self.number, self.row, self.header = table, number, row, keys
        self.errors: list[str] = []

    def cell(self, key: str) -> Cell:
        i = self.header.get(key)
        return self.row[i] if i is not None and i < len(self.row) else Cell(None)

    def bad(self, key: str, message: str) -> None:
        self.errors.append(f"{self.table.where(self.number, self.header[key])}: {message}")

    def text(self, key: str) -> str | None:
        """Returns the cell as text (None when empty)."""
        cell = self.cell(key)
        if cell.formula:
            self.bad(key, f"is a formula ({_shown(cell.value)}); type the value itself")
            return None
        value = cell.value
        if value is None:
            return None
        if isinstance(value, (bool, dt.date, dt.datetime)):
            self.bad(key, f"{_shown(value)} is not text")
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if self.table.sheet is None:  # a CSV cell that the CSV export made inert
            text = _FORMULA_QUOTE.sub("", text, count=1) if text.startswith("'") else text
        return text or None

    def date(self, key: str) -> dt.date | None:
        cell = self.cell(key)
        if cell.formula:
            self.text(key)  # names the formula
            return None
        if cell.value is None:
            return None
        found = sheet.as_date(cell.value)
        if found is not None:
            return found
        if isinstance(cell.value, str):
            text = cell.value.strip()
            if not text:
                return None
            try:
                if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                    return dt.date.fromisoformat(text)
            except ValueError:
                pass
        self.bad(key, f"{_shown(cell.value)} is not a date; type it like 2024-10-12")
        return None


def _shown(value: Any) -> str:
    text = repr(value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value)
    return text if len(text) <= 60 else text[:57] + "..."


def changes(
    table: Table, plan: Plan, today: dt.date, by: str | None = None
) -> tuple[Batch, list[str]]:
    """Returns what the rows ask of `plan` and the bad cells (each named `FILE:SHEET!D7: ...`).

    A row asks for a change when its status differs from the one exported (its check says) or
    an update cell holds a note or evidence. Such a row conflicts when its activity is gone, or
    changed in the plan since the row was exported (the digest differs), or the row was made
    from another version. Rows left as exported change nothing, whatever happened meanwhile.
    """
    columns = header(table)
    batch = Batch()
    errors: list[str] = []
    seen: dict[str, int] = {}
    index = {ref.activity.id: ref.activity for ref in plan.activities()}
    for number, row in table.rows[1:]:
        if all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in row):
            continue
        cells = Cells(table, number, row, columns)
        change = _row(cells, index, plan.version, today, by, seen, batch)
        errors += cells.errors
        if change is not None and not cells.errors:
            batch.changes.append(change)
    return batch, errors


def _row(cells, index, version, today, by, seen, batch) -> Change | None:
    number = cells.number
    ident = cells.text("id")
    if ident is None:
        if not cells.cell("id").formula:  # a formula is named already
            cells.bad("id", "no activity id in a row that holds values")
        return None
    if ident in seen:
        cells.bad("id", f"activity {ident} has another row too (row {seen[ident]})")
        return None
    seen[ident] = number
    written = cells.text("status")
    status = None
    if written is not None:
        try:
            status = Status(written.casefold())
        except ValueError:
            cells.bad("status", f"{_shown(written)} is not one of {', '.join(STATUSES)}")
    elif not cells.cell("status").formula:
        cells.bad("status", f"empty; choose one of {', '.join(STATUSES)}")
    note = cells.text("update_note")
    who = cells.text("update_by")
    evidence = tuple(
        line.strip() for line in (cells.text("update_evidence") or "").split("\n") if line.strip()
    )
    on = cells.date("update_date")
    check = cells.text("check")
    exported = sheet.parse_check(check) if check else None
    if exported is None:
        cells.bad("check", f"{_shown(check)} is not a check that workplan wrote; do not edit it")
    activity = index.get(ident)
    if status is None or exported is None or cells.errors:
        return None
    moved = _moved(cells, activity, exported)
    if cells.errors:
        return None
    if status == exported.status and not note and not evidence:
        if on is not None or who is not None:
            key = "update_date" if on is not None else "update_by"
            cells.bad(key, "an update without a new status, a note or evidence")
            return None
        if not moved:  # the partner left the row as it was exported
            return None
        entry = False
    else:
        entry = True
    if activity is None:
        batch.conflicts.append(Conflict(number, ident, f"no activity {ident} in plan {version}"))
        return None
    if exported.version != version:
        reason = f"made from plan version {exported.version}; this is {version}"
        batch.conflicts.append(Conflict(number, ident, reason))
        return None
    if exported.digest != sheet.activity_digest(activity):
        batch.conflicts.append(Conflict(number, ident, _changed(activity)))
        return None
    dates = _dates(cells, activity, moved)
    if not entry:
        return None if cells.errors else Change(number, None, activity.status, dates, moved)
    on = on or today
    latest = today_anywhere()  # as set-status: the latest date anywhere on Earth
    if on > latest:
        cells.bad("update_date", f"{on.isoformat()} is after today ({latest.isoformat()})")
    elif activity.history and on < activity.history[-1].date:
        last = activity.history[-1].date.isoformat()
        cells.bad(
            "update_date",
            f"{on.isoformat()} is before the last history entry of {ident} ({last}); the "
            "history is kept in date order",
        )
    if status != activity.status and activity.status in edit.CLOSED:
        cells.bad(
            "status",
            f"{ident} is {activity.status.value}; moving it to {status.value} reopens a closed "
            "activity: use `workplan set-status --force` if that is meant",
        )
    if cells.errors:
        return None
    request = edit.Request(ident, status, on, note, who or by, evidence, force=True)
    return Change(number, request, activity.status, dates, moved)


def _moved(cells: Cells, activity: Activity | None, exported: sheet.Check):
    """Returns the planned dates the partner changed: (field, as exported, as in the row)."""
    if exported.dates is not None:
        before = dict(zip(schedule.FIELDS, exported.dates, strict=True))
    elif activity is not None:  # a check without dates: compare with the plan
        before = {name: getattr(activity, name) for name in schedule.FIELDS}
    else:
        return ()
    out = []
    for name in schedule.FIELDS:
        if name not in cells.header:
            continue  # a CSV without the column keeps the dates
        new = cells.date(name)
        if new != before[name]:
            out.append((name, before[name], new))
    return tuple(out)


def _dates(cells: Cells, activity: Activity, moved) -> schedule.Request | None:
    """Returns the request `schedule` would get for the moved dates, checked by its own rules
    (an end before the start is named at the cell)."""
    if not moved:
        return None
    given = {name: new for name, _, new in moved if new is not None}
    clear = tuple(name for name, _, new in moved if new is None)
    request = schedule.Request(activity.id, given.get("start"), given.get("end"), clear)
    try:
        schedule.wanted(activity, request)
    except WorkplanError as e:
        cells.bad(moved[-1][0], str(e))
        return None
    return request


def _changed(activity: Activity) -> str:
    last = activity.history[-1] if activity.history else None
    since = f", last update {last.date.isoformat()}" if last else ""
    now = activity.status.value
    return f"{activity.id} changed in the plan since the workbook was made (now {now}{since})"


def errors_message(errors: list[str]) -> str:
    """Returns the bad cells, one a line, the first MAX_ERRORS of them."""
    shown = errors[:MAX_ERRORS]
    more = len(errors) - len(shown)
    tail = [f"... and {more} more"] if more else []
    n = len(errors)
    head = f"{n} cell{'s' * (n != 1)} cannot be imported; nothing was written:"
    return "\n".join([head, *shown, *tail])
