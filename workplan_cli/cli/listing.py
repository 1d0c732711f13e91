"""`workplan list`: the activities, one a row."""

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
from workplan_cli.cli.output import Column, echo, markdown_table, print_json, print_table

if TYPE_CHECKING:
    from workplan_cli.plan.query import Filters


def columns() -> list[Column]:
    """Returns the table's columns: the activity's fields, each headed by its declared label."""
    from workplan_cli.cli.output import field_column
    from workplan_cli.plan.model import Activity

    return [field_column(Activity, k) for k in ("id", "status", "kind", "lead", "title")]


@with_filters
def list_activities(
    plan: PlanOption = None,
    filters: Filters = FILTERS,  # the filter options: see with_filters
    format: FormatOption = Format.TABLE,
    repo: RepoOption = None,
) -> None:
    """List activities, one a row.

    Example: workplan list --status planned --stakeholder giz
    """
    from workplan_cli.output import views
    from workplan_cli.plan import query

    store = open_repo(repo)
    the_plan = store.load_plan(plan)
    filters = query.resolve_filters(filters, the_plan, store.load_stakeholders())
    refs = query.select(the_plan, filters)
    if format is Format.JSON:
        print_json(views.list_view(the_plan, refs, filters))
        return
    rows = [
        [a.id, a.status.value, a.kind.value, ", ".join(a.lead), a.title]
        for a in (ref.activity for ref in refs)
    ]
    if format is Format.MARKDOWN:
        echo(markdown_table(columns(), rows).rstrip("\n"))
    elif rows:
        print_table(columns(), rows)
    else:
        echo("No activity matches.")
