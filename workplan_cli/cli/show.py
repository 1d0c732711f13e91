"""`workplan show ID`: one activity in full."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Sequence
from typing import Annotated

import typer

from workplan_cli.cli import complete
from workplan_cli.cli.common import (
    AsOfOption,
    Format,
    FormatOption,
    PlanOption,
    RepoOption,
    as_of_date,
    open_repo,
)
from workplan_cli.cli.output import echo, print_json
from workplan_cli.output.inert import one_line

_RESULTS = re.compile(r"[0-9]+\.[0-9]+(/[0-9]+|-.*)?")

ShownIdArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help="An activity (1.3.2), topic (1.3), objective (1.3/2) or indicator (1.3-a) id.",
        autocompletion=complete.shown_ids,
    ),
]


def show(
    activity_id: ShownIdArgument,
    plan: PlanOption = None,
    format: FormatOption = Format.TABLE,
    as_of: AsOfOption = None,
    repo: RepoOption = None,
) -> None:
    """Show one activity in full: topic, objectives, text, status, people, dates, history.

    An activity with dates also shows its schedule colour and its actual start and end (from
    its history). A topic (1.3) or one of its objectives (1.3/2) is shown with its indicators,
    an indicator (1.3-a) with its baseline, targets and actuals.

    Example: workplan show 1.3.2
    """
    from workplan_cli.output import views
    from workplan_cli.plan import query

    when = None if as_of is None else as_of_date(as_of)  # None: today, recorded statuses
    store = open_repo(repo)
    the_plan = store.load_plan(plan)
    if _RESULTS.fullmatch(activity_id):  # a topic, an objective or an indicator
        from workplan_cli.cli.showresults import show_results

        show_results(the_plan, activity_id, format, as_of_date(as_of))
        return
    ref = query.find_activity(the_plan, activity_id)
    timing = schedule_facts(the_plan, ref, when)
    if format is Format.JSON:
        print_json(
            {
                "plan": views.plan_header(the_plan),
                "activity": views.activity_view(ref, True),
                "schedule": timing,
            }
        )
        return
    names = {s.id: s.label for s in store.load_stakeholders().stakeholders}
    extra = _schedule_lines(ref.activity, timing)
    lines = activity_lines(ref, names, markdown=format is Format.MARKDOWN, extra=extra)
    for i, line in enumerate(lines):
        echo(line, style="bold" if i == 0 else None)


def schedule_facts(plan, ref, as_of) -> dict:
    """Returns the activity's schedule on `as_of` (default today): the day, its colour and why,
    and its actual start and end from its history."""
    from workplan_cli.plan import schedule

    a = ref.activity
    day = as_of or dt.date.today()
    status = a.status if as_of is None else schedule.status_on(a, as_of)
    verdict = schedule.judge(a, day, schedule.amber_days(plan), status)
    start, end = schedule.actual_dates(a, as_of)
    return {
        "as_of": day.isoformat(),
        **verdict.as_dict(),
        "actual_start": start.isoformat() if start else None,
        "actual_end": end.isoformat() if end else None,
    }


def _schedule_lines(activity, timing: dict) -> list[tuple[str, str]]:
    """Returns the summary lines of the schedule: the colour when the activity has dates or is
    postponed (else there is nothing to judge), the actual dates when its history gives any."""
    out = []
    if activity.start or activity.end or timing["colour"] == "red":
        out.append(
            ("Schedule", f"{timing['colour']}: {timing['reason']} (as of {timing['as_of']})")
        )
    if timing["actual_start"] or timing["actual_end"]:
        started, ended = timing["actual_start"] or "-", timing["actual_end"] or "-"
        out.append(("Actual", f"started {started}, ended {ended}"))
    return out


def activity_lines(
    ref, names: dict[str, str], markdown: bool = False, extra: Sequence[tuple[str, str]] = ()
) -> list[str]:
    """Returns the activity as lines of text (or Markdown): every field its model declares,
    then the `extra` summary lines; plan text in a line stays in it."""
    from workplan_cli.plan import fields
    from workplan_cli.plan.model import Topic
    from workplan_cli.plan.spec import PROSE

    a = ref.activity
    # The levels the activity sits in, named as levels: neither is a field of the activity.
    facts = [
        ("Area", f"{ref.area.id} {ref.area.title}"),
        ("Topic", f"{ref.topic.id} {ref.topic.title}"),
    ]
    facts += [(label, _fact(a, group, names)) for label, group in fields.summary(type(a))]
    facts += list(extra)
    blocks = [(fields.label(Topic, "objectives"), list(ref.topic.objectives), False)]
    blocks += [(f.label, _items(f, a), f.kind == PROSE) for f in fields.body(type(a))]
    if markdown:
        from workplan_cli.output.markdown import md, md_block, md_inline

        out = [f"### {a.id} {md_inline(a.title)}", ""]
        out += [f"- **{k}:** {md_inline(v)}" for k, v in facts]
        for title, items, paragraph in blocks:
            out += ["", f"**{title}**", ""]
            if paragraph and items:
                out += [md_block(i) for i in items]
            else:
                out += [f"- {md(i)}" for i in items] or ["- none"]
        return out
    out = [one_line(f"{a.id}  {a.title}")]
    out += [f"{k + ':':<14}{one_line(v)}" for k, v in facts]
    for title, items, _ in blocks:
        out += _block(title, items)
    return out


def _fact(activity, group, names: dict[str, str]) -> str:
    """Returns one summary line's value: ids as names, a group's dates as 'start to end'."""
    from workplan_cli.output.diffrender import value_text
    from workplan_cli.plan.spec import IDS, REF

    parts = []
    for f in group:
        value = f.shown(activity)
        if f.kind in (IDS, REF):
            ids = value if isinstance(value, list) else [value] if value else []
            parts.append(", ".join(names.get(i) or i for i in ids))
        elif value is not None:
            parts.append(value_text(f.plain(activity)))
    return " to ".join(p for p in parts if p) or "-"


def _items(f, activity) -> list[str]:
    """Returns a field shown below the summary as the lines of its block."""
    from workplan_cli.output.diffrender import value_text
    from workplan_cli.plan.model import HistoryEntry
    from workplan_cli.plan.spec import ENTRIES

    value = f.shown(activity)
    if f.kind == ENTRIES:
        return [
            _entry(e) if type(e) is HistoryEntry else value_text(f.plain(activity)[i])
            for i, e in enumerate(value)
        ]
    if isinstance(value, list):
        return [value_text(v) if not isinstance(v, str) else v for v in value]
    return [] if value is None else [str(value)]


def _entry(h) -> str:
    from workplan_cli.plan.fields import label
    from workplan_cli.plan.model import HistoryEntry

    line = f"{h.date.isoformat()}  {h.from_.value if h.from_ else '?'} -> {h.to.value}"
    if h.by:  # the label is a word within the line, as `show 1.3-a`'s actuals have it
        line += f"  {label(HistoryEntry, 'by').lower()} {' '.join(h.by.split())}"
    if h.note:
        line += f": {' '.join(h.note.split())}"
    return line


def _block(title: str, items: list[str]) -> list[str]:
    out = ["", f"{title}:"]
    if not items:
        return [*out, "  none"]
    for item in items:
        wrapped = textwrap.wrap(item, 90) or [""]
        out += ["  " + one_line(w) for w in wrapped]
    return out
