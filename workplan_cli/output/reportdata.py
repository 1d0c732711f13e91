"""The data a report shows: the plan as of a date, filtered, as plain dicts for templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from workplan_cli.plan.model import (
    STATUSES,
    Activity,
    ActivityRef,
    HistoryEntry,
    Plan,
    StakeholderFile,
    Status,
)
from workplan_cli.plan.query import Filters, Tally

LATEST_HISTORY = 3  # history entries shown per activity, newest first


def status_on(activity: Activity, day: dt.date) -> Status:
    """Returns the activity's status on `day`, computed from its history.

    The `to` of the last entry dated on or before `day`; before the first entry, that entry's
    `from` (planned when it has none); with no history at all, the recorded status.
    """
    if not activity.history:
        return activity.status
    current: Status | None = None
    for entry in activity.history:
        if entry.date > day:
            break
        current = entry.to
    if current is not None:
        return current
    return activity.history[0].from_ or Status.PLANNED


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
                named.update(a.lead, a.stakeholders)
                activities.append(_activity(a, people))
            if activities or _in_scope(filters, area.id, topic.id):
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
    """Returns the filters in words, e.g. ['area 2', 'status planned']."""
    words = []
    for key, value in filters.as_dict().items():
        if value is not None:
            shown = _name(people, value) if key in ("lead", "stakeholder") else value
            words.append(f"{key} {shown}")
    return words


def _in_scope(filters: Filters, area_id: str, topic_id: str) -> bool:
    """Whether a topic with no kept activity still shows: only area/topic filters narrow."""
    narrowing = (filters.status, filters.lead, filters.stakeholder)
    in_scope = filters.area in (None, area_id) and filters.topic in (None, topic_id)
    return in_scope and all(v is None for v in narrowing)


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
    latest = list(reversed(a.history))[:LATEST_HISTORY]
    return {
        "id": a.id,
        "title": a.title,
        "text": a.text,
        "kind": a.kind.value,
        "kind_label": status_label(a.kind.value),
        "status": a.status.value,
        "status_label": status_label(a.status.value),
        "lead": [_name(people, i) for i in a.lead],
        "stakeholders": [_name(people, i) for i in a.stakeholders],
        "start": a.start.isoformat() if a.start else None,
        "end": a.end.isoformat() if a.end else None,
        "history": [_entry(h) for h in latest],
        "history_total": len(a.history),
        "evidence": a.all_evidence(),
    }


def _entry(h: HistoryEntry) -> dict:
    return {
        "date": h.date.isoformat(),
        "from": h.from_.value if h.from_ else None,
        "from_label": status_label(h.from_.value) if h.from_ else None,
        "to": h.to.value,
        "to_label": status_label(h.to.value),
        "note": h.note,
        "by": h.by,
        "evidence": list(h.evidence),
    }


def _name(people: dict, ident: str) -> str:
    person = people.get(ident)
    if person is None:
        return ident
    if person.short_name and person.short_name not in person.name:
        return f"{person.name} ({person.short_name})"
    return person.name


def _person(s) -> dict:
    return {
        "id": s.id,
        "name": s.name,
        "short_name": s.short_name,
        "label": s.label,
        "country": s.country,
        "type": s.type.value,
        "type_label": status_label(s.type.value),
    }


def _plan_header(plan: Plan, people: dict) -> dict:
    meta = plan.plan
    return {
        "id": meta.id,
        "title": meta.title,
        "dialogue": meta.dialogue,
        "version": meta.version,
        "status": meta.status.value,
        "status_label": status_label(meta.status.value),
        "parties": [_name(people, i) for i in meta.parties],
        "facilitator": _name(people, meta.facilitator) if meta.facilitator else None,
        "signed": (
            {"date": meta.signed.date.isoformat(), "occasion": meta.signed.occasion}
            if meta.signed
            else None
        ),
        "validity": meta.validity,
        "review": {"due": meta.review.due, "text": meta.review.text} if meta.review else None,
        "supersedes": meta.supersedes,
        "note": meta.note,
    }


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
