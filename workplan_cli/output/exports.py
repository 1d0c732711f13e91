"""Exports of a plan's activities as JSON and CSV (pure: models in, text out)."""

from __future__ import annotations

import csv
import io
import json

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
            if activities or filters.shows_empty(area.id, topic.id):
                topics.append({**topic_data, "activities": activities})
        if topics:
            areas.append({**area_data, "topics": topics})
    document = {
        "export_version": EXPORT_VERSION,
        "filters": filters.as_dict(),
        "workplan": {**whole, "areas": areas},
        "stakeholders": to_plain(stakeholders, by_alias=True)["stakeholders"],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


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


def csv_export(refs: list[ActivityRef]) -> str:
    """Returns the activities as CSV (RFC 4180: CRLF line ends, fields quoted where needed)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for ref in refs:
        writer.writerow(csv_row(ref))
    return out.getvalue()
