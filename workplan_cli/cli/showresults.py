"""`workplan show` of a topic (1.3), an objective (1.3/2) or an indicator (1.3-a): the
indicators, judged as of today."""

from __future__ import annotations

import datetime as dt
import re

from workplan_cli.cli.common import Format
from workplan_cli.cli.output import echo, print_json
from workplan_cli.errors import WorkplanError
from workplan_cli.output.inert import one_line

_OBJECTIVE = re.compile(r"(?P<topic>[1-9][0-9]*\.[1-9][0-9]*)(/(?P<number>[1-9][0-9]*))?")


def show_results(plan, ident: str, format: Format, as_of: dt.date | None = None) -> None:
    """Prints a topic's or objective's indicators, or one indicator in full."""
    from workplan_cli.output import views
    from workplan_cli.plan import query, results

    day = as_of or dt.date.today()
    if "-" in ident:
        ref = query.find_indicator(plan, ident)
        found = results.standing(ref.indicator, day)
        if format is Format.JSON:
            print_json({"plan": views.plan_header(plan), "indicator": indicator_view(ref, found)})
            return
        _print(indicator_lines(ref, found), format)
        return
    match = _OBJECTIVE.fullmatch(ident)
    topic = next(
        (t for a in plan.areas for t in a.topics if match and t.id == match["topic"]), None
    )
    if topic is None or match is None:
        raise WorkplanError(f"no activity, topic or indicator {ident!r} in plan {plan.version}")
    area = next(a for a in plan.areas if topic in a.topics)
    table = results.objective_rows(area, topic, day)
    rollup = None if match["number"] else topic_rollup(plan, area, topic, as_of, day)
    if match["number"]:
        number = int(match["number"])
        if number > len(topic.objectives):
            raise WorkplanError(
                f"topic {topic.id} has {len(topic.objectives)} objective(s), not {number}"
            )
        table = [table[number - 1]]
    if format is Format.JSON:
        print_json(
            {
                "plan": views.plan_header(plan),
                "topic": {"id": topic.id, "title": topic.title, "area": area.id},
                "as_of": day.isoformat(),
                **({} if rollup is None else {"schedule": rollup.as_dict()}),
                "objectives": [
                    {"number": n, "text": text, "indicators": rows} for n, text, rows in table
                ],
            }
        )
        return
    from workplan_cli.plan.fields import label
    from workplan_cli.plan.model import Indicator, Topic

    # "Area" names the level the topic sits in, as `show` of an activity does, and "Colour" the
    # judgement of the day: neither is a field, so neither has a declared label.
    lines = [f"{topic.id}  {topic.title}", f"{'Area:':<14}{area.id} {area.title}"]
    if rollup is not None:
        lines.append(f"{'Colour:':<14}{colour_text(rollup, day)}")
    objective, none = label(Indicator, "objective"), f"no {label(Topic, 'indicators').lower()}"
    for number, text, rows in table:
        lines += ["", f"{objective} {number}: {text}"]
        lines += [f"  {row_text(r)}" for r in rows] or [f"  {none}"]
    _print(lines, format)


def topic_rollup(plan, area, topic, as_of: dt.date | None, day: dt.date):
    """Returns the topic's colours on the day: its activities' and its indicators' (as
    `status` rolls them up)."""
    from workplan_cli.plan import results, schedule
    from workplan_cli.plan.model import ActivityRef, IndicatorRef

    refs = [ActivityRef(area, topic, a) for a in topic.activities]
    found = results.colours([IndicatorRef(area, topic, i) for i in topic.indicators], day)
    judged = schedule.schedule(plan, refs, as_of, indicators=found)
    return judged.topics.get(topic.id) or schedule.Rollup()


def colour_text(rollup, day: dt.date) -> str:
    """Returns 'amber: the worst of 1 activity and 3 indicators (as of 2024-07-01)'."""
    n, m = sum(rollup.counts.values()), sum(rollup.indicators.values())
    parts = [f"{n} activit{'y' if n == 1 else 'ies'}"] if n else []
    parts += [f"{m} indicator{'s' * (m != 1)}"] if m else []
    what = " and ".join(parts) or "nothing to judge"
    return f"{rollup.colour}: the worst of {what} (as of {day.isoformat()})"


