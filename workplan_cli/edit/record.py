"""Recording an indicator's actual as a pure text edit: the value checked against the measure,
the period against the plan's, the date against today and the baseline; the spliced file."""

from __future__ import annotations

import codecs
import datetime as dt
import math
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

from workplan_cli import yamlio
from workplan_cli.edit import status
from workplan_cli.errors import WorkplanError
from workplan_cli.plan import load, query
from workplan_cli.plan.checks import today_anywhere, value_problem
from workplan_cli.plan.model import Actual, Indicator, Measure, Plan

_NUMBER = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")
_INTEGER = re.compile(r"[-+]?[0-9]+")
_PERIOD = re.compile(r"[0-9]{4}(-Q[1-4])?")


@dataclass(frozen=True)
class Request:
    """What a user asks for: one value of an indicator, for a period, measured on a day."""

    indicator_id: str
    value: str  # as typed: a number, or a narrative for a qualitative indicator
    period: str
    on: dt.date
    note: str | None = None
    by: str | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edit:
    """A planned change of one file: its bytes before and after, and the actual added."""

    indicator_id: str
    old: bytes
    new: bytes
    actual: Actual
    loc: tuple = ()


def parse_value(indicator: Indicator, text: str) -> int | float | str:
    """Returns the value typed for `indicator` as it is recorded, or raises WorkplanError."""
    stripped = text.strip()
    what = f"{indicator.id} is measured as {indicator.measure.value}"
    if indicator.measure is Measure.QUALITATIVE:
        if not stripped:
            raise WorkplanError(f"{what}: write a narrative, not an empty text")
        if _NUMBER.fullmatch(stripped):
            raise WorkplanError(f"{what}: write a narrative, not the number {stripped}")
        return text
    if indicator.measure is Measure.PERCENT and stripped.endswith("%"):
        stripped = stripped[:-1].rstrip()
    if not _NUMBER.fullmatch(stripped):
        shown = stripped if len(stripped) <= 40 else stripped[:37] + "..."
        raise WorkplanError(f"{what}: {shown!r} is not a number (write e.g. 3 or 2.5)")
    if len(stripped) > 40:  # beyond any measure, and past what Python turns into an int
        raise WorkplanError(f"{what}: {stripped[:20]}... is too long a number")
    value: int | float = int(stripped) if _INTEGER.fullmatch(stripped) else float(stripped)
    if isinstance(value, float) and not math.isfinite(value):
        raise WorkplanError(f"{what}: {stripped} is too large a number")
    problem = value_problem(indicator.measure, value)
    if problem:
        raise WorkplanError(f"{indicator.id}: {problem}")
    return value


def check_request(plan: Plan, indicator: Indicator, request: Request) -> None:
    """Raises WorkplanError for a period the plan does not declare, a date in the future or
    before the baseline or the last actual, or text that cannot be recorded."""
    periods = plan.plan.monitoring.periods if plan.plan.monitoring else []
    if request.period not in periods:
        known = ", ".join(periods) if periods else "none: add plan.monitoring.periods"
        shape = "" if _PERIOD.fullmatch(request.period) else " (a year 2024 or a quarter 2024-Q4)"
        raise WorkplanError(
            f"--period {request.period!r}{shape} is not a period of plan {plan.version} "
            f"(plan.monitoring.periods: {known})"
        )
    today = today_anywhere()
    on = request.on.isoformat()
    if request.on > today:
        raise WorkplanError(
            f"--on {on} is in the future (today is {today.isoformat()} at the latest); record "
            "a value when it has been measured"
        )
    base = indicator.baseline
    if base is not None and request.on < base.date:
        raise WorkplanError(
            f"--on {on} is before the baseline of {indicator.id} ({base.date.isoformat()})"
        )
    if indicator.actuals and request.on < indicator.actuals[-1].date:
        last = indicator.actuals[-1].date.isoformat()
        raise WorkplanError(
            f"the last actual of {indicator.id} is dated {last}; --on {on} is earlier "
            "(the actuals are kept in date order)"
        )
    texts = [("value", request.value), ("--note", request.note), ("--by", request.by)]
    status.check_texts(texts, request.evidence)


def actual_entry(actual: Actual) -> list[tuple[str, object]]:
    """Returns the new actual as (key, value) pairs in the order they are written."""
    return status.as_pairs(actual)


def record(
    data: bytes,
    name: str,
    request: Request,
    stakeholder_ids: Collection[str] | None = None,
    parse: Callable[..., Plan] = load.parse_plan,
) -> Edit:
    """Returns the edit that appends `request` to its indicator's actuals in the plan file
    `data` (named `name`), checked to hold exactly the intended plan and to validate."""
    plan = parse(data, name, stakeholder_ids)
    indicator = query.find_indicator(plan, request.indicator_id).indicator
    actual = Actual(
        date=request.on,
        period=request.period,
        value=parse_value(indicator, request.value),
        note=request.note or None,
        by=request.by or None,
        evidence=list(request.evidence),
    )
    check_request(plan, indicator, request)
    loc = status.loc_of(plan, indicator.id, "indicators")
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    text = load.decode(data, name)
    items = [(("actuals",), actual_entry(actual))]
    intended = status.replaced_at(
        plan, loc, replace(indicator, actuals=[*indicator.actuals, actual])
    )

    checked = status.holds(intended, bom, name, parse, stakeholder_ids)

    # The indicator's own lines first (see yamlio.splice_item), then the whole file.
    new = checked(yamlio.splice_item(text, "indicators", "id", indicator.id, items=items))
    if new is None:
        try:
            whole = yamlio.splice(text, items=[((*loc, *path), item) for path, item in items])
        except yamlio.SpliceError as e:
            raise WorkplanError(f"{name}: cannot update {indicator.id} in place: {e}") from None
        new = checked(whole)
    if new is None:
        raise WorkplanError(
            f"{name}: the edit would change more than the actuals of the indicator; "
            "nothing was written (please report this as a bug)"
        )
    return Edit(indicator.id, data, new, actual, loc)


def commit_message(edit: Edit, note: str | None) -> str:
    """Returns the commit message: '1.3-a: 4 for 2024 (2024-11-02)', then the note."""
    subject = f"{edit.indicator_id}: {in_words(edit.actual)}"
    return f"{subject}\n\n{note.strip()}\n" if note and note.strip() else subject + "\n"


def in_words(actual: Actual) -> str:
    """Returns an actual in words, on one line: '4 for 2024 (2024-11-02)' (a long narrative
    cut to 50 characters)."""
    value = actual.value if isinstance(actual.value, str) else repr(actual.value)
    value = " ".join(value.split())
    value = value if len(value) <= 50 else value[:47] + "..."
    return f"{value} for {actual.period} ({actual.date.isoformat()})"
