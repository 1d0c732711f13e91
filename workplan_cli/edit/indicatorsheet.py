"""The Indicators sheet of the workbook: its columns (where each indicator stands on the export's
day, then a new actual a partner may record), its rows, and the rows read back as the requests
`workplan record` takes, checked by record's own checks (edit/record.py).

The writer is output/xlsx.py; edit/importing.py makes the new actuals in the one splice of an
import, with the Activities sheet's changes (edit/rows.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

from workplan_cli.edit import record, sheet
from workplan_cli.edit.rows import Cells, Conflict
from workplan_cli.edit.sheet import Column, Table
from workplan_cli.errors import WorkplanError
from workplan_cli.plan import fields, results
from workplan_cli.plan.model import Actual, Indicator, IndicatorRef, Plan
from workplan_cli.plan.spec import DATE, ID, LIST

SHEET = "Indicators"
NEW_PREFIX = "New actual: "  # the columns of the actual a partner records
PERIOD = "new_period"  # the key of the period column (a drop-down of the plan's periods)
REQUIRED = ("id", "new_value", "check")  # what the import needs in the header


def periods(plan: Plan) -> list[str]:
    return list(plan.plan.monitoring.periods) if plan.plan.monitoring else []


def columns(plan: Plan) -> tuple[Column, ...]:
    """Returns the sheet's columns: the indicator and where it stands (locked), a target per
    period of the plan, then every field of an actual (editable, from its declarations) and the
    check."""
    out = [
        Column("id", fields.label(Indicator, "id"), ID, 9),
        Column("topic", "Topic", ID, 7),
        Column("objective", fields.label(Indicator, "objective"), "number", 10),
        Column("text", fields.label(Indicator, "text"), "title", 40),
        Column("measure", fields.label(Indicator, "measure"), "enum", 12),
        Column("unit", fields.label(Indicator, "unit"), "text", 12),
        Column("baseline", fields.label(Indicator, "baseline"), "number", 10),
        Column("baseline_date", "Baseline date", DATE, 12),
    ]
    out += [Column(f"target_{p}", f"Target {p}", "number", 10) for p in periods(plan)]
    out += [
        Column("latest", "Latest actual", "number", 12),
        Column("latest_date", "Latest date", DATE, 12),
        Column("latest_period", "Latest period", "text", 10),
        Column("achieved", "% achieved", "number", 10),
        Column(sheet.COLOUR, "Colour", sheet.COLOUR, 9),
    ]
    for f in fields.declared(Actual):
        width = 40 if f.kind in ("prose", LIST) else 12
        out.append(Column("new_" + f.key, NEW_PREFIX + f.label, f.kind, width, editable=True))
    out.append(Column("check", sheet.CHECK_LABEL, "text", 24))
    return tuple(out)


def digest(indicator: Indicator) -> str:
    """Returns a short digest of everything the plan says about an indicator."""
    plain = json.dumps(fields.to_plain(indicator, by_alias=True), sort_keys=True, default=str)
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()[:16]


def check_value(version: str, indicator: Indicator) -> str:
    """Returns the check cell of an indicator's row: `VERSION:DIGEST` as exported."""
    return f"{version}:{digest(indicator)}"


def rows(plan: Plan, refs: list[IndicatorRef], as_of: dt.date) -> list[list[Any]]:
    """Returns each indicator's values in the sheet's columns (None in the input columns)."""
    cols = columns(plan)
    out = []
    for ref in refs:
        found = results.standing(ref.indicator, as_of)
        plain = results.as_plain(ref, found)
        targets = {t.period: t.value for t in ref.indicator.targets}
        base, last = ref.indicator.baseline, found.latest
        values = {
            **plain,
            "baseline_date": base.date if base else None,
            "latest_date": last.date if last else None,
            **{f"target_{p}": targets.get(p) for p in periods(plan)},
            "check": check_value(plan.version, ref.indicator),
        }
        out.append([None if c.editable else values.get(c.key) for c in cols])
    return out


@dataclass(frozen=True)
class New:
    """One row's new actual: the request `workplan record` would get, from row `row`."""

    row: int
    request: record.Request
    actual: Actual


def header(table: Table, plan: Plan) -> dict[str, int]:
    cols = columns(plan)
    by_label = {" ".join(c.label.split()).casefold(): c.key for c in cols}
    found: dict[str, int] = {}
    for i, cell in enumerate(table.rows[0][1] if table.rows else []):
        key = by_label.get(" ".join(str(cell.value).split()).casefold())
        if key and key not in found:
            found[key] = i
    labels = {c.key: c.label for c in cols}
    missing = [labels[k] for k in REQUIRED if k not in found]
    if missing:
        raise WorkplanError(
            f"{table.where(1, 0)}: no column {', '.join(map(repr, missing))} in the header row "
            "of the Indicators sheet; import the workbook that `workplan export --format xlsx` made"
        )
    return found


