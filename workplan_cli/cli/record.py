"""`workplan record INDICATOR VALUE --period P`: record a value measured for an indicator."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

import typer

from workplan_cli.cli.common import (
    CommitOption,
    DryRunOption,
    IndicatorIdArgument,
    PlanOption,
    RecorderOption,
    RepoOption,
    open_repo,
    refuse_dry_run_commit,
)
from workplan_cli.cli.output import echo, write


def record(
    indicator_id: IndicatorIdArgument,
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help="The value measured: a number (a percentage for a percent indicator), or a "
            "narrative in quotes for a qualitative one.",
        ),
    ],
    period: Annotated[
        str,
        typer.Option(
            "--period",
            help="The reporting period it counts towards, one of the plan's "
            "(plan.monitoring.periods): 2024 or 2024-Q4.",
            show_default=False,
        ),
    ],
    note: Annotated[
        Optional[str], typer.Option("--note", "-n", help="What it rests on, in a sentence or two.")
    ] = None,
    on: Annotated[
        Optional[str],
        typer.Option(
            "--on", help="Day it was measured, YYYY-MM-DD (default: today).", show_default=False
        ),
    ] = None,
    by: RecorderOption = None,
    evidence: Annotated[
        Optional[list[str]],
        typer.Option("--evidence", "-e", help="A document or link that shows it (repeatable)."),
    ] = None,
    plan: PlanOption = None,
    dry_run: DryRunOption = False,
    commit: CommitOption = False,
    repo: RepoOption = None,
) -> None:
    """Record a value measured for an indicator: a dated entry added to its actuals.

    Only the new lines of the indicator's actuals are added; everything else (comments,
    quoting, indentation, line endings) stays byte for byte.

    Example: workplan record 1.3-a 3 --period 2024 --note "Third exchange held" --on 2024-10-12
    """
    from workplan_cli.edit import progress
    from workplan_cli.edit import record as edit
    from workplan_cli.edit.status import parse_date

    refuse_dry_run_commit(dry_run, commit)
    store = open_repo(repo)
    request = edit.Request(
        indicator_id=indicator_id,
        value=value,
        period=period,
        on=parse_date(on) if on is not None else dt.date.today(),
        note=note,
        by=by if by is not None else progress.default_author(store),
        evidence=tuple(evidence or ()),
    )
    outcome = progress.record_actual(store, request, plan, dry_run=dry_run, commit=commit)
    if dry_run:
        write(outcome.diff())
        return
    change = outcome.edit
    shown = edit.commit_message(change, None).strip()
    echo(f"{shown} ({outcome.name})")
    if outcome.commit:
        echo(f"committed {outcome.commit[:12]}")
