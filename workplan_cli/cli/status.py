"""`workplan status`: the plan's progress by area and topic."""

from __future__ import annotations

from workplan_cli.cli.common import (
    AreaOption,
    Format,
    FormatOption,
    LeadOption,
    PlanOption,
    RepoOption,
    StakeholderOption,
    StatusOption,
    TopicOption,
    make_filters,
    open_repo,
)
from workplan_cli.cli.output import (
    Column,
    echo,
    markdown_table,
    percent,
    print_json,
    print_table,
)
from workplan_cli.vocab import STATUSES

COLUMNS = (
    [Column("ID"), Column("Area / topic")]
    + [Column(s.replace("-", " ").capitalize(), right=True) for s in STATUSES]
    + [Column("Total", right=True), Column("Progress", right=True)]
)


def status(
    plan: PlanOption = None,
    area: AreaOption = None,
    topic: TopicOption = None,
    status: StatusOption = None,
    lead: LeadOption = None,
    stakeholder: StakeholderOption = None,
    format: FormatOption = Format.TABLE,
    repo: RepoOption = None,
) -> None:
    """Show the plan's activities counted by status, per area and topic.

    Progress is the share of activities completed, leaving cancelled ones out.

    Example: workplan status --area 2 --format markdown
    """
    from workplan_cli import query, views

    store = open_repo(repo)
    the_plan = store.load_plan(plan)
    filters = make_filters(area, topic, status, lead, stakeholder)
    query.check_filters(filters, the_plan, store.load_stakeholders())
    rows, total = query.summarize(the_plan, filters)
    if format is Format.JSON:
        print_json(views.status_view(the_plan, rows, total, filters))
        return
    table = [
        _cells(row.id, row.title if row.level == "area" else "  " + row.title, row.tally)
        for row in rows
    ]
    table.append(_cells("", "All activities shown", total))
    header = _header(the_plan)
    if format is Format.MARKDOWN:
        echo(f"## {header[0]}\n\n{header[1]}\n")
        echo(markdown_table(COLUMNS, table).rstrip("\n"))
        return
    echo(header[0], style="bold")
    echo(header[1])
    echo()
    bold = frozenset(i for i, r in enumerate(rows) if r.level == "area") | {len(rows)}
    print_table(COLUMNS, table, bold)


def _cells(ident: str, title: str, tally) -> list[str]:
    counts = [str(tally.counts[s]) for s in STATUSES]
    return [ident, title, *counts, str(tally.total), percent(tally.progress)]


def _header(plan) -> tuple[str, str]:
    meta = plan.plan
    signed = f" on {meta.signed.date.isoformat()}" if meta.signed else ""
    return meta.title, f"Version {meta.version}, {meta.status.value}{signed}"


def register(app) -> None:
    app.command()(status)
