"""Planned dates as pure text edits: an activity's `start` and `end` set or cleared in place."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

from workplan_cli import yamlio
from workplan_cli.edit import status
from workplan_cli.edit.sign import amendment_notice
from workplan_cli.errors import WorkplanError
from workplan_cli.plan import load, query
from workplan_cli.plan.model import Activity, Plan
from workplan_cli.plan.schedule import date_words

FIELDS = ("start", "end")
# Where a date that the activity does not have yet is written: after the first of these keys
# that it has (the order of the model's fields; `status` and `kind` are always there).
ANCHORS = ("stakeholders", "lead", "status", "kind")


@dataclass(frozen=True)
class Request:
    """What a user asks for: new planned dates for one activity (None: left as it is), or
    dates to clear."""

    activity_id: str
    start: dt.date | None = None
    end: dt.date | None = None
    clear: tuple[str, ...] = ()  # "start", "end"

    def __post_init__(self) -> None:
        for name in FIELDS:
            if getattr(self, name) is not None and name in self.clear:
                raise WorkplanError(f"--{name} and --clear {name} contradict each other")
        if self.start is None and self.end is None and not self.clear:
            raise WorkplanError("give --start, --end or --clear: there is nothing to change")


@dataclass(frozen=True)
class Edit:
    """A planned change of one file: its bytes before and after, and each date that moved."""

    activity_id: str
    old: bytes
    new: bytes
    changes: tuple[tuple[str, dt.date | None, dt.date | None], ...]  # (field, old, new)
    # Planned dates are agreed content: what to say when the plan is signed (edit/sign.py's
    # amendment_notice), None for a draft.
    notice: str | None = None


def wanted(activity: Activity, request: Request) -> dict[str, dt.date | None]:
    """Returns the activity's planned dates after the request, or raises WorkplanError."""
    dates = {name: getattr(activity, name) for name in FIELDS}
    for name in FIELDS:
        if name in request.clear:
            dates[name] = None
        elif getattr(request, name) is not None:
            dates[name] = getattr(request, name)
    start, end = dates["start"], dates["end"]
    if start is not None and end is not None and end < start:
        given = "--end" if request.end is not None else "the end date"
        raise WorkplanError(
            f"{given} {end.isoformat()} is before the start {start.isoformat()} of "
            f"{activity.id}; an activity cannot end before it starts"
        )
    return dates


def describe(changes: tuple[tuple[str, dt.date | None, dt.date | None], ...]) -> str:
    """Returns the changes in words: 'end moved from 2025-03-31 to 2025-06-30'."""
    return "; ".join(date_words(name, old, new) for name, old, new in changes)


def _iso(value: dt.date | None) -> str:
    return "(none)" if value is None else value.isoformat()


def set_dates(
    data: bytes,
    name: str,
    request: Request,
    stakeholder_ids: Collection[str] | None = None,
    parse: Callable[..., Plan] = load.parse_plan,
) -> Edit:
    """Returns the edit that sets the planned dates of `request` in the plan file `data`.

    Only the date values change, or their lines are added or removed; the result is checked to
    hold exactly the intended values and to validate before it is returned.
    """
    plan = parse(data, name, stakeholder_ids)
    activity = query.find_activity(plan, request.activity_id).activity
    dates = wanted(activity, request)
    changes = tuple(
        (f, getattr(activity, f), dates[f]) for f in FIELDS if getattr(activity, f) != dates[f]
    )
    if not changes:
        shown = ", ".join(f"{f} {_iso(dates[f])}" for f in FIELDS)
        raise WorkplanError(f"{activity.id} already has these dates ({shown}); nothing to change")
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    text = load.decode(data, name)
    if re.search("\r(?!\n)", text):  # new lines would end otherwise than the file's own
        raise WorkplanError(
            f"{name}: cannot set the dates of {activity.id} in place: the file ends lines with "
            "a carriage return alone (old Mac style); convert it to LF or CRLF line ends first"
        )
    loc = status.loc_of(plan, activity.id)
    intended = status.replaced_at(
        plan, loc, replace(activity, start=dates["start"], end=dates["end"])
    )

    checked = status.holds(intended, bom, name, parse, stakeholder_ids)

    batches = [date_edits(activity, dates, anchor) for anchor in ANCHORS]
    new = None
    # The activity's own lines first (see yamlio.splice_item), then the whole file.
    for edits in batches:
        new = checked(yamlio.splice_item(text, "activities", "id", activity.id, edits=edits))
        if new is not None:
            break
    problem = None
    for edits in batches if new is None else []:
        try:
            new = checked(yamlio.splice(text, edits=yamlio.under(loc, edits)))
        except yamlio.SpliceError as e:
            problem = problem or str(e)
            continue
        if new is not None:
            break
    if new is None:
        why = f": {problem}" if problem else ""
        raise WorkplanError(
            f"{name}: cannot set the dates of {activity.id} in place{why}; nothing was written "
            "(edit the dates by hand, or report this as a bug)"
        )
    return Edit(activity.id, data, new, changes, amendment_notice(plan))


def date_edits(activity: Activity, dates: dict, anchor: str) -> list[yamlio.TextEdit]:
    """Returns the text edits at paths inside the activity: a written date is replaced in its
    own quote style or removed; a new one is added after the existing `start` or `anchor`."""
    edits: list[yamlio.TextEdit] = []
    added: list[str] = []
    after = anchor
    for f in FIELDS:
        old, new = getattr(activity, f), dates[f]
        if old == new:
            if old is not None and f == "start":
                after = "start"
            continue
        if old is None:
            added.append(f'{f}: "{new.isoformat()}"')
        elif new is None:
            edits.append(yamlio.RemoveEntry((f,)))
        else:
            edits.append(yamlio.SetScalar((f,), new.isoformat()))
            if f == "start":
                after = "start"
    if added:
        edits.append(yamlio.InsertAfter((after,), tuple(added)))
    return edits


def commit_message(edit: Edit) -> str:
    """Returns the commit message: '1.3.2: end moved from 2025-03-31 to 2025-06-30'."""
    return f"{edit.activity_id}: {describe(edit.changes)}\n"
