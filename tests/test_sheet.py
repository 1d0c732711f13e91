"""edit/sheet.py: the activity columns, the row check, and the bounded readers (CSV, zip)."""

from __future__ import annotations

import codecs
import io
import zipfile

import pytest

from tests.conftest import DATA, STAKEHOLDER_IDS
from workplan_cli.edit import sheet
from workplan_cli.errors import WorkplanError
from workplan_cli.plan import fields, load
from workplan_cli.plan.model import Activity, HistoryEntry


def _plan():
    return load.parse_plan((DATA / "workplan-2024.yaml").read_bytes(), "p.yaml", STAKEHOLDER_IDS)


def test_columns_follow_the_field_declarations():
    keys = [c.key for c in sheet.columns()]
    for f in fields.row(Activity):
        assert f.key in keys
    history = next(f for f in fields.declared(Activity) if f.spec.last)
    assert set(history.spec.last) <= set(keys)
    updates = [c.label for c in sheet.columns() if c.key.startswith("update_")]
    assert updates == [
        sheet.UPDATE_PREFIX + f.label for f in fields.declared(HistoryEntry) if f.kind != "status"
    ]
    assert next(c.key for c in sheet.columns() if c.editable) == "status"
    assert keys[-1] == "check"


def test_column_letters():
    assert [sheet.column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_the_check_names_the_version_and_changes_with_the_activity():
    plan = _plan()
    activity = plan.find("1.1.1").activity
    check = sheet.check_value("2024", activity)
    assert sheet.parse_check(check) == sheet.Check(
        "2024", sheet.activity_digest(activity), activity.status, (None, None)
    )
    old = sheet.parse_check(check.rsplit(":", 2)[0])  # a check written before the dates
    assert old is not None and old.dates is None
    other = plan.find("1.1.2").activity
    assert sheet.activity_digest(other) != sheet.activity_digest(activity)
    assert sheet.parse_check("2024:nothex") is None
    assert sheet.parse_check("=1+1") is None


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_in_utf8_with_any_usual_separator(bom, delimiter):
    text = delimiter.join(["Id", "Status", "Update: Note"]) + "\r\n"
    text += delimiter.join(["1.1.1", "completed", '"Held, at last"']) + "\r\n"
    table = sheet.read_csv(bom + text.encode("utf-8"), "u.csv")
    assert [c.value for c in table.rows[1][1]] == ["1.1.1", "completed", "Held, at last"]
    assert table.where(2, 1) == "u.csv:B2"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Id,Note\r\n1.1.1,Café\r\n".encode("latin-1"), "u.csv:2: not UTF-8 (byte 0xe9)"),
        (codecs.BOM_UTF16_LE + "Id\r\n".encode("utf-16-le"), "u.csv: the file is UTF-16"),
        (b"Id\x00,x\r\n", "u.csv: holds NUL characters"),
        (b"x" * (sheet.MAX_FILE_BYTES + 1), "u.csv: file is too large"),
        (b"Id\r\n" * (sheet.MAX_ROWS + 1), f"u.csv: more than {sheet.MAX_ROWS:,} rows"),
    ],
)
def test_csv_that_cannot_be_read_is_named(data, message):
    with pytest.raises(WorkplanError) as e:
        sheet.read_csv(data, "u.csv")
    assert str(e.value).startswith(message)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Id,Status\r\n", "not an xlsx workbook (not a zip file)"),
        (_zip({"a.txt": b"x"}), "a zip file but not an xlsx workbook"),
        (_zip({"xl/workbook.xml": b"0" * (sheet.MAX_UNPACKED_BYTES + 1)}), "unpacks to "),
        (_zip({f"m{i}": b"" for i in range(sheet.MAX_MEMBERS + 1)}), "a workbook of more than"),
        (
            _zip(
                {
                    "xl/workbook.xml": b"<workbook/>",
                    "xl/worksheets/sheet1.xml": b'<worksheet><mergeCells count="1">'
                    b'<mergeCell ref="B3:C4"/></mergeCells></worksheet>',
                }
            ),
            "has merged cells (B3:C4)",
        ),
    ],
)
def test_workbooks_are_checked_before_they_are_opened(data, message):
    with pytest.raises(WorkplanError) as e:
        sheet.check_workbook(data, "p.xlsx")
    assert message in str(e.value)


def test_a_date_cell_is_a_date_only_at_midnight():
    import datetime as dt

    assert sheet.as_date(dt.datetime(2024, 5, 2)) == dt.date(2024, 5, 2)
    assert sheet.as_date(dt.datetime(2024, 5, 2, 13, 0)) is None
    assert sheet.as_date(dt.date(2024, 5, 2)) == dt.date(2024, 5, 2)
    assert sheet.as_date(45000) is None


@pytest.mark.parametrize("pad", [(1 << 20) - 5, (1 << 20) - 300, (1 << 20) + 3])
def test_the_scan_finds_tags_cut_by_its_chunks(pad):
    merged = b" " * pad + b'<mergeCell ref="A1:B2"/>'
    wide = b"<row>" + b" " * (pad - 5000) + b"<c/>" * (sheet.MAX_ROW_CELLS + 1)
    for part, message in ((merged, r"has merged cells \(A1:B2\)"), (wide, "a row of more than")):
        data = _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/s.xml": part})
        with pytest.raises(WorkplanError, match=message):
            sheet.check_workbook(data, "p.xlsx")
    fine = b"<row>" + b"<c/>" * sheet.MAX_ROW_CELLS + b"</row><row>" + b"<c/>" * 10
    sheet.check_workbook(_zip({"xl/workbook.xml": b"", "xl/worksheets/s.xml": fine}), "p.xlsx")
