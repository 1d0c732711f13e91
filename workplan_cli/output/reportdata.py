"""The data a report shows: the plan as of a date, filtered, as plain dicts for templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from enum import StrEnum
from typing import Any

from workplan_cli.output import i18n, reportparts, reportresults, resultwords
from workplan_cli.output.i18n import N_
from workplan_cli.plan import fields
from workplan_cli.plan.model import (
    STATUSES,
    Activity,
    ActivityRef,
    Plan,
    PlanMeta,
    Stakeholder,
    StakeholderFile,
)
from workplan_cli.plan.query import Filters, Tally
from workplan_cli.plan.schedule import status_on
from workplan_cli.plan.spec import DATE, ENTRIES, ENUM, IDS, LIST, REF, STATUS

LATEST_HISTORY = 3  # history entries shown per activity, newest first


def plan_as_of(plan: Plan, day: dt.date) -> Plan:
    """Returns a copy of the plan as it stood on `day`: statuses from the histories, and only
    the history entries dated on or before it."""
    areas = []
    for area in plan.areas:
        topics = []
        for topic in area.topics:
            activities = [
                replace(
                    a,
                    status=status_on(a, day),
                    history=[h for h in a.history if h.date <= day],
                )
                for a in topic.activities
            ]
            topics.append(replace(topic, activities=activities))
        areas.append(replace(area, topics=topics))
    return replace(plan, areas=areas)


def status_label(status: str) -> str:
    """Returns the status as a word for people: 'in-progress' -> 'In progress'."""
    return status.replace("-", " ").capitalize()


def vocabulary_messages() -> list[str]:
    """Returns the texts of the report that come from declarations rather than from a literal
    in code or a template: every field's label and group, every vocabulary value as a word.
    The catalogs (`messages.pot`) hold them beside the extracted ones."""
    from workplan_cli.plan import vocab

    found: dict[str, None] = {}
    for cls in fields.MODELS:
        for f in fields.declared(cls):
            found[f.label] = None
            if f.spec.group:
                found[f.spec.group] = None
    for enum in vars(vocab).values():
        if isinstance(enum, type) and issubclass(enum, StrEnum) and enum is not StrEnum:
            found.update((status_label(v.value), None) for v in enum)
    found.update((w, None) for w in resultwords.labels())
    return list(found)


def build_context(
    plan: Plan,
    stakeholders: StakeholderFile,
    filters: Filters,
    as_of: dt.date | None = None,
    changes: dict | None = None,
    lang: str = i18n.SOURCE_LANGUAGE,
    today: dt.date | None = None,
) -> dict:
    """Returns everything a report template may use, as plain data (str, int, list, dict).

    `plan` is the plan as recorded; with `as_of` the statuses are those on that date (without
    it, as recorded, and the report says "status as of" `today`). `changes` is the "changes
    since" data (`changes_context`); templates show it only when given. Labels, status words
    and dates are in the language `lang`; plan texts stay as written.
    """
    tr = i18n.language(lang)
    if as_of is not None:
        plan = plan_as_of(plan, as_of)
    people = stakeholders.by_id()
    shown = _Shown(tr, people)
    areas, total, named = _areas(plan, filters, shown)
    day = as_of or today or dt.date.today()
    found = reportresults.first_page(plan, filters, day, tr, shown.name)
    _add_results(areas, plan, found, day, tr)
    return {
        "lang": tr.code,
        "plan": _plan_header(plan, shown),
        "filters": filters.as_dict(),
        "selection": _selection(filters, shown),
        "as_of": as_of.isoformat() if as_of else None,
        "status_date": day.isoformat(),
        "status_date_text": tr.date(day),
        "statuses": [{"id": s, "label": shown.word(s)} for s in STATUSES],
        "overview": shown.tally(total),
        "areas": areas,
        "stakeholders": [_person(people[i], shown) for i in people if i in named],
        "changes": changes,
        # The schedule and results (output/reportresults.py; None for a plan without dates
        # and indicators): a colour per area ("red", "amber", "green", "grey") with its word,
        # the overdue activities, and the indicators on and off track.
        "timeline": reportparts.timeline(areas, shown.tr, day),
        "area_colours": found["area_colours"],
        "overdue": found["overdue"],
        "indicators": found["indicators"],
        "indicator_summary": found["indicator_summary"],
        "fonts": reportparts.fonts(),
        # A part of a pdf printed in parts (output/pdfparts.py), None for the whole report.
        "part": None,
    }


def _add_results(areas: list[dict], plan: Plan, found: dict, day: dt.date, tr) -> None:
    """Gives each topic its indicator tables (`indicator_objectives`, [] without indicators)
    and each activity its `colour` ({colour, label}, or None when it has nothing to judge)."""
    topics = {t["id"] for area in areas for t in area["topics"]}
    tables = reportresults.indicator_tables(plan, topics, day, tr) if topics else {}
    colours = found["activity_colours"]
    for area in areas:
        for topic in area["topics"]:
            topic["indicator_objectives"] = tables.get(topic["id"], [])
            for a in topic["activities"]:
                a["colour"] = colours.get(a["id"])


class _Shown:
    """How values are shown in one report: words and dates in its language, people by name."""

    def __init__(self, tr: i18n.Language, people: dict) -> None:
        self.tr, self.people = tr, people

    def word(self, value: str) -> str:
        """A vocabulary value as a word in the language: 'in-progress' -> 'In Bearbeitung'."""
        return self.tr.gettext(status_label(value))

    def name(self, ident: str) -> str:
        """A stakeholder by its short name (its full name is in the report's list)."""
        person = self.people.get(ident)
        return ident if person is None else person.label

    def full_name(self, ident: str) -> str:
        person = self.people.get(ident)
        return ident if person is None else person.name

    def tally(self, tally: Tally) -> dict:
        progress = tally.progress
        return {
            "counts": [
                {"status": s, "label": self.word(s), "count": tally.counts[s]} for s in STATUSES
            ],
            "total": tally.total,
            "percent": None if progress is None else round(progress * 100),
            "progress": self.tr.percent(None if progress is None else round(progress, 2)),
        }


def _areas(plan: Plan, filters: Filters, shown: _Shown) -> tuple[list[dict], Tally, set[str]]:
    total, named = Tally(), set[str]()
    areas = []
    for area in plan.areas:
        area_tally, topics = Tally(), []
        for topic in area.topics:
            topic_tally, activities = Tally(), []
            for a in topic.activities:
                if not filters.keeps(ActivityRef(area, topic, a)):
                    continue
                for tally in (topic_tally, area_tally, total):
                    tally.add(a.status)
                named.update(*(f.value(a) for f in fields.of_kind(type(a), IDS)))
                activities.append(_activity(a, shown))
            if activities or filters.shows_empty(area.id, topic.id):
                topics.append(
                    {
                        "id": topic.id,
                        "title": topic.title,
                        "objectives": list(topic.objectives),
                        "activities": activities,
                        **shown.tally(topic_tally),
                    }
                )
        if topics:
            areas.append(
                {"id": area.id, "title": area.title, "topics": topics, **shown.tally(area_tally)}
            )
    return areas, total, named


def _selection(filters: Filters, shown: _Shown) -> list[str]:
    """Returns the filters in words, e.g. ['Area: 2', 'Status: Planned or Postponed']."""
    tr = shown.tr
    names = {
        "area": tr.gettext("Area"),
        "topic": tr.gettext("Topic"),
        "status": tr.gettext("Status"),
        "lead": tr.gettext("Lead"),
        "stakeholder": tr.gettext("Stakeholder"),
    }
    words = []
    for key, value in filters.as_dict().items():
        if value is not None:
            values = value if isinstance(value, list) else [value]
            if key in ("lead", "stakeholder"):
                values = [shown.name(v) for v in values]
            elif key == "status":
                values = [shown.word(v) for v in values]
            words.append(f"{names.get(key, key)}: {tr.join(values, alternatives=True)}")
    return words


def _activity(a: Activity, shown: _Shown) -> dict:
    """Returns an activity for templates: every declared field (ids as short names, vocabulary
    values with a `_label`, dates as ISO text with a `_text`, the latest history entries newest
    first and `history_total`), and `facts`: the summary lines (label, and `text` or `names`)
    in their order."""
    out: dict[str, Any] = {"id": a.id, "title": a.title}
    for f in fields.compared(type(a)):
        out.update(_values(f, a, shown))
    out["facts"] = [_fact(label, group, a, shown) for label, group in fields.summary(type(a))]
    out["facts_dates"] = next(
        (f["text"] for f in out["facts"] if f["kind"] == DATE and f["text"]), None
    )
    return out


def _values(f, model, shown: _Shown) -> dict:
    """Returns one field's keys in a template's context."""
    value = f.shown(model)
    if f.kind in (STATUS, ENUM):
        plain = None if value is None else value.value
        return {f.key: plain, f"{f.key}_label": None if plain is None else shown.word(plain)}
    if f.kind == IDS:
        return {f.key: [shown.name(i) for i in value]}
    if f.kind == REF:
        return {f.key: shown.name(value) if value else None}
    if f.kind == ENTRIES:
        latest = list(reversed(value))[:LATEST_HISTORY]
        return {f.key: [_entry(e, shown) for e in latest], f"{f.key}_total": len(value)}
    if f.kind == LIST:
        items = [str(v) for v in value]
        links = [{"text": v, "url": reportparts.link(v)} for v in items]
        return {f.key: items, f"{f.key}_links": links}
    if f.kind == DATE:
        plain = f.plain(model)
        return {f.key: plain, f"{f.key}_text": shown.tr.date(plain) if plain else None}
    return {f.key: f.plain(model)}


def _entry(entry, shown: _Shown) -> dict:
    out: dict = {}
    for f in fields.declared(type(entry)):
        out.update(_values(f, entry, shown))
    return out


def _fact(label: str, group, model, shown: _Shown) -> dict:
    """Returns one summary line: `names` for ids (short names), else `text` (None: nothing to
    show; a group's dates as 'start to end', 'until end' or 'from start')."""
    fact = {"label": shown.tr.gettext(label), "kind": group[0].kind, "text": None, "names": None}
    if len(group) == 1 and group[0].kind == IDS:
        fact["names"] = [shown.name(i) for i in group[0].value(model)]
        return fact
    values = [_values(f, model, shown) for f in group]
    texts = [
        v.get(f"{f.key}_label", v.get(f"{f.key}_text", v[f.key]))
        for f, v in zip(group, values, strict=True)
    ]
    if any(t not in (None, []) for t in texts):
        parts = [None if t in (None, []) else _text(t) for t in texts]
        if len(parts) == 2:  # a span: either end may be unknown
            start, end = parts
            said = (
                N_("%(start)s to %(end)s")
                if start and end
                else (N_("until %(end)s") if end else N_("from %(start)s"))
            )
            fact["text"] = shown.tr.gettext(said) % {"start": start, "end": end}
        else:
            fact["text"] = " – ".join(p for p in parts if p)
    return fact


def _text(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _person(s: Stakeholder, shown: _Shown) -> dict:
    out = {}
    for f in fields.declared(Stakeholder):
        out.update(_values(f, s, shown))
    return {**out, "label": s.label, "country_name": shown.tr.territory(s.country)}


def _plan_header(plan: Plan, shown: _Shown) -> dict:
    tr = shown.tr
    meta = plan.plan
    out: dict[str, Any] = {}
    for f in fields.declared(PlanMeta):
        out.update(_values(f, meta, shown))
    signed = meta.signed.date if meta.signed else None
    if meta.status.value == "draft":
        state = tr.gettext("Draft, not agreed")
    elif signed is not None:
        state = tr.gettext("Signed on %(date)s") % {"date": tr.date(signed)}
    else:
        state = shown.word(meta.status.value)
    out["state"] = state
    out["draft"] = meta.status.value == "draft"
    out["signed_text"] = tr.date(signed) if signed else None
    out["parties_full"] = [shown.full_name(p) for p in meta.parties]
    out["facilitator_full"] = shown.full_name(meta.facilitator) if meta.facilitator else None
    return out


def changes_context(diff, old, new, lang: str = i18n.SOURCE_LANGUAGE) -> dict:
    """Returns what changed between two plans (a `diff.PlanDiff` and its two sides) as plain data
    for a report's "changes since" section: a summary line per kind of entry and the changes in
    plain sentences, grouped by area (output/changetext.py)."""
    from workplan_cli.output import changetext

    tr = i18n.language(lang)
    people = {**old.stakeholders.by_id(), **new.stakeholders.by_id()}
    return {
        "old": _side(old),
        "new": _side(new),
        "identical": diff.empty,
        "summary": changetext.summary(diff, tr),
        "groups": [
            {
                "heading": g["heading"],
                "items": [
                    {
                        "text": item["text"],
                        "words": _words(item["words"]),
                    }
                    for item in g["items"]
                ],
            }
            for g in changetext.sentences(diff, tr, people)
        ],
    }


def _words(words) -> list[dict] | None:
    from workplan_cli.output import diffrender

    if not words:
        return None
    return [{"op": w.op, "text": w.text} for w in diffrender.shorten(words)]


def _side(side) -> dict:
    return {"name": side.name, "source": side.source, "version": side.plan.plan.version}
