"""The report's schedule and results (pure): the colour of each area, the overdue activities
and the indicators on and off track for the first page, each activity's colour for its card,
and an indicator table per objective, all in the report's language.

The rules are plan/schedule.py's (an activity's colour, the roll-ups, `due`) and
plan/results.py's (where an indicator stands); this module only says them in words. A colour is
always named in text too ("Red: 1 overdue"), so that it reads without colour vision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from workplan_cli.output.i18n import N_
from workplan_cli.plan import query, results, schedule
from workplan_cli.plan.model import Plan
from workplan_cli.plan.query import Filters

if TYPE_CHECKING:
    from workplan_cli.output import i18n

# The colours as words (gettext messages); the template draws a swatch beside the word.
COLOUR_WORDS = {
    schedule.RED: N_("Red"),
    schedule.AMBER: N_("Amber"),
    schedule.GREEN: N_("Green"),
    schedule.GREY: N_("Grey"),
}
# What a colour means for an indicator, and why one is not judged (results.standing's notes).
INDICATOR_WORDS = {
    results.GREEN: N_("on track"),
    results.AMBER: N_("behind its pro-rata target"),
}
NOT_JUDGED = {
    "no target": N_("not judged: no target"),
    "no actual yet": N_("not judged: no actual yet"),
    "qualitative: judged by its narrative": N_("qualitative: judged by its narrative"),
}


def colour_word(colour: str, tr: i18n.Language) -> str:
    return tr.gettext(COLOUR_WORDS[colour])


def has_results(plan: Plan) -> bool:
    """Whether the plan has anything the colours judge: a planned end date or an indicator."""
    return schedule.has_dates(plan) or any(True for _ in plan.indicators())


def first_page(
    plan: Plan,
    filters: Filters,
    day: dt.date,
    tr: i18n.Language,
    name: Callable[[str], str] = str,
) -> dict:
    """Returns the first page's slots for `plan` (its statuses those on `day`, from
    reportdata.plan_as_of): `area_colours`, `overdue`, `indicators` and `indicator_summary`
    (each None when there is nothing to show), and `activity_colours` (id -> {colour, label})
    for the cards. A plan without dates and indicators gets none of them. `name` gives a
    stakeholder's short name (an overdue activity's lead)."""
    empty: dict = {
        "area_colours": None,
        "overdue": None,
        "indicators": None,
        "indicator_summary": None,
        "activity_colours": {},
    }
    if not has_results(plan):
        return empty
    amber = schedule.amber_days(plan)
    refs = [r for r in plan.activities() if filters.keeps(r)]
    activity_colours = {}
    for ref in refs:
        a = ref.activity
        judged = schedule.judge(a, day, amber, a.status)
        if a.end is not None or judged.colour == schedule.RED:
            activity_colours[a.id] = {
                "colour": judged.colour,
                "label": _activity_label(judged, a.end, tr),
            }
    standings = [
        (ref, found)
        for ref, found in results.standings(plan, day)
        if query.keeps_indicator(filters, ref)
    ]
    # The roll-up is plan/schedule.py's, activities and indicators alike (the statuses it
    # finds for `day` are those plan_as_of already gave the plan).
    rolled = schedule.schedule(plan, refs, day, amber, [(r, f.colour) for r, f in standings])
    area_colours = [
        {
            "area": area.id,
            "title": area.title,
            "colour": rollup.colour,
            "label": _area_label(rollup, tr),
        }
        for area in plan.areas
        if (rollup := rolled.areas.get(area.id)) is not None
    ]
    overdue, _soon = schedule.due(plan, refs, day)
    return {
        "area_colours": area_colours or None,
        "overdue": [_overdue(d, tr, name) for d in overdue] or None,
        "indicators": [_indicator(found, tr) for _, found in standings] or None,
        "indicator_summary": _indicator_summary([f for _, f in standings], tr),
        "activity_colours": activity_colours,
    }


def _activity_label(judged: schedule.Judgement, end: dt.date | None, tr: i18n.Language) -> str:
    word = colour_word(judged.colour, tr)
    days = judged.days_left
    if judged.overdue and days is not None:
        n = -days
        why = tr.ngettext("%(num)s day overdue", "%(num)s days overdue", n) % {"num": n}
    elif judged.colour == schedule.RED:
        why = tr.in_sentence(tr.gettext("Postponed"), adjective=True)
    elif judged.colour == schedule.AMBER and days is not None:
        why = tr.ngettext(
            "due in %(num)s day, not started", "due in %(num)s days, not started", days
        ) % {"num": days}
    elif judged.colour == schedule.GREEN and days is not None:
        why = tr.ngettext("due in %(num)s day", "due in %(num)s days", days) % {"num": days}
    else:
        why = tr.gettext("nothing to judge")
    return f"{word}: {why}"


def _area_label(rollup: schedule.Rollup, tr: i18n.Language) -> str:
    """Returns an area's colour in words with what made it: 'Red: 1 overdue; 1 indicator behind'."""
    colour = rollup.colour
    parts = []
    if rollup.overdue:
        parts.append(
            tr.ngettext("%(num)s overdue", "%(num)s overdue", rollup.overdue)
            % {"num": rollup.overdue}
        )
    other_red = rollup.counts[schedule.RED] - rollup.overdue
    if other_red:
        parts.append(
            tr.ngettext("%(num)s postponed", "%(num)s postponed", other_red) % {"num": other_red}
        )
    if rollup.counts[schedule.AMBER]:
        n = rollup.counts[schedule.AMBER]
        parts.append(tr.ngettext("%(num)s due soon", "%(num)s due soon", n) % {"num": n})
    behind = rollup.indicators[results.AMBER]
    if behind:
        parts.append(
            tr.ngettext("%(num)s indicator behind", "%(num)s indicators behind", behind)
            % {"num": behind}
        )
    word = colour_word(colour, tr)
    if not parts:
        if colour == schedule.GREEN:
            parts.append(tr.gettext("on track"))
        elif colour == schedule.GREY:
            parts.append(tr.gettext("nothing to judge"))
    return f"{word}: {'; '.join(parts)}"


