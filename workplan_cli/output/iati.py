"""The IATI export: IATI Standard 2.03 activity XML, one iati-activity per plan activity."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from workplan_cli.errors import WorkplanError
from workplan_cli.output.plaintext import ExportBugError, without_controls
from workplan_cli.plan import fields
from workplan_cli.plan.model import (
    IATI_STATUS,
    Activity,
    ActivityRef,
    IatiSettings,
    Plan,
    StakeholderFile,
    StakeholderType,
    Status,
)
from workplan_cli.plan.spec import DATE, IDS

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# OrganisationType codelist: 10 Government, 15 Other Public Sector, 22 National NGO,
# 40 Multilateral, 70 Private Sector, 80 Academic, Training and Research.
ORGANISATION_TYPE = {
    StakeholderType.GOVERNMENT: "10",
    StakeholderType.IMPLEMENTING_AGENCY: "15",
    StakeholderType.BUSINESS: "70",
    StakeholderType.CIVIL_SOCIETY: "22",
    StakeholderType.ACADEMIA: "80",
    StakeholderType.INTERNATIONAL_FORUM: "40",
}
# OrganisationRole codelist (1 Funding, 2 Accountable, 3 Extending, 4 Implementing) and the
# planned dates' ActivityDateType: the model's fields declare theirs (spec(iati=...)).
# ActivityDateType codelist.
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
# DescriptionType codelist: 1 General, 2 Objectives.
GENERAL, OBJECTIVES = "1", "2"
DAC_VOCABULARY = "1"  # Sector vocabulary: OECD DAC CRS purpose codes (5 digit)
REPORTING_ORG_VOCABULARY = "99"  # Sector and Tag vocabularies: the reporting organisation's own

ORG_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def iati_export(
    plan: Plan,
    refs: list[ActivityRef],
    stakeholders: StakeholderFile,
    reporting_org: str | None = None,
    org_ref: str | None = None,
    generated: dt.datetime | None = None,
    as_of: dt.date | None = None,
) -> bytes:
    """Returns IATI 2.03 XML (UTF-8) for the activities.

    `reporting_org` is a stakeholder id, `org_ref` its IATI organisation identifier, which
    also prefixes every iati-identifier; each defaults to the plan's `iati` settings (then the
    facilitator, or the first party, for `reporting_org`). `as_of` is the reference date (today
    by default): no actual date after it is written, and history entries dated after it are
    left out, as IATI forbids actual dates in the future.
    """
    settings = plan.plan.iati or IatiSettings()
    reporting_org = reporting_org or settings.reporting_org or plan.plan.facilitator
    reporting_org = reporting_org or plan.plan.parties[0]
    org_ref = org_ref or settings.reporting_org_ref
    if not org_ref:
        raise WorkplanError(
            "IATI needs the publisher's IATI organisation identifier: add "
            f"`iati: {{reporting_org_ref: REF}}` to plan {plan.version}'s `plan:` block, or "
            "pass --iati-ref REF"
        )
    missing = [
        f"{name} ({what})"
        for name, what, given in (
            (
                "recipient_country",
                "the partner country's ISO code, e.g. KE",
                settings.recipient_country,
            ),
            ("sectors", 'OECD DAC 5-digit sector codes, e.g. ["22040"]', settings.sectors),
        )
        if not given
    ]
    if missing:
        raise WorkplanError(
            f"IATI needs {' and '.join(missing)}: add them under `iati:` in plan "
            f"{plan.version}'s `plan:` block"
        )
    if not ORG_REF.fullmatch(org_ref):
        raise WorkplanError(
            f"{org_ref!r} is not an IATI organisation identifier (e.g. XM-DAC-5-7: letters, "
            "digits, dots, dashes)"
        )
    orgs = stakeholders.by_id()
    if reporting_org not in orgs:
        raise WorkplanError(f"no stakeholder {reporting_org!r} in stakeholders.yaml")
    if not refs:
        raise WorkplanError("no activities to export: IATI needs at least one")
    today = as_of or dt.date.today()
    root = ET.Element("iati-activities", version=IATI_VERSION)
    if generated is not None:
        root.set("generated-datetime", generated.astimezone(dt.UTC).isoformat(timespec="seconds"))
    for ref in refs:
        root.append(_activity(plan, ref, orgs, reporting_org, org_ref, settings, today))
    _clean(root)
    ET.indent(root)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    try:
        ET.fromstring(data)  # well-formed, or a bug: never hand out XML that does not parse
    except ET.ParseError as e:
        raise ExportBugError(f"the IATI export is not well-formed XML ({e})") from None
    return data


def _clean(root: ET.Element) -> None:
    """Replaces the characters XML 1.0 forbids (and other controls) in every text and value."""
    for node in root.iter():
        if node.text:
            node.text = without_controls(node.text)
        if node.tail:
            node.tail = without_controls(node.tail)
        for name, value in node.attrib.items():
            node.set(name, without_controls(value))


def iati_identifier(org_ref: str, plan: Plan, activity: Activity) -> str:
    """Returns the activity's IATI identifier: the reporting org's ref, the plan id, the id."""
    return f"{org_ref}-{plan.plan.id}-{activity.id}"


def _activity(
    plan: Plan,
    ref: ActivityRef,
    orgs: dict,
    reporting_org: str,
    org_ref: str,
    settings: IatiSettings,
    today: dt.date,
) -> ET.Element:
    a = ref.activity
    attrs = {XML_LANG: settings.language or "en"}
    if settings.currency:
        attrs["default-currency"] = settings.currency
    attrs["last-updated-datetime"] = f"{_last_updated(plan, a, today).isoformat()}T00:00:00Z"
    node = ET.Element("iati-activity", attrs)
    ET.SubElement(node, "iati-identifier").text = iati_identifier(org_ref, plan, a)
    reporter = orgs[reporting_org]
    narrative(
        ET.SubElement(node, "reporting-org", ref=org_ref, type=ORGANISATION_TYPE[reporter.type]),
        reporter.name,
    )
    narrative(ET.SubElement(node, "title"), f"{a.id} {a.title}")
    narrative(ET.SubElement(node, "description", type=GENERAL), a.text)
    narrative(ET.SubElement(node, "description", type=OBJECTIVES), "\n".join(ref.topic.objectives))
    for ident, role in _participants(a):
        org = orgs.get(ident)
        attrs = {"role": role}
        if org is not None:
            if org.iati_ref:
                attrs["ref"] = org.iati_ref
            attrs["type"] = ORGANISATION_TYPE[org.type]
        # Without a ref, the narrative names the organisation (IATI rule 6.10.1: one of them).
        narrative(ET.SubElement(node, "participating-org", attrs), org.name if org else ident)
    ET.SubElement(node, "activity-status", code=str(IATI_STATUS[a.status]))
    for kind, date, note in _dates(plan, a, today):
        date_node = ET.SubElement(
            node, "activity-date", {"type": kind, "iso-date": date.isoformat()}
        )
        if note:
            narrative(date_node, note)
    if settings.recipient_country:
        ET.SubElement(node, "recipient-country", code=settings.recipient_country)
    for code in settings.sectors:
        ET.SubElement(node, "sector", vocabulary=DAC_VOCABULARY, code=code)
    if settings.vocabulary_uri:
        # The plan's own codes (vocabulary 99) only with where they are published, as IATI asks.
        own = {"vocabulary": REPORTING_ORG_VOCABULARY, "vocabulary-uri": settings.vocabulary_uri}
        sector = ET.SubElement(node, "sector", {**own, "code": ref.topic.id})
        narrative(sector, ref.topic.title)
        tag = ET.SubElement(node, "tag", {**own, "code": f"area-{ref.area.id}"})
        narrative(tag, ref.area.title)
    if ref.topic.indicators:  # the topic's results (output/iatiresults.py)
        from workplan_cli.output.iatiresults import results

        node.extend(results(ref.topic, today))
    return node


def _last_updated(plan: Plan, activity: Activity, today: dt.date) -> dt.date:
    """Returns the day the activity's data last changed, as far as the plan tells: its last
    history entry up to `today`, else the plan's signing date, else `today` (never later)."""
    dates = [e.date for e in _past(activity, today)]
    if plan.plan.signed is not None:
        dates.append(plan.plan.signed.date)
    return min(max(dates), today) if dates else today


