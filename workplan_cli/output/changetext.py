"""What changed between two plans, in plain sentences for a report ("Lead of 1.1.2 now MICDE
alone (was MICDE and BMDV).", "Review moved from 2024-Q4 to 2025-Q4.").

The sentences are made from the diff (diff/plans.py) and the fields' declarations: a field is
named by its label (plan/spec.py) and what is said of it follows its kind of value, so a new
field needs no code here. Every sentence is a gettext message (output/i18n.py).
"""

from __future__ import annotations

import re
import typing
from typing import Any

from workplan_cli.diff.plans import ADDED, CHANGED, MOVED, REMOVED, FieldChange, PlanDiff
from workplan_cli.output import resultwords
from workplan_cli.output.i18n import N_, Language
from workplan_cli.output.reportdata import status_label
from workplan_cli.plan import fields
from workplan_cli.plan.model import Activity, Area, PlanMeta, Stakeholder, Topic
from workplan_cli.plan.spec import BLOCK, DATE, ENTRIES, ENUM, IDS, LIST, PROSE, REF, STATUS

LEVELS = {"area": Area, "topic": Topic, "activity": Activity}
# The kinds of entry, as the summary names them (gettext messages, extracted from here).
PARTS = {
    "areas": N_("Areas"),
    "topics": N_("Topics"),
    "activities": N_("Activities"),
    "objectives": N_("Objectives"),
    "indicators": N_("Indicators"),
    "stakeholders": N_("Stakeholders"),
    "metadata": N_("Plan details"),
}
CHANGE_WORDS = {
    ADDED: N_("added"),
    REMOVED: N_("removed"),
    MOVED: N_("moved"),
    CHANGED: N_("changed"),
}
_DATELIKE = re.compile(r"\d{4}(?:-|$)")


def summary(diff: PlanDiff, tr: Language) -> list[str]:
    """Returns one line per kind of entry: 'Activities: 1 added, 4 moved, 5 changed'."""
    lines = []
    for part, counts in diff.counts().items():
        said = [
            f"{tr.number(n)} {tr.gettext(CHANGE_WORDS[change])}"
            for change, n in counts.items()
            if n
        ]
        if said:
            lines.append(f"{tr.gettext(PARTS[part])}: {', '.join(said)}")
    return lines


def sentences(diff: PlanDiff, tr: Language, people: dict[str, Stakeholder]) -> list[dict]:
    """Returns the changes as groups ({heading, items}): the plan's details, then each area's
    changes in the plan's order, then the stakeholders. An item is {text, words}: `words` the
    word diff of a reworded text ([{op, text}], op '=', '-' or '+'), else None."""
    say = _Sayer(tr, people)
    groups: list[dict] = []
    meta = [item for c in diff.metadata for item in say.metadata(c)]
    if meta:
        groups.append({"heading": tr.gettext("The plan"), "items": meta})
    by_area: dict[str, list[dict]] = {}
    for level, entries in (("area", diff.areas), ("topic", diff.topics)):
        for e in entries:
            by_area.setdefault(e.area or e.id, []).extend(say.entry(level, e))
    for e in diff.activities:
        by_area.setdefault(e.area or "", []).extend(say.entry("activity", e))
    for e in diff.indicators:
        by_area.setdefault(e.area or "", []).extend(say.indicator(e))
    for area, items in sorted(by_area.items(), key=lambda pair: _natural(pair[0])):
        title = diff.titles.get(area)
        heading = f"{area} {title}" if title else tr.gettext("Area %(id)s") % {"id": area}
        groups.append({"heading": heading, "items": items})
    people_items = []
    for s in diff.stakeholders:
        name = s.name
        if s.change == ADDED:
            people_items.append(say.item(N_("New stakeholder: %(name)s."), name=name))
        elif s.change == REMOVED:
            people_items.append(say.item(N_("Stakeholder %(name)s removed."), name=name))
        else:
            people_items += [say.field(Stakeholder, c, name) for c in s.fields]
    if people_items:
        groups.append({"heading": tr.gettext("Stakeholders"), "items": people_items})
    return groups


