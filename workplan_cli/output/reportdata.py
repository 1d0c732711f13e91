"""The data a report shows: the plan as of a date, filtered, as plain dicts for templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from workplan_cli.plan import fields
from workplan_cli.plan.model import (
    STATUSES,
    Activity,
    ActivityRef,
    Plan,
    PlanMeta,
    Stakeholder,
    StakeholderFile,
)
from workplan_cli.plan.query import Filters, Tally
from workplan_cli.plan.schedule import status_on
from workplan_cli.plan.spec import ENTRIES, ENUM, IDS, REF, STATUS

LATEST_HISTORY = 3  # history entries shown per activity, newest first


def plan_as_of(plan: Plan, day: dt.date) -> Plan:
    """Returns a copy of the plan as it stood on `day`: statuses from the histories, and only
    the history entries dated on or before it."""
    areas = []
    for area in plan.areas:
        topics = []
        for topic in area.topics:
            activities = [
                replace(
                    a,
                    status=status_on(a, day),
                    history=[h for h in a.history if h.date <= day],
                )
                for a in topic.activities
            ]
            topics.append(replace(topic, activities=activities))
        areas.append(replace(area, topics=topics))
    return replace(plan, areas=areas)


def status_label(status: str) -> str:
    """Returns the status as a word for people: 'in-progress' -> 'In progress'."""
    return status.replace("-", " ").capitalize()


def build_context(
    plan: Plan,
    stakeholders: StakeholderFile,
    filters: Filters,
    as_of: dt.date | None = None,
    changes: dict | None = None,
) -> dict:
    """Returns everything a report template may use, as plain data (str, int, list, dict).

    `plan` is the plan as recorded; with `as_of` the statuses are those on that date.
    `changes` is reserved for a "what changed" section; templates show it only when given.
    """
    if as_of is not None:
        plan = plan_as_of(plan, as_of)
    people = stakeholders.by_id()
    areas, total, named = _areas(plan, filters, people)
    return {
        "plan": _plan_header(plan, people),
        "filters": filters.as_dict(),
        "selection": _selection(filters, people),
        "as_of": as_of.isoformat() if as_of else None,
        "statuses": [{"id": s, "label": status_label(s)} for s in STATUSES],
        "overview": _tally(total),
        "areas": areas,
        "stakeholders": [_person(people[i]) for i in people if i in named],
        "changes": changes,
    }


def _areas(plan: Plan, filters: Filters, people: dict) -> tuple[list[dict], Tally, set[str]]:
    total, named = Tally(), set[str]()
    areas = []
    for area in plan.areas:
        area_tally, topics = Tally(), []
        for topic in area.topics:
            topic_tally, activities = Tally(), []
            for a in topic.activities:
                if not filters.keeps(ActivityRef(area, topic, a)):
                    continue
                for tally in (topic_tally, area_tally, total):
                    tally.add(a.status)
                named.update(*(f.value(a) for f in fields.of_kind(type(a), IDS)))
                activities.append(_activity(a, people))
            if activities or filters.shows_empty(area.id, topic.id):
                topics.append(
                    {
                        "id": topic.id,
                        "title": topic.title,
                        "objectives": list(topic.objectives),
                        "activities": activities,
                        **_tally(topic_tally),
                    }
                )
        if topics:
            areas.append(
                {"id": area.id, "title": area.title, "topics": topics, **_tally(area_tally)}
            )
    return areas, total, named


def _selection(filters: Filters, people: dict) -> list[str]:
    """Returns the filters in words, e.g. ['area 2', 'status planned or postponed']."""
    words = []
    for key, value in filters.as_dict().items():
        if value is not None:
            values = value if isinstance(value, list) else [value]
            if key in ("lead", "stakeholder"):
                values = [_name(people, v) for v in values]
            words.append(f"{key} {' or '.join(values)}")
    return words


def _tally(tally: Tally) -> dict:
    progress = tally.progress
    return {
        "counts": [
            {"status": s, "label": status_label(s), "count": tally.counts[s]} for s in STATUSES
        ],
        "total": tally.total,
        "percent": None if progress is None else round(progress * 100),
    }


def _activity(a: Activity, people: dict) -> dict:
    """Returns an activity for templates: every declared field (ids as names, vocabulary values
    with a `_label`, the latest history entries newest first and `history_total`), and `facts`:
    the summary lines (label, and `text` or `names`) in their order."""
    out: dict[str, Any] = {"id": a.id, "title": a.title}
    for f in fields.compared(type(a)):
        out.update(_values(f, a, people))
    out["facts"] = [_fact(label, group, a, people) for label, group in fields.summary(type(a))]
    return out


def _values(f, model, people: dict) -> dict:
    """Returns one field's keys in a template's context."""
    value = f.shown(model)
    if f.kind in (STATUS, ENUM):
        plain = None if value is None else value.value
        return {f.key: plain, f"{f.key}_label": None if plain is None else status_label(plain)}
    if f.kind == IDS:
        return {f.key: [_name(people, i) for i in value]}
    if f.kind == REF:
        return {f.key: _name(people, value) if value else None}
    if f.kind == ENTRIES:
        latest = list(reversed(value))[:LATEST_HISTORY]
        return {f.key: [_entry(e, people) for e in latest], f"{f.key}_total": len(value)}
    return {f.key: f.plain(model)}


def _entry(entry, people: dict) -> dict:
    out: dict = {}
    for f in fields.declared(type(entry)):
        out.update(_values(f, entry, people))
    return out


def _fact(label: str, group, model, people: dict) -> dict:
    """Returns one summary line: `names` for ids (names), else `text` (None: nothing to show;
    a group's dates as 'start to end', '?' for one not known)."""
    fact = {"label": label, "kind": group[0].kind, "text": None, "names": None}
    if len(group) == 1 and group[0].kind == IDS:
        fact["names"] = [_name(people, i) for i in group[0].value(model)]
        return fact
    shown = [_values(f, model, people) for f in group]
    texts = [v.get(f"{f.key}_label", v[f.key]) for f, v in zip(group, shown, strict=True)]
    if any(t not in (None, []) for t in texts):
        fact["text"] = " to ".join("?" if t is None else _text(t) for t in texts)
    return fact


def _text(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _name(people: dict, ident: str) -> str:
    person = people.get(ident)
    if person is None:
        return ident
    if person.short_name and person.short_name not in person.name:
        return f"{person.name} ({person.short_name})"
    return person.name


def _person(s) -> dict:
    out = {}
    for f in fields.declared(Stakeholder):
        out.update(_values(f, s, {}))
    return {**out, "label": s.label}


def _plan_header(plan: Plan, people: dict) -> dict:
    out = {}
    for f in fields.declared(PlanMeta):
        out.update(_values(f, plan.plan, people))
    return out


def changes_context(diff, old, new) -> dict:
    """Returns what changed between two plans (a `diff.PlanDiff` and its two sides) as plain data
    for a report's "changes" section: a summary and the diff's outline as indented rows."""
    from workplan_cli.output import diffrender

    rows: list[dict] = []

    def walk(node, depth: int) -> None:
        words = diffrender.shorten(node.words) if node.words else None
        rows.append(
            {
                "depth": depth,
                "change": diffrender.WORDS_OF_MARKS.get(node.mark),
                "label": node.label,
                "words": [{"op": w.op, "text": w.text} for w in words] if words else None,
            }
        )
        for child in node.children:
            walk(child, depth + 1)

    for node in diffrender.outline(diff):
        walk(node, 0)
    summary = [
        {"level": level, "counts": [{"change": c, "count": n} for c, n in counts.items()]}
        for level, counts in diff.counts().items()
        if any(counts.values())
    ]
    return {
        "old": _side(old),
        "new": _side(new),
        "heading": diffrender.heading(diff, old, new),
        "identical": diff.empty,
        "kinds": list(diffrender.MARKS),
        "summary": summary,
        "rows": rows,
    }


def _side(side) -> dict:
    return {"name": side.name, "source": side.source, "version": side.plan.plan.version}
