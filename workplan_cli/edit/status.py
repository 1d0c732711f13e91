"""Status changes as pure text edits: transition rules, the history entry, the spliced file."""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Protocol

from workplan_cli import yamlio
from workplan_cli.errors import WorkplanError
from workplan_cli.plan import fields, load, query
from workplan_cli.plan.checks import today_anywhere
from workplan_cli.plan.model import Activity, HistoryEntry, Plan
from workplan_cli.plan.vocab import Status

CLOSED = (Status.COMPLETED, Status.CANCELLED)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Request:
    """What a user asks for: move one activity to a status, with what to record about it."""

    activity_id: str
    status: Status
    on: dt.date
    note: str | None = None
    by: str | None = None
    evidence: tuple[str, ...] = ()
    force: bool = False


class Change(Protocol):
    """Any planned change of one plan file: its bytes before and after."""

    @property
    def old(self) -> bytes: ...

    @property
    def new(self) -> bytes: ...


@dataclass(frozen=True)
class Edit:
    """A planned change of one file: its bytes before and after, and what moved."""

    activity_id: str
    old: bytes
    new: bytes
    from_: Status
    to: Status
    loc: tuple = field(default=())


def parse_date(text: str) -> dt.date:
    """Returns the date that YYYY-MM-DD text names, or raises WorkplanError."""
    try:
        if _DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise WorkplanError(f"--on {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-10-12")


def check_transition(activity: Activity, request: Request) -> None:
    """Raises WorkplanError when the change needs --force and was not forced."""
    current, new = activity.status, request.status
    if request.force:
        return
    if new == current:
        raise WorkplanError(
            f"{activity.id} is already {current.value}; add --force to record it again "
            "(for example to add a note)"
        )
    if current in CLOSED:
        raise WorkplanError(
            f"{activity.id} is {current.value}; moving it to {new.value} reopens a closed "
            "activity: add --force if that is what you mean"
        )


def check_request(activity: Activity, request: Request) -> None:
    """Raises WorkplanError for a date out of order or text that cannot be recorded."""
    today = today_anywhere()
    if request.on > today and not request.force:
        raise WorkplanError(
            f"--on {request.on.isoformat()} is in the future (today is {today.isoformat()} at "
            "the latest); record a change when it has happened, or add --force if this "
            "computer's clock is wrong"
        )
    if activity.history and request.on < activity.history[-1].date:
        last = activity.history[-1].date.isoformat()
        raise WorkplanError(
            f"the last history entry of {activity.id} is dated {last}; --on "
            f"{request.on.isoformat()} is earlier (the history is kept in date order)"
        )
    check_texts([("--note", request.note), ("--by", request.by)], request.evidence)


def check_texts(texts: list[tuple[str, str | None]], evidence: Sequence[str]) -> None:
    """Refuses texts (option, value) and --evidence values that cannot be recorded: a lone
    surrogate (not valid text), an empty --evidence."""
    for name, value in texts + [("--evidence", e) for e in evidence]:
        if value is not None and any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            raise WorkplanError(f"{name} holds bytes that are not valid text")
    if any(not e.strip() for e in evidence):
        raise WorkplanError("--evidence must not be empty")


def history_entry(activity: Activity, request: Request) -> list[tuple[str, object]]:
    """Returns the new history entry as (key, value) pairs in the order they are written."""
    return as_pairs(new_entry(activity, request))


