"""`workplan import`: partners' updates from a workbook or CSV (edit/importing.py)."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import git
from tests.exporting import add_dates, check_golden
from tests.gitplans import edit_activity
from workplan_cli.edit import importing, rows, sheet
from workplan_cli.edit.sheet import Cell, Table

PLAN = Path("data/workplan-2024.yaml")
STATUS_ERROR = "is not one of planned, in-progress, completed, postponed, cancelled"


def export(cli, repo: Path, *args: str) -> Path:
    cli("export", "-o", "plan.xlsx", *args)
    return repo / "plan.xlsx"


def fill(path: Path, rows: dict[str, dict[str, object]], out: str = "filled.xlsx") -> Path:
    """Changes cells as a partner would: {activity id: {column label: value}}."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet.SHEET]
    header = {c.value: c.column for c in ws[1]}
    at = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for ident, cells in rows.items():
        for label, value in cells.items():
            cell = ws.cell(row=at[ident], column=header[label])
            cell.value = value
    target = path.parent / out
    book.save(target)
    return target


UPDATES = {
    "1.1.1": {"Status": "completed", "Update: Date": dt.date(2024, 11, 5), "Update: Note": "Held"},
    "1.3.2": {
        "Update: Note": "Report, see annex",
        "Update: Evidence": "doc-1\n\ndoc-2 ",
        "Update: Date": "2024-10-01",  # typed as text
    },
    "2.2.1": {"Update: By": "Someone"},  # nothing to record: an error, below
}


def test_round_trip_changes_only_the_intended_lines(cli, repo):
    add_dates(repo)
    before = PLAN.read_bytes()
    rows = {k: v for k, v in UPDATES.items() if k != "2.2.1"}
    filled = fill(export(cli, repo), rows)
    got = cli("import", "filled.xlsx", "--by", "Focal point")
    assert "2 updates written to data/workplan-2024.yaml" in got.stdout
    after = PLAN.read_bytes()
    check_golden("import-round-trip.diff", _diff(before, after).encode("utf-8"))
    lines = difflib.ndiff(before.decode().split("\n"), after.decode().split("\n"))
    removed = [line[2:] for line in lines if line.startswith("- ")]
    assert removed == ["            status: planned", "            history: []"]  # 1.1.1's
    assert filled.exists()
    plan = cli("show", "1.3.2", "--format", "json").stdout
    assert '"note": "Report, see annex"' in plan and '"doc-2"' in plan


def _diff(before: bytes, after: bytes) -> str:
    return "".join(
        difflib.unified_diff(
            before.decode().splitlines(keepends=True),
            after.decode().splitlines(keepends=True),
            "before",
            "after",
        )
    )


def test_dry_run_prints_the_changes_and_the_diff_and_writes_nothing(cli, repo):
    before = PLAN.read_bytes()
    fill(export(cli, repo), {"1.1.1": UPDATES["1.1.1"]})
    got = cli("import", "filled.xlsx", "--dry-run", "--by", "x")
    assert "2  1.1.1  2024-11-05  planned -> completed: Held" in got.stdout
    assert "-            status: planned\n+            status: completed" in got.stdout
    assert "(dry run: nothing written)" in got.stdout
    assert PLAN.read_bytes() == before


def test_bad_cells_are_all_named_and_nothing_is_written(cli, repo):
    before = PLAN.read_bytes()
    fill(
        export(cli, repo),
        {
            "1.1.1": {"Status": "complted"},
            "1.1.2": {"Update: Date": "next week", "Update: Note": "x"},
            "1.1.3": {"Update: Note": "=1+1"},  # a formula, as a partner types it
            "2.2.1": {"Update: By": "Someone"},
        },
    )
    got = cli("import", "filled.xlsx", code=1)
    lines = got.stderr.splitlines()
    assert lines[1].strip() == "4 cells cannot be imported; nothing was written:"
    assert f"filled.xlsx:Activities!E2: 'complted' {STATUS_ERROR}" in got.stderr
    assert "filled.xlsx:Activities!P3: 'next week' is not a date" in got.stderr
    assert "filled.xlsx:Activities!Q4: is a formula ('=1+1'); type the value itself" in got.stderr
    assert "an update without a new status, a note or evidence" in got.stderr
    assert PLAN.read_bytes() == before


