"""The xlsx workbook: written for partners to fill in, and read back (the one openpyxl module).

Writing is pure (models in, bytes out) and deterministic: the workbook's timestamps come from the
plan, never the clock, so the same plan and filters give the same bytes. Every text cell is
written as text (an inline string), never a formula, whatever it starts with. Reading is bounded:
the zip is checked before openpyxl opens it (edit/sheet.py), rows and columns are capped, and
only values are taken (a formula cell is marked, never evaluated).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from workplan_cli import __version__
from workplan_cli.edit import indicatorsheet, sheet
from workplan_cli.edit.sheet import Cell, Table
from workplan_cli.errors import WorkplanError
from workplan_cli.output.plaintext import without_controls
from workplan_cli.plan import fields, query, schedule
from workplan_cli.plan.model import (
    Activity,
    ActivityRef,
    IndicatorRef,
    Plan,
    Stakeholder,
    StakeholderFile,
)
from workplan_cli.plan.query import Filters
from workplan_cli.plan.spec import DATE, IDS, LIST, STATUS
from workplan_cli.plan.vocab import STATUSES

META_PREFIX = "workplan."  # custom document properties: workplan.version, workplan.file, ...
EDITABLE_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: cells a partner fills
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
EDITABLE_HEADER_FILL = PatternFill("solid", fgColor="FFD966")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
DATE_FORMAT = "yyyy-mm-dd"
EARLIEST = dt.datetime(1980, 1, 1)  # a zip cannot record an earlier time


def xlsx_export(
    plan: Plan,
    people: StakeholderFile,
    refs: list[ActivityRef],
    filters: Filters,
    source: sheet.Provenance,
    as_of: dt.date | None = None,
) -> bytes:
    """Returns the workbook: Summary, Activities and Indicators (when the plan has them: the
    sheets read back), Stakeholders, How to. Colours are judged on `as_of` (the export's day;
    default: the plan's last revision, as the workbook's dates)."""
    book = Workbook()
    stamp = _stamp(plan)
    as_of = as_of or stamp.date()
    book.properties.creator = "workplan"
    book.properties.title = without_controls(plan.plan.title)
    book.properties.created = book.properties.modified = stamp
    meta = {**source.as_meta(), "filters": json.dumps(filters.as_dict(), sort_keys=True)}
    meta["workplan"] = __version__
    meta["as_of"] = as_of.isoformat()
    for key, value in meta.items():
        book.custom_doc_props.append(StringProperty(name=META_PREFIX + key, value=value))
    summary = book.active
    assert summary is not None  # a new workbook has its one sheet
    summary.title = "Summary"
    _summary(summary, plan, filters, source, stamp.date(), as_of)
    _activities(book.create_sheet(sheet.SHEET), plan, refs, as_of)
    kept = [r for r in plan.indicators() if query.keeps_indicator(filters, r)]
    if kept:
        _indicators(book.create_sheet(indicatorsheet.SHEET), plan, kept, as_of)
    _stakeholders(book.create_sheet("Stakeholders"), people)
    _how_to(book.create_sheet("How to fill in"))
    book.active = 1  # opens on the Activities sheet
    return _deterministic(book, stamp)


def _stamp(plan: Plan) -> dt.datetime:
    """Returns the last revision the plan records: its signing date or latest history date."""
    dates = [e.date for ref in plan.activities() for e in ref.activity.history]
    if plan.plan.signed:
        dates.append(plan.plan.signed.date)
    return max([dt.datetime.combine(d, dt.time()) for d in dates] + [EARLIEST])


def _deterministic(book: Workbook, stamp: dt.datetime) -> bytes:
    """Returns the saved workbook with every zip entry dated `stamp` (not the clock)."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # save_workbook would stamp `modified` with the clock
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dest.writestr(info, source.read(member))
    return out.getvalue()


CUT = " [... cut: a cell holds at most 32,767 characters; the plan file has the whole text]"


def _text(cell: Any, value: str) -> None:
    """Writes `value` as text: never a formula (openpyxl reads '=...' as one), no controls, at
    most what Excel holds in a cell (a longer one is cut, and says so)."""
    value = without_controls(value)
    if len(value) > sheet.MAX_CELL_CHARS:
        value = value[: sheet.MAX_CELL_CHARS - len(CUT)] + CUT
    cell.value = value
    cell.data_type = "s"


def _put(cell: Any, value: Any, kind: str) -> None:
    if value is None or value == []:
        return
    if kind == DATE and isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, list):
        _text(cell, (sheet.LIST_SEPARATOR if kind == IDS else "\n").join(str(v) for v in value))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
    else:
        _text(cell, str(value.value if kind == STATUS and hasattr(value, "value") else value))


