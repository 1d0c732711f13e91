"""`workplan import` of the cells issue 18 added once results and the schedule landed: planned
dates on the Activities sheet (schedule's edit) and new actuals on the Indicators sheet (record's
edit), in one splice with the status updates (edit/importing.py, edit/indicatorsheet.py)."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import git
from tests.exporting import check_golden
from workplan_cli.edit import indicatorsheet, sheet

DRAFT = Path("data/workplan-2025.yaml")  # illustrative draft with indicators
SIGNED = Path("data/workplan-2024.yaml")


def export(cli, repo: Path, *args: str) -> Path:
    cli("export", "-o", "plan.xlsx", *args)
    return repo / "plan.xlsx"


def fill(path: Path, sheets: dict[str, dict[str, dict[str, object]]]) -> Path:
    """Changes cells as a partner would: {sheet: {row id: {column label: value}}}."""
    book = openpyxl.load_workbook(path)
    for name, rows in sheets.items():
        ws = book[name]
        header = {c.value: c.column for c in ws[1]}
        at = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
        for ident, cells in rows.items():
            for label, value in cells.items():
                ws.cell(row=at[ident], column=header[label]).value = value
    book.save(path.parent / "filled.xlsx")
    return path.parent / "filled.xlsx"


NEW = indicatorsheet.NEW_PREFIX
ACTUAL = {
    NEW + "Period": "2025",
    NEW + "Value": 1,
    NEW + "Date": dt.date(2025, 6, 2),
    NEW + "Note": "Submitted to the IGF",
    NEW + "Evidence": "https://example.org/igf-proposal",
}


def _diff(before: bytes, after: bytes) -> str:
    return "".join(
        difflib.unified_diff(
            before.decode().splitlines(keepends=True),
            after.decode().splitlines(keepends=True),
            "before",
            "after",
        )
    )


def test_the_workbook_has_an_indicators_sheet_with_editable_actual_columns(cli, repo):
    book = openpyxl.load_workbook(export(cli, repo, "--plan", "2025", "--as-of", "2025-07-01"))
    assert book.sheetnames[:3] == ["Summary", "Activities", "Indicators"]
    ws = book[indicatorsheet.SHEET]
    header = [c.value for c in ws[1]]
    assert header[:8] == [
        "ID", "Topic", "Objective", "Indicator", "Measure", "Unit", "Baseline", "Baseline date"
    ]  # fmt: skip
    assert header[8:11] == ["Target 2025", "Target 2025-Q2", "Target 2025-Q4"]
    row = {h: c.value for h, c in zip(header, ws[3], strict=True)}  # 1.1-b
    assert row["ID"] == "1.1-b" and row["Target 2025"] == 2 and row["Colour"] == "grey"
    period = header.index(NEW + "Period")
    assert not ws.cell(row=2, column=period + 1).protection.locked
    assert ws.cell(row=2, column=1).protection.locked
    rules = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"2025,2025-Q2,2025-Q4"' in rules
    assert ws.column_dimensions[sheet.column_letter(len(header) - 1)].hidden  # the check
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(max_row=10, values_only=True)}
    assert summary["Colours as of"] == dt.datetime(2025, 7, 1)


def test_a_plan_without_indicators_has_no_indicators_sheet(cli, repo):
    book = openpyxl.load_workbook(export(cli, repo))
    assert indicatorsheet.SHEET not in book.sheetnames


def test_round_trip_of_an_actual_a_planned_date_and_a_status(cli, repo):
    before = DRAFT.read_bytes()
    filled = fill(
        export(cli, repo, "--plan", "2025"),
        {
            "Activities": {
                "1.1.1": {"Start": dt.date(2025, 3, 1), "End": "2025-09-30"},
                "1.1.2": {"Status": "in-progress", "Update: Date": dt.date(2025, 4, 1)},
            },
            "Indicators": {"1.1-a": {**ACTUAL, NEW + "By": "Focal point"}},
        },
    )
    got = cli("import", filled.name, "--by", "Coordinator")
    assert "3 updates written to data/workplan-2025.yaml" in got.stdout
    assert "start moved from 2025-01-01 to 2025-03-01; end moved from" in got.stdout
    assert "1 for 2025 (2025-06-02): Submitted to the IGF" in got.stdout
    assert "amendment" not in got.stderr  # a draft: no amendment
    after = DRAFT.read_bytes()
    check_golden("import-sheets-round-trip.diff", _diff(before, after).encode("utf-8"))
    removed = [
        line[2:]
        for line in difflib.ndiff(before.decode().split("\n"), after.decode().split("\n"))
        if line.startswith("- ")
    ]
    assert [line.strip() for line in removed] == [
        'start: "2025-01-01"',
        'end: "2025-12-31"',
        "status: planned",
        "history: []",
    ]
    shown = cli("show", "1.1-a", "--plan", "2025", "--format", "json").stdout
    assert '"note": "Submitted to the IGF"' in shown and '"by": "Focal point"' in shown


def test_moving_a_planned_date_of_the_signed_plan_says_it_is_an_amendment(cli, git_repo):
    fill(export(cli, git_repo), {"Activities": {"1.1.1": {"End": dt.date(2024, 12, 15)}}})
    got = cli("import", "filled.xlsx", "--commit")
    assert "1 update written to data/workplan-2024.yaml" in got.stdout
    assert "changes agreed content of the signed 2024 plan" in got.stderr
    assert "workplan approve 2024" in got.stderr
    message = git(git_repo, "log", "-1", "--format=%B")
    assert message == "import filled.xlsx: 1 update\n\n1.1.1: end set to 2024-12-15\n\n"
    assert 'end: "2024-12-15"' in SIGNED.read_text()


def test_clearing_a_planned_date_removes_its_line(cli, repo):
    fill(export(cli, repo), {"Activities": {"1.1.1": {"End": dt.date(2024, 12, 15)}}})
    cli("import", "filled.xlsx")
    fill(export(cli, repo), {"Activities": {"1.1.1": {"End": None}}})
    cli("import", "filled.xlsx")
    assert 'end: "2024-12-15"' not in SIGNED.read_text()


def _percent(repo: Path) -> None:
    """Test data only: 1.1-a of the draft measured as a percent."""
    path = repo / DRAFT
    text = path.read_text()
    old = "            measure: number\n            unit: submissions\n"
    assert old in text
    path.write_text(text.replace(old, "            measure: percent\n", 1))


def test_every_bad_cell_of_both_sheets_is_named_and_nothing_is_written(cli, repo):
    _percent(repo)
    before = DRAFT.read_bytes()
    fill(
        export(cli, repo, "--plan", "2025"),
        {
            "Activities": {
                "1.1.1": {"Start": dt.date(2025, 9, 1), "End": dt.date(2025, 3, 1)},
                "1.1.2": {"End": "soon"},
                "1.1.3": {"Start": "=TODAY()"},
            },
            "Indicators": {
                "1.1-a": {NEW + "Period": "2025", NEW + "Value": 101},
                "1.1-b": {NEW + "Period": "2031", NEW + "Value": "abc"},
                "1.1-c": {NEW + "Period": "2025", NEW + "Value": 3},
            },
        },
    )
    got = cli("import", "filled.xlsx", code=1)
    err = got.stderr
    assert "cells cannot be imported; nothing was written:" in err
    assert "filled.xlsx:Activities!J2: --end 2025-03-01 is before the start 2025-09-01" in err
    assert "filled.xlsx:Activities!J3: 'soon' is not a date" in err
    assert "filled.xlsx:Activities!I4: is a formula ('=TODAY()'); type the value itself" in err
    assert "filled.xlsx:Indicators!" in err
    assert "101 is not a percentage: the measure is percent, 0 to 100" in err
    assert "1.1-b is measured as number: 'abc' is not a number" in err
    assert "1.1-c is measured as qualitative: write a narrative, not the number 3" in err
    assert DRAFT.read_bytes() == before


def test_a_future_date_of_an_actual_is_refused(cli, repo):
    future = dt.date.today() + dt.timedelta(days=3)
    fill(
        export(cli, repo, "--plan", "2025"),
        {"Indicators": {"1.1-b": {NEW + "Period": "2025", NEW + "Value": 2, NEW + "Date": future}}},
    )
    got = cli("import", "filled.xlsx", code=1)
    column = _letter(repo / "filled.xlsx", NEW + "Date")
    assert f"filled.xlsx:Indicators!{column}3: --on {future.isoformat()} is in the future" in (
        got.stderr
    )


def test_a_period_outside_the_plan_is_named_at_its_cell(cli, repo):
    ids = _indicator_ids(cli, repo)
    fill(
        export(cli, repo, "--plan", "2025"),
        {"Indicators": {ids[1]: {NEW + "Period": "2031", NEW + "Value": 1}}},
    )
    got = cli("import", "filled.xlsx", code=1)
    column = _letter(repo / "filled.xlsx", NEW + "Period")
    assert f"filled.xlsx:Indicators!{column}3: --period '2031' is not a period of plan 2025" in (
        got.stderr
    )


def _indicator_ids(cli, repo: Path) -> list[str]:
    book = openpyxl.load_workbook(export(cli, repo, "--plan", "2025"))
    return [r[0] for r in book[indicatorsheet.SHEET].iter_rows(min_row=2, values_only=True)]


def _letter(path: Path, label: str) -> str:
    ws = openpyxl.load_workbook(path)[indicatorsheet.SHEET]
    return next(c.column_letter for c in ws[1] if c.value == label)


@pytest.mark.parametrize(
    "value, message",
    [
        ("=1+1", "is a formula ('=1+1'); type the value itself"),
        ("9" * 60, "is too long a number"),
        ("nan", "'nan' is not a number"),
        ("inf", "'inf' is not a number"),
        ("-Infinity", "is not a number"),
        ("1e999", "is too large a number"),
        ("1e400", "is too large a number"),
    ],
)
def test_hostile_value_cells_are_refused(cli, repo, value, message):
    before = DRAFT.read_bytes()
    fill(
        export(cli, repo, "--plan", "2025"),
        {"Indicators": {"1.1-a": {NEW + "Period": "2025", NEW + "Value": value}}},
    )
    got = cli("import", "filled.xlsx", code=1)
    assert message in got.stderr
    assert "filled.xlsx:Indicators!" in got.stderr
    assert DRAFT.read_bytes() == before


def test_a_huge_number_cell_is_recorded_as_the_number_it_is(cli, repo):
    fill(
        export(cli, repo, "--plan", "2025"),
        {"Indicators": {"1.1-a": {NEW + "Period": "2025", NEW + "Value": 1e300}}},
    )
    cli("import", "filled.xlsx")
    assert "value: 1e+300" in DRAFT.read_text()
    cli("validate")


def test_an_indicator_updated_since_the_export_conflicts(cli, git_repo):
    filled = fill(
        export(cli, git_repo, "--plan", "2025"),
        {
            "Indicators": {"1.1-a": ACTUAL},
            "Activities": {"1.1.2": {"Status": "in-progress", "Update: Date": "2025-04-01"}},
        },
    )
    cli("record", "1.1-a", "1", "--period", "2025", "--on", "2025-05-01", "--plan", "2025")
    before = DRAFT.read_bytes()
    got = cli("import", filled.name, code=1)
    assert "1.1-a changed in the plan since the workbook was made (last actual 2025-05-01)" in (
        got.stdout
    )
    assert "nothing was written (--force applies the 1 other change)" in got.stderr
    assert DRAFT.read_bytes() == before
    got = cli("import", filled.name, "--force")
    assert "1 update written" in got.stdout


def test_rows_left_as_exported_change_nothing_when_the_plan_moved_on(cli, repo):
    export(cli, repo)
    cli("schedule", "1.1.1", "--end", "2024-12-01")
    before = SIGNED.read_bytes()
    got = cli("import", "plan.xlsx")
    assert "Nothing to import" in got.stdout
    assert SIGNED.read_bytes() == before


def test_the_dry_run_names_the_actual_and_the_dates(cli, repo):
    before = DRAFT.read_bytes()
    fill(
        export(cli, repo, "--plan", "2025"),
        {"Indicators": {"1.1-a": ACTUAL}, "Activities": {"1.1.1": {"End": dt.date(2025, 9, 30)}}},
    )
    got = cli("import", "filled.xlsx", "--dry-run")
    assert "1.1-a  1 for 2025 (2025-06-02): Submitted to the IGF" in got.stdout  # under "ID"
    assert '+            end: "2025-09-30"' in got.stdout
    assert "2 updates to data/workplan-2025.yaml (dry run: nothing written)" in got.stdout
    assert DRAFT.read_bytes() == before


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_a_workbook_saved_again_by_libreoffice_imports_the_same(cli, repo, tmp_path):
    before = DRAFT.read_bytes()
    filled = fill(
        export(cli, repo, "--plan", "2025"),
        {
            "Activities": {
                "1.1.1": {"Start": dt.date(2025, 3, 1), "End": "2025-09-30"},
                "1.1.2": {"Status": "in-progress", "Update: Date": dt.date(2025, 4, 1)},
            },
            "Indicators": {"1.1-a": {**ACTUAL, NEW + "By": "Focal point"}},
        },
    )
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path / "out"),
            str(filled),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    resaved = repo / "resaved.xlsx"
    shutil.copy(tmp_path / "out" / "filled.xlsx", resaved)
    cli("import", resaved.name, "--plan", "2025", "--by", "Coordinator")
    check_golden("import-sheets-round-trip.diff", _diff(before, DRAFT.read_bytes()).encode())


@pytest.mark.parametrize("sheet_name", ["Activities", "Indicators"])
def test_a_splice_that_writes_other_than_the_rows_ask_writes_nothing(
    cli, repo, monkeypatch, sheet_name
):
    from workplan_cli import yamlio
    from workplan_cli.edit import record, status

    update = {"Activities": {"1.1.2": {"Status": "in-progress"}}}
    filled = fill(export(cli, repo, "--plan", "2025"), {**update, "Indicators": {"1.1-a": ACTUAL}})
    before = DRAFT.read_bytes()
    if sheet_name == "Activities":  # the entry written is not the one the row asks for
        entry = status.history_entry
        monkeypatch.setattr(status, "history_entry", lambda a, r: [*entry(a, r), ("note", "x")])
    else:
        made = record.actual_entry
        wrong = ("value", yamlio.Plain("7"))
        monkeypatch.setattr(record, "actual_entry", lambda a: [*made(a)[:2], wrong, *made(a)[3:]])
    out = cli("import", filled.name, code=1).stderr
    assert "the import would change more than" in out and "nothing was written" in out
    assert DRAFT.read_bytes() == before


def test_periods_too_many_for_a_drop_down_leave_the_other_rules_whole(cli, repo):
    # Excel opens a drop-down of at most 255 characters; a longer one makes it drop every rule
    # of the sheet. 40 quarters (319 characters) are typed instead; the import checks them.
    many = ", ".join(f'"{y}-Q{q}"' for y in range(2020, 2030) for q in range(1, 5))
    text = DRAFT.read_text(encoding="utf-8")
    DRAFT.write_text(text.replace('"2025-Q2", "2025-Q4"', f'"2025-Q2", "2025-Q4", {many}'))
    book = openpyxl.load_workbook(export(cli, repo, "--plan", "2025"))
    for name in (sheet.SHEET, indicatorsheet.SHEET):
        rules = book[name].data_validations.dataValidation
        assert all(len(r.formula1 or "") <= 255 + 2 for r in rules)  # and its two quotes
    indicator_rules = book[indicatorsheet.SHEET].data_validations.dataValidation
    assert [r.type for r in indicator_rules] == ["date"]  # the new actual's date
    assert "list" in {r.type for r in book[sheet.SHEET].data_validations.dataValidation}
