"""Exports of a plan's activities as JSON and CSV (pure: models in, text out)."""

from __future__ import annotations

import csv
import io
import json
import re

from workplan_cli.output.plaintext import ExportBugError, has_controls, without_controls
from workplan_cli.plan.model import ActivityRef, Plan, StakeholderFile
from workplan_cli.plan.query import Filters
from workplan_cli.plan.snapshot import to_plain

EXPORT_VERSION = 1

CSV_COLUMNS = (
    "id",
    "title",
    "area",
    "area_title",
    "topic",
    "topic_title",
    "objectives",
    "status",
    "kind",
    "lead",
    "stakeholders",
    "start",
    "end",
    "last_update",
    "last_note",
    "text",
)
LIST_SEPARATOR = "; "  # between ids in one cell; ids never hold it


def json_export(
    plan: Plan, stakeholders: StakeholderFile, refs: list[ActivityRef], filters: Filters
) -> str:
    """Returns the plan as JSON: the plan file's own shape, with only the kept activities."""
    kept = {id(ref.activity) for ref in refs}
    whole = to_plain(plan, by_alias=True)
    areas = []
    for area, area_data in zip(plan.areas, whole["areas"], strict=True):
        topics = []
        for topic, topic_data in zip(area.topics, area_data["topics"], strict=True):
            activities = [
                data
                for activity, data in zip(topic.activities, topic_data["activities"], strict=True)
                if id(activity) in kept
            ]
            if activities or _in_scope(filters, area.id, topic.id):
                topics.append({**topic_data, "activities": activities})
        if topics:
            areas.append({**area_data, "topics": topics})
    document = {
        "export_version": EXPORT_VERSION,
        "filters": filters.as_dict(),
        "workplan": {**whole, "areas": areas},
        "stakeholders": to_plain(stakeholders, by_alias=True)["stakeholders"],
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    # json escapes C0 controls itself; DEL and C1 (a terminal acts on U+009B) only as escapes
    # too, which keeps every value as it is.
    text = _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    try:
        text.encode("utf-8")
        json.loads(text)
    except ValueError as e:
        raise ExportBugError(f"the JSON export is not well-formed ({e})") from None
    return text


_RAW_CONTROLS = re.compile("[\x7f-\x9f]")  # only inside strings: JSON's syntax is ASCII


def _in_scope(filters: Filters, area_id: str, topic_id: str) -> bool:
    """Whether a topic stays without kept activities: only area and topic filters narrow."""
    narrowing = (filters.status, filters.lead, filters.stakeholder)
    named = filters.area in (None, area_id) and filters.topic in (None, topic_id)
    return named and all(v is None for v in narrowing)


def csv_row(ref: ActivityRef) -> dict[str, str]:
    """Returns one activity as the CSV export's cells, by column name."""
    a = ref.activity
    last = a.history[-1] if a.history else None
    return {
        "id": a.id,
        "title": a.title,
        "area": ref.area.id,
        "area_title": ref.area.title,
        "topic": ref.topic.id,
        "topic_title": ref.topic.title,
        "objectives": "\n".join(ref.topic.objectives),
        "status": a.status.value,
        "kind": a.kind.value,
        "lead": LIST_SEPARATOR.join(a.lead),
        "stakeholders": LIST_SEPARATOR.join(a.stakeholders),
        "start": a.start.isoformat() if a.start else "",
        "end": a.end.isoformat() if a.end else "",
        "last_update": last.date.isoformat() if last else "",
        "last_note": (last.note or "") if last else "",
        "text": a.text,
    }


# What makes a spreadsheet read a cell as a formula (OWASP "CSV Injection"): = + - @ tab CR
# first, and the full-width forms of = + - @, which some spreadsheets fold to ASCII.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def inert_cell(value: str) -> str:
    """Returns the cell with a single quote before a character that starts a formula (OWASP):
    a spreadsheet shows it as text. The csv module does OWASP's other part: a cell that holds
    a quote, a separator or a line break is quoted, and its quotes doubled."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_export(refs: list[ActivityRef]) -> str:
    """Returns the activities as CSV (RFC 4180: CRLF line ends, fields quoted where needed),
    without control characters (see plaintext.py), no cell a formula (`inert_cell`), checked
    by reading it back."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    rows = [{k: inert_cell(without_controls(v)) for k, v in csv_row(ref).items()} for ref in refs]
    writer.writerows(rows)
    text = out.getvalue()
    try:
        text.encode("utf-8")
        back = list(csv.DictReader(io.StringIO(text, newline="")))
    except (ValueError, csv.Error) as e:
        raise ExportBugError(f"the CSV export is not well-formed ({e})") from None
    if back != rows or has_controls(text):
        raise ExportBugError("the CSV export does not read back as written, or holds controls")
    return text
