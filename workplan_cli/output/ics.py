"""The iCalendar export: dated activities, their due dates and history entries as all-day
events."""

from __future__ import annotations

import datetime as dt
import re

from workplan_cli.output.plaintext import ExportBugError, without_controls
from workplan_cli.plan import fields
from workplan_cli.plan.model import Activity, ActivityRef, HistoryEntry, Plan, Status
from workplan_cli.plan.spec import DATE, ENUM, PROSE

# RFC 5545 event status for each activity status.
EVENT_STATUS = {
    Status.PLANNED: "TENTATIVE",
    Status.IN_PROGRESS: "CONFIRMED",
    Status.COMPLETED: "CONFIRMED",
    Status.POSTPONED: "TENTATIVE",
    Status.CANCELLED: "CANCELLED",
}
ONE_DAY = dt.timedelta(days=1)
CLOSED = (Status.COMPLETED, Status.CANCELLED)


def activity_uid(plan: Plan, activity: Activity) -> str:
    """Returns the activity event's UID: stable across exports and plan versions."""
    return f"activity-{activity.id}@{plan.plan.id}.workplan"


def due_uid(plan: Plan, activity: Activity) -> str:
    """Returns the UID of the activity's due-date event."""
    return f"due-{activity.id}@{plan.plan.id}.workplan"


def is_due(activity: Activity) -> bool:
    """Whether the activity has a due date to show: an end date, and it is neither completed
    nor cancelled (nothing is due of what is closed)."""
    return activity.end is not None and activity.status not in CLOSED


def history_uid(plan: Plan, activity: Activity, index: int) -> str:
    """Returns the UID of the activity's history entry at `index` (0-based; histories only
    grow at the end, so positions stay put)."""
    return f"history-{activity.id}-{index + 1}@{plan.plan.id}.workplan"


# The timestamp when the plan records no date at all: the Unix epoch, a fixed value rather
# than the time of export, so that the same plan always gives the same file.
NO_DATE = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# RFC 5545 (3.6) wants at least one component in a calendar. A calendar without events gets
# this one: UTC's time zone, which every client understands and none shows.
UTC_TIMEZONE = (
    b"BEGIN:VTIMEZONE\r\nTZID:UTC\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
    b"TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\nTZNAME:UTC\r\nEND:STANDARD\r\n"
    b"END:VTIMEZONE\r\n"
)


def event_count(refs: list[ActivityRef]) -> int:
    """Returns how many events the calendar of `refs` holds: one per dated activity, one per
    due date and one per history entry."""
    return sum(
        bool(r.activity.start or r.activity.end) + is_due(r.activity) + len(r.activity.history)
        for r in refs
    )


def ics_export(plan: Plan, refs: list[ActivityRef]) -> bytes:
    """Returns an iCalendar file with an event for each dated activity, each due date (the end
    of an activity neither completed nor cancelled: a one-day event that does not block time)
    and each history entry; with none, a valid calendar that holds only the UTC time zone
    (`UTC_TIMEZONE`).

    DTSTAMP is when the information was last revised (RFC 5545 without METHOD), from the plan
    alone so that the same plan gives the same file: the latest of the plan's signing and the
    activity's history dates; else the latest date of any history entry in the plan; else
    `NO_DATE`.
    """
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//workplan//workplan//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    events = 0
    calendar.add("x-wr-calname", _text(f"{plan.plan.title} ({plan.version})"))
    fallback = _plan_stamp(plan)
    for ref in refs:
        stamp = _stamp(plan, ref.activity, fallback)
        if ref.activity.start or ref.activity.end:
            calendar.add_component(_activity_event(plan, ref, stamp))
            events += 1
        if is_due(ref.activity):
            calendar.add_component(_due_event(plan, ref, stamp))
            events += 1
        for index, entry in enumerate(ref.activity.history):
            calendar.add_component(_history_event(plan, ref, index, entry, stamp))
            events += 1
    data = calendar.to_ical()
    if not events:
        end = b"END:VCALENDAR\r\n"
        data = data.removesuffix(end) + UTC_TIMEZONE + end
    return _checked(data, events)


def _text(value: str) -> str:
    """Returns a TEXT value without control characters; line breaks become LF, which
    icalendar writes as the escape \\n (RFC 5545 allows only tab of the controls)."""
    return without_controls(value.replace("\r\n", "\n").replace("\r", "\n"))


_BAD_LINE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


def _checked(data: bytes, events: int) -> bytes:
    """Returns `data` if it is a well-formed calendar of `events` events, else raises a bug:
    UTF-8, CRLF line ends, no control characters, lines of at most 75 octets, it parses, and
    it holds a component."""
    from icalendar import Calendar

    lines = data.split(b"\r\n")
    problem = None
    if lines[-1] != b"":
        problem = "it does not end with CRLF"
    elif any(len(line) > 75 or _BAD_LINE.search(line) for line in lines):
        problem = "a line is longer than 75 octets or holds a control character"
    else:
        try:
            data.decode("utf-8")
            calendar = Calendar.from_ical(data)
            if len(calendar.walk("VEVENT")) != events or not calendar.subcomponents:
                problem = "it does not read back with every event"
        except ValueError as e:
            problem = f"it does not read back ({e})"
    if problem:
        raise ExportBugError(f"the iCalendar export is not well-formed: {problem}")
    return data


