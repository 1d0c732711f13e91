"""`workplan status`: the plan's progress by area and topic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workplan_cli.cli.common import (
    FILTERS,
    Format,
    FormatOption,
    PlanOption,
    RepoOption,
    open_repo,
    with_filters,
)
from workplan_cli.cli.output import (
    Column,
    echo,
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

COLUMNS = (
    [Column("ID"), Column("Area / topic")]
    + [Column(s.replace("-", " ").capitalize(), right=True) for s in STATUSES]
    + [Column("Total", right=True), Column("Progress", right=True)]
)

# A terminal is often 80 columns wide: there the counts share one column, naming their status.
COMPACT = [Column("ID"), Column("Area / topic"), Column("Activities"), Column("Progress")]


@with_filters
def status(
    plan: PlanOption = None,
    filters: Filters = FILTERS,  # the filter options: see with_filters
    format: FormatOption = Format.TABLE,
    repo: RepoOption = None,
) -> None:
    """Show the plan's activities counted by status, per area and topic.

    Progress is the share of activities completed, leaving cancelled ones out.

    Example: workplan status --area 2 --format markdown
    """
    from workplan_cli.output import views
    from workplan_cli.plan import query

    store = open_repo(repo)
    the_plan = store.load_plan(plan)
    filters = query.resolve_filters(filters, the_plan, store.load_stakeholders())
    rows, total = query.summarize(the_plan, filters)
    if format is Format.JSON:
        print_json(views.status_view(the_plan, rows, total, filters))
        return
    compact = is_terminal() and format is Format.TABLE
    cells = _compact_cells if compact else _cells
    table = [
        cells(row.id, row.title if row.level == "area" else "  " + row.title, row.tally)
        for row in rows
    ]
    table.append(cells("", "All activities shown", total))
    header = _header(the_plan)
    if format is Format.MARKDOWN:
        from workplan_cli.output.markdown import md, md_inline

        echo(f"## {md_inline(header[0])}\n\n{md(header[1])}\n")
        echo(markdown_table(COLUMNS, table).rstrip("\n"))
        return
    echo(one_line(header[0]), style="bold")
    echo(one_line(header[1]))
    echo()
    bold = frozenset(i for i, r in enumerate(rows) if r.level == "area") | {len(rows)}
    print_table(COMPACT if compact else COLUMNS, table, bold)


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


def _header(plan) -> tuple[str, str]:
    meta = plan.plan
    signed = f" on {meta.signed.date.isoformat()}" if meta.signed else ""
    return meta.title, f"Version {meta.version}, {meta.status.value}{signed}"
