"""Rules that span more than one field: unique ids, id prefixes, references, histories, and
indicators (values that fit the measure, declared periods, dates in order)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection
from typing import Any, NamedTuple

from workplan_cli.plan.model import Indicator, Measure, Plan, PlanStatus, StakeholderFile, Topic

Loc = tuple[str | int, ...]


class Finding(NamedTuple):
    """A rule broken at `loc`, a path of keys and list indexes into the document."""

    loc: Loc
    message: str


def check_stakeholders(file: StakeholderFile) -> list[Finding]:
    """Returns the findings for a stakeholders file: ids must be unique."""
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for i, stakeholder in enumerate(file.stakeholders):
        if stakeholder.id in seen:
            findings.append(
                Finding(
                    ("stakeholders", i, "id"),
                    f"duplicate stakeholder id {stakeholder.id!r} "
                    f"(first used by stakeholders[{seen[stakeholder.id]}])",
                )
            )
        else:
            seen[stakeholder.id] = i
    return findings


def check_plan(plan: Plan, stakeholder_ids: Collection[str] | None) -> list[Finding]:
    """Returns the findings for a plan; references are checked when ids are given."""
    findings = _check_meta(plan, stakeholder_ids)
    findings += _check_ids(plan)
    for a, area in enumerate(plan.areas):
        for t, topic in enumerate(area.topics):
            for i, activity in enumerate(topic.activities):
                loc = ("areas", a, "topics", t, "activities", i)
                findings += _check_activity(loc, activity, stakeholder_ids)
            if topic.indicators:
                periods = plan.plan.monitoring.periods if plan.plan.monitoring else []
                for k, indicator in enumerate(topic.indicators):
                    loc = ("areas", a, "topics", t, "indicators", k)
                    findings += check_indicator(loc, topic, indicator, periods)
    return findings


def _check_meta(plan: Plan, known: Collection[str] | None) -> list[Finding]:
    findings = []
    meta = plan.plan
    if plan.schema_version != 1:
        findings.append(
            Finding(
                ("schema_version",),
                f"unsupported schema_version {plan.schema_version}; "
                "this version of workplan reads 1",
            )
        )
    if meta.status is PlanStatus.SIGNED and meta.signed is None:
        findings.append(Finding(("plan", "status"), "a signed plan needs a 'signed' date"))
    findings += _check_approvals(plan)
    if known is not None:
        for i, party in enumerate(meta.parties):
            findings += _reference(("plan", "parties", i), party, known)
        if meta.facilitator is not None:
            findings += _reference(("plan", "facilitator"), meta.facilitator, known)
    return findings


def _check_approvals(plan: Plan) -> list[Finding]:
    """Approvals by parties only, one each; a signed plan signed by its parties, after their
    approvals of what it pins. (What a signed plan without approvals must say is checked by
    `validate`, plan/agreed.py, so that reading such a plan still works.)"""
    meta = plan.plan
    findings = []
    first: dict[str, int] = {}
    parties = ", ".join(meta.parties)
    for i, approval in enumerate(meta.approvals):
        loc: Loc = ("plan", "approvals", i, "party")
        if approval.party not in meta.parties:
            findings.append(
                Finding(
                    loc,
                    f"approval by {approval.party!r}, which is not a party of plan "
                    f"{plan.version} (its parties: {parties})",
                )
            )
        elif approval.party in first:
            findings.append(
                Finding(
                    loc,
                    f"{approval.party} approved twice (also at plan.approvals"
                    f"[{first[approval.party]}]); a party's approval is one entry, replaced by "
                    "`workplan approve`",
                )
            )
        else:
            first[approval.party] = i
    signing = meta.signed
    if meta.status is PlanStatus.DRAFT or signing is None:
        return findings
    for i, party in enumerate(signing.by):
        if party not in meta.parties:
            findings.append(
                Finding(
                    ("plan", "signed", "by", i),
                    f"signed by {party!r}, which is not a party of plan {plan.version} "
                    f"(its parties: {parties})",
                )
            )
    for i, approval in enumerate(meta.approvals):
        if approval.digest == signing.digest and approval.date > signing.date:
            findings.append(
                Finding(
                    ("plan", "signed", "date"),
                    f"signed on {signing.date}, before {approval.party}'s approval of "
                    f"{approval.date} (plan.approvals[{i}])",
                )
            )
    return findings


def _check_ids(plan: Plan) -> list[Finding]:
    findings = []
    seen: dict[str, Loc] = {}

    def unique(loc: Loc, ident: str, what: str) -> None:
        if ident in seen:
            first = render_loc(seen[ident])
            findings.append(Finding(loc, f"duplicate {what} id {ident!r} (also at {first})"))
        else:
            seen[ident] = loc

    for a, area in enumerate(plan.areas):
        unique(("areas", a, "id"), area.id, "area")
        for t, topic in enumerate(area.topics):
            loc: Loc = ("areas", a, "topics", t, "id")
            unique(loc, topic.id, "topic")
            if not topic.id.startswith(area.id + "."):
                findings.append(
                    Finding(
                        loc, f"topic id {topic.id!r} does not start with its area's id '{area.id}.'"
                    )
                )
            for i, activity in enumerate(topic.activities):
                loc = ("areas", a, "topics", t, "activities", i, "id")
                unique(loc, activity.id, "activity")
                if not activity.id.startswith(topic.id + "."):
                    findings.append(
                        Finding(
                            loc,
                            f"activity id {activity.id!r} does not start with its "
                            f"topic's id '{topic.id}.'",
                        )
                    )
            for k, indicator in enumerate(topic.indicators):
                loc = ("areas", a, "topics", t, "indicators", k, "id")
                unique(loc, indicator.id, "indicator")
                if not indicator.id.startswith(topic.id + "-"):
                    findings.append(
                        Finding(
                            loc,
                            f"indicator id {indicator.id!r} does not start with its "
                            f"topic's id and a dash '{topic.id}-'",
                        )
                    )
    return findings


def value_problem(measure: Measure, value: Any) -> str | None:
    """Returns why `value` does not fit an indicator measured as `measure`, or None."""
    if measure is Measure.QUALITATIVE:
        if not isinstance(value, str):
            return f"the measure is qualitative: write a narrative, not the number {value}"
        return None
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the measure is {measure.value}: write a number, not the text {shown!r}"
    if not math.isfinite(value):
        return f"{value} is not a number that can be measured"
    if measure is Measure.PERCENT and not 0 <= value <= 100:
        return f"{value} is not a percentage: the measure is percent, 0 to 100"
    return None


def check_indicator(
    loc: Loc, topic: Topic, indicator: Indicator, periods: list[str]
) -> list[Finding]:
    """Returns the findings for one indicator of `topic`, given the plan's reporting periods."""
    findings = []
    if indicator.objective > len(topic.objectives):
        count = len(topic.objectives)
        findings.append(
            Finding(
                (*loc, "objective"),
                f"objective {indicator.objective}: topic {topic.id} has "
                f"{count} objective{'s' if count != 1 else ''}",
            )
        )
    measure = indicator.measure
    values: list[tuple[Loc, Any]] = []
    if indicator.baseline is not None:
        values.append(((*loc, "baseline", "value"), indicator.baseline.value))
    values += [((*loc, "targets", i, "value"), t.value) for i, t in enumerate(indicator.targets)]
    values += [((*loc, "actuals", i, "value"), x.value) for i, x in enumerate(indicator.actuals)]
    for here, value in values:
        problem = value_problem(measure, value)
        if problem:
            findings.append(Finding(here, problem))
    declared = ", ".join(periods) or "none: add plan.monitoring.periods"
    seen: set[str] = set()
    for i, target in enumerate(indicator.targets):
        here = (*loc, "targets", i, "period")
        if target.period not in periods:
            findings.append(
                Finding(
                    here,
                    f"target for {target.period}, a period the plan does not declare "
                    f"(plan.monitoring.periods: {declared})",
                )
            )
        if target.period in seen:
            findings.append(Finding(here, f"a second target for {target.period}"))
        seen.add(target.period)
    baseline = indicator.baseline
    previous = None
    for i, actual in enumerate(indicator.actuals):
        here = (*loc, "actuals", i)
        if actual.period not in periods:
            findings.append(
                Finding(
                    (*here, "period"),
                    f"actual for {actual.period}, a period the plan does "
                    f"not declare (plan.monitoring.periods: {declared})",
                )
            )
        if baseline is not None and actual.date < baseline.date:
            findings.append(
                Finding(
                    (*here, "date"),
                    f"actual dated {actual.date} is before the baseline date {baseline.date}",
                )
            )
        if previous is not None and actual.date < previous.date:
            findings.append(
                Finding(
                    (*here, "date"),
                    f"actual dated {actual.date} comes after one dated "
                    f"{previous.date}; keep the actuals in date order",
                )
            )
        previous = actual
    return findings