def test_dates_out_of_order_or_in_the_future_and_reopening_are_refused(cli, repo):
    add_dates(repo)
    future = dt.date.today() + dt.timedelta(days=3)
    fill(
        export(cli, repo),
        {
            "1.1.1": {"Status": "completed", "Update: Date": future},
            "1.3.2": {"Status": "planned"},
            "2.2.1": {"Update: Note": "late", "Update: Date": dt.date(2024, 1, 1)},
        },
    )
    got = cli("import", "filled.xlsx", code=1)
    assert f"{future.isoformat()} is after today" in got.stderr
    assert "1.3.2 is completed; moving it to planned reopens a closed activity" in got.stderr
    assert "2024-01-01 is before the last history entry of 2.2.1 (2024-05-20)" in got.stderr


def test_many_bad_cells_are_cut_at_the_limit(cli, repo):
    book = openpyxl.load_workbook(export(cli, repo))
    ws = book[sheet.SHEET]
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=5).value = "nope"
    for r in range(ws.max_row + 1, rows.MAX_ERRORS + 20):
        ws.cell(row=r, column=1).value = f"9.9.{r}"
        ws.cell(row=r, column=5).value = "nope"
    book.save(repo / "filled.xlsx")
    got = cli("import", "filled.xlsx", code=1)
    shown = [line for line in got.stderr.splitlines() if "filled.xlsx:Activities!" in line]
    assert len(shown) == rows.MAX_ERRORS
    assert "... and " in got.stderr.splitlines()[-1]


def test_conflicts_are_refused_in_a_table_and_force_applies_the_others(cli, git_repo):
    fill(export(cli, git_repo), {"1.1.1": UPDATES["1.1.1"], "1.1.2": {"Status": "in-progress"}})
    edit_activity(git_repo / PLAN, "1.1.2", status="postponed")  # someone else, meanwhile
    git(git_repo, "commit", "-qam", "1.1.2 postponed")
    before = PLAN.read_bytes()
    got = cli("import", "filled.xlsx", code=1)
    assert "Row  ID     Conflict" in got.stdout  # the id as declared (plan/model.py)
    assert "1.1.2 changed in the plan since the workbook was made (now postponed)" in got.stdout
    assert "1 row conflict with the plan; nothing was written (--force applies" in got.stderr
    assert PLAN.read_bytes() == before
    got = cli("import", "filled.xlsx", "--force", "--commit", "--by", "fp")
    assert "Skipped (--force):" in got.stdout and "1 update written" in got.stdout
    message = git(git_repo, "log", "-1", "--format=%B")
    assert message == "import filled.xlsx: 1 update\n\n1.1.1: planned -> completed: Held\n\n"
    assert git(git_repo, "status", "--porcelain", "--untracked-files=no") == ""
    assert "status: postponed" in PLAN.read_text()


def test_a_workbook_of_another_version_or_with_unknown_ids_conflicts(cli, git_repo):
    book = openpyxl.load_workbook(export(cli, git_repo))
    ws = book[sheet.SHEET]
    ws["E2"] = "completed"
    check = ws.cell(row=2, column=len(sheet.columns())).value
    ws.cell(row=2, column=len(sheet.columns())).value = check.replace("2024:", "2023:")
    ws["A3"] = "1.1.99"
    ws["E3"] = "postponed"
    book.save(git_repo / "filled.xlsx")
    got = cli("import", "filled.xlsx", code=1)
    assert "made from plan version 2023; this is 2024" in got.stdout
    assert "no activity 1.1.99 in plan 2024" in got.stdout


def test_a_second_import_of_the_same_workbook_conflicts(cli, repo):
    fill(export(cli, repo), {"1.1.1": UPDATES["1.1.1"]})
    cli("import", "filled.xlsx")
    got = cli("import", "filled.xlsx", code=1)
    assert "1.1.1 changed in the plan since the workbook was made" in got.stdout