def _stamp(plan: Plan, activity: Activity, fallback: dt.datetime) -> dt.datetime:
    dates = [e.date for e in activity.history]
    if plan.plan.signed:
        dates.append(plan.plan.signed.date)
    if not dates:
        return fallback
    return dt.datetime.combine(max(dates), dt.time(), tzinfo=dt.UTC)


def _plan_stamp(plan: Plan) -> dt.datetime:
    """Returns the latest date of any history entry in the whole plan, else `NO_DATE`."""
    dates = [e.date for ref in plan.activities() for e in ref.activity.history]
    return dt.datetime.combine(max(dates), dt.time(), tzinfo=dt.UTC) if dates else NO_DATE


def _activity_event(plan: Plan, ref: ActivityRef, stamp: dt.datetime):
    from icalendar import Event

    a = ref.activity
    first = a.start or a.end
    last = a.end or a.start
    if first is None or last is None:  # the caller makes an event only of a dated activity
        raise ExportBugError(f"activity {a.id} has neither a start nor an end")
    event = Event()
    event.add("uid", activity_uid(plan, a))
    event.add("dtstamp", stamp)
    event.add("dtstart", first)
    event.add("dtend", last + ONE_DAY)  # all-day events end on the day after (exclusive)
    event.add("summary", _text(f"{a.id} {a.title}"))
    event.add("description", _text(_describe(ref)))
    event.add("status", EVENT_STATUS[a.status])
    enums = [f.plain(a) for f in fields.of_kind(type(a), ENUM) if f.value(a) is not None]
    event.add("categories", [_text(f"{ref.area.id} {ref.area.title}"), *enums])
    return event


def _due_event(plan: Plan, ref: ActivityRef, stamp: dt.datetime):
    from icalendar import Event

    a = ref.activity
    if a.end is None:  # the caller makes a due event only of an activity with an end date
        raise ExportBugError(f"activity {a.id} has no end date")
    lead = ", ".join(a.lead) or "-"
    label = {f.key: f.label for f in fields.declared(type(a))}
    lines = [f"{a.id} {a.title}", f"Due: {a.end.isoformat()}"]
    lines += [f"{label['status']}: {a.status.value}", f"{label['lead']}: {lead}"]
    event = Event()
    event.add("uid", due_uid(plan, a))
    event.add("dtstamp", stamp)
    event.add("dtstart", a.end)
    event.add("dtend", a.end + ONE_DAY)
    event.add("summary", _text(f"Due: {a.id} {a.title}"))
    event.add("description", _text("\n".join(lines)))
    event.add("status", EVENT_STATUS[a.status])
    event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: it blocks no time
    event.add("categories", [_text(f"{ref.area.id} {ref.area.title}"), "due"])
    return event


def _history_event(plan: Plan, ref: ActivityRef, index: int, entry: HistoryEntry, stamp):
    from icalendar import Event

    a = ref.activity
    change = f"{entry.from_.value} -> {entry.to.value}" if entry.from_ else entry.to.value
    status = fields.label(Activity, "status")
    label = {f.key: f.label for f in fields.declared(HistoryEntry)}
    lines = [f"{a.id} {a.title}", f"{status}: {change}"]
    if entry.by:
        lines.append(f"{label['by']}: {entry.by}")
    if entry.note:
        lines += ["", entry.note]
    lines += [f"{label['evidence']}: {e}" for e in entry.evidence]
    event = Event()
    event.add("uid", history_uid(plan, a, index))
    event.add("dtstamp", stamp)
    event.add("dtstart", entry.date)
    event.add("dtend", entry.date + ONE_DAY)
    event.add("summary", _text(f"{a.id} {change}: {a.title}"))
    event.add("description", _text("\n".join(lines)))
    event.add("categories", [_text(f"{ref.area.id} {ref.area.title}"), "status-change"])
    return event


def _describe(ref: ActivityRef) -> str:
    """Returns the event's description: the topic, the activity's summary lines but those the
    event holds itself (its kind in CATEGORIES, its dates in DTSTART/DTEND), then its text."""
    a = ref.activity
    lines = [f"Topic {ref.topic.id}: {ref.topic.title}"]
    for label, group in fields.summary(type(a)):
        if all(f.kind in (ENUM, DATE) for f in group):
            continue
        values = [f.plain(a) for f in group]
        shown = [", ".join(v) if isinstance(v, list) else v for v in values if v is not None]
        lines.append(f"{label}: {' to '.join(map(str, shown)) or '-'}")
    lines += ["", *(str(f.plain(a)) for f in fields.body(type(a)) if f.kind == PROSE)]
    return "\n".join(lines)
