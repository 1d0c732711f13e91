"""`workplan due`: what is overdue and what falls due soon, with who leads it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from workplan_cli.cli.common import (
    FILTERS,
    AsOfOption,
    Format,
    FormatOption,
    PlanOption,
    RepoOption,
    as_of_date,
    open_repo,
    with_filters,
)
from workplan_cli.cli.output import Column, echo, markdown_table, print_json, print_table
from workplan_cli.output.inert import one_line

if TYPE_CHECKING:
    from workplan_cli.plan.query import Filters
    from workplan_cli.plan.schedule import Due

EXIT_OVERDUE = 4  # 1 is taken by errors, 2 by usage errors, 3 by internal errors
DUE_FORMAT = 1  # the "format" of the JSON output


def columns() -> list[Column]:
    """Returns the table's columns: the activity's fields headed by their declared labels, the
    judgement of the day after them."""
    from workplan_cli.cli.output import field_column
    from workplan_cli.plan.model import Activity

    return [
        field_column(Activity, "id"),
        # The activity named by its title: the row's subject beside who leads it, not the
        # title field's label ("Title"), as the table has always read.
        Column("Activity"),
        *(field_column(Activity, k) for k in ("lead", "status", "end")),
        # Judged as of the day (plan/schedule.py: why and the colour), not fields.
        Column("When"),
        Column("Colour"),
    ]


@with_filters
def due(
    plan: PlanOption = None,
    filters: Filters = FILTERS,  # the filter options: see with_filters
    within: Annotated[
        Optional[int],
        typer.Option(
            "--within",
            min=0,
            metavar="DAYS",
            help="List what falls due within this many days (default: the plan's "
            "monitoring.amber_days, 30 unless it sets another).",
            show_default=False,
        ),
    ] = None,
    overdue_only: Annotated[bool, typer.Option("--overdue", help="Only what is overdue.")] = False,
    as_of: AsOfOption = None,
    format: FormatOption = Format.TABLE,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help=f"Exit {EXIT_OVERDUE} when something is overdue, 0 when nothing is.",
        ),
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Show what is overdue and what falls due soon, with who leads it.

    Overdue: past its end date and neither completed nor cancelled. Due soon: its end date
    falls within --within days (today included).

    Example: workplan due --within 14 --lead bmdv --format markdown
    """
    from workplan_cli.plan import query, schedule

    when = None if as_of is None else as_of_date(as_of)  # None: today, recorded statuses
    store = open_repo(repo)
    the_plan = store.load_plan(plan)
    people = store.load_stakeholders()
    filters = query.resolve_filters(filters, the_plan, people)
    refs = query.select(the_plan, filters)
    days = schedule.amber_days(the_plan) if within is None else within
    late, soon = schedule.due(the_plan, refs, when, days)
    if overdue_only:
        soon = []
    day = when or dt.date.today()
    names = {s.id: s.label for s in people.stakeholders}
    if format is Format.JSON:
        print_json(
            {
                "format": DUE_FORMAT,
                "plan": _header(the_plan),
                "as_of": day.isoformat(),
                "within": None if overdue_only else days,
                "filters": filters.as_dict(),
                "overdue": [_item(d) for d in late],
                "due_soon": [_item(d) for d in soon],
            }
        )
    else:
        _print(the_plan, day, days, overdue_only, late, soon, names, format)
    if exit_code and late:
        raise typer.Exit(EXIT_OVERDUE)


def _header(plan) -> dict:
    from workplan_cli.output.views import plan_header

    return plan_header(plan)


def _item(d: Due) -> dict:
    a = d.ref.activity
    return {
        "id": a.id,
        "title": a.title,
        "area": d.ref.area.id,
        "topic": d.ref.topic.id,
        "status": d.status.value,
        "lead": list(a.lead),
        "start": a.start.isoformat() if a.start else None,
        "end": a.end.isoformat() if a.end else None,
        **d.judgement.as_dict(),
    }


def _rows(found: list[Due], names: dict[str, str]) -> list[list[str]]:
    rows = []
    for d in found:
        a = d.ref.activity
        lead = ", ".join(names.get(i) or i for i in a.lead) or "-"
        end = a.end.isoformat() if a.end else "-"
        rows.append(
            [a.id, a.title, lead, d.status.value, end, d.judgement.reason, d.judgement.colour]
        )
    return rows


def _print(plan, day, days, overdue_only, late, soon, names, format) -> None:
    meta = plan.plan
    sections = [(f"Overdue ({len(late)})", late, "Nothing is overdue.")]
    if not overdue_only:
        sections.append(
            (f"Due within {days} days ({len(soon)})", soon, "Nothing falls due in that time.")
        )
    if format is Format.MARKDOWN:
        from workplan_cli.output.markdown import md_inline

        out = [
            f"## What is due: {md_inline(meta.title)} ({md_inline(meta.version)})",
            "",
            f"As of {day.isoformat()}.",
        ]
        for title, found, none in sections:
            out += ["", f"### {title}", ""]
            out.append(
                markdown_table(columns(), _rows(found, names)).rstrip("\n") if found else none
            )
        echo("\n".join(out))
        return
    echo(one_line(f"{meta.title} ({meta.version}): what is due"), style="bold")
    echo(f"As of {day.isoformat()}")
    for title, found, none in sections:
        echo()
        echo(title, style="bold")
        if found:
            print_table(columns(), _rows(found, names))
        else:
            echo(none)
