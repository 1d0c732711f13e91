"""Changes of indicators in plain words: "target for 2025 raised from 2 to 3", "actual for 2024
recorded: 3 on 2024-11-02". Pure: the diff's plain values in, (mark, text) lines out.

The words derive from the declarations: a list of entries whose entries hold a `period`
(targets, actuals) is compared period by period and named by its label in the singular; a
block (the baseline) is shown as its value and date; any other field as "old → new".

Every text is a gettext message: `diff` and `log` say them in English with ISO dates (the
default `words`), a report in its language (an `i18n.Language`, which has `gettext` and `date`).
"""

from __future__ import annotations

from typing import Any, Protocol

from workplan_cli.diff.plans import ADDED, FieldChange
from workplan_cli.plan import fields
from workplan_cli.plan.model import Indicator
from workplan_cli.plan.spec import BLOCK, ENTRIES

Line = tuple[str, str]  # a mark (+ - ~) and the text


def N_(message: str) -> str:
    """Marks a message for the catalogs (output/i18n.py's, repeated: the layer is the same)."""
    return message


class Words(Protocol):
    def gettext(self, message: str) -> str: ...

    def date(self, value: Any) -> str: ...


class _Plain:
    """English words and ISO dates: what `diff`, `review` and `log` print."""

    def gettext(self, message: str) -> str:
        return message

    def date(self, value: Any) -> str:
        return str(value)


PLAIN: Words = _Plain()


def _spec(key: str):
    return next((f for f in fields.declared(Indicator) if f.key == key), None)


def labels() -> list[str]:
    """Returns the words for the indicator's fields that these lines use (the catalogs hold
    them beside the labels): each label in lower case, and in the singular for entry lists."""
    out = []
    for f in fields.declared(Indicator):
        out.append(f.label.lower())
        if f.kind == ENTRIES:
            out.append(_one(f.label))
    return out


def value(v: Any, words: Words = PLAIN) -> str:
    """Returns a value as people read it: numbers without '.0', texts in one line."""
    if v is None:
        return words.gettext(N_("(none)"))
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return " ".join(str(v).split())
    return str(int(v)) if float(v).is_integer() else str(v)


def _say(words: Words, message: str, **values: Any) -> str:
    return words.gettext(message) % values


def _dated(entry: dict | None, words: Words) -> str:
    if not entry:
        return value(None, words)
    return _say(
        words,
        N_("%(value)s (%(date)s)"),
        value=value(entry.get("value"), words),
        date=words.date(entry.get("date")),
    )


def _one(label: str) -> str:
    """Returns a field's label in the singular and lower case: 'Targets' -> 'target'."""
    word = label.lower()
    return word[:-1] if word.endswith("s") else word


def field_lines(change: FieldChange, words: Words = PLAIN) -> list[Line]:
    """Returns one changed field of an indicator as lines of plain words."""
    f = _spec(change.field)
    label = words.gettext(f.label.lower()) if f else change.field
    if f is not None and f.kind == ENTRIES and _periodic(change):
        what = words.gettext(_one(f.label))
        return _entries(what, change.old or [], change.new or [], words)
    if f is not None and f.kind == BLOCK:
        old, new = _dated(change.old, words), _dated(change.new, words)
        if change.old is None:
            return [("+", _say(words, N_("%(label)s set: %(value)s"), label=label, value=new))]
        if change.new is None:
            return [
                ("-", _say(words, N_("%(label)s removed (was %(value)s)"), label=label, value=old))
            ]
        return [("~", _changed(words, label, old, new))]
    if change.field == "objective":
        said = N_("moved from objective %(old)s to objective %(new)s")
        return [("~", _say(words, said, old=change.old, new=change.new))]
    return [("~", _changed(words, label, value(change.old, words), value(change.new, words)))]


def _changed(words: Words, label: str, old: str, new: str) -> str:
    return _say(
        words, N_("%(label)s changed from %(old)s to %(new)s"), label=label, old=old, new=new
    )