def _header(ws: Any, labels: list[str], editable: list[bool] | None = None) -> None:
    for i, label in enumerate(labels, start=1):
        cell = ws.cell(row=1, column=i)
        _text(cell, label)
        cell.font = BOLD
        cell.fill = EDITABLE_HEADER_FILL if editable and editable[i - 1] else HEADER_FILL
        cell.alignment = WRAP
    ws.freeze_panes = "A2"


def _activities(ws: Any, plan: Plan, refs: list[ActivityRef], as_of: dt.date) -> None:
    cols = sheet.columns(type(refs[0].activity) if refs else Activity)
    amber = schedule.amber_days(plan)
    rows = []
    for ref in refs:
        values = sheet.row_values(ref, cols)
        for i, column in enumerate(cols):
            if column.key == "check":
                values[i] = sheet.check_value(plan.version, ref.activity)
            elif column.key == sheet.COLOUR:
                values[i] = schedule.colour(ref.activity, as_of, amber)[0]
        rows.append(values)
    _input_sheet(ws, cols, rows, {"status": list(STATUSES)})
    ws.freeze_panes = "B2"  # the header and the id stay in view


def _indicators(ws: Any, plan: Plan, refs: list[IndicatorRef], as_of: dt.date) -> None:
    cols = indicatorsheet.columns(plan)
    periods = indicatorsheet.periods(plan)
    _input_sheet(ws, cols, indicatorsheet.rows(plan, refs, as_of), {indicatorsheet.PERIOD: periods})
    ws.freeze_panes = "B2"


COLOUR_FILLS = {
    c: PatternFill("solid", fgColor=rgb)
    for c, rgb in (("red", "F4B6B6"), ("amber", "FFD8A8"), ("green", "C6EFCE"), ("grey", "E7E6E6"))
}
# The most characters of a drop-down's choices (commas included) that Excel opens: a longer
# list makes it "repair" the workbook and drop every rule of the sheet.
MAX_LIST_CHARS = 255
DATE_PROMPTS = {
    "start": "The planned start (a change of a signed plan is an amendment)",
    "end": "The planned end (a change of a signed plan is an amendment)",
}


def _input_sheet(
    ws: Any, cols: tuple[sheet.Column, ...], rows: list[list], lists: dict[str, list[str]]
) -> None:
    """Writes a sheet that is read back: the header, the rows (input columns unlocked and
    yellow, the check hidden, colours as words on their fill), drop-down lists (`lists`: column
    key -> choices), date rules, the auto-filter and the lock."""
    _header(ws, [c.label for c in cols], [c.editable for c in cols])
    unlocked = Protection(locked=False)
    for r, values in enumerate(rows, start=2):
        for i, (column, value) in enumerate(zip(cols, values, strict=True), start=1):
            cell = ws.cell(row=r, column=i)
            _put(cell, value, column.kind)
            if column.kind == DATE:
                cell.number_format = DATE_FORMAT
            cell.alignment = WRAP if column.kind in (LIST, "prose", "title", "text") else TOP
            if column.editable:
                cell.protection = unlocked
                cell.fill = EDITABLE_FILL
            elif column.key == sheet.COLOUR and value in COLOUR_FILLS:
                cell.fill = COLOUR_FILLS[value]
    last_row = max(len(rows) + 1, 2)
    for i, column in enumerate(cols, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = column.width
        if column.key == "check":
            ws.column_dimensions[letter].hidden = True
        choices = lists.get(column.key) if column.editable else None
        if choices and len(",".join(choices)) <= MAX_LIST_CHARS:  # else no drop-down
            _list_rule(ws, f"{letter}2:{letter}{last_row}", column.label, choices)
        if column.kind == DATE and column.editable:
            _date_rule(ws, f"{letter}2:{letter}{last_row}", DATE_PROMPTS.get(column.key))
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{last_row}"
    _protect(ws)


def _list_rule(ws: Any, cells: str, label: str, choices: list[str]) -> None:
    rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    rule.error = "Choose one of: " + ", ".join(choices)
    rule.errorTitle = "Not one of the choices"
    rule.prompt = "Pick one from the list"
    rule.promptTitle = label
    ws.add_data_validation(rule)
    rule.add(cells)


def _date_rule(ws: Any, cells: str, prompt: str | None = None) -> None:
    rule = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    rule.error = "Type a date, e.g. 2024-10-12"
    rule.errorTitle = "Not a date"
    rule.prompt = prompt or "The day it happened (empty: the day of the import)"
    rule.promptTitle = "Date"
    ws.add_data_validation(rule)
    rule.add(cells)


def _protect(ws: Any) -> None:
    """Locks the sheet without a password (against accidents): filtering, sorting and
    resizing stay allowed."""
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _summary(
    ws: Any, plan: Plan, filters: Filters, source: sheet.Provenance, day, as_of: dt.date
) -> None:
    meta = plan.plan
    lines: list[tuple[str, Any]] = [
        ("Plan", meta.title),
        ("Dialogue", meta.dialogue),
        ("Version", meta.version),
        ("Status", meta.status.value),
        ("Data as of", day),
        ("Colours as of", as_of),
        ("Made from", source.file),
        ("Content digest", source.digest),
        ("Filters", json.dumps(filters.as_dict(), sort_keys=True)),
        ("Made by", f"workplan {__version__}"),
    ]
    for r, (label, value) in enumerate(lines, start=1):
        _text(ws.cell(row=r, column=1), label)
        ws.cell(row=r, column=1).font = BOLD
        _put(ws.cell(row=r, column=2), value, DATE if isinstance(value, dt.date) else "text")
    rows, total = query.summarize(plan, filters)
    head = len(lines) + 2
    labels = ["Area / topic", "Title", *STATUSES, "Total", "Progress"]
    for i, label in enumerate(labels, start=1):
        cell = ws.cell(row=head, column=i)
        _text(cell, label)
        cell.font = BOLD
        cell.fill = HEADER_FILL
    for r, row in enumerate([*rows, None], start=head + 1):
        ident, title, tally = (row.id, row.title, row.tally) if row else ("", "All", total)
        values = [ident, title, *(tally.counts[s] for s in STATUSES), tally.total]
        for i, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=i)
            _put(cell, value, "text")
            if row is None or row.level == "area":
                cell.font = BOLD
        progress = ws.cell(row=r, column=len(values) + 1)
        if tally.progress is not None:
            progress.value = round(tally.progress, 4)
            progress.number_format = "0%"
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 60
    _protect(ws)


