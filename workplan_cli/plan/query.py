"""Selecting activities and counting them by status (pure functions over models)."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field

from workplan_cli.errors import UnknownActivityError, WorkplanError
from workplan_cli.plan.model import STATUSES, ActivityRef, Plan, StakeholderFile, Status


@dataclass(frozen=True)
class Filters:
    """What to keep; None keeps everything."""

    area: str | None = None
    topic: str | None = None
    status: Status | None = None
    lead: str | None = None
    stakeholder: str | None = None

    def as_dict(self) -> dict:
        return {k: (v.value if isinstance(v, Status) else v) for k, v in self.__dict__.items()}

    def keeps(self, ref: ActivityRef) -> bool:
        activity = ref.activity
        return (
            (self.area is None or ref.area.id == self.area)
            and (self.topic is None or ref.topic.id == self.topic)
            and (self.status is None or activity.status == self.status)
            and (self.lead is None or self.lead in activity.lead)
            and (self.stakeholder is None or self.stakeholder in _involved(activity))
        )


def _involved(activity) -> list[str]:
    return [*activity.lead, *activity.stakeholders]


def check_filters(filters: Filters, plan: Plan, stakeholders: StakeholderFile) -> None:
    """Raises WorkplanError when a filter names an area, topic or stakeholder not there."""
    areas = [a.id for a in plan.areas]
    topics = [t.id for a in plan.areas for t in a.topics]
    _known("area", filters.area, areas, plan.version)
    _known("topic", filters.topic, topics, plan.version)
    ids = [s.id for s in stakeholders.stakeholders]
    for value in (filters.lead, filters.stakeholder):
        if value is not None and value not in ids:
            raise WorkplanError(
                f"no stakeholder {value!r} in stakeholders.yaml{_suggest(value, ids)}"
            )


def _known(what: str, value: str | None, known: list[str], version: str) -> None:
    if value is not None and value not in known:
        raise WorkplanError(f"no {what} {value!r} in plan {version} ({what}s: {', '.join(known)})")


def _suggest(value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.5)
    close.sort(key=known.index)  # in the plan's own order, which reads better than by score
    return f"; did you mean {', '.join(close)}?" if close else ""


def select(plan: Plan, filters: Filters) -> list[ActivityRef]:
    """Returns the activities that the filters keep, in document order."""
    return [ref for ref in plan.activities() if filters.keeps(ref)]


def find_activity(plan: Plan, activity_id: str) -> ActivityRef:
    """Returns the activity, or raises UnknownActivityError naming the nearest ids."""
    ref = plan.find(activity_id)
    if ref is None:
        ids = [r.activity.id for r in plan.activities()]
        raise UnknownActivityError(
            f"no activity {activity_id!r} in plan {plan.version}{_suggest(activity_id, ids)}"
        )
    return ref


@dataclass
class Tally:
    """Activities counted by status, and the share done."""

    counts: Counter = field(default_factory=Counter)

    def add(self, status: Status) -> None:
        self.counts[status.value] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def progress(self) -> float | None:
        """Completed over all that are not cancelled; None when nothing is left to count."""
        relevant = self.total - self.counts["cancelled"]
        return self.counts["completed"] / relevant if relevant else None

    def as_dict(self) -> dict:
        return {
            "counts": {s: self.counts[s] for s in STATUSES},
            "total": self.total,
            "progress": None if self.progress is None else round(self.progress, 4),
        }


@dataclass
class Row:
    """One line of the status overview: an area or a topic and its tally."""

    level: str  # "area" or "topic"
    id: str
    title: str
    tally: Tally


def summarize(plan: Plan, filters: Filters) -> tuple[list[Row], Tally]:
    """Returns a row per area and topic that has kept activities, and the grand tally."""
    rows: list[Row] = []
    total = Tally()
    for area in plan.areas:
        area_row = Row("area", area.id, area.title, Tally())
        topic_rows = []
        for topic in area.topics:
            row = Row("topic", topic.id, topic.title, Tally())
            for activity in topic.activities:
                if filters.keeps(ActivityRef(area, topic, activity)):
                    for tally in (row.tally, area_row.tally, total):
                        tally.add(activity.status)
            if row.tally.total or _named(filters, area.id, topic.id):
                topic_rows.append(row)
        if topic_rows:
            rows += [area_row, *topic_rows]
    return rows, total


def _named(filters: Filters, area_id: str, topic_id: str) -> bool:
    """Whether an empty topic should still show: when no filter but area/topic narrows."""
    narrowing = (filters.status, filters.lead, filters.stakeholder)
    in_scope = (filters.area in (None, area_id)) and (filters.topic in (None, topic_id))
    return in_scope and all(v is None for v in narrowing)


def stakeholder_activities(plan: Plan, stakeholders: StakeholderFile) -> dict[str, dict]:
    """Returns, per stakeholder id, the ids of activities it leads and those it is involved in."""
    found: dict[str, dict[str, list[str]]] = {
        s.id: {"lead": [], "involved": []} for s in stakeholders.stakeholders
    }
    for ref in plan.activities():
        for ident in ref.activity.lead:
            found.setdefault(ident, {"lead": [], "involved": []})["lead"].append(ref.activity.id)
        for ident in ref.activity.stakeholders:
            found.setdefault(ident, {"lead": [], "involved": []})["involved"].append(
                ref.activity.id
            )
    return found
