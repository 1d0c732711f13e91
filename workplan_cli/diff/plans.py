"""What changed between two plans, in the plan's own terms (pure functions, no I/O)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from workplan_cli.diff.match import Word, match, norm, word_diff
from workplan_cli.plan import fields as declared
from workplan_cli.plan.fields import to_plain
from workplan_cli.plan.model import Activity, Indicator, Plan, StakeholderFile, Topic
from workplan_cli.plan.spec import BLOCK, CHILDREN, META, TITLE

ADDED, REMOVED, MOVED, CHANGED = "added", "removed", "moved", "changed"


@dataclass(frozen=True)
class FieldChange:
    """One field whose value differs; values are plain data (str, list, dict, None)."""

    field: str
    old: Any
    new: Any
    words: list[Word] | None = None  # both sides text: the word-level diff
    added: list | None = None  # both sides lists: items only in new
    removed: list | None = None  # both sides lists: items only in old


@dataclass(frozen=True)
class ObjectiveChange:
    change: str  # added, removed or changed
    old: str | None
    new: str | None
    words: list[Word] | None = None


@dataclass(frozen=True)
class EntryChange:
    """An area, topic or activity that was added, removed, moved or changed.

    `id`/`parent` are the new side's (the old side's for a removed entry); `old_id`/`old_parent`
    the old side's (None for an added entry). The parent of a topic is its area, of an activity
    its topic, of an area None.
    """

    level: str  # area, topic, activity or indicator
    change: str
    id: str
    title: str
    old_id: str | None = None
    parent: str | None = None
    old_parent: str | None = None
    area: str | None = None  # the area the entry stands in (new side, or old if removed)
    old_area: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    objectives: list[ObjectiveChange] = field(default_factory=list)

    @property
    def renumbered(self) -> bool:
        """Whether a moved entry kept its parent and only changed its id."""
        return self.change == MOVED and self.parent == self.old_parent


@dataclass(frozen=True)
class StakeholderChange:
    change: str  # added, removed or changed
    id: str
    name: str
    fields: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class PlanDiff:
    """Every difference between an old and a new plan, each list in the new plan's order."""

    metadata: list[FieldChange]
    stakeholders: list[StakeholderChange]
    areas: list[EntryChange]
    topics: list[EntryChange]
    activities: list[EntryChange]
    indicators: list[EntryChange] = field(default_factory=list)
    area: tuple[str, ...] = ()  # the narrowing applied, if any: any of these areas or topics
    topic: tuple[str, ...] = ()
    titles: dict[str, str] = field(default_factory=dict)  # area and topic ids -> title

    @property
    def empty(self) -> bool:
        return not (
            self.metadata
            or self.stakeholders
            or self.areas
            or self.topics
            or self.activities
            or self.indicators
        )

    def counts(self) -> dict[str, dict[str, int]]:
        """Returns how many entries of each level were added, removed, moved and changed."""
        out = {}
        for name, entries in (
            ("areas", self.areas),
            ("topics", self.topics),
            ("activities", self.activities),
        ):
            out[name] = {c: sum(e.change == c for e in entries) for c in _CHANGES}
        objectives = [o for t in self.topics for o in t.objectives]
        out["objectives"] = {c: sum(o.change == c for o in objectives) for c in _CHANGES}
        if self.indicators:  # a plan without indicators keeps the shape it always had
            out["indicators"] = {c: sum(e.change == c for e in self.indicators) for c in _CHANGES}
        out["stakeholders"] = {c: sum(s.change == c for s in self.stakeholders) for c in _CHANGES}
        out["metadata"] = {c: (len(self.metadata) if c == CHANGED else 0) for c in _CHANGES}
        return out


_CHANGES = (ADDED, REMOVED, MOVED, CHANGED)


def diff_plans(
    old: Plan,
    new: Plan,
    old_stakeholders: StakeholderFile | None = None,
    new_stakeholders: StakeholderFile | None = None,
) -> PlanDiff:
    """Returns the differences between two plans (and their stakeholder files, when given)."""
    stakeholders = []
    if old_stakeholders is not None and new_stakeholders is not None:
        stakeholders = diff_stakeholders(old_stakeholders, new_stakeholders)
    return PlanDiff(
        metadata=diff_metadata(old, new),
        stakeholders=stakeholders,
        areas=_diff_areas(old, new),
        topics=_diff_topics(old, new),
        activities=_diff_activities(old, new),
        indicators=_diff_indicators(old, new),
        titles=_titles(old) | _titles(new),
    )


def _titles(plan: Plan) -> dict[str, str]:
    out = {}
    for area in plan.areas:
        out[area.id] = area.title
        out.update((t.id, t.title) for t in area.topics)
    return out


