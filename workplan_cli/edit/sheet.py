"""The spreadsheet exchange of progress: the activity columns (from the field declarations), the
per-row check, the rows read back (`Table`) and the bounded readers that need no spreadsheet
library (CSV, and the zip checks made before a workbook is opened).

The writer and the workbook reader are in output/xlsx.py (the one openpyxl module); what the rows
change is in edit/importing.py.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workplan_cli.errors import WorkplanError
from workplan_cli.plan import fields
from workplan_cli.plan.model import Activity, ActivityRef, HistoryEntry
from workplan_cli.plan.spec import DATE, ENTRIES, ID, IDS, LIST, STATUS, TITLE
from workplan_cli.plan.vocab import STATUSES, Status

SHEET = "Activities"  # the sheet that is read back
LIST_SEPARATOR = "; "  # between ids in one cell (as in the CSV export)
CHECK_LABEL = "Check"  # the hidden column: plan version, activity digest and status at export
UPDATE_PREFIX = "Update: "  # the columns of the history entry a partner adds

# The workbook's last sheet: how to fill it in (output/xlsx.py writes it).
HOW_TO = [
    "How to fill in this workbook",
    "",
    "Only the yellow columns can be changed; the others are locked (Review > Unprotect Sheet "
    "lifts the lock, but changes there are not read back).",
    "Activities sheet:",
    "Status: pick the activity's new status from the list (planned, in-progress, completed, "
    "postponed, cancelled).",
    "Start, End: the planned dates, as dates (e.g. 2024-10-12); empty a cell to remove the date. "
    "They are agreed content: moving them in a signed plan is an amendment both parties approve.",
    "Update: Date: the day it happened, as a date (e.g. 2024-10-12); empty means the day the "
    "update is imported.",
    "Update: Note: what happened, in a sentence or two.",
    "Update: By: who reports it (empty: the person who imports the workbook).",
    "Update: Evidence: outputs or documents that show it, one a line (links or references).",
    "A row with a new status, a note or evidence becomes one dated entry of the activity's "
    "history; rows left as they were change nothing.",
    "Indicators sheet (when the plan has indicators): to record a value measured, fill in "
    "New actual: Value (a number, or a narrative for a qualitative indicator), Period (from "
    "the list), Date (empty: the day of the import), and Note, By, Evidence if you like.",
    "Do not add, remove or reorder rows' ids, and keep the hidden Check columns: they tell "
    "workplan which state of the plan each row was made from.",
    "Send the workbook back as it is (.xlsx). Saved as CSV, only the Activities sheet comes "
    "back (in UTF-8); new actuals need the workbook.",
    "The coordinator runs: workplan import THIS-FILE.xlsx --dry-run, then without --dry-run.",
]

# Bounds of what is read (a workbook is a zip of XML; both are checked before it is opened).
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 500
MAX_UNPACKED_BYTES = 32 * 1024 * 1024  # every member, uncompressed, as the zip declares it
# (a workbook of 2,000 activities unpacks to 2.6 MB)
MAX_ROWS = 20_000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 32_767  # what Excel holds in a cell
MAX_ROW_CELLS = 1_000  # cells written in one row (a reader holds a whole row at once)
MAX_SHEET_CELLS = 250_000  # cells written in one sheet (2,000 activities: 38,000; 10,000: 190,000)


@dataclass(frozen=True)
class Column:
    """One column of the Activities sheet."""

    key: str  # stable name: a field's key, `area`, `topic`, `update_<field>`, `check`
    label: str  # the header people see, and what the import looks for
    kind: str  # the field kind of its values (plan/spec.py)
    width: int  # in characters
    editable: bool = False  # a partner may change it (unlocked, marked)
    value: Callable[[ActivityRef], Any] | None = None  # None: an input column, empty at export


_WIDTHS = {ID: 9, STATUS: 14, DATE: 12, IDS: 18, TITLE: 40, LIST: 40, ENTRIES: 40}


def _width(kind: str) -> int:
    return _WIDTHS.get(kind, 30)


def _of(f: fields.Field) -> Callable[[ActivityRef], Any]:
    return lambda ref: f.shown(ref.activity)


def _last(f: fields.Field, key: str) -> Callable[[ActivityRef], Any]:
    def get(ref: ActivityRef) -> Any:
        entries = f.value(ref.activity)
        return getattr(entries[-1], key) if entries else None

    return get


PLANNED_DATES = ("start", "end")  # editable: the import makes the edits `schedule` makes
COLOUR = "colour"  # the activity's colour (plan/schedule.py) on the export's day; not read back


def columns(model: type = Activity) -> tuple[Column, ...]:
    """Returns the Activities sheet's columns, from the field declarations of `model`: the id,
    area, topic and title, the row's fields (the status editable), computed columns, the last
    history entry, the other fields, then the history entry a partner adds (every field of a
    history entry but its statuses) and the check."""
    by_kind = {f.kind: f for f in fields.declared(model)}
    out = [
        Column(by_kind[ID].key, by_kind[ID].label, ID, _width(ID), value=lambda r: r.activity.id),
        Column("area", "Area", ID, 6, value=lambda r: r.area.id),
        Column("topic", "Topic", ID, 7, value=lambda r: r.topic.id),
        Column("title", by_kind[TITLE].label, TITLE, _width(TITLE), value=_of(by_kind[TITLE])),
    ]
    for f in fields.row(model):
        # the status (progress) and the planned dates (agreed content: an amendment once signed)
        editable = (f.spec.progress and f.kind == STATUS) or f.key in PLANNED_DATES
        out.append(Column(f.key, f.label, f.kind, _width(f.kind), editable, _of(f)))
    out.append(Column(COLOUR, "Colour", COLOUR, 9, value=None))  # filled by the writer
    rest = [f for f in fields.compared(model) if f.kind != TITLE and not f.spec.row]
    for f in sorted(rest, key=lambda f: not f.spec.last):
        if f.spec.last:
            for key, entry_key in f.spec.last.items():
                kind = _entry_field(entry_key).kind
                label = key.replace("_", " ").capitalize()
                out.append(Column(key, label, kind, _width(kind), value=_last(f, entry_key)))
        else:
            out.append(Column(f.key, f.label, f.kind, _width(f.kind), value=_of(f)))
    for f in fields.declared(HistoryEntry):
        if f.kind != STATUS:
            label = UPDATE_PREFIX + f.label
            out.append(Column("update_" + f.key, label, f.kind, _width(f.kind), editable=True))
    out.append(Column("check", CHECK_LABEL, "text", 36, value=None))
    return tuple(out)


def row_values(ref: ActivityRef, cols: tuple[Column, ...] | None = None) -> list[Any]:
    """Returns an activity's values in the sheet's columns (None in the input columns and the
    check, which the writer fills)."""
    cols = cols or columns(type(ref.activity))
    return [c.value(ref) if c.value is not None else None for c in cols]


def _entry_field(key: str) -> fields.Field:
    return next(f for f in fields.declared(HistoryEntry) if f.key == key)


def activity_digest(activity: Activity) -> str:
    """Returns a short digest of everything the plan says about an activity (its plain form)."""
    plain = json.dumps(fields.to_plain(activity, by_alias=True), sort_keys=True)
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()[:16]


def check_value(version: str, activity: Activity) -> str:
    """Returns the check cell of an activity's row: `VERSION:DIGEST:STATUS:START:END` as
    exported (the status and planned dates tell a value the partner changed from one changed in
    the plan meanwhile; a date the activity lacks is empty)."""
    dates = ":".join(d.isoformat() if d else "" for d in (activity.start, activity.end))
    return f"{version}:{activity_digest(activity)}:{activity.status.value}:{dates}"


@dataclass(frozen=True)
class Check:
    version: str
    digest: str
    status: Status
    dates: tuple[dt.date | None, dt.date | None] | None = None  # None: a check without them


_CHECK = re.compile(
    r"([0-9]{4}(?:-[a-z0-9]+)*):([0-9a-f]{16}):([a-z-]+)"
    r"(?::([0-9]{4}-[0-9]{2}-[0-9]{2})?:([0-9]{4}-[0-9]{2}-[0-9]{2})?)?"
)


def parse_check(text: str) -> Check | None:
    """Returns what a check cell says, or None when it is not one."""
    match = _CHECK.fullmatch(text.strip())
    if not match or match[3] not in STATUSES:
        return None
    dates = None
    if match[0].count(":") == 4:
        try:
            dates = tuple(dt.date.fromisoformat(d) if d else None for d in (match[4], match[5]))
        except ValueError:
            return None
    return Check(match[1], match[2], Status(match[3]), dates)  # type: ignore[arg-type]


def file_digest(data: bytes) -> str:
    """Returns the digest of a plan file's bytes recorded in a workbook."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Provenance:
    """Which plan file a workbook was made from: its path in the repository, version, digest."""

    file: str  # e.g. data/workplan-2024.yaml
    version: str
    digest: str  # file_digest of its bytes

    def as_meta(self) -> dict[str, str]:
        return {"file": self.file, "version": self.version, "digest": self.digest}


