"""`workplan export --format xlsx`: the workbook partners fill in (output/xlsx.py, edit/sheet.py's
columns)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.exporting import add_dates, check_golden
from tests.test_export import HOSTILE_CELLS, _hostile_plan
from workplan_cli.edit import sheet
from workplan_cli.output.xlsx import read_workbook
from workplan_cli.plan.store import find_repo
from workplan_cli.plan.vocab import STATUSES


@pytest.fixture
def dated(repo):
    add_dates(repo)
    return repo


def export(cli, repo: Path, *args: str, name: str = "plan.xlsx") -> Path:
    cli("export", "--format", "xlsx", "-o", name, *args)
    return repo / name


def activities(path: Path) -> list[list]:
    book = openpyxl.load_workbook(path)
    return [list(r) for r in book[sheet.SHEET].iter_rows(values_only=True)]


def test_the_workbook_has_its_sheets_and_records_where_it_came_from(cli, dated):
    path = export(cli, dated)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "Activities", "Stakeholders", "How to fill in"]
    meta = {p.name: p.value for p in book.custom_doc_props}
    data = (dated / "data" / "workplan-2024.yaml").read_bytes()
    assert meta["workplan.file"] == "data/workplan-2024.yaml"
    assert meta["workplan.version"] == "2024"
    assert meta["workplan.digest"] == sheet.file_digest(data)
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(max_row=9, values_only=True)}
    assert summary["Version"] == "2024" and summary["Made from"] == "data/workplan-2024.yaml"
    assert summary["Data as of"] == dt.datetime(2024, 9, 18)  # the latest history date
    counts = next(r for r in book["Summary"].iter_rows(values_only=True) if r[1] == "All")
    plan = find_repo(dated).load_plan()
    assert counts[2 + len(STATUSES)] == len(list(plan.activities()))
    people = [r[0] for r in book["Stakeholders"].iter_rows(min_row=2, values_only=True)]
    assert people == [s.id for s in find_repo(dated).load_stakeholders().stakeholders]


def test_activity_rows_hold_the_plan_with_real_dates(cli, dated):
    rows = activities(export(cli, dated))
    header = rows[0]
    assert header == [c.label for c in sheet.columns()]
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    row = by_id["1.3.2"]
    assert (row["Area"], row["Topic"], row["Status"]) == ("1", "1.3", "completed")
    assert row["Start"] == dt.datetime(2024, 9, 16)  # a date cell, not text
    assert row["Last update"] == dt.datetime(2024, 9, 18)
    assert row["Lead"] == "micde; bmdv"
    assert row["Evidence"] == "https://example.org/hackathon-report"
    plan = find_repo(dated).load_plan()
    assert row["Check"] == sheet.check_value("2024", plan.find("1.3.2").activity)
    assert all(row[c.label] is None for c in sheet.columns() if c.value is None and c.editable)


def test_the_sheet_is_ready_to_fill_in(cli, dated):
    book = openpyxl.load_workbook(export(cli, dated))
    ws = book[sheet.SHEET]
    cols = sheet.columns()
    letter = {c.key: sheet.column_letter(i) for i, c in enumerate(cols)}
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:{sheet.column_letter(len(cols) - 1)}{ws.max_row}"
    assert ws.protection.sheet and not ws.protection.password
    assert ws.column_dimensions[letter["check"]].hidden
    assert ws.column_dimensions[letter["title"]].width == 40
    editable = {c.key for c in cols if c.editable}
    assert editable == {"status", "start", "end"} | {
        "update_date",
        "update_note",
        "update_by",
        "update_evidence",
    }
    for c in cols:
        cell = ws[f"{letter[c.key]}2"]
        assert cell.protection.locked is (c.key not in editable), c.key
        marked = cell.fill.fgColor.rgb.endswith("FFF2CC")
        assert marked is (c.key in editable), c.key
    assert ws[f"{letter['colour']}2"].value in ("red", "amber", "green", "grey")
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    status = rules[f"{letter['status']}2:{letter['status']}{ws.max_row}"]
    assert status.type == "list" and status.formula1 == '"' + ",".join(STATUSES) + '"'
    assert ws[f"{letter['title']}2"].alignment.wrap_text
    assert book.active.title == sheet.SHEET


def test_text_is_never_a_formula(cli, repo):
    _hostile_plan(repo)  # the CSV export's injection cases (OWASP)
    out = export(cli, repo)
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, name
    rows = activities(out)
    row = dict(zip(rows[0], next(r for r in rows if r[0] == "1.3.2"), strict=True))
    for column, label in [("title", "Title"), ("text", "Description"), ("last_note", "Last note")]:
        assert row[label] == HOSTILE_CELLS[column]  # as written, no quote added
    ws = openpyxl.load_workbook(out)[sheet.SHEET]
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)
    table = read_workbook(out.read_bytes(), "plan.xlsx")
    assert not any(c.formula for _, row in table.rows for c in row)


def test_the_same_plan_gives_the_same_bytes(cli, dated):
    first = export(cli, dated).read_bytes()
    second = export(cli, dated, name="again.xlsx").read_bytes()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {m.date_time for m in archive.infolist()} == {(2024, 9, 18, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2024-09-18T00:00:00Z" in core


def test_the_cells_read_back_match_the_golden_file(cli, dated):
    table = read_workbook(export(cli, dated, "--topic", "1.3").read_bytes(), "plan.xlsx")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    for _, row in table.rows:
        writer.writerow(
            [c.value.isoformat() if isinstance(c.value, dt.date) else c.value for c in row]
        )
    check_golden("topic-1.3-xlsx.csv", out.getvalue().encode("utf-8"))


def test_filters_keep_only_their_activities(cli, dated):
    rows = activities(export(cli, dated, "--status", "completed", "--status", "cancelled"))
    assert sorted(r[0] for r in rows[1:]) == ["1.3.2", "2.2.1"]
    book = openpyxl.load_workbook(dated / "plan.xlsx")
    meta = {p.name: p.value for p in book.custom_doc_props}
    assert json.loads(meta["workplan.filters"])["status"] == ["completed", "cancelled"]


def test_xlsx_needs_a_file(cli, repo):
    got = cli("export", "--format", "xlsx", code=2)
    assert "-o FILE.xlsx" in got.stderr
    cli("export", "-o", "by-suffix.xlsx")
    assert zipfile.is_zipfile(repo / "by-suffix.xlsx")


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_workbook_with_its_values(cli, dated, tmp_path):
    _hostile_plan(dated)
    book = export(cli, dated)
    # Sheet 2 (Activities) as UTF-8 CSV: the 12th field of the filter options picks the sheet.
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2",
            "--outdir",
            str(tmp_path / "out"),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    got = (tmp_path / "out" / "plan-Activities.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(got, newline="")))
    expected = activities(book)
    assert rows[0] == expected[0]
    assert len(rows) == len(expected)
    by_id = {r[0]: r for r in rows[1:]}
    header = rows[0]
    row = dict(zip(header, by_id["1.3.2"], strict=True))
    assert row["Title"] == HOSTILE_CELLS["title"]  # text, not a formula's result
    assert row["Description"] == HOSTILE_CELLS["text"]
    assert row["Start"] == "2024-09-16" and row["Status"] == "completed"
    for want in expected[1:]:
        have = by_id[want[0]]
        for value, cell in zip(want, have, strict=True):
            shown = "" if value is None else value
            if isinstance(shown, dt.datetime):
                shown = shown.date().isoformat()
            assert cell == str(shown)


def test_a_text_longer_than_a_cell_holds_is_cut_and_says_so(cli, repo):
    path = repo / "data" / "workplan-2024.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("title:", text.index("activities:"))
    end = text.index("\n", first)
    path.write_text(text[:first] + 'title: "' + "x" * 99_000 + '"' + text[end:], "utf-8")
    cell = openpyxl.load_workbook(export(cli, repo))[sheet.SHEET]["D2"]
    assert len(cell.value) == sheet.MAX_CELL_CHARS
    assert cell.value.startswith("xxx") and cell.value.endswith("the plan file has the whole text]")
