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
REPORTING_ORG_VOCABULARY = "99"  # Sector and Tag vocabularies: the reporting organisation's own

ORG_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def iati_export(
    plan: Plan,
    refs: list[ActivityRef],
    stakeholders: StakeholderFile,
    reporting_org: str,
    org_ref: str,
    generated: dt.datetime | None = None,
) -> bytes:
    """Returns IATI 2.03 XML (UTF-8) for the activities.

    `reporting_org` is a stakeholder id, `org_ref` its IATI organisation identifier, which
    also prefixes every iati-identifier.
    """
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
    root = ET.Element("iati-activities", version=IATI_VERSION)
    if generated is not None:
        root.set("generated-datetime", generated.astimezone(dt.UTC).isoformat(timespec="seconds"))
    for ref in refs:
        root.append(_activity(plan, ref, orgs, reporting_org, org_ref))
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


def _activity(plan: Plan, ref: ActivityRef, orgs: dict, reporting_org: str, org_ref: str):
    a = ref.activity
    node = ET.Element("iati-activity", {XML_LANG: "en"})
    ET.SubElement(node, "iati-identifier").text = iati_identifier(org_ref, plan, a)
    reporter = orgs[reporting_org]
    _narrative(
        ET.SubElement(node, "reporting-org", ref=org_ref, type=ORGANISATION_TYPE[reporter.type]),
        reporter.name,
    )
    _narrative(ET.SubElement(node, "title"), f"{a.id} {a.title}")
    _narrative(ET.SubElement(node, "description", type=GENERAL), a.text)
    _narrative(ET.SubElement(node, "description", type=OBJECTIVES), "\n".join(ref.topic.objectives))
    for ident, role in _participants(a):
        org = orgs.get(ident)
        attrs = {"role": role}
        if org is not None:
            attrs["type"] = ORGANISATION_TYPE[org.type]
        _narrative(ET.SubElement(node, "participating-org", attrs), org.name if org else ident)
    ET.SubElement(node, "activity-status", code=str(IATI_STATUS[a.status]))
    for kind, date, note in _dates(plan, a):
        date_node = ET.SubElement(
            node, "activity-date", {"type": kind, "iso-date": date.isoformat()}
        )
        if note:
            _narrative(date_node, note)
    sector = ET.SubElement(node, "sector", vocabulary=REPORTING_ORG_VOCABULARY, code=ref.topic.id)
    _narrative(sector, ref.topic.title)
    tag = ET.SubElement(
        node, "tag", vocabulary=REPORTING_ORG_VOCABULARY, code=f"area-{ref.area.id}"
    )
    _narrative(tag, ref.area.title)
    return node


def _narrative(parent: ET.Element, text: str) -> None:
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


def _dates(plan: Plan, activity: Activity) -> list[tuple[str, dt.date, str | None]]:
    """Returns (ActivityDateType, date, note) by type: planned dates from the fields that map to
    one (start, end), actual ones from the history; the plan's signing date stands in when the
    activity has none (IATI needs one).
    """
    found: list[tuple[str, dt.date, str | None]] = [
        (f.spec.iati, f.value(activity), None)
        for f in fields.of_kind(type(activity), DATE)
        if f.spec.iati and f.value(activity)
    ]
    started = next((e.date for e in activity.history if e.to is Status.IN_PROGRESS), None)
    if started:
        found.append((ACTUAL_START, started, None))
    ended = activity.history[-1].date if activity.history else None
    if ended and activity.status in (Status.COMPLETED, Status.CANCELLED):
        found.append((ACTUAL_END, ended, None))
    found.sort(key=lambda date: date[0])
    if found:
        return found
    if plan.plan.signed is None:
        raise WorkplanError(
            f"activity {activity.id} has no dates and plan {plan.version} is not signed: "
            "IATI needs at least one activity date"
        )
    note = "The plan gives no date for this activity; this is the date the plan was signed."
    return [(PLANNED_START, plan.plan.signed.date, note)]
