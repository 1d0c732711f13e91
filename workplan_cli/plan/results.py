"""Where an indicator stands as of a day: its latest actual, the pro-rata path to its target,
percent achieved, the variance and its colour (pure functions over the models).

The rules (docs/recording-progress.md, "Indicators: how they are judged"):

- The *target* judged is that of the first period (by its end) that has not ended on the day;
  when all have ended, the last one.
- The path to it starts at the previous target (at the end of its period) or else at the
  baseline (on its date), or else at 0 on the first day of the target's period, and reaches the
  target on the last day of the target's period: the *pro-rata target* is its value on the day.
- *Percent achieved* is how far the latest actual has come from the baseline (0 without one)
  to the target: 100 * (actual - baseline) / (target - baseline), so a target below the
  baseline works too.
- The *variance* is (actual - pro-rata target) / |pro-rata target|; more than 10% either way
  gets a note.
- The colour is amber when the latest actual has come less far than the path has by the day,
  green otherwise, and grey when there is nothing to judge: a qualitative indicator, no target,
  or no actual yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from workplan_cli.plan.model import (
    Actual,
    Area,
    Indicator,
    IndicatorRef,
    Measure,
    Plan,
    Target,
    Topic,
)

GREEN, AMBER, GREY = "green", "amber", "grey"
VARIANCE = 0.10  # an actual more than this far off its pro-rata target gets a note


def period_span(period: str) -> tuple[dt.date, dt.date]:
    """Returns the first and last day of a period: a year '2024' or a quarter '2024-Q4'."""
    year = int(period[:4])
    if len(period) == 4:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    quarter = int(period[-1])
    first = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, following - dt.timedelta(days=1)


def latest(indicator: Indicator, as_of: dt.date | None = None) -> Actual | None:
    """Returns the last actual recorded on or before `as_of` (any day when None)."""
    found = [a for a in indicator.actuals if as_of is None or a.date <= as_of]
    return found[-1] if found else None


def _by_end(indicator: Indicator) -> list[Target]:
    return sorted(indicator.targets, key=lambda t: (period_span(t.period)[1], t.period))


def target_on(indicator: Indicator, as_of: dt.date) -> Target | None:
    """Returns the target judged on `as_of`: that of the first period not ended, else the last."""
    ordered = _by_end(indicator)
    for target in ordered:
        if period_span(target.period)[1] >= as_of:
            return target
    return ordered[-1] if ordered else None


def path_start(indicator: Indicator, target: Target) -> tuple[dt.date, float]:
    """Returns the day and value the path to `target` starts from."""
    end = period_span(target.period)[1]
    before = [t for t in _by_end(indicator) if period_span(t.period)[1] < end]
    if before and isinstance(before[-1].value, (int, float)):
        return period_span(before[-1].period)[1], before[-1].value
    base = indicator.baseline
    if base is not None and isinstance(base.value, (int, float)) and base.date < end:
        return base.date, base.value
    return period_span(target.period)[0], 0


def pro_rata(indicator: Indicator, target: Target, as_of: dt.date) -> float | None:
    """Returns the value the path to `target` has reached on `as_of` (None if qualitative)."""
    if not isinstance(target.value, (int, float)):
        return None
    (start, value), end = path_start(indicator, target), period_span(target.period)[1]
    share = min(max((as_of - start).days / max((end - start).days, 1), 0.0), 1.0)
    return value + (target.value - value) * share


@dataclass(frozen=True)
class Standing:
    """Where one indicator stands on a day."""

    indicator: Indicator
    as_of: dt.date
    latest: Actual | None
    target: Target | None
    expected: float | None  # the pro-rata target on the day
    achieved: float | None  # percent of the way from the baseline (0 without one) to the target
    variance: float | None  # (latest - expected) / |expected|
    colour: str
    note: str  # the variance note, or why there is nothing to judge; "" otherwise


def standing(indicator: Indicator, as_of: dt.date) -> Standing:
    """Returns where `indicator` stands on `as_of` (see the module's rules)."""
    actual, target = latest(indicator, as_of), target_on(indicator, as_of)
    args = (indicator, as_of, actual, target)
    if indicator.measure is Measure.QUALITATIVE:
        return Standing(*args, None, None, None, GREY, "qualitative: judged by its narrative")
    if target is None:
        return Standing(*args, None, None, None, GREY, "no target")
    expected = pro_rata(indicator, target, as_of)
    if actual is None or expected is None or not isinstance(actual.value, (int, float)):
        return Standing(*args, expected, None, None, GREY, "no actual yet")
    assert isinstance(target.value, (int, float))  # pro_rata gave a number
    base = indicator.baseline
    origin = base.value if base is not None and isinstance(base.value, (int, float)) else 0
    span = target.value - origin
    achieved = 100 * (actual.value - origin) / span if span else None
    rising = target.value >= path_start(indicator, target)[1]
    behind = (actual.value - expected) * (1 if rising else -1) < 0
    variance = (actual.value - expected) / abs(expected) if expected else None
    note = ""
    if variance is not None and abs(variance) > VARIANCE:
        way = "below" if variance < 0 else "above"
        note = f"{abs(variance):.0%} {way} the pro-rata target of {number_text(expected)}"
    return Standing(*args, expected, achieved, variance, AMBER if behind else GREEN, note)


def standings(plan: Plan, as_of: dt.date) -> list[tuple[IndicatorRef, Standing]]:
    """Returns every indicator of the plan with where it stands on `as_of`, in document order."""
    return [(ref, standing(ref.indicator, as_of)) for ref in plan.indicators()]


def colours(refs: Iterable[IndicatorRef], as_of: dt.date) -> list[tuple[IndicatorRef, str]]:
    """Returns each indicator with its colour on `as_of`: what plan/schedule.py's `schedule`
    rolls up with the activities' colours."""
    return [(ref, standing(ref.indicator, as_of).colour) for ref in refs]


def number_text(value: float | int | str | None) -> str:
    """Returns a value for people: whole numbers without '.0', others to two places."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def value_text(indicator: Indicator, value: float | int | str | None) -> str:
    """Returns a value as people read it: a number bare ('4'), a percent with its sign ('60%').

    Never with the unit ('1 exchanges'): the unit is a word of the plan's language, which
    the tool cannot inflect, so every output shows it once per indicator, labelled as its field
    (`Unit`), beside bare numbers (docs/data-format.md)."""
    if value is None:
        return ""
    text = number_text(value)
    if isinstance(value, str):
        return text
    if indicator.measure is Measure.PERCENT:
        return text + "%"
    return text


# The keys of `as_plain`, in order: the columns of the indicators' CSV.
ROW_KEYS: tuple[str, ...] = ("id", "topic", "objective", "objective_text", "text", "measure")
ROW_KEYS += ("unit",)
ROW_KEYS += ("baseline", "baseline_date", "latest", "latest_date", "latest_period", "target")
ROW_KEYS += ("target_period", "pro_rata", "achieved", "variance", "colour", "note", "as_of")


def as_plain(ref: IndicatorRef, found: Standing) -> dict:
    """Returns one indicator's row as plain data (the `indicators` JSON, the report's table)."""
    ind = found.indicator
    base = ind.baseline
    return {
        "id": ind.id,
        "topic": ref.topic.id,
        "objective": ind.objective,
        "objective_text": ref.objective,
        "text": ind.text,
        "measure": ind.measure.value,
        "unit": ind.unit,
        "baseline": None if base is None else base.value,
        "baseline_date": None if base is None else base.date.isoformat(),
        "latest": None if found.latest is None else found.latest.value,
        "latest_date": None if found.latest is None else found.latest.date.isoformat(),
        "latest_period": None if found.latest is None else found.latest.period,
        "target": None if found.target is None else found.target.value,
        "target_period": None if found.target is None else found.target.period,
        "pro_rata": _rounded(found.expected),
        "achieved": _rounded(found.achieved),
        "variance": _rounded(None if found.variance is None else 100 * found.variance),
        "colour": found.colour,
        "note": found.note,
        "as_of": found.as_of.isoformat(),
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def objective_rows(area: Area, topic: Topic, as_of: dt.date) -> list[tuple[int, str, list[dict]]]:
    """Returns each objective of a topic (number, text) with its indicators' rows (as_plain):
    the report's indicator table per objective."""
    out = []
    for number, text in enumerate(topic.objectives, 1):
        rows = [
            as_plain(IndicatorRef(area, topic, i), standing(i, as_of))
            for i in topic.objective_indicators(number)
        ]
        out.append((number, text, rows))
    return out


def topic_tables(plan: Plan, as_of: dt.date, topics: set[str] | None = None) -> list[dict]:
    """Returns, for each topic with indicators (of `topics`, when given), its objectives with
    their indicators' rows: the data of the report's indicator table per objective, and of
    `show TOPIC --format json`."""
    out = []
    for area in plan.areas:
        for topic in area.topics:
            if not topic.indicators or (topics is not None and topic.id not in topics):
                continue
            objectives = [
                {"number": n, "text": text, "indicators": rows}
                for n, text, rows in objective_rows(area, topic, as_of)
            ]
            out.append(
                {"area": area.id, "topic": topic.id, "title": topic.title, "objectives": objectives}
            )
    return out