def narrow(
    diff: PlanDiff,
    area: str | Sequence[str] | None = None,
    topic: str | Sequence[str] | None = None,
) -> PlanDiff:
    """Returns the part of the diff under an area or topic (either side), or under any of several;
    metadata and stakeholders belong to no area and are left out."""
    areas, topics = _ids(area), _ids(topic)
    if not areas and not topics:
        return diff

    def keeps(e: EntryChange) -> bool:
        if topics:
            own = {e.id, e.old_id} if e.level == "topic" else {e.parent, e.old_parent}
            return e.level != "area" and not own.isdisjoint(topics)
        own = {e.id, e.old_id} if e.level == "area" else {e.area, e.old_area}
        return not own.isdisjoint(areas)

    return PlanDiff(
        metadata=[],
        stakeholders=[],
        areas=[e for e in diff.areas if keeps(e)],
        topics=[e for e in diff.topics if keeps(e)],
        activities=[e for e in diff.activities if keeps(e)],
        indicators=[e for e in diff.indicators if keeps(e)],
        area=tuple(areas),
        topic=tuple(topics),
        titles=diff.titles,
    )


def _ids(ids: str | Sequence[str] | None) -> list[str]:
    """Returns one id or several as a list, in the order given."""
    return [ids] if isinstance(ids, str) else list(ids or ())


# --- words, fields -------------------------------------------------------------------------


def field_change(name: str, old: Any, new: Any) -> FieldChange | None:
    """Returns the change of one field, or None when both sides hold the same value."""
    if old == new:
        return None
    if isinstance(old, str) and isinstance(new, str):
        if old.split() == new.split():
            return None  # re-wrapped, not changed
        return FieldChange(name, old, new, words=word_diff(old, new))
    if isinstance(old, list) and isinstance(new, list):
        return FieldChange(
            name,
            old,
            new,
            added=[x for x in new if x not in old],
            removed=[x for x in old if x not in new],
        )
    return FieldChange(name, old, new)


def _plain(model_value: Any) -> Any:
    """Returns JSON-ready data for a model field value, with every key: a stable shape."""
    return to_plain(model_value, by_alias=True)


def compare_fields(old: Any, new: Any) -> list[FieldChange]:
    """Returns the changed fields of two states of one entry (every field its class declares
    but the id, the level below and objectives), in declaration order."""
    changes = (
        field_change(f.key, _plain(f.value(old)), _plain(f.value(new)))
        for f in declared.compared(type(new))
    )
    return [c for c in changes if c is not None]


def diff_metadata(old: Plan, new: Plan) -> list[FieldChange]:
    """Returns the changed fields of the plan's metadata, nested ones by dotted name."""
    return _metadata(old, new)


def _metadata(old: Any, new: Any) -> list[FieldChange]:
    out = []
    for f in declared.declared(type(new)):
        if f.kind == CHILDREN:
            continue
        if f.kind == META:
            out += _metadata(f.value(old), f.value(new))
            continue
        a, b = _plain(f.value(old)), _plain(f.value(new))
        if f.kind == BLOCK and isinstance(a, dict) and isinstance(b, dict):
            for key in [*a, *(k for k in b if k not in a)]:
                change = field_change(f"{f.key}.{key}", a.get(key), b.get(key))
                if change:
                    out.append(change)
        else:
            change = field_change(f.key, a, b)
            if change:
                out.append(change)
    return out


def diff_stakeholders(old: StakeholderFile, new: StakeholderFile) -> list[StakeholderChange]:
    """Returns the stakeholders added, removed and changed, matched by id."""
    before, after = old.by_id(), new.by_id()
    out = []
    for s in new.stakeholders:
        if s.id not in before:
            out.append(StakeholderChange(ADDED, s.id, s.name))
        else:
            fields = compare_fields(before[s.id], s)
            if fields:
                out.append(StakeholderChange(CHANGED, s.id, s.name, fields))
    out += [StakeholderChange(REMOVED, s.id, s.name) for s in old.stakeholders if s.id not in after]
    return out


def _entry(
    level: str, old_id, new_id, old, new, where_old, where_new, fields=(), objectives=()
) -> EntryChange | None:
    """Returns the change of one matched pair, or None when nothing differs."""
    if old_id is None:
        parent, area = where_new[new_id]
        return EntryChange(
            level,
            ADDED,
            new_id,
            new[new_id].title,
            parent=parent,
            area=area,
            fields=_content(new[new_id]),
            objectives=[
                ObjectiveChange(ADDED, None, o) for o in getattr(new[new_id], "objectives", [])
            ],
        )
    if new_id is None:
        parent, area = where_old[old_id]
        return EntryChange(level, REMOVED, old_id, old[old_id].title, parent=parent, area=area)
    parent, area = where_new[new_id]
    old_parent, old_area = where_old[old_id]
    moved = old_id != new_id or parent != old_parent
    if not (moved or fields or objectives):
        return None
    return EntryChange(
        level,
        MOVED if moved else CHANGED,
        new_id,
        new[new_id].title,
        old_id=old_id,
        parent=parent,
        old_parent=old_parent,
        area=area,
        old_area=old_area,
        fields=list(fields),
        objectives=list(objectives),
    )