def _check_activity(loc: Loc, activity, known: Collection[str] | None) -> list[Finding]:
    findings = []
    if known is not None:
        for field in ("lead", "stakeholders"):
            for i, ident in enumerate(getattr(activity, field)):
                findings += _reference((*loc, field, i), ident, known)
    for field in ("lead", "stakeholders"):
        values = getattr(activity, field)
        for i, ident in enumerate(values):
            if ident in values[:i]:
                findings.append(Finding((*loc, field, i), f"{ident!r} is listed twice"))
    if activity.start and activity.end and activity.end < activity.start:
        findings.append(
            Finding((*loc, "end"), f"end {activity.end} is before start {activity.start}")
        )
    findings += _check_history(loc, activity)
    return findings


def _check_history(loc: Loc, activity) -> list[Finding]:
    findings = []
    previous = None
    for i, entry in enumerate(activity.history):
        here = (*loc, "history", i)
        if previous is not None and entry.date < previous.date:
            findings.append(
                Finding(
                    (*here, "date"),
                    f"history entry dated {entry.date} comes after one "
                    f"dated {previous.date}; keep the history in date order",
                )
            )
        if previous is not None and entry.from_ is not None and entry.from_ != previous.to:
            findings.append(
                Finding(
                    (*here, "from"),
                    f"'from' is {entry.from_.value!r} but the entry before "
                    f"moved the activity to {previous.to.value!r}",
                )
            )
        previous = entry
    if previous is not None and previous.to != activity.status:
        findings.append(
            Finding(
                (*loc, "status"),
                f"status is {activity.status.value!r} but the last history "
                f"entry moved it to {previous.to.value!r}",
            )
        )
    return findings