def test_nothing_to_import(cli, repo):
    export(cli, repo)
    got = cli("import", "plan.xlsx")
    assert "Nothing to import" in got.stdout


def test_the_activities_sheet_saved_as_csv_imports_the_same(cli, repo, tmp_path):
    filled = fill(export(cli, repo), {"1.1.1": UPDATES["1.1.1"]})
    book = openpyxl.load_workbook(filled)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";")
    for row in book[sheet.SHEET].iter_rows(values_only=True):
        writer.writerow(
            [
                "" if v is None else v.date().isoformat() if isinstance(v, dt.datetime) else v
                for v in row
            ]
        )
    (repo / "filled.csv").write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    cli("import", "filled.csv", "--dry-run")
    cli("import", "filled.csv", "--by", "x")
    assert "note: Held" in PLAN.read_text() or 'note: "Held"' in PLAN.read_text()


def test_a_csv_cell_made_inert_by_the_csv_export_gets_its_text_back():
    table = Table("u.csv", None, [(1, [Cell("Id")]), (2, [Cell("'=1+1"), Cell("'x"), Cell("'-")])])
    header = {"id": 0, "update_note": 1, "update_by": 2}
    cells = rows.Cells(table, 2, table.rows[1][1], header)
    assert (cells.text("id"), cells.text("update_note"), cells.text("update_by")) == (
        "=1+1",
        "'x",
        "-",
    )


def test_a_csv_in_another_encoding_is_refused(cli, repo):
    (repo / "u.csv").write_bytes("Id,Status\r\n1.1.1,erledigt ü\r\n".encode("cp1252"))
    got = cli("import", "u.csv", code=1)
    assert "u.csv:2: not UTF-8 (byte 0xfc); save the file as CSV in UTF-8" in got.stderr


def test_a_table_without_the_check_column_is_refused(cli, repo):
    cli("export", "--format", "csv", "-o", "plan.csv")
    got = cli("import", "plan.csv", code=1)
    assert "no column 'ID', 'Status', 'Check'" not in got.stderr
    assert "no column 'Check' in the header row" in got.stderr


def test_commit_message_lists_every_change():
    from workplan_cli.edit.status import Request
    from workplan_cli.plan.vocab import Status

    day = dt.date(2024, 5, 1)
    batch = [
        importing.Change(2, Request("1.1.1", Status.COMPLETED, day, "Held\n well"), Status.PLANNED),
        importing.Change(3, Request("1.1.2", Status.PLANNED, day), Status.PLANNED),
    ]
    assert importing.commit_message("x/u.xlsx", batch) == (
        "import u.xlsx: 2 updates\n\n1.1.1: planned -> completed: Held well\n"
        "1.1.2: planned -> planned\n"
    )


def test_dry_run_cannot_commit(cli, repo):
    export(cli, repo)
    got = cli("import", "plan.xlsx", "--commit", "--dry-run", code=2)
    assert "cannot --commit" in got.stderr


def test_commit_refuses_a_plan_with_other_changes(cli, git_repo):
    fill(export(cli, git_repo), {"1.1.1": UPDATES["1.1.1"]})
    edit_activity(git_repo / PLAN, "1.1.2", status="postponed")  # not committed
    before = PLAN.read_bytes()
    got = cli("import", "filled.xlsx", "--commit", code=1)
    assert "has uncommitted changes" in got.stderr
    assert PLAN.read_bytes() == before


def test_rows_left_as_exported_are_no_conflict_when_the_plan_moved_on(cli, git_repo):
    fill(export(cli, git_repo), {"1.1.1": UPDATES["1.1.1"]})
    edit_activity(git_repo / PLAN, "1.1.2", status="postponed")  # someone else, meanwhile
    got = cli("import", "filled.xlsx")
    assert "1 update written" in got.stdout and "Conflict" not in got.stdout
    text = PLAN.read_text()
    assert text.count("status: postponed") == 1 and 'note: "Held"' in text