def _overdue(d: schedule.Due, tr: i18n.Language, name: Callable[[str], str]) -> dict:
    a = d.ref.activity
    n = -(d.judgement.days_left or 0)
    late = tr.ngettext("%(num)s day overdue", "%(num)s days overdue", n) % {"num": n}
    text = tr.gettext("due %(date)s, %(late)s") % {"date": tr.date(a.end), "late": late}
    if a.lead:
        lead = tr.join(name(i) for i in a.lead)
        text += tr.gettext("; lead: %(lead)s") % {"lead": lead}
    return {"id": a.id, "title": a.title, "text": text, "end": a.end.isoformat() if a.end else None}


def _indicator(found: results.Standing, tr: i18n.Language) -> dict:
    ind = found.indicator
    return {
        "id": ind.id,
        "title": ind.text,
        "colour": found.colour,
        "label": f"{colour_word(found.colour, tr)}: {standing_words(found, tr)}",
    }


def standing_words(found: results.Standing, tr: i18n.Language) -> str:
    """Returns why an indicator has its colour: 'on track', 'not judged: no actual yet'."""
    if found.colour in INDICATOR_WORDS:
        return tr.gettext(INDICATOR_WORDS[found.colour])
    return tr.gettext(NOT_JUDGED.get(found.note, N_("nothing to judge")))


def _indicator_summary(found: list[results.Standing], tr: i18n.Language) -> str | None:
    """Returns the indicators on and off track in a sentence: '3 indicators: 1 on track, 1
    behind its pro-rata target, 1 not judged.'"""
    if not found:
        return None
    green = sum(f.colour == results.GREEN for f in found)
    amber = sum(f.colour == results.AMBER for f in found)
    grey = len(found) - green - amber
    head = tr.ngettext("%(num)s indicator", "%(num)s indicators", len(found)) % {
        "num": tr.number(len(found))
    }
    parts = [
        tr.gettext("%(num)s on track (green)") % {"num": tr.number(green)},
        tr.gettext("%(num)s behind (amber)") % {"num": tr.number(amber)},
        tr.gettext("%(num)s not judged (grey)") % {"num": tr.number(grey)},
    ]
    return f"{head}: {', '.join(parts)}."


def indicator_tables(plan: Plan, topic_ids: set[str], day: dt.date, tr: i18n.Language) -> dict:
    """Returns topic id -> its objectives with indicators ([{number, text, indicators}]), each
    indicator a row in words: its unit, baseline, target, actual (numbers without the unit),
    percent achieved, colour and its word, variance note (results.topic_tables and as_plain,
    said in the language)."""
    out = {}
    for table in results.topic_tables(plan, day, topic_ids):
        objectives = []
        for o in table["objectives"]:
            if o["indicators"]:
                rows = [_row(row, tr) for row in o["indicators"]]
                objectives.append({"number": o["number"], "text": o["text"], "indicators": rows})
        out[table["topic"]] = objectives
    return out


def _row(row: dict, tr: i18n.Language) -> dict:
    percent = row["measure"] == "percent"

    def value(v) -> str:
        if v is None:
            return ""
        if isinstance(v, str):
            return v
        text = tr.number(v)
        if percent:
            return tr.percent(v / 100)
        return text  # the unit once, in its own column: never inflected (results.value_text)

    def when(v, period=None, date=None) -> str:
        said = value(v)
        if not said:
            return "–"
        if period and date:
            return tr.gettext("%(value)s (%(period)s, %(date)s)") % {
                "value": said,
                "period": period,
                "date": tr.date(date),
            }
        if period or date:
            return f"{said} ({period or tr.date(date)})"
        return said

    note = ""
    if row["colour"] in (results.GREEN, results.AMBER) and row["variance"] is not None:
        variance = row["variance"]
        if abs(variance) > 100 * results.VARIANCE:
            message = (
                N_("%(percent)s below the pro-rata target of %(value)s")
                if variance < 0
                else N_("%(percent)s above the pro-rata target of %(value)s")
            )
            note = tr.gettext(message) % {
                "percent": tr.percent(round(abs(variance)) / 100),
                "value": value(row["pro_rata"]),
            }
    elif row["colour"] == results.GREY:
        note = tr.gettext(NOT_JUDGED.get(row["note"], N_("nothing to judge")))
    achieved = row["achieved"]
    return {
        "id": row["id"],
        "text": row["text"],
        "unit": row["unit"] or "",
        "baseline": when(row["baseline"], None, row["baseline_date"]),
        "target": when(row["target"], row["target_period"]),
        "actual": when(row["latest"], row["latest_period"], row["latest_date"]),
        "achieved": "–" if achieved is None else tr.percent(round(achieved) / 100),
        "colour": row["colour"],
        "colour_label": colour_word(row["colour"], tr),
        "note": note,
    }