def today_anywhere(now: dt.datetime | None = None) -> dt.date:
    """Returns the latest date it is anywhere on Earth now (UTC+14): a date after it has not
    happened yet, whatever the time zone of the person who recorded it."""
    now = now or dt.datetime.now(dt.UTC)
    return (now.astimezone(dt.UTC) + dt.timedelta(hours=14)).date()


def check_future(plan: Plan, today: dt.date) -> list[Finding]:
    """Returns a finding for each history entry and indicator actual dated after `today` (a plan
    records what happened, so such a date is a typo or a wrong clock)."""
    findings = []
    for a, area in enumerate(plan.areas):
        for t, topic in enumerate(area.topics):
            for i, activity in enumerate(topic.activities):
                for h, entry in enumerate(activity.history):
                    if entry.date > today:
                        findings.append(
                            Finding(
                                ("areas", a, "topics", t, "activities", i, "history", h, "date"),
                                f"history entry dated {entry.date} is in the future (today is "
                                f"{today} at the latest); record a change when it has happened",
                            )
                        )
            for k, indicator in enumerate(topic.indicators):
                for i, actual in enumerate(indicator.actuals):
                    if actual.date > today:
                        findings.append(
                            Finding(
                                ("areas", a, "topics", t, "indicators", k, "actuals", i, "date"),
                                f"actual dated {actual.date} is in the future (today is {today} "
                                "at the latest); record a value when it has been measured",
                            )
                        )
    return findings


def _reference(loc: Loc, ident: str, known: Collection[str]) -> list[Finding]:
    if ident in known:
        return []
    return [Finding(loc, f"unknown stakeholder {ident!r} (not in stakeholders.yaml)")]


def render_loc(loc: Loc) -> str:
    """Returns a path such as areas[0].topics[2].status for a tuple of keys and indexes."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_KINDS = {
    "areas": "area",
    "topics": "topic",
    "activities": "activity",
    "indicators": "indicator",
    "stakeholders": "stakeholder",
}

MAX_SUBJECT = 40  # characters of an id shown in a message (an id may be thousands long)


def subject_of(loc: Loc, root: object) -> str:
    """Returns "activity 1.3.2" (or area, topic, stakeholder) for the innermost item with an id
    that `loc` goes through in `root` (the plain data or the model), or "" when there is none."""
    subject, node, kind = "", root, None
    for part in loc:
        if isinstance(part, int):
            if not isinstance(node, (list, tuple)) or not 0 <= part < len(node):
                break
            node = node[part]
            ident = node.get("id") if isinstance(node, dict) else getattr(node, "id", None)
            if kind and isinstance(ident, str) and ident.strip():
                shown = ident if len(ident) <= MAX_SUBJECT else ident[: MAX_SUBJECT - 3] + "..."
                if shown != shown.strip() or not shown.isprintable():
                    shown = repr(shown)  # where the blank or control character is, visibly
                subject = f"{kind} {shown}"
            kind = None
        else:
            kind = _KINDS.get(part) if isinstance(part, str) else None
            if isinstance(node, dict):
                node = node.get(part)
            else:
                node = getattr(node, part, None) if part in _KINDS else None
    return subject
