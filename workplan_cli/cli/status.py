"""`workplan status`: the plan's progress by area and topic."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

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
from workplan_cli.cli.output import (
    Column,
    echo,
    field_column,
    is_terminal,
    markdown_table,
    percent,
    print_json,
    print_table,
)
from workplan_cli.output.inert import one_line
from workplan_cli.plan.vocab import STATUSES

if TYPE_CHECKING:
    from workplan_cli.plan.query import Filters
    from workplan_cli.plan.schedule import Rollup, Schedule


def columns(compact: bool = False) -> list[Column]:
    """Returns the table's columns: the id of the area or topic headed by its declared label,
    then what is counted of its activities (no field holds those, so no declaration labels
    them): one column a status and the total, or in a terminal, often 80 columns wide, the
    counts in one column naming their status; the progress last."""
    from workplan_cli.plan.model import Area

    # A row is an area or a topic: both declare their id alike, the area's (the first level)
    # heads it. "Area / topic" names the two levels the rows are, not a field.
    head = [field_column(Area, "id"), Column("Area / topic")]
    if compact:
        return [*head, Column("Activities"), Column("Progress")]
    counts = [Column(s.replace("-", " ").capitalize(), right=True) for s in STATUSES]
    return [*head, *counts, Column("Total", right=True), Column("Progress", right=True)]


# When some activity of the plan has an end date: each row's colour and its overdue activities.
SCHEDULE = [Column("Schedule"), Column("Overdue", right=True)]


@with_filters
def status(
    plan: PlanOption = None,
    filters: Filters = FILTERS,  # the filter options: see with_filters
    format: FormatOption = Format.TABLE,
    as_of: AsOfOption = None,
    repo: RepoOption = None,
) -> None:
    """Show the plan's activities counted by status, per area and topic.

    Progress is the share of activities completed, leaving cancelled ones out. When some
    activity has an end date or some topic has indicators, each area and topic also shows its
    colour (red, amber, green, grey: the worst of its activities and its indicators) and how
    many of its activities are overdue.

    Example: workplan status --area 2 --format markdown
    """
    from workplan_cli.output import views
    from workplan_cli.plan import query, results, schedule

    when = None if as_of is None else as_of_date(as_of)  # None: today, recorded statuses
    store = open_repo(repo)
    the_plan = store.load_plan(plan)
    filters = query.resolve_filters(filters, the_plan, store.load_stakeholders())
    if when is not None:
        from workplan_cli.output.reportdata import plan_as_of

        the_plan = plan_as_of(the_plan, when)  # the statuses on that day, from the histories
    rows, total = query.summarize(the_plan, filters)

    def judged() -> schedule.Schedule:
        day = when or dt.date.today()
        kept = [r for r in the_plan.indicators() if query.keeps_indicator(filters, r)]
        found = results.colours(kept, day)
        return schedule.schedule(the_plan, query.select(the_plan, filters), when, indicators=found)

    if format is Format.JSON:
        print_json(views.status_view(the_plan, rows, total, filters, judged()))
        return
    compact = is_terminal() and format is Format.TABLE
    cells = _compact_cells if compact else _cells
    table = [
        cells(row.id, row.title if row.level == "area" else "  " + row.title, row.tally)
        for row in rows
    ]
    table.append(cells("", "All activities shown", total))
    heads = columns(compact)
    if schedule.has_colours(the_plan):  # a plan without dates or indicators: as it always was
        heads += SCHEDULE
        found = judged()
        for cells_of, rollup in zip(table, [*_rollups(rows, found), found.total], strict=True):
            cells_of += [rollup.colour, str(rollup.overdue)]
    header = _header(the_plan, when)
    if format is Format.MARKDOWN:
        from workplan_cli.output.markdown import md, md_inline

        echo(f"## {md_inline(header[0])}\n\n{md(header[1])}\n")
        echo(markdown_table(heads, table).rstrip("\n"))
        return
    echo(one_line(header[0]), style="bold")
    echo(one_line(header[1]))
    echo()
    bold = frozenset(i for i, r in enumerate(rows) if r.level == "area") | {len(rows)}
    print_table(heads, table, bold)


def _rollups(rows, judged: Schedule) -> list[Rollup]:
    """Returns each row's roll-up (a topic none of whose activities is kept has an empty one)."""
    from workplan_cli.plan.schedule import Rollup

    by_level = {"area": judged.areas, "topic": judged.topics}
    return [by_level[row.level].get(row.id) or Rollup() for row in rows]


def _cells(ident: str, title: str, tally) -> list[str]:
    counts = [str(tally.counts[s]) for s in STATUSES]
    return [ident, title, *counts, str(tally.total), percent(tally.progress)]


def _compact_cells(ident: str, title: str, tally) -> list[str]:
    counts = ", ".join(f"{tally.counts[s]} {s}" for s in STATUSES if tally.counts[s])
    filled = round((tally.progress or 0) * 10)
    bar = "#" * filled + "." * (10 - filled)
    return [
        ident,
        title,
        f"{tally.total}: {counts}" if counts else "0",
        f"{bar} {percent(tally.progress)}",
    ]


def _header(plan, as_of=None) -> tuple[str, str]:
    meta = plan.plan
    signed = f" on {meta.signed.date.isoformat()}" if meta.signed else ""
    day = f"; as of {as_of.isoformat()}, from the status histories" if as_of else ""
    return meta.title, f"Version {meta.version}, {meta.status.value}{signed}{day}"
