"""The schedule: an activity's colour (red, amber, green, grey) on a day, its actual dates from
its history, and the colours rolled up per topic, area and plan (pure functions over models).

The colours are computed, never written in a plan. The rules (docs/schedule.md) for an activity
on the day `as_of`, with the plan's `monitoring.amber_days` (default 30):

1. completed or cancelled: grey (nothing left to judge);
2. postponed: red (with or without dates);
3. no end date: grey (nothing to judge it by);
4. its end date is before `as_of`: red (overdue);
5. its end date is within `amber_days` days of `as_of` (today included) and it is not in
   progress: amber;
6. otherwise green.

A group (topic, area, plan) takes the worst colour of its activities and of its indicators (red,
then amber, green, grey; an indicator's colour is plan/results.py's), and counts each per colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from workplan_cli.plan.model import Activity, ActivityRef, IndicatorRef, Plan
from workplan_cli.plan.vocab import Status

RED, AMBER, GREEN, GREY = "red", "amber", "green", "grey"
COLOURS: tuple[str, ...] = (RED, AMBER, GREEN, GREY)  # worst first
DEFAULT_AMBER_DAYS = 30
CLOSED = (Status.COMPLETED, Status.CANCELLED)
STARTED = (Status.IN_PROGRESS, Status.COMPLETED)


def worst(colours: Iterable[str], extra: Iterable[str] = ()) -> str:
    """Returns the worst of the colours (red > amber > green > grey); grey when there are none.

    `extra` adds colours judged elsewhere (an objective's indicators, say) to the same verdict.
    """
    rank = len(COLOURS) - 1
    for colour in (*colours, *extra):
        try:
            rank = min(rank, COLOURS.index(colour))
        except ValueError:
            raise ValueError(f"{colour!r} is not a colour ({', '.join(COLOURS)})") from None
        if rank == 0:
            break
    return COLOURS[rank]


def amber_days(plan: Plan) -> int:
    """Returns how many days before its end an activity turns amber: the plan's setting or 30."""
    monitoring = plan.plan.monitoring
    return DEFAULT_AMBER_DAYS if monitoring is None else monitoring.amber_days


def has_dates(plan: Plan) -> bool:
    """Whether any activity of the plan has a planned end date."""
    return any(
        a.end is not None for area in plan.areas for topic in area.topics for a in topic.activities
    )


def has_colours(plan: Plan) -> bool:
    """Whether the plan has anything to colour: an activity's end date or an indicator (status
    shows colours then; a plan with neither, as the signed 2024 plan, shows what it always did)."""
    return has_dates(plan) or any(topic.indicators for area in plan.areas for topic in area.topics)


def status_on(activity: Activity, day: dt.date) -> Status:
    """Returns the activity's status on `day`, from its history: the `to` of the last entry
    dated on or before it; before its first entry, that entry's `from` (planned when it has
    none); with no history at all, the recorded status."""
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


def actual_dates(activity: Activity, as_of: dt.date | None = None) -> tuple[dt.date | None, ...]:
    """Returns (actual start, actual end) from the history, entries after `as_of` left out.

    The actual start is the date of the first entry to in-progress or completed; the actual end
    is the date of the entry to completed or cancelled, as long as no later entry reopened it.
    """
    start = end = None
    for entry in activity.history:
        if as_of is not None and entry.date > as_of:
            break
        if start is None and entry.to in STARTED:
            start = entry.date
        end = entry.date if entry.to in CLOSED else None
    return start, end


def date_words(name: str, old: object, new: object) -> str:
    """Returns a change of a date in words: 'end moved from 2025-03-31 to 2025-06-30', 'start
    set to 2025-01-15', 'end cleared (was 2025-03-31)' (values are dates or YYYY-MM-DD text)."""
    if old is None:
        return f"{name} set to {_iso(new)}"
    if new is None:
        return f"{name} cleared (was {_iso(old)})"
    return f"{name} moved from {_iso(old)} to {_iso(new)}"


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@dataclass(frozen=True)
class Judgement:
    """An activity's colour on a day, and why, in words for people."""

    colour: str
    reason: str  # "12 days overdue", "due in 5 days, not started", "no end date", ...
    days_left: int | None = None  # end date minus the day (negative: overdue); None: no end
    overdue: bool = False  # past its end date and neither completed nor cancelled

    def as_dict(self) -> dict:
        return {
            "colour": self.colour,
            "reason": self.reason,
            "days_left": self.days_left,
            "overdue": self.overdue,
        }


def colour(
    activity: Activity, as_of: dt.date, amber: int, status: Status | None = None
) -> tuple[str, bool]:
    """Returns (the activity's colour on `as_of`, whether it is overdue) by the rules above;
    `status` is its status on that day (default: the recorded one). The one place the rules
    are written; `judge` adds the words."""
    status = activity.status if status is None else status
    if status in CLOSED:
        return GREY, False
    end = activity.end
    if status is Status.POSTPONED:
        return RED, end is not None and end < as_of
    if end is None:
        return GREY, False
    if end < as_of:
        return RED, True
    if (end - as_of).days <= amber and status is not Status.IN_PROGRESS:
        return AMBER, False
    return GREEN, False


def judge(
    activity: Activity, as_of: dt.date, amber: int, status: Status | None = None
) -> Judgement:
    """Returns the activity's colour on `as_of`, whether it is overdue, and why in words."""
    status = activity.status if status is None else status
    hue, overdue = colour(activity, as_of, amber, status)
    end = activity.end
    days = None if end is None else (end - as_of).days
    if status in CLOSED:
        reason = status.value
    elif status is Status.POSTPONED:
        reason = "postponed" + (f", {_days(-days)} past its end" if overdue and days else "")
    elif days is None:
        reason = "no end date"
    elif days < 0:
        reason = f"{_days(-days)} overdue"
    else:
        reason = "due today" if days == 0 else f"due in {_days(days)}"
        if hue == AMBER:
            reason += ", not started"
    return Judgement(hue, reason, days, overdue)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


@dataclass
class Rollup:
    """The colours of a group of activities and of its indicators: how many of each, the worst
    of both, and how many activities are overdue."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLOURS, 0))
    overdue: int = 0
    indicators: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLOURS, 0))

    def add(self, judgement: Judgement) -> None:
        self.counts[judgement.colour] += 1
        self.overdue += judgement.overdue

    def merge(self, other: Rollup) -> None:
        """Adds the counts of another group (a topic's to its area's, say)."""
        for hue, n in other.counts.items():
            self.counts[hue] += n
        for hue, n in other.indicators.items():
            self.indicators[hue] += n
        self.overdue += other.overdue

    @property
    def colour(self) -> str:
        """The worst colour of its activities and its indicators (an indicator behind its
        pro-rata target makes its topic amber)."""
        return worst(
            (c for c in COLOURS if self.counts[c]), extra=(c for c in COLOURS if self.indicators[c])
        )

    def as_dict(self) -> dict:
        return {
            "colour": self.colour,
            "counts": dict(self.counts),
            "overdue": self.overdue,
            "indicators": dict(self.indicators),
        }


@dataclass(frozen=True)
class Schedule:
    """The plan's schedule on a day: each activity's colour, and the roll-ups."""

    as_of: dt.date
    amber_days: int
    colours: dict[str, str]  # activity id -> colour, in document order (details: `judge`)
    topics: dict[str, Rollup]
    areas: dict[str, Rollup]
    total: Rollup


def schedule(
    plan: Plan,
    refs: Iterable[ActivityRef],
    as_of: dt.date | None = None,
    amber: int | None = None,
    indicators: Iterable[tuple[IndicatorRef, str]] = (),
) -> Schedule:
    """Returns the schedule of the activities `refs` (of `plan`) on `as_of` (default: today).

    With `as_of` given, each activity's status is its status on that day (from its history);
    without it, the recorded status is used. `indicators` are indicators with their colours on
    that day (plan/results.py `colours`): each counts towards its topic, area and the plan.
    """
    day = dt.date.today() if as_of is None else as_of
    amber = amber_days(plan) if amber is None else amber
    colours: dict[str, str] = {}
    topics: dict[str, Rollup] = {}
    area_of: dict[str, str] = {}
    for ref in refs:
        a = ref.activity
        hue, overdue = colour(a, day, amber, None if as_of is None else status_on(a, as_of))
        colours[a.id] = hue
        rollup = topics.get(ref.topic.id)
        if rollup is None:
            rollup = topics[ref.topic.id] = Rollup()
            area_of[ref.topic.id] = ref.area.id
        rollup.counts[hue] += 1
        rollup.overdue += overdue
    for found, hue in indicators:
        rollup = topics.get(found.topic.id)
        if rollup is None:
            rollup = topics[found.topic.id] = Rollup()
            area_of[found.topic.id] = found.area.id
        rollup.indicators[hue] += 1
    areas: dict[str, Rollup] = {}
    total = Rollup()
    for topic_id, rollup in topics.items():
        area = areas.get(area_of[topic_id])
        if area is None:
            area = areas[area_of[topic_id]] = Rollup()
        for group in (area, total):
            group.merge(rollup)
    return Schedule(day, amber, colours, topics, areas, total)


@dataclass(frozen=True)
class Due:
    """An activity that is overdue or falls due soon."""

    ref: ActivityRef
    status: Status
    judgement: Judgement


def due(
    plan: Plan,
    refs: Iterable[ActivityRef],
    as_of: dt.date | None = None,
    within: int | None = None,
) -> tuple[list[Due], list[Due]]:
    """Returns (overdue, due soon): the activities neither completed nor cancelled whose end
    date is before `as_of` (oldest first), and those whose end date falls within `within` days
    of it, today included (soonest first; default: the plan's amber days)."""
    day = dt.date.today() if as_of is None else as_of
    within = amber_days(plan) if within is None else within
    amber = amber_days(plan)
    overdue: list[Due] = []
    soon: list[Due] = []
    for ref in refs:
        a = ref.activity
        if a.end is None:
            continue
        status = a.status if as_of is None else status_on(a, as_of)
        if status in CLOSED:
            continue
        days = (a.end - day).days
        if days < 0:
            overdue.append(Due(ref, status, judge(a, day, amber, status)))
        elif days <= within:
            soon.append(Due(ref, status, judge(a, day, amber, status)))
    overdue.sort(key=lambda d: d.ref.activity.end or day)  # stable: document order on ties
    soon.sort(key=lambda d: d.ref.activity.end or day)
    return overdue, soon
