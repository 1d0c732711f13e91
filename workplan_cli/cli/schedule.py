"""`workplan schedule ID --start DATE --end DATE`: set an activity's planned dates."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Optional

import typer

from workplan_cli.cli.common import (
    ActivityIdArgument,
    CommitOption,
    DryRunOption,
    PlanOption,
    RepoOption,
    open_repo,
    refuse_dry_run_commit,
)
from workplan_cli.cli.output import echo, write


class DateField(StrEnum):
    START = "start"
    END = "end"


def _date_option(name: str, what: str):
    return typer.Option(
        f"--{name}", metavar="DATE", help=f"The planned {what}, YYYY-MM-DD.", show_default=False
    )


def schedule(
    activity_id: ActivityIdArgument,
    start: Annotated[Optional[str], _date_option("start", "start")] = None,
    end: Annotated[Optional[str], _date_option("end", "end: the due date")] = None,
    clear: Annotated[
        Optional[list[DateField]],
        typer.Option(
            "--clear",
            help="Remove a planned date from the activity (start or end; repeatable).",
            show_default=False,
        ),
    ] = None,
    plan: PlanOption = None,
    dry_run: DryRunOption = False,
    commit: CommitOption = False,
    repo: RepoOption = None,
) -> None:
    """Set an activity's planned start and end (its due date); either may be given alone.

    Only the date values change (or their lines are added or removed); everything else
    (comments, quoting, indentation, line endings) stays byte for byte. The end may not be
    before the start. Planned dates are agreed content: in a signed plan the change is an
    amendment, which needs every party's approval (workplan approve) before validate and
    review accept it.

    Example: workplan schedule 1.3.2 --start 2025-04-01 --end 2025-06-30 --plan 2025
    """
    from workplan_cli.edit import progress
    from workplan_cli.edit import schedule as edit
    from workplan_cli.edit.status import parse_date
    from workplan_cli.plan.store import parse_plan

    refuse_dry_run_commit(dry_run, commit)
    request = edit.Request(
        activity_id=activity_id,
        start=_date("--start", start, parse_date),
        end=_date("--end", end, parse_date),
        clear=tuple(dict.fromkeys(c.value for c in clear or ())),
    )
    store = open_repo(repo)

    def make(data: bytes, name: str, ids: set[str]) -> edit.Edit:
        return edit.set_dates(data, name, request, ids, parse_plan)

    outcome = progress.update(store, make, edit.commit_message, plan, dry_run, commit)
    if outcome.edit.notice:  # a signed plan: the change is an amendment (docs/agreeing.md)
        from workplan_cli.cli.output import echo_plain

        echo_plain(f"Warning: {outcome.edit.notice}", err=True)
    if dry_run:
        write(outcome.diff())
        return
    change = outcome.edit
    echo(f"{change.activity_id}: {edit.describe(change.changes)} ({outcome.name})")
    if outcome.commit:
        echo(f"committed {outcome.commit[:12]}")


def _date(option: str, value: Optional[str], parse):
    from workplan_cli.errors import WorkplanError

    if value is None:
        return None
    try:
        return parse(value)
    except WorkplanError:
        raise WorkplanError(
            f"{option} {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-06-30"
        ) from None