def as_pairs(item: Any) -> list[tuple[str, object]]:
    """Returns a new list item (a history entry, an actual) as the (key, value) pairs of its
    YAML mapping, from its declaration: the fields in their declared order under their keys in
    the files, empty optional ones left out; a date as quoted ISO text (a YAML 1.1 reader would
    make a date object of a plain one), a vocabulary word or a number plain."""
    pairs: list[tuple[str, object]] = []
    for f in fields.declared(type(item)):
        value = f.value(item)
        if value is None or (isinstance(value, list | tuple) and not value):
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Enum):
            value = yamlio.Plain(value.value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            value = yamlio.Plain(repr(value))
        elif isinstance(value, tuple):
            value = list(value)
        pairs.append((f.key, value))
    return pairs


def holds(
    intended: Plan,
    bom: bytes,
    name: str,
    parse: Callable[..., Plan],
    stakeholder_ids: Collection[str] | None,
) -> Callable[[str | None], bytes | None]:
    """Returns the check of a spliced text (every edit command's): its bytes, with the file's
    byte order mark, if they parse to exactly the `intended` plan; else None (the caller then
    tries the next way of making the edit, or refuses)."""

    def checked(new_text: str | None) -> bytes | None:
        if new_text is None:
            return None
        new = bom + new_text.encode("utf-8")
        try:
            return new if parse(new, name, stakeholder_ids) == intended else None
        except WorkplanError:
            return None

    return checked


def set_status(
    data: bytes,
    name: str,
    request: Request,
    stakeholder_ids: Collection[str] | None = None,
    parse: Callable[..., Plan] = load.parse_plan,
) -> Edit:
    """Returns the edit that records `request` in the plan file `data` (named `name`).

    Only the status value changes and history lines are added; the result is checked to hold
    exactly the intended values and to validate before it is returned. `parse` reads a plan
    (bytes, name, stakeholder ids): the store passes its cached one.
    """
    plan = parse(data, name, stakeholder_ids)
    activity = query.find_activity(plan, request.activity_id).activity
    check_transition(activity, request)
    check_request(activity, request)
    loc = loc_of(plan, activity.id)
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    text = load.decode(data, name)
    scalars = [(("status",), request.status.value)]
    items = [(("history",), history_entry(activity, request))]
    intended = _intended(plan, loc, activity, request)

    checked = holds(intended, bom, name, parse, stakeholder_ids)

    # The activity's own lines first (see yamlio.splice_item), then the whole file.
    new = checked(yamlio.splice_item(text, "activities", "id", activity.id, scalars, items))
    if new is None:
        try:
            whole = yamlio.splice(
                text,
                scalars=[((*loc, *path), value) for path, value in scalars],
                items=[((*loc, *path), item) for path, item in items],
            )
        except yamlio.SpliceError as e:
            raise WorkplanError(f"{name}: cannot update {activity.id} in place: {e}") from None
        new = checked(whole)
    if new is None:
        raise WorkplanError(
            f"{name}: the edit would change more than the status and history of the activity; "
            "nothing was written (please report this as a bug)"
        )
    return Edit(activity.id, data, new, activity.status, request.status, loc)


def _intended(plan: Plan, loc: tuple, activity: Activity, request: Request) -> Plan:
    """Returns the plan as the edit must leave it: one activity with a new status and entry."""
    return replaced_at(plan, loc, with_entry(activity, request))


def new_entry(activity: Activity, request: Request) -> HistoryEntry:
    """Returns the history entry that the request adds to the activity."""
    return HistoryEntry(
        date=request.on,
        from_=activity.status,
        to=request.status,
        note=request.note or None,
        by=request.by or None,
        evidence=list(request.evidence),
    )


def with_entry(activity: Activity, request: Request) -> Activity:
    """Returns the activity as the request leaves it: its new status and history entry (what
    the spliced file must parse back to)."""
    entry = new_entry(activity, request)
    return replace(activity, status=request.status, history=[*activity.history, entry])


def replaced_at(plan: Plan, loc: tuple, changed: Any) -> Plan:
    """Returns the plan with the activity or indicator at `loc` (from `loc_of`) replaced."""
    _, a, _, t, key, i = loc
    area = plan.areas[a]
    topic = area.topics[t]
    items = getattr(topic, key)
    topic = replace(topic, **{key: [*items[:i], changed, *items[i + 1 :]]})
    area = replace(area, topics=[*area.topics[:t], topic, *area.topics[t + 1 :]])
    return replace(plan, areas=[*plan.areas[:a], area, *plan.areas[a + 1 :]])


def loc_of(plan: Plan, item_id: str, key: str = "activities") -> tuple:
    """Returns the place in the plan of the activity (or, with key="indicators", the indicator)
    with this id: ("areas", a, "topics", t, key, i)."""
    loc = locs(plan, key).get(item_id)
    assert loc is not None, item_id  # found by query.find_activity / find_indicator just before
    return loc


def locs(plan: Plan, key: str = "activities") -> dict[str, tuple]:
    """Returns `loc_of` of every activity (or indicator) by its id, in one walk of the plan."""
    return {
        item.id: ("areas", a, "topics", t, key, i)
        for a, area in enumerate(plan.areas)
        for t, topic in enumerate(area.topics)
        for i, item in enumerate(getattr(topic, key))
    }


def unified_diff(edit: Change, name: str) -> str:
    """Returns the edit as a unified diff of the file, line endings left out."""
    old, new = (_lines(b) for b in (edit.old, edit.new))
    out = [f"--- a/{name}", f"+++ b/{name}"]
    for group in _grouped(_opcodes(old, new), 3):
        i1, j1 = group[0][1], group[0][3]
        i2, j2 = group[-1][2], group[-1][4]
        out.append(f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                out += [" " + line for line in old[a1:a2]]
                continue
            out += ["-" + line for line in old[a1:a2]]
            out += ["+" + line for line in new[b1:b2]]
    return "\n".join(out) + "\n" if len(out) > 2 else ""


MAX_MIDDLE = 4000  # changed lines (old + new) aligned line by line; more: one block each way
WINDOW = 100  # unchanged lines either side of the change that difflib sees too


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Returns difflib's opcodes for two line lists that share a long head and tail.

    A splice leaves the file's head and tail as they were: only the lines between, and WINDOW
    lines either side, are compared (difflib over the whole file is quadratic in the lines that
    recur, e.g. `status: planned`). The window makes difflib choose as it does over the whole
    file where a changed line could pair with a copy of it just before or after the change.
    When the middle is itself large, it is shown as one removed and one added block.
    """
    most = min(len(old), len(new))
    head = 0
    while head < most and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < most - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    if len(old) + len(new) - 2 * (head + tail) > MAX_MIDDLE:
        codes = [("equal", 0, head, 0, head)] if head else []
        a_end, b_end = len(old) - tail, len(new) - tail
        tag = "replace" if a_end > head and b_end > head else "delete" if a_end > head else "insert"
        codes.append((tag, head, a_end, head, b_end))
        if tail:
            codes.append(("equal", a_end, len(old), b_end, len(new)))
        return codes
    # The window keeps which of head and tail is longer: difflib takes the longest first.
    kept_head, kept_tail = min(head, WINDOW), min(tail, WINDOW)
    if head > tail and kept_head <= kept_tail:
        kept_head = kept_tail + 1
    elif tail > head and kept_tail <= kept_head:
        kept_tail = kept_head + 1
    head, tail = head - kept_head, tail - kept_tail
    a_end, b_end = len(old) - tail, len(new) - tail
    # difflib.unified_diff cannot turn off "autojunk", which treats lines that recur often
    # (in a plan: `lead: [micde, bmdv]`) as noise and then shows them as changed.
    matcher = difflib.SequenceMatcher(None, old[head:a_end], new[head:b_end], autojunk=False)
    codes = [("equal", 0, head, 0, head)]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        codes.append((tag, i1 + head, i2 + head, j1 + head, j2 + head))
    codes.append(("equal", a_end, len(old), b_end, len(new)))
    merged: list[tuple[str, int, int, int, int]] = []
    for code in codes:
        if code[1] == code[2] and code[3] == code[4]:
            continue  # an empty head or tail
        if merged and code[0] == merged[-1][0] == "equal":
            merged[-1] = ("equal", merged[-1][1], code[2], merged[-1][3], code[4])
        else:
            merged.append(code)
    return merged


def _grouped(codes: list, context: int) -> list[list]:
    """Returns the opcodes in hunks with `context` lines around changes, as difflib groups them
    (SequenceMatcher.get_grouped_opcodes, over opcodes computed above)."""
    if not codes:
        codes = [("equal", 0, 1, 0, 1)]
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)
    groups: list[list] = []
    group: list = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * context:
            group.append((tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            groups.append(group)
            group = []
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return groups


def _range(start: int, stop: int) -> str:
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _lines(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [line.removesuffix("\r") for line in text.split("\n")]


def commit_message(edit: Edit, note: str | None) -> str:
    """Returns the commit message: '1.3.2: planned -> completed', then the note."""
    subject = f"{edit.activity_id}: {edit.from_.value} -> {edit.to.value}"
    return f"{subject}\n\n{note.strip()}\n" if note and note.strip() else subject + "\n"