def new_actuals(
    table: Table, plan: Plan, today: dt.date, by: str | None
) -> tuple[list[New], list[Conflict], list[str]]:
    """Returns the new actuals the rows ask for, the rows that conflict (the indicator is gone
    or changed in the plan since the export, or another version) and the bad cells."""
    keys = header(table, plan)
    index = {ref.indicator.id: ref.indicator for ref in plan.indicators()}
    news: list[New] = []
    conflicts: list[Conflict] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    inputs = [k for k in keys if k.startswith("new_")]
    for number, row in table.rows[1:]:
        cells = Cells(table, number, row, keys)
        if all(_blank(cells.cell(k).value) and not cells.cell(k).formula for k in inputs):
            continue
        new = _row(cells, plan, index, today, by, seen, conflicts)
        errors += cells.errors
        if new is not None and not cells.errors:
            news.append(new)
    return news, conflicts, errors


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _row(cells: Cells, plan, index, today, by, seen, conflicts) -> New | None:
    ident = cells.text("id")
    if ident is None:
        if not cells.cell("id").formula:
            cells.bad("id", "no indicator id in a row with a new actual")
        return None
    if ident in seen:
        cells.bad("id", f"indicator {ident} has another row too (row {seen[ident]})")
        return None
    seen[ident] = cells.number
    value = _value(cells)
    period = _period(cells)
    on = cells.date("new_date")
    note, who = cells.text("new_note"), cells.text("new_by")
    evidence = tuple(
        line.strip() for line in (cells.text("new_evidence") or "").split("\n") if line.strip()
    )
    check = cells.text("check") or ""
    version, _, made = check.partition(":")
    if len(made) != 16:
        cells.bad("check", f"{check!r} is not a check that workplan wrote; do not edit it")
    if value is None and not cells.errors:
        cells.bad("new_value", "empty; a new actual needs its value")
    if period is None and not cells.errors and PERIOD in cells.header:
        cells.bad(PERIOD, f"empty; choose one of the plan's periods ({', '.join(periods(plan))})")
    indicator = index.get(ident)
    if cells.errors or value is None or period is None:
        return None
    if indicator is None:
        conflicts.append(
            Conflict(cells.number, ident, f"no indicator {ident} in plan {plan.version}")
        )
        return None
    if version != plan.version:
        reason = f"made from plan version {version}; this is {plan.version}"
        conflicts.append(Conflict(cells.number, ident, reason))
        return None
    if made != digest(indicator):
        last = indicator.actuals[-1].date.isoformat() if indicator.actuals else None
        since = f" (last actual {last})" if last else ""
        reason = f"{ident} changed in the plan since the workbook was made{since}"
        conflicts.append(Conflict(cells.number, ident, reason))
        return None
    request = record.Request(ident, value, period, on or today, note, who or by, evidence)
    try:  # record's own checks, in the order `workplan record` makes them
        parsed = record.parse_value(indicator, value)
    except WorkplanError as e:
        cells.bad("new_value", str(e))
        return None
    try:
        record.check_request(plan, indicator, request)
    except WorkplanError as e:
        message = str(e)
        key = PERIOD if message.startswith("--period") else "new_date"
        if not message.startswith(("--period", "--on", "the last actual")):
            key = "new_value"
        cells.bad(key if key in cells.header else "id", message)
        return None
    actual = Actual(
        date=request.on,
        period=period,
        value=parsed,
        note=note,
        by=request.by or None,
        evidence=list(evidence),
    )
    return New(cells.number, request, actual)


def _value(cells: Cells) -> str | None:
    """Returns the value cell as the text `record` parses: a number cell as its digits."""
    cell = cells.cell("new_value")
    value = cell.value
    if cell.formula or not isinstance(value, (int, float)) or isinstance(value, bool):
        return cells.text("new_value")
    if isinstance(value, float) and not math.isfinite(value):
        cells.bad("new_value", f"{value} is not a number that can be measured")
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _period(cells: Cells) -> str | None:
    cell = cells.cell(PERIOD)
    if isinstance(cell.value, int) and not isinstance(cell.value, bool):
        return str(cell.value)  # a year typed as a number
    if isinstance(cell.value, float) and cell.value.is_integer():
        return str(int(cell.value))
    return cells.text(PERIOD)
