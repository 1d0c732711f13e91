"""`workplan set-status ID STATUS`: record what happened to an activity."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

import typer

from workplan_cli.cli.common import (
    ActivityIdArgument,
    CommitOption,
    DryRunOption,
    PlanOption,
    RecorderOption,
    RepoOption,
    open_repo,
    refuse_dry_run_commit,
)
from workplan_cli.cli.output import echo, write
from workplan_cli.plan.vocab import Status


def set_status(
    activity_id: ActivityIdArgument,
    status: Annotated[Status, typer.Argument(metavar="STATUS", help="The new status.")],
    note: Annotated[
        Optional[str], typer.Option("--note", "-n", help="What happened, in a sentence or two.")
    ] = None,
    on: Annotated[
        Optional[str],
        typer.Option(
            "--on", help="Date of the change, YYYY-MM-DD (default: today).", show_default=False
        ),
    ] = None,
    by: RecorderOption = None,
    evidence: Annotated[
        Optional[list[str]],
        typer.Option("--evidence", "-e", help="An output or evidence, text or URL (repeatable)."),
    ] = None,
    plan: PlanOption = None,
    dry_run: DryRunOption = False,
    commit: CommitOption = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Allow reopening a completed or cancelled activity, setting the status it "
            "already has, or a date after today (for a computer whose clock is wrong).",
        ),
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Set an activity's status and add a dated entry to its history.

    Only the status value and the new history lines of the file change; everything else
    (comments, quoting, indentation, line endings) stays byte for byte.

    Example: workplan set-status 1.3.2 completed --note "Hackathon held" --on 2024-10-12
    """
    from workplan_cli.edit import progress
    from workplan_cli.edit import status as edit

    refuse_dry_run_commit(dry_run, commit)
    store = open_repo(repo)
    request = edit.Request(
        activity_id=activity_id,
        status=status,
        on=edit.parse_date(on) if on is not None else dt.date.today(),
        note=note,
        by=by if by is not None else progress.default_author(store),
        evidence=tuple(evidence or ()),
        force=force,
    )
    outcome = progress.record(store, request, plan, dry_run=dry_run, commit=commit)
    if dry_run:
        write(outcome.diff())
        return
    change = outcome.edit
    echo(f"{change.activity_id}: {change.from_.value} -> {change.to.value} ({outcome.name})")
    if outcome.commit:
        echo(f"committed {outcome.commit[:12]}")
