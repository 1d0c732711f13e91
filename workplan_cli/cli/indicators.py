"""`workplan indicators`: each indicator's baseline, latest actual, target, percent achieved and
colour, as of a day."""

from __future__ import annotations

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
from workplan_cli.cli.output import Column, echo, markdown_table, print_json, print_table

if TYPE_CHECKING:
    from workplan_cli.plan.query import Filters


@with_filters
def indicators(
    plan: PlanOption = None,
    filters: Filters = FILTERS,  # the filter options: see with_filters
    as_of: AsOfOption = None,
    format: FormatOption = Format.TABLE,
    repo: RepoOption = None,
) -> None:
    """List indicators: baseline, latest actual, target, percent achieved and colour.

    The colour is amber when the latest actual is below the pro-rata path to the target, green
    otherwise, grey when there is nothing to judge; a note says when an actual is more than
    10% off its pro-rata target (docs/recording-progress.md).

    Example: workplan indicators --topic 1.3 --as-of 2024-12-31
    """
    from workplan_cli.output import views
    from workplan_cli.plan import query, results

    day = as_of_date(as_of)
    store = open_repo(repo)
    the_plan = store.load_plan(plan)
    filters = query.resolve_filters(filters, the_plan, store.load_stakeholders())
    found = [
        (ref, results.standing(ref.indicator, day))
        for ref in the_plan.indicators()
        if query.keeps_indicator(filters, ref)
    ]
    if format is Format.JSON:
        rows = [results.as_plain(ref, s) for ref, s in found]
        print_json(views.indicators_view(the_plan, rows, filters, day.isoformat()))
        return
    table = [table_row(s) for _, s in found]
    if format is Format.MARKDOWN:
        echo(markdown_table(columns(), table).rstrip("\n"))
    elif table:
        print_table(columns(), table)
    else:
        echo(
            "No indicator matches." if any(the_plan.indicators()) else "The plan has no indicators."
        )


def columns() -> list[Column]:
    """Returns the table's columns: a field's column headed by its declared label (plan/model.py),
    its unit's after the objective."""
    from workplan_cli.cli.output import field_column
    from workplan_cli.plan.model import Indicator

    # Latest, Target, Achieved, Colour and Note are judged as of the day (plan/results.py): the
    # latest actual, the target of the period judged, the percent of it reached, the colour and
    # why. No field holds them, so no declaration labels them.
    return [
        *(field_column(Indicator, k) for k in ("id", "objective", "unit")),
        field_column(Indicator, "baseline", right=True),
        Column("Latest", right=True),
        Column("Target", right=True),
        Column("Achieved", right=True),
        Column("Colour"),
        field_column(Indicator, "text"),
        Column("Note"),
    ]


def table_row(found) -> list[str]:
    """Returns one indicator's cells (those of `columns()`): its unit once, bare values, the
    latest and the target with their periods."""
    from workplan_cli.plan.results import value_text as shown

    ind = found.indicator

    def value_text(value) -> str:
        text = shown(ind, value)
        return text if len(text) <= 30 else text[:29] + "…"

    base = ind.baseline
    latest = found.latest
    target = found.target
    return [
        ind.id,
        str(ind.objective),
        ind.unit or "-",
        "-" if base is None else value_text(base.value),
        "-" if latest is None else f"{value_text(latest.value)} ({latest.period})",
        "-" if target is None else f"{value_text(target.value)} ({target.period})",
        "-" if found.achieved is None else f"{found.achieved:.0f}%",
        found.colour,
        ind.text,
        found.note,
    ]