def test_a_crlf_file_with_a_bom_keeps_its_bytes_but_the_intended_lines(cli, repo):
    text = PLAN.read_bytes().replace(b"\n", b"\r\n")
    PLAN.write_bytes(b"\xef\xbb\xbf" + text)
    before = PLAN.read_bytes()
    fill(export(cli, repo), {"1.1.1": UPDATES["1.1.1"], "2.2.1": {"Update: Note": "Later"}})
    cli("import", "filled.xlsx", "--by", "fp")
    after = PLAN.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and b"\n" not in after.replace(b"\r\n", b"")
    lines = difflib.ndiff(before.decode().split("\r\n"), after.decode().split("\r\n"))
    changed = [line for line in lines if line[:2] in ("- ", "+ ")]
    assert [line for line in changed if line.startswith("- ")] == [
        "-             status: planned",
        "-             history: []",
        "-             history: []",
    ]
    assert len(changed) == 3 + 7 + 6  # 1.1.1: status and 5 lines of history; 2.2.1: 5 lines


def test_a_workbook_made_from_one_version_conflicts_with_another(cli, repo):
    fill(export(cli, repo), {"1.1.1": UPDATES["1.1.1"]})
    got = cli("import", "filled.xlsx", "--plan", "2025", code=1)
    assert "made from plan version 2024; this is 2025" in got.stdout


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_the_sheet_saved_as_csv_by_libreoffice_imports(cli, repo, tmp_path):
    filled = fill(export(cli, repo), {"1.1.1": UPDATES["1.1.1"]})
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2",
            "--outdir",
            str(repo),
            str(filled),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    got = cli("import", "filled-Activities.csv", "--by", "fp")
    assert "1 update written" in got.stdout
    assert '- date: "2024-11-05"' in PLAN.read_text()


def test_the_workbooks_version_names_a_plan_under_data_never_a_path(cli, repo, tmp_path):
    """The version comes from the partner's workbook: it must not steer the write elsewhere."""
    outside = tmp_path / "elsewhere" / "workplan-2024.yaml"
    outside.parent.mkdir()
    shutil.copyfile(PLAN, outside)
    before, data_before = outside.read_bytes(), PLAN.read_bytes()
    book = openpyxl.load_workbook(fill(export(cli, repo), {"1.1.1": UPDATES["1.1.1"]}))
    for prop in book.custom_doc_props:
        if prop.name == "workplan.version":
            prop.value = str(outside)
    book.save(repo / "filled.xlsx")
    got = cli("import", "filled.xlsx", code=1)
    assert "not a plan in data" in got.output
    assert outside.read_bytes() == before
    assert PLAN.read_bytes() == data_before


def test_stakeholders_are_read_once_even_when_the_rows_name_no_version(cli, repo, monkeypatch):
    from workplan_cli.plan.store import Repo

    (repo / "header.csv").write_text("Id,Status,Check\n")  # no row: the current plan is updated
    calls = []
    real = Repo.load_stakeholders

    def counted(self):
        calls.append(self)
        return real(self)

    monkeypatch.setattr(Repo, "load_stakeholders", counted)
    got = cli("import", "header.csv")
    assert "Nothing to import: no row of header.csv changes data/workplan-2024.yaml" in got.stdout
    assert len(calls) == 1


def test_a_failed_commit_puts_the_plan_back_as_every_update_does(cli, git_repo):
    fill(export(cli, git_repo), {"1.1.1": UPDATES["1.1.1"]})
    before, head = PLAN.read_bytes(), git(git_repo, "rev-parse", "HEAD")
    hook = git_repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho refused >&2\nexit 1\n")
    hook.chmod(0o755)
    got = cli("import", "filled.xlsx", "--commit", code=1)
    assert got.stderr == (
        "Error: data/workplan-2024.yaml was not committed (git commit failed: refused); the "
        "update was undone: the file is as it was before, and nothing is staged\n"
    )
    assert PLAN.read_bytes() == before and git(git_repo, "rev-parse", "HEAD") == head
    assert git(git_repo, "status", "--porcelain", "--untracked-files=no") == ""