def row_text(row: dict) -> str:
    """Returns an indicator's row of plan/results.py `as_plain` as one line: bare values, the
    unit once after them ('1 of 4 (2025), unit: exchanges, green')."""
    from workplan_cli.plan.fields import label
    from workplan_cli.plan.model import Indicator
    from workplan_cli.plan.results import number_text

    sign = "%" if row["measure"] == "percent" else ""

    def shown(value) -> str:
        return (
            "-" if value is None else number_text(value) + ("" if isinstance(value, str) else sign)
        )

    text = f"{row['id']}  {row['text']}: {shown(row['latest'])} of {shown(row['target'])}"
    if row["target_period"]:
        text += f" ({row['target_period']})"
    if row["unit"]:
        text += f", {label(Indicator, 'unit').lower()}: {row['unit']}"
    text += f", {row['colour']}"
    return text + (f" ({row['note']})" if row["note"] else "")


def indicator_view(ref, found) -> dict:
    """Returns an indicator in full as plain data, with where it stands."""
    from workplan_cli.plan import fields, results

    return {
        **fields.to_plain(ref.indicator, by_alias=True),
        "standing": results.as_plain(ref, found),
    }


def indicator_lines(ref, found) -> list[str]:
    """Returns an indicator as lines of text: what it measures, then its targets and actuals,
    each field labelled as declared (plan/model.py)."""
    from workplan_cli.plan.fields import declared
    from workplan_cli.plan.model import Actual, Indicator
    from workplan_cli.plan.results import value_text

    ind = ref.indicator
    base = ind.baseline
    baseline = "-" if base is None else f"{value_text(ind, base.value)} on {base.date}"
    named = {f.key: f.label for f in declared(Indicator)}
    actual = {f.key: f.label.lower() for f in declared(Actual)}  # words within a line
    facts = [
        # The level the indicator sits in, as `show` of an activity names it: not a field.
        ("Topic", f"{ref.topic.id} {ref.topic.title}"),
        (named["objective"], f"{ind.objective}: {ref.objective or '?'}"),
        (named["measure"], ind.measure.value),
        *([(named["unit"], ind.unit)] if ind.unit else []),
        (named["baseline"], baseline),
        # Computed as of the day (plan/results.py), not fields: they have no declared label.
        ("Colour", found.colour + (f" ({found.note})" if found.note else "")),
    ]
    if found.achieved is not None:
        facts.append(("Achieved", f"{found.achieved:.0f}% as of {found.as_of}"))
    # A label of 13 characters or more still gets its space (a declaration may grow).
    out = [f"{ind.id}  {ind.text}"] + [f"{k + ':':<13} {v}" for k, v in facts]
    out += ["", f"{named['targets']}:"]
    out += [f"  {t.period}: {value_text(ind, t.value)}" for t in ind.targets] or ["  none"]
    out += ["", f"{named['actuals']}:"]
    for a in ind.actuals:
        line = f"  {a.date}  {a.period}: {value_text(ind, a.value)}"
        line += f"  {actual['by']} {a.by}" if a.by else ""
        line += f": {a.note}" if a.note else ""
        line += f" ({actual['evidence']}: {', '.join(a.evidence)})" if a.evidence else ""
        out.append(line)
    if not ind.actuals:
        out.append("  none")
    return out


def _print(lines: list[str], format: Format) -> None:
    if format is Format.MARKDOWN:
        from workplan_cli.output.markdown import md_inline

        echo(f"### {md_inline(lines[0])}")
        for line in lines[1:]:
            text = md_inline(line.strip())
            echo(f"**{text[:-1]}**" if line.endswith(":") else f"- {text}" if text else "")
        return
    for i, line in enumerate(lines):
        echo(one_line(line), style="bold" if i == 0 else None)