def _stakeholders(ws: Any, people: StakeholderFile) -> None:
    declared = fields.declared(Stakeholder)
    _header(ws, [f.label for f in declared])
    for r, person in enumerate(people.stakeholders, start=2):
        for i, f in enumerate(declared, start=1):
            _put(ws.cell(row=r, column=i), f.plain(person), f.kind)
    for i, f in enumerate(declared, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 40 if f.kind == "title" else 16
    ws.auto_filter.ref = f"A1:{get_column_letter(len(declared))}{len(people.stakeholders) + 1}"
    _protect(ws)


def _how_to(ws: Any) -> None:
    for r, line in enumerate(sheet.HOW_TO, start=1):
        cell = ws.cell(row=r, column=1)
        _text(cell, line)
        cell.alignment = WRAP
        if r == 1:
            cell.font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 100
    _protect(ws)


# --- Reading -------------------------------------------------------------------------------


def read_workbook(data: bytes, name: str) -> Table:
    """Returns the Activities sheet's rows and the workbook's provenance, bounded (see
    sheet.check_workbook); a formula cell is marked as one, its text kept."""
    sheet.check_workbook(data, name)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except WorkplanError:
        raise
    except Exception as e:  # openpyxl raises many kinds for a damaged workbook
        raise WorkplanError(f"{name}: not a readable xlsx workbook ({type(e).__name__})") from None
    try:
        return _rows(book, name)
    except WorkplanError:
        raise
    except Exception as e:
        raise WorkplanError(f"{name}: not a readable xlsx workbook ({type(e).__name__})") from None
    finally:
        book.close()


def _rows(book: Any, name: str) -> Table:
    if sheet.SHEET not in book.sheetnames:
        raise WorkplanError(
            f"{name}: no sheet named {sheet.SHEET!r} (sheets: {', '.join(book.sheetnames)})"
        )
    meta = {
        p.name.removeprefix(META_PREFIX): str(p.value)
        for p in book.custom_doc_props
        if p.name.startswith(META_PREFIX) and p.value is not None
    }
    table = _sheet(book, Table(name, sheet.SHEET, meta=meta))
    if indicatorsheet.SHEET in book.sheetnames:
        table.more[indicatorsheet.SHEET] = _sheet(book, Table(name, indicatorsheet.SHEET))
    return table


def _sheet(book: Any, table: Table) -> Table:
    """Returns `table` with its sheet's rows, bounded; only the header's columns are read (the
    import finds its columns by their headers)."""
    ws = book[table.sheet]
    head = next(ws.iter_rows(max_row=1, max_col=sheet.MAX_COLUMNS), ())
    width = max((i + 1 for i, c in enumerate(head) if c.value is not None), default=1)
    for number, cells in enumerate(
        ws.iter_rows(max_row=sheet.MAX_ROWS + 1, max_col=width), start=1
    ):
        if number > sheet.MAX_ROWS:
            raise WorkplanError(f"{table.name}: more than {sheet.MAX_ROWS:,} rows in {table.sheet}")
        row = [_cell(c) for c in cells]
        while row and row[-1].value is None:
            row.pop()
        table.rows.append((number, row))
    return table


def _cell(cell: Any) -> Cell:
    value = cell.value
    if getattr(cell, "data_type", None) == "f":
        return Cell(str(value), formula=True)
    if isinstance(value, str) and len(value) > sheet.MAX_CELL_CHARS:
        value = value[: sheet.MAX_CELL_CHARS]
    return Cell(value)