def added_lines(changes: list[FieldChange], words: Words = PLAIN) -> list[Line]:
    """Returns what an added indicator holds, in the same words."""
    out: list[Line] = []
    for change in changes:
        f = _spec(change.field)
        if f is not None and f.kind == ENTRIES and _periodic(change):
            what = words.gettext(_one(f.label))
            out += [(" ", _entry_text(what, e, words)) for e in change.new or []]
        elif f is not None and f.kind == BLOCK:
            label = words.gettext(f.label.lower())
            out.append((" ", f"{label}: {_dated(change.new, words)}"))
        else:
            label = words.gettext(f.label.lower()) if f else change.field
            out.append((" ", f"{label}: {value(change.new, words)}"))
    return out


def _periodic(change: FieldChange) -> bool:
    items = [*(change.old or []), *(change.new or [])]
    return bool(items) and all(isinstance(x, dict) and "period" in x for x in items)


def _entry_text(what: str, entry: dict, words: Words, verb: str | None = None) -> str:
    message = {
        None: N_("%(what)s for %(period)s: %(value)s"),
        "recorded": N_("%(what)s for %(period)s recorded: %(value)s"),
        "added": N_("%(what)s for %(period)s added: %(value)s"),
    }[verb]
    text = _say(
        words, message, what=what, period=entry["period"], value=value(entry.get("value"), words)
    )
    if entry.get("date"):
        text += _say(words, N_(" on %(date)s"), date=words.date(entry["date"]))
    if entry.get("by"):
        text += _say(words, N_(" by %(name)s"), name=value(entry["by"], words))
    if entry.get("note"):
        text += f": {value(entry['note'], words)}"
    if entry.get("evidence"):
        evidence = ", ".join(value(e, words) for e in entry["evidence"])
        text += _say(words, N_(" (evidence: %(evidence)s)"), evidence=evidence)
    return text


def _key(entry: dict) -> tuple:
    """Entries pair by period, and dated entries (actuals) by period and date."""
    return (entry.get("period"), entry.get("date"))


def _where(what: str, entry: dict, words: Words) -> str:
    if entry.get("date"):
        return _say(
            words,
            N_("%(what)s for %(period)s of %(date)s"),
            what=what,
            period=entry["period"],
            date=words.date(entry["date"]),
        )
    return _say(words, N_("%(what)s for %(period)s"), what=what, period=entry["period"])


def _entries(what: str, old: list[dict], new: list[dict], words: Words) -> list[Line]:
    before: dict[tuple, list[dict]] = {}
    for e in old:
        before.setdefault(_key(e), []).append(e)
    out: list[Line] = []
    for e in new:
        same = before.get(_key(e))
        if not same:
            verb = "recorded" if e.get("date") else "added"
            out.append(("+", _entry_text(what, e, words, verb)))
            continue
        o = same.pop(0)
        if o == e:
            continue
        where = _where(what, e, words)
        a, b = o.get("value"), e.get("value")
        if a != b:
            both = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b))
            message = N_("%(where)s changed from %(old)s to %(new)s")
            if both:
                raised = b > a  # type: ignore[operator]  # numbers: both checked
                message = (
                    N_("%(where)s raised from %(old)s to %(new)s")
                    if raised
                    else N_("%(where)s lowered from %(old)s to %(new)s")
                )
            out.append(
                ("~", _say(words, message, where=where, old=value(a, words), new=value(b, words)))
            )
        for key in (k for k in {**o, **e} if k not in ("value", "period", "date")):
            if o.get(key) != e.get(key):
                said = _say(
                    words,
                    N_("%(where)s: %(key)s changed from %(old)s to %(new)s"),
                    where=where,
                    key=key,
                    old=value(o.get(key), words),
                    new=value(e.get(key), words),
                )
                out.append(("~", said))
    for rest in before.values():
        for o in rest:
            said = _say(
                words,
                N_("%(where)s removed (was %(value)s)"),
                where=_where(what, o, words),
                value=value(o.get("value"), words),
            )
            out.append(("-", said))
    return out


def entry_lines(change_kind: str, changes: list[FieldChange], words: Words = PLAIN) -> list[Line]:
    """Returns an indicator entry's lines: its contents when added, else its changes."""
    if change_kind == ADDED:
        return added_lines(changes, words)
    return [line for c in changes for line in field_lines(c, words)]
