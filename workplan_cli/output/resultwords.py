"""Changes of indicators in plain words: "target for 2025 raised from 2 to 3", "actual for 2024
recorded: 3 on 2024-11-02". Pure: the diff's plain values in, (mark, text) lines out.

The words derive from the declarations: a list of entries whose entries hold a `period`
(targets, actuals) is compared period by period and named by its label in the singular; a
block (the baseline) is shown as its value and date; any other field as "old → new".
"""

from __future__ import annotations

from typing import Any

from workplan_cli.diff.plans import ADDED, FieldChange
from workplan_cli.plan import fields
from workplan_cli.plan.model import Indicator
from workplan_cli.plan.spec import BLOCK, ENTRIES

Line = tuple[str, str]  # a mark (+ - ~) and the text


def _spec(key: str):
    return next((f for f in fields.declared(Indicator) if f.key == key), None)


def value(v: Any) -> str:
    """Returns a value as people read it: numbers without '.0', texts in one line."""
    if v is None:
        return "(none)"
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return " ".join(str(v).split())
    return str(int(v)) if float(v).is_integer() else str(v)


def _dated(entry: dict | None) -> str:
    if not entry:
        return "(none)"
    return f"{value(entry.get('value'))} ({entry.get('date')})"


def _one(label: str) -> str:
    """Returns a field's label in the singular and lower case: 'Targets' -> 'target'."""
    word = label.lower()
    return word[:-1] if word.endswith("s") else word


def field_lines(change: FieldChange) -> list[Line]:
    """Returns one changed field of an indicator as lines of plain words."""
    f = _spec(change.field)
    label = f.label.lower() if f else change.field
    if f is not None and f.kind == ENTRIES and _periodic(change):
        return _entries(_one(f.label), change.old or [], change.new or [])
    if f is not None and f.kind == BLOCK:
        if change.old is None:
            return [("+", f"{label} set: {_dated(change.new)}")]
        if change.new is None:
            return [("-", f"{label} removed (was {_dated(change.old)})")]
        return [("~", f"{label} changed from {_dated(change.old)} to {_dated(change.new)}")]
    if change.field == "objective":
        return [("~", f"moved from objective {change.old} to objective {change.new}")]
    return [("~", f"{label} changed from {value(change.old)} to {value(change.new)}")]


def added_lines(changes: list[FieldChange]) -> list[Line]:
    """Returns what an added indicator holds, in the same words."""
    out: list[Line] = []
    for change in changes:
        f = _spec(change.field)
        if f is not None and f.kind == ENTRIES and _periodic(change):
            out += [(" ", _entry_text(_one(f.label), e)) for e in change.new or []]
        elif f is not None and f.kind == BLOCK:
            out.append((" ", f"{f.label.lower()}: {_dated(change.new)}"))
        else:
            out.append((" ", f"{f.label.lower() if f else change.field}: {value(change.new)}"))
    return out


def _periodic(change: FieldChange) -> bool:
    items = [*(change.old or []), *(change.new or [])]
    return bool(items) and all(isinstance(x, dict) and "period" in x for x in items)


def _entry_text(what: str, entry: dict) -> str:
    text = f"{what} for {entry['period']}: {value(entry.get('value'))}"
    if entry.get("date"):
        text += f" on {entry['date']}"
    if entry.get("by"):
        text += f" by {value(entry['by'])}"
    if entry.get("note"):
        text += f": {value(entry['note'])}"
    if entry.get("evidence"):
        text += f" (evidence: {', '.join(value(e) for e in entry['evidence'])})"
    return text


def _key(entry: dict) -> tuple:
    """Entries pair by period, and dated entries (actuals) by period and date."""
    return (entry.get("period"), entry.get("date"))


def _entries(what: str, old: list[dict], new: list[dict]) -> list[Line]:
    before: dict[tuple, list[dict]] = {}
    for e in old:
        before.setdefault(_key(e), []).append(e)
    out: list[Line] = []
    for e in new:
        same = before.get(_key(e))
        if not same:
            verb = "recorded" if e.get("date") else "added"
            out.append(("+", _entry_text(what, e).replace(":", f" {verb}:", 1)))
            continue
        o = same.pop(0)
        if o == e:
            continue
        where = f"{what} for {e['period']}" + (f" of {e['date']}" if e.get("date") else "")
        a, b = o.get("value"), e.get("value")
        if a != b:
            both = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b))
            verb = ("raised" if b > a else "lowered") if both else "changed"  # type: ignore[operator]  # numbers: both checked
            out.append(("~", f"{where} {verb} from {value(a)} to {value(b)}"))
        for key in (k for k in {**o, **e} if k not in ("value", "period", "date")):
            if o.get(key) != e.get(key):
                out.append(
                    ("~", f"{where}: {key} changed from {value(o.get(key))} to {value(e.get(key))}")
                )
    for rest in before.values():
        for o in rest:
            where = f"{what} for {o['period']}" + (f" of {o['date']}" if o.get("date") else "")
            out.append(("-", f"{where} removed (was {value(o.get('value'))})"))
    return out


def entry_lines(change_kind: str, changes: list[FieldChange]) -> list[Line]:
    """Returns an indicator entry's lines: its contents when added, else its changes."""
    if change_kind == ADDED:
        return added_lines(changes)
    return [line for c in changes for line in field_lines(c)]