class _Sayer:
    def __init__(self, tr: Language, people: dict[str, Stakeholder]) -> None:
        self.tr, self.people = tr, people

    def item(self, message: str, words=None, **values: str) -> dict:
        text = self.tr.gettext(message) % values
        if text.endswith(".."):  # a value that ends its own sentence
            text = text[:-1]
        return {"text": text, "words": words}

    def quoted(self, title: str) -> str:
        return self.tr.gettext("“%(title)s”") % {"title": title}

    def entry(self, level: str, e) -> list[dict]:
        what = {"area": N_("Area"), "topic": N_("Topic"), "activity": N_("Activity")}[level]
        kind = self.tr.gettext(what)
        title = self.quoted(e.title)
        if e.change == ADDED:
            return [
                self.item(N_("New: %(kind)s %(id)s %(title)s."), kind=kind, id=e.id, title=title)
            ]
        if e.change == REMOVED:
            return [
                self.item(N_("%(kind)s %(id)s %(title)s removed."), kind=kind, id=e.id, title=title)
            ]
        out = []
        if e.change == MOVED:
            if e.renumbered:
                out.append(
                    self.item(
                        N_("%(kind)s %(old)s %(title)s is now %(id)s."),
                        kind=kind,
                        old=e.old_id,
                        id=e.id,
                        title=title,
                    )
                )
            else:
                out.append(
                    self.item(
                        N_("%(kind)s %(old)s %(title)s moved to %(parent)s as %(id)s."),
                        kind=kind,
                        old=e.old_id,
                        parent=e.parent or "",
                        id=e.id,
                        title=title,
                    )
                )
        out += [self.field(LEVELS[level], c, e.id) for c in e.fields]
        for o in e.objectives:
            if o.change == ADDED:
                out.append(self.item(N_("New objective of %(id)s: %(text)s"), id=e.id, text=o.new))
            elif o.change == REMOVED:
                out.append(
                    self.item(N_("Objective of %(id)s removed: %(text)s"), id=e.id, text=o.old)
                )
            else:
                out.append(self.item(N_("An objective of %(id)s reworded:"), o.words, id=e.id))
        return out

    def indicator(self, e) -> list[dict]:
        """Returns an indicator's change: added or removed as an entry, then what changed of
        it (or what an added one holds) in resultwords' words, one sentence each."""
        kind = self.tr.gettext(N_("Indicator"))
        title = self.quoted(e.title)
        if e.change == REMOVED:
            return [
                self.item(N_("%(kind)s %(id)s %(title)s removed."), kind=kind, id=e.id, title=title)
            ]
        if e.change == ADDED:
            lines = [
                text
                for c in e.fields
                if c.field in _INDICATOR_HOLDS
                for _, text in resultwords.added_lines([c], self.tr)
            ]
            said = self.tr.gettext(N_("New: %(kind)s %(id)s %(title)s.")) % {
                "kind": kind,
                "id": e.id,
                "title": title,
            }
            if lines:
                said = f"{said[:-1]}; {'; '.join(lines)}".rstrip(".") + "."
            return [{"text": said, "words": None}]
        out = []
        if e.change == MOVED:
            out.append(
                self.item(
                    N_("%(kind)s %(old)s %(title)s is now %(id)s."),
                    kind=kind,
                    old=e.old_id,
                    id=e.id,
                    title=title,
                )
            )
        for _, text in resultwords.entry_lines(e.change, e.fields, self.tr):
            said = self.tr.gettext(N_("%(kind)s %(id)s: %(change)s.")) % {
                "kind": kind,
                "id": e.id,
                "change": text,
            }
            out.append({"text": said, "words": None})
        return out

    def metadata(self, change: FieldChange) -> list[dict]:
        """Returns the sentences for one changed field of the plan's details: signing and
        approvals as events, a block set or removed as its fields, no digest's value."""
        head, _, rest = change.field.partition(".")
        if head in _EVENTS:
            return _EVENTS[head](self, change)
        f, _labels, _first = _declared(PlanMeta, head)
        if f is not None and f.kind == BLOCK and not rest:
            old = change.old if isinstance(change.old, dict) else {}
            new = change.new if isinstance(change.new, dict) else {}
            inner = [
                FieldChange(f"{head}.{k}", old.get(k), new.get(k))
                for k in [*new, *(k for k in old if k not in new)]
                if old.get(k) != new.get(k) and (old.get(k), new.get(k)) != (None, [])
            ]
            return [item for c in inner for item in self.metadata(c)]
        message = _BLOCK_FIELDS.get(change.field)
        if message is not None:
            was, now, changed = message
            values = {
                "old": self.value(LIST, change.old),
                "new": self.value(LIST, change.new),
            }
            if change.old is None:
                return [self.item(now, **values)]
            if change.new is None:
                return [self.item(was, **values)]
            return [self.item(changed, **values)]
        if rest.endswith("digest") or head.endswith("digest"):
            return [self.item(N_("%(what)s changed."), what=self._what(PlanMeta, change.field))]
        return [self.field(PlanMeta, change, None)]

    def signed(self, change: FieldChange) -> list[dict]:
        """Signing as an event: 'Signed on 13 February 2024 by MICDE and BMDV.'"""
        old = change.old if isinstance(change.old, dict) else None
        new = change.new if isinstance(change.new, dict) else None
        if "." in change.field:  # one detail of a signing that both sides have
            key = change.field.partition(".")[2]
            if key == "digest":
                return [self.item(N_("The signed text was signed again (its digest changed)."))]
            return [self.field(PlanMeta, change, None)]
        out = []
        if old is not None:
            out.append(
                self.item(
                    N_("No longer signed (was signed on %(date)s by %(parties)s)."),
                    **self._signing(old),
                )
            )
        if new is not None:
            out.append(self.item(N_("Signed on %(date)s by %(parties)s."), **self._signing(new)))
        return out

    def _signing(self, entry: dict) -> dict:
        parties = [p for p in entry.get("by") or []]
        return {
            "date": self.tr.date(entry.get("date")),
            "parties": self.value(IDS, parties) if parties else self.tr.gettext(N_("the parties")),
        }

    def approvals(self, change: FieldChange) -> list[dict]:
        """Approvals as events: 'Approved by MICDE on 20 November 2024 (who).'; withdrawn ones
        ('Approval by MICDE of 20 November 2024 withdrawn.'). Digests are never shown."""
        old = change.old if isinstance(change.old, list) else []
        new = change.new if isinstance(change.new, list) else []
        out = []
        for a in old:
            if a not in new:
                out.append(
                    self.item(
                        N_("Approval by %(party)s of %(date)s withdrawn."),
                        party=self.value(REF, a.get("party")),
                        date=self.tr.date(a.get("date")),
                    )
                )
        for a in new:
            if a not in old:
                out.append(
                    self.item(
                        N_("Approved by %(party)s on %(date)s (%(by)s)."),
                        party=self.value(REF, a.get("party")),
                        date=self.tr.date(a.get("date")),
                        by=" ".join(str(a.get("by") or "").split()),
                    )
                )
        return out

    def _what(self, cls: type, key: str) -> str:
        _f, labels, _first = _declared(cls, key)
        return ": ".join(self.tr.gettext(label) for label in labels)

    def field(self, cls: type, change: FieldChange, owner: str | None) -> dict:
        """Returns the sentence for one changed field of `owner` (an id or a name; None: the
        plan itself), from the field's label and kind."""
        f, labels, first = _declared(cls, change.field)
        tr = self.tr
        what = ": ".join(tr.gettext(label) for label in labels)
        if owner is not None:
            what = tr.gettext("%(field)s of %(owner)s") % {
                "field": what,
                "owner": owner,
            }
        kind = f.kind if f is not None else None
        old, new = self.value(kind, change.old), self.value(kind, change.new)
        lists = isinstance(change.new, list) and isinstance(change.old, list)
        if kind in (IDS, LIST) and lists and (change.added or change.removed):
            # (the same items in another order fall through to "changed from ... to ...")
            if kind == IDS and len(change.new) == 1 and change.removed and not change.added:
                return self.item(
                    N_("%(what)s now %(new)s alone (was %(old)s)."), what=what, new=new, old=old
                )
            parts = []
            if change.added:
                parts.append(
                    tr.gettext("%(items)s added") % {"items": self.value(kind, change.added)}
                )
            if change.removed:
                parts.append(
                    tr.gettext("%(items)s removed") % {"items": self.value(kind, change.removed)}
                )
            return {"text": f"{what}: {'; '.join(parts)}.", "words": None}
        if kind == ENTRIES:
            return self.item(N_("%(what)s changed."), what=what)
        if change.old is None:
            return self.item(N_("%(what)s set to %(new)s."), what=what, new=new)
        if change.new is None:
            return self.item(N_("%(what)s removed (was %(old)s)."), what=what, old=old)
        if change.words and (kind == PROSE or len(str(change.old).split()) > 8):
            return self.item(N_("%(what)s reworded:"), change.words, what=what)
        datelike = kind == DATE or (first and _DATELIKE.match(str(change.new)))
        if datelike:
            return self.item(
                N_("%(what)s moved from %(old)s to %(new)s."), what=what, old=old, new=new
            )
        return self.item(
            N_("%(what)s changed from %(old)s to %(new)s."), what=what, old=old, new=new
        )

    def value(self, kind: str | None, value: Any) -> str:
        tr = self.tr
        if value is None:
            return ""
        if isinstance(value, dict):
            return ", ".join(self.value(None, v) for v in value.values() if v not in (None, []))
        if isinstance(value, list):
            return tr.join(self.value(kind, v) for v in value)
        if kind in (IDS, REF):
            person = self.people.get(value)
            return value if person is None else person.label
        if kind in (STATUS, ENUM):
            word = tr.gettext(status_label(value))
            return tr.in_sentence(word, adjective=kind == STATUS)
        if kind == DATE or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value)):
            return tr.date(value)
        return str(value)