def narrative(parent: ET.Element, text: str) -> None:
    """Adds a `narrative` holding `text` to `parent` (every human-readable text of IATI)."""
    ET.SubElement(parent, "narrative").text = text


def _participants(activity: Activity) -> list[tuple[str, str]]:
    """Returns (stakeholder id, role): each field of ids that maps to an OrganisationRole (leads
    are accountable, the others implement), an id named by an earlier field left out."""
    found: list[tuple[str, str]] = []
    for f in fields.of_kind(type(activity), IDS):
        if f.spec.iati:
            earlier = {ident for ident, _ in found}
            found += [(i, f.spec.iati) for i in f.value(activity) if i not in earlier]
    return found


def _past(activity: Activity, today: dt.date) -> list:
    """Returns the history entries dated on or before `today`: a later one has not happened."""
    return [e for e in activity.history if e.date <= today]


def _dates(plan: Plan, activity: Activity, today: dt.date) -> list[tuple[str, dt.date, str | None]]:
    """Returns (ActivityDateType, date, note) by type: planned dates from the fields that map to
    one (start, end), actual ones from the history up to `today`; the plan's signing date stands
    in when the activity has no start (IATI needs one), or in a draft the first day of the
    year its version names.

    The actual start is the first day the activity left planned (or postponed) for in-progress
    or completed; the actual end the day of its last entry, when that made it completed or
    cancelled. History entries dated after `today` are left out: IATI forbids actual dates in
    the future.
    """
    found: list[tuple[str, dt.date, str | None]] = [
        (f.spec.iati, f.value(activity), None)
        for f in fields.of_kind(type(activity), DATE)
        if f.spec.iati and f.value(activity)
    ]
    past = _past(activity, today)
    started = next((e.date for e in past if e.to in (Status.IN_PROGRESS, Status.COMPLETED)), None)
    if started:
        found.append((ACTUAL_START, started, None))
    if past and past[-1].to in (Status.COMPLETED, Status.CANCELLED):
        found.append((ACTUAL_END, past[-1].date, None))
    found.sort(key=lambda date: date[0])
    if any(kind in (PLANNED_START, ACTUAL_START) for kind, _, _ in found):
        return found
    if plan.plan.signed is not None:
        day = plan.plan.signed.date
        note = "The plan gives no date for its start; this is the date the plan was signed."
    else:  # a draft: the first day of the year its version names (a version starts YYYY)
        day = dt.date(int(plan.version[:4]), 1, 1)
        note = f"The plan gives no date for its start; this is the first day of {day.year}."
    return sorted([(PLANNED_START, day, note), *found], key=lambda d: d[0])
