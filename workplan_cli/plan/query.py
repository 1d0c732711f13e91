"""Selecting activities and counting them by status (pure functions over models)."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field, replace

from workplan_cli.errors import UnknownActivityError, WorkplanError
from workplan_cli.plan.model import (
    STATUSES,
    ActivityRef,
    IndicatorRef,
    Plan,
    StakeholderFile,
    Status,
)


@dataclass(frozen=True)
class Filters:
    """What to keep: each filter holds the values given (any of them matches), and every filter
    given must match; an empty one keeps everything. A single value or None is accepted too."""

    area: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    status: tuple[Status, ...] = ()
    lead: tuple[str, ...] = ()
    stakeholder: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name, values in self.__dict__.items():
            if values is None:
                values = ()
            elif isinstance(values, str):  # a Status is a str too
                values = (values,)
            # dict.fromkeys: a value given twice counts once, in the order given
            object.__setattr__(self, name, tuple(dict.fromkeys(values)))

    def as_dict(self) -> dict:
        """Returns each filter as null (not given), its value (one), or a list (several)."""
        return {name: one_or_list(values) for name, values in self.__dict__.items()}

    def keeps(self, ref: ActivityRef) -> bool:
        activity = ref.activity
        return (
            (not self.area or ref.area.id in self.area)
            and (not self.topic or ref.topic.id in self.topic)
            and (not self.status or activity.status in self.status)
            and (not self.lead or any(s in self.lead for s in activity.lead))
            and (not self.stakeholder or any(s in self.stakeholder for s in _involved(activity)))
        )

    def shows_empty(self, area_id: str, topic_id: str) -> bool:
        """Whether a topic none of whose activities is kept still shows (in status, reports and
        the JSON export): when it is in the area and topic named and no other filter narrows."""
        narrowing = (self.status, self.lead, self.stakeholder)
        named = (not self.area or area_id in self.area) and (
            not self.topic or topic_id in self.topic
        )
        return named and not any(narrowing)


def one_or_list(values: tuple) -> str | list[str] | None:
    """Returns filter values as JSON shows them: null, the value given once, or a list."""
    shown = [v.value if isinstance(v, Status) else v for v in values]
    return None if not shown else shown[0] if len(shown) == 1 else shown


def _involved(activity) -> list[str]:
    return [*activity.lead, *activity.stakeholders]


def resolve_filters(filters: Filters, plan: Plan, stakeholders: StakeholderFile) -> Filters:
    """Returns the filters with each stakeholder named by its id, or raises WorkplanError when a
    filter names an area, topic or stakeholder not there.

    A stakeholder may be written as its id or its short name, in any case (BMDV is bmdv).
    """
    areas = [a.id for a in plan.areas]
    topics = [t.id for a in plan.areas for t in a.topics]
    for value in filters.area:
        _known("area", value, areas, plan.version)
    for value in filters.topic:
        _known("topic", value, topics, plan.version)
    return replace(
        filters,
        lead=tuple(_stakeholder_id(v, stakeholders) for v in filters.lead),
        stakeholder=tuple(_stakeholder_id(v, stakeholders) for v in filters.stakeholder),
    )


def _stakeholder_id(value: str, stakeholders: StakeholderFile) -> str:
    people = stakeholders.stakeholders
    ids = [s.id for s in people]
    if value in ids:
        return value
    folded = value.casefold()
    for names in ([s.id for s in people], [s.short_name or "" for s in people]):
        found = {s.id for s, name in zip(people, names, strict=True) if name.casefold() == folded}
        if len(found) == 1:
            return found.pop()
    close = suggest(folded, ids) or suggest(value, [s.short_name or "" for s in people])
    raise WorkplanError(f"no stakeholder {value!r} in stakeholders.yaml{close}")


def _known(what: str, value: str, known: list[str], version: str) -> None:
    if value not in known:
        raise WorkplanError(f"no {what} {value!r} in plan {version} ({what}s: {', '.join(known)})")


def suggest(value: str, known: list[str]) -> str:
    """Returns "; did you mean A, B?" naming the known values nearest to `value`, or ""."""
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
            f"no activity {activity_id!r} in plan {plan.version}{suggest(activity_id, ids)}"
        )
    return ref


def find_indicator(plan: Plan, indicator_id: str) -> IndicatorRef:
    """Returns the indicator, or raises WorkplanError naming the nearest ids."""
    refs = list(plan.indicators())
    for ref in refs:
        if ref.indicator.id == indicator_id:
            return ref
    ids = [r.indicator.id for r in refs]
    if not ids:
        raise WorkplanError(f"no indicator {indicator_id!r}: plan {plan.version} has no indicators")
    raise WorkplanError(
        f"no indicator {indicator_id!r} in plan {plan.version}{suggest(indicator_id, ids)}"
    )


def keeps_indicator(filters: Filters, ref: IndicatorRef) -> bool:
    """Returns whether the filters keep an indicator: by its area and topic; a status, lead or
    stakeholder filter keeps it when it keeps an activity of its topic."""
    if (filters.area and ref.area.id not in filters.area) or (
        filters.topic and ref.topic.id not in filters.topic
    ):
        return False
    if filters.status or filters.lead or filters.stakeholder:
        return any(filters.keeps(ActivityRef(ref.area, ref.topic, a)) for a in ref.topic.activities)
    return True


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
            if row.tally.total or filters.shows_empty(area.id, topic.id):
                topic_rows.append(row)
        if topic_rows:
            rows += [area_row, *topic_rows]
    return rows, total


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