# Events of the agreement, said as such (signing, approvals); the fields of the monitoring block
# whose label alone does not make a sentence: (removed, set, changed) messages.
_EVENTS = {"signed": _Sayer.signed, "approvals": _Sayer.approvals}
_BLOCK_FIELDS = {
    "monitoring.periods": (
        N_("Reporting periods removed (were %(old)s)."),
        N_("Reporting periods set to %(new)s."),
        N_("Reporting periods changed from %(old)s to %(new)s."),
    ),
    "monitoring.amber_days": (
        N_("Amber warning removed (was %(old)s days before the end)."),
        N_("An activity not yet in progress turns amber %(new)s days before its end."),
        N_(
            "An activity not yet in progress now turns amber %(new)s days before its end "
            "(was %(old)s)."
        ),
    ),
}
# What an added indicator's sentence lists beside its text: its baseline, targets and actuals.
_INDICATOR_HOLDS = ("baseline", "targets", "actuals")


def _declared(cls: type, key: str) -> tuple[Any, list[str], bool]:
    """Returns (the field, its labels for people, whether it is its block's first field) of a
    field's key; a dotted key ('review.due') names a field of a block: the block's first field
    is its main value and goes by the block's label ('Review'), another by both ('Review: Text')."""
    head, _, rest = key.partition(".")
    found = {f.key: f for f in fields.declared(cls)}
    f = found.get(head)
    if f is None:
        return None, [head], False
    if not rest:
        return f, [f.label], False
    block = _block_class(cls, f.name)
    inner = {g.key: g for g in fields.declared(block)} if block else {}
    g = inner.get(rest)
    if g is None:
        return None, [f.label], False
    if next(iter(inner)) == rest:
        return g, [f.label], True
    return g, [f.label, g.label], False


def _natural(ident: str) -> list[tuple[int, int | str]]:
    """Returns a sort key for ids: '2' before '10'."""
    return [(0, int(p)) if p.isdigit() else (1, p) for p in ident.split(".")]


def _block_class(cls: type, name: str) -> type | None:
    hint = typing.get_type_hints(cls).get(name)
    for candidate in (hint, *typing.get_args(hint)):
        if candidate in fields.MODELS:
            return candidate
    return None
