"""`workplan show ID`: one activity in full."""

from __future__ import annotations

import textwrap

from workplan_cli.cli.common import (
    ActivityIdArgument,
    Format,
    FormatOption,
    PlanOption,
    RepoOption,
    open_repo,
)
from workplan_cli.cli.output import echo, print_json
from workplan_cli.output.inert import one_line


def show(
    activity_id: ActivityIdArgument,
    plan: PlanOption = None,
    format: FormatOption = Format.TABLE,
    repo: RepoOption = None,
) -> None:
    """Show one activity in full: topic, objectives, text, status, people, dates, history.

    Example: workplan show 1.3.2
    """
    from workplan_cli.output import views
    from workplan_cli.plan import query

    store = open_repo(repo)
    the_plan = store.load_plan(plan)
    ref = query.find_activity(the_plan, activity_id)
    if format is Format.JSON:
        print_json(
            {"plan": views.plan_header(the_plan), "activity": views.activity_view(ref, True)}
        )
        return
    names = {s.id: s.label for s in store.load_stakeholders().stakeholders}
    lines = activity_lines(ref, names, markdown=format is Format.MARKDOWN)
    for i, line in enumerate(lines):
        echo(line, style="bold" if i == 0 else None)


def activity_lines(ref, names: dict[str, str], markdown: bool = False) -> list[str]:
    """Returns the activity as lines of text (or Markdown); plan text in a line stays in it."""
    a = ref.activity
    people = lambda ids: ", ".join(names.get(i, i) for i in ids) or "-"  # noqa: E731
    dates = " to ".join(d.isoformat() for d in (a.start, a.end) if d) or "-"
    fields = [
        ("Area", f"{ref.area.id} {ref.area.title}"),
        ("Topic", f"{ref.topic.id} {ref.topic.title}"),
        ("Status", a.status.value),
        ("Kind", a.kind.value),
        ("Lead", people(a.lead)),
        ("Stakeholders", people(a.stakeholders)),
        ("Dates", dates),
    ]
    if markdown:
        from workplan_cli.output.markdown import md, md_block, md_inline

        out = [f"### {a.id} {md_inline(a.title)}", ""]
        out += [f"- **{k}:** {md_inline(v)}" for k, v in fields]
        out += ["", "**Objectives**", ""] + [f"- {md(o)}" for o in ref.topic.objectives]
        out += ["", "**Description**", "", md_block(a.text)]
        out += ["", "**History**", ""] + ([f"- {md(h)}" for h in _history(a)] or ["- none"])
        evidence = [f"- {md(e)}" for e in a.all_evidence()]
        out += ["", "**Evidence**", ""] + (evidence or ["- none"])
        return out
    out = [one_line(f"{a.id}  {a.title}")]
    out += [f"{k + ':':<14}{one_line(v)}" for k, v in fields]
    out += _block("Objectives", ref.topic.objectives)
    out += _block("Description", [a.text])
    out += _block("History", _history(a))
    out += _block("Evidence", a.all_evidence())
    return out


def _history(activity) -> list[str]:
    out = []
    for h in activity.history:
        line = f"{h.date.isoformat()}  {h.from_.value if h.from_ else '?'} -> {h.to.value}"
        if h.by:
            line += f"  by {' '.join(h.by.split())}"
        if h.note:
            line += f": {' '.join(h.note.split())}"
        out.append(line)
    return out


def _block(title: str, items: list[str]) -> list[str]:
    out = ["", f"{title}:"]
    if not items:
        return [*out, "  none"]
    for item in items:
        wrapped = textwrap.wrap(item, 90) or [""]
        out += ["  " + one_line(w) for w in wrapped]
    return out
