"""`workplan stakeholders`: who is who, and the activities that name each."""

from __future__ import annotations

from workplan_cli.cli.common import Format, FormatOption, PlanOption, RepoOption, open_repo
from workplan_cli.cli.output import Column, echo, markdown_table, print_json, print_table


def columns() -> list[Column]:
    """Returns the table's columns: the stakeholder's fields headed by their declared labels,
    then what the plan says of it."""
    from workplan_cli.cli.output import field_column
    from workplan_cli.plan.model import Stakeholder

    return [
        *(field_column(Stakeholder, k) for k in ("id", "name", "type", "country")),
        # Counted from the plan's activities (query.stakeholder_activities), not fields of a
        # stakeholder: no declaration labels them.
        Column("Leads", right=True),
        Column("Involved", right=True),
        Column("Activities"),
    ]


def stakeholders(
    plan: PlanOption = None,
    format: FormatOption = Format.TABLE,
    repo: RepoOption = None,
) -> None:
    """List the stakeholders and, for each, the activities that name it.

    Example: workplan stakeholders --format json
    """
    from workplan_cli.output import views
    from workplan_cli.plan import query

    store = open_repo(repo)
    the_plan = store.load_plan(plan)
    file = store.load_stakeholders()
    involvement = query.stakeholder_activities(the_plan, file)
    if format is Format.JSON:
        print_json(views.stakeholders_view(the_plan, file, involvement))
        return
    every = [ref.activity.id for ref in the_plan.activities()]
    rows = []
    for s in file.stakeholders:
        lead, involved = involvement[s.id]["lead"], involvement[s.id]["involved"]
        named = [i for i in every if i in lead or i in involved]
        shown = f"all {len(every)}" if named == every else ", ".join(named) or "-"
        rows.append(
            [
                s.id,
                s.name,
                s.type.value,
                s.country or "-",
                str(len(lead)),
                str(len(involved)),
                shown,
            ]
        )
    if format is Format.MARKDOWN:
        echo(markdown_table(columns(), rows).rstrip("\n"))
    else:
        print_table(columns(), rows)
