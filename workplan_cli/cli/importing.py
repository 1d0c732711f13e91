"""`workplan import FILE.xlsx|FILE.csv`: partners' updates back into the plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer

from workplan_cli.cli.common import (
    CommitOption,
    PlanOption,
    RepoOption,
    open_repo,
    refuse_dry_run_commit,
)
from workplan_cli.cli.output import Column, echo, echo_plain, field_column, print_table, write

# The row of the workbook or CSV a change comes from: a place in the file, not a field.
ROW = Column("Row", right=True)


def import_updates(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="The workbook (.xlsx) that `export --format xlsx` made, filled in, or its "
            "Activities sheet saved as CSV (UTF-8).",
            show_default=False,
        ),
    ],
    plan: PlanOption = None,
    by: Annotated[
        Optional[str],
        typer.Option(
            "--by",
            help="Who records the updates whose row names no one (default: git's user.name).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print the changes and the file's diff; write nothing."),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Apply the rows without a conflict and skip the others (default: any conflict "
            "refuses the whole import).",
        ),
    ] = False,
    commit: CommitOption = False,
    repo: RepoOption = None,
) -> None:
    """Import partners' updates from a workbook or CSV: each row with a new status, a note or
    evidence becomes the history entry set-status would add, moved planned dates what schedule
    would make, and each new actual of the Indicators sheet what record would add; all in one
    write.

    Rows whose activity changed in the plan since the workbook was made are conflicts: nothing
    is written unless --force. Every bad cell is named (file:Sheet!D7).

    Example: workplan import updates.xlsx --dry-run
    """
    from workplan_cli import fileio
    from workplan_cli.edit import importing, progress
    from workplan_cli.edit.sheet import MAX_FILE_BYTES
    from workplan_cli.plan.model import Activity, HistoryEntry, Indicator

    refuse_dry_run_commit(dry_run, commit)
    store = open_repo(repo)
    name = str(file)
    data = fileio.read_regular(file, limit=MAX_FILE_BYTES, name=name)
    table = _read(data, name)
    author = by if by is not None else progress.default_author(store)
    try:
        outcome = importing.record(
            store, table, dt.date.today(), author, plan, dry_run, commit, force
        )
    except importing.ConflictError as e:
        _conflicts(e.batch.conflicts)
        raise
    batch = outcome.batch
    if batch.conflicts:
        echo("Skipped (--force):")
        _conflicts(batch.conflicts)
    if not batch.size():
        echo(f"Nothing to import: no row of {name} changes {outcome.name}.")
        return
    if batch.changes:
        print_table(
            # The date is the new history entry's (blank for moved planned dates alone); the
            # change is put in words, not a field.
            [
                ROW,
                field_column(Activity, "id"),
                field_column(HistoryEntry, "date"),
                Column("Change"),
            ],
            [
                [
                    str(c.row),
                    c.activity_id,
                    c.request.on.isoformat() if c.request else "",
                    importing.describe(c),
                ]
                for c in batch.changes
            ],
        )
    if batch.actuals:
        print_table(
            [ROW, field_column(Indicator, "id"), Column("New actual")],
            [
                [str(a.row), a.request.indicator_id, importing.actual_words(a)]
                for a in batch.actuals
            ],
        )
    n = batch.size()
    updates = f"{n} update{'s' * (n != 1)}"
    if dry_run:
        write(outcome.diff())
        echo(f"{updates} to {outcome.name} (dry run: nothing written)")
    else:
        echo(f"{updates} written to {outcome.name}")
        if outcome.commit:
            echo(f"committed {outcome.commit[:12]}")
    if outcome.notice:
        echo_plain(f"Note: {outcome.notice}", err=True)


def _read(data: bytes, name: str):
    from workplan_cli.edit import sheet

    if name.lower().endswith(".csv"):
        return sheet.read_csv(data, name)
    from workplan_cli.output.xlsx import read_workbook

    return read_workbook(data, name)


def _conflicts(conflicts) -> None:
    from workplan_cli.plan.model import Activity

    print_table(
        [ROW, field_column(Activity, "id"), Column("Conflict")],
        [[str(c.row), c.activity_id, c.reason] for c in conflicts],
    )