# --- Rows read back ------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A cell as read: text, a number, a date (or date and time), True/False, or None."""

    value: Any
    formula: bool = False


@dataclass
class Table:
    """The rows of the sheet read back: the header first, each row with its number."""

    name: str  # the file, as the user named it
    sheet: str | None  # None for a CSV file
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # the workbook's provenance
    more: dict[str, Table] = field(default_factory=dict)  # other sheets read back (Indicators)

    def where(self, row: int, column: int) -> str:
        """Returns a cell's address for messages: `plan.xlsx:Activities!D7`."""
        cell = f"{column_letter(column)}{row}"
        return f"{self.name}:{self.sheet}!{cell}" if self.sheet else f"{self.name}:{cell}"


def column_letter(index: int) -> str:
    """Returns the letters of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_csv(data: bytes, name: str) -> Table:
    """Returns the rows of a CSV file (UTF-8, with or without a byte-order mark; comma,
    semicolon or tab separated, as spreadsheets save it), bounded like a workbook."""
    if len(data) > MAX_FILE_BYTES:
        raise WorkplanError(
            f"{name}: file is too large ({len(data):,} bytes; the limit is {MAX_FILE_BYTES:,})"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)):
        raise WorkplanError(
            f"{name}: the file is UTF-16 or UTF-32; save it as CSV in UTF-8 "
            "(Excel: 'CSV UTF-8 (Comma delimited)')"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise WorkplanError(
            f"{name}:{line}: not UTF-8 (byte 0x{data[e.start]:02x}); save the file as CSV in "
            "UTF-8 (Excel: 'CSV UTF-8 (Comma delimited)'; LibreOffice: character set "
            "Unicode (UTF-8))"
        ) from None
    if "\0" in text:
        raise WorkplanError(f"{name}: holds NUL characters; it is not a CSV file")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    table = Table(name, None)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS:
                raise WorkplanError(f"{name}: more than {MAX_ROWS:,} rows")
            table.rows.append((number, [Cell(c) for c in cells[:MAX_COLUMNS]]))
    except csv.Error as e:
        raise WorkplanError(f"{name}:{reader.line_num}: not a CSV file ({e})") from None
    return table


# A worksheet part's tags that matter before it is parsed: a row, a cell, a merged range.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|mergeCell)[\s/>]")
_REF = re.compile(rb"\bref=\"([A-Z0-9:$]{1,40})\"")
_OVERLAP = 256  # bytes kept from one chunk to the next, so that no tag is cut


def check_workbook(data: bytes, name: str) -> None:
    """Refuses what must not reach a workbook reader: a file that is not a zip, too large, with
    too many members or too much once unpacked (a zip bomb: the sizes the zip declares are what
    a reader gets, at most), or with merged cells."""
    if len(data) > MAX_FILE_BYTES:
        raise WorkplanError(
            f"{name}: file is too large ({len(data):,} bytes; the limit is {MAX_FILE_BYTES:,})"
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkplanError(
            f"{name}: not an xlsx workbook (not a zip file); give the workbook that "
            "`workplan export --format xlsx` made, or its Activities sheet saved as CSV"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise WorkplanError(f"{name}: a workbook of more than {MAX_MEMBERS} parts")
            unpacked = sum(m.file_size for m in members)
            if unpacked > MAX_UNPACKED_BYTES:
                raise WorkplanError(
                    f"{name}: unpacks to {unpacked:,} bytes; the limit is "
                    f"{MAX_UNPACKED_BYTES:,} (a spreadsheet far larger than a plan's)"
                )
            if "xl/workbook.xml" not in archive.namelist():
                raise WorkplanError(f"{name}: a zip file but not an xlsx workbook")
            for member in members:
                if member.filename.startswith("xl/worksheets/"):
                    _scan(archive, member, name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as e:
        raise WorkplanError(f"{name}: a damaged xlsx workbook ({e})") from None


def _scan(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str) -> None:
    """Refuses a worksheet part with merged cells, a row of more than MAX_ROW_CELLS cells (a
    reader would hold such a row whole) or more than MAX_SHEET_CELLS cells, read in chunks."""
    buffer, cells, total = b"", 0, 0
    with archive.open(member) as part:
        while True:
            chunk = part.read(1 << 20)
            buffer += chunk
            end = len(buffer) if not chunk else max(len(buffer) - _OVERLAP, 0)
            for tag in _TAG.finditer(buffer, 0, end + 16):
                if tag.start() >= end:
                    break
                if tag[1] == b"row":
                    cells = 0
                elif tag[1] == b"c":
                    cells += 1
                    total += 1
                    if total > MAX_SHEET_CELLS:
                        raise WorkplanError(
                            f"{name}: a sheet of more than {MAX_SHEET_CELLS:,} cells "
                            f"({member.filename})"
                        )
                    if cells > MAX_ROW_CELLS:
                        raise WorkplanError(
                            f"{name}: a row of more than {MAX_ROW_CELLS:,} cells "
                            f"({member.filename})"
                        )
                else:
                    ref = _REF.search(buffer, tag.end(), tag.end() + 200)
                    where = ref[1].decode("ascii") if ref else member.filename
                    raise WorkplanError(
                        f"{name}: has merged cells ({where}); unmerge them (the import reads "
                        "one value a cell)"
                    )
            if not chunk:
                return
            buffer = buffer[end:]


def as_date(value: Any) -> dt.date | None:
    """Returns a date cell's date (midnight of a date and time), None for other values."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else None
    if isinstance(value, dt.date):
        return value
    return None