def _content(entry: Any) -> list[FieldChange]:
    """Returns an added entry's fields that hold a value, each as a change from nothing (its
    title is the entry's own; an added topic's objectives are listed as added objectives)."""
    out = []
    for f in declared.compared(type(entry)):
        value = _plain(f.value(entry))
        if f.kind != TITLE and value not in (None, []):
            out.append(FieldChange(f.key, None, value))
    return out


def _diff_areas(old: Plan, new: Plan) -> list[EntryChange]:
    a = {x.id: x for x in old.areas}
    b = {x.id: x for x in new.areas}
    where_a = {i: (None, i) for i in a}
    where_b = {i: (None, i) for i in b}
    out = []
    for old_id, new_id in match(a, b, lambda x: x.title):
        fields = compare_fields(a[old_id], b[new_id]) if old_id and new_id else []
        change = _entry("area", old_id, new_id, a, b, where_a, where_b, fields)
        if change:
            out.append(change)
    return out


def _topics(plan: Plan) -> tuple[dict[str, Topic], dict[str, tuple[str, str]]]:
    topics, where = {}, {}
    for area in plan.areas:
        for topic in area.topics:
            topics[topic.id] = topic
            where[topic.id] = (area.id, area.id)
    return topics, where


def _diff_topics(old: Plan, new: Plan) -> list[EntryChange]:
    a, where_a = _topics(old)
    b, where_b = _topics(new)
    out = []
    for old_id, new_id in match(a, b, lambda t: t.title + " " + " ".join(t.objectives)):
        fields, objectives = [], []
        if old_id and new_id:
            fields = compare_fields(a[old_id], b[new_id])
            objectives = diff_objectives(a[old_id].objectives, b[new_id].objectives)
        change = _entry("topic", old_id, new_id, a, b, where_a, where_b, fields, objectives)
        if change:
            out.append(change)
    return out


def diff_objectives(old: list[str], new: list[str]) -> list[ObjectiveChange]:
    """Returns the objectives added, removed and reworded (a reworded one pairs by position
    within a run of replaced objectives)."""
    a, b = [norm(x) for x in old], [norm(x) for x in new]
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            o, n = old[i1 + k], new[j1 + k]
            out.append(ObjectiveChange(CHANGED, o, n, word_diff(o, n)))
        out += [ObjectiveChange(REMOVED, o, None) for o in old[i1 + paired : i2]]
        out += [ObjectiveChange(ADDED, None, n) for n in new[j1 + paired : j2]]
    return out


def _activities(plan: Plan) -> tuple[dict[str, Activity], dict[str, tuple[str, str]]]:
    activities, where = {}, {}
    for ref in plan.activities():
        activities[ref.activity.id] = ref.activity
        where[ref.activity.id] = (ref.topic.id, ref.area.id)
    return activities, where


def _diff_activities(old: Plan, new: Plan) -> list[EntryChange]:
    a, where_a = _activities(old)
    b, where_b = _activities(new)
    out = []
    for old_id, new_id in match(a, b, lambda x: x.text):
        fields = []
        if old_id and new_id:
            # Every field but the id: a renumbered activity is reported as moved, not as changed.
            fields = compare_fields(a[old_id], b[new_id])
        change = _entry("activity", old_id, new_id, a, b, where_a, where_b, fields)
        if change:
            out.append(change)
    return out


def _indicators(plan: Plan) -> tuple[dict[str, Indicator], dict[str, tuple[str, str]]]:
    indicators, where = {}, {}
    for ref in plan.indicators():
        indicators[ref.indicator.id] = ref.indicator
        where[ref.indicator.id] = (ref.topic.id, ref.area.id)
    return indicators, where


def _diff_indicators(old: Plan, new: Plan) -> list[EntryChange]:
    """Returns the indicators added, removed, moved and changed (every field compared: the
    targets and actuals as lists of entries, which the renderers put in words)."""
    a, where_a = _indicators(old)
    b, where_b = _indicators(new)
    out = []
    for old_id, new_id in match(a, b, lambda x: x.text):
        fields = compare_fields(a[old_id], b[new_id]) if old_id and new_id else []
        change = _entry("indicator", old_id, new_id, a, b, where_a, where_b, fields)
        if change:
            out.append(change)
    return out
