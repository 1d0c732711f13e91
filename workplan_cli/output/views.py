"""Plain-data views of plans for JSON output: stable shapes, documented in docs/commands.md."""

from __future__ import annotations

from typing import Any

from workplan_cli.plan.model import ActivityRef, Plan, StakeholderFile
from workplan_cli.plan.query import Filters, Row, Tally


def plan_header(plan: Plan) -> dict:
    meta = plan.plan
    return {
        "id": meta.id,
        "title": meta.title,
        "version": meta.version,
        "status": meta.status.value,
        "signed": meta.signed.date.isoformat() if meta.signed else None,
    }


def status_view(plan: Plan, rows: list[Row], total: Tally, filters: Filters) -> dict:
    areas: list[dict] = []
    for row in rows:
        entry = {"id": row.id, "title": row.title, **row.tally.as_dict()}
        if row.level == "area":
            areas.append({**entry, "topics": []})
        else:
            areas[-1]["topics"].append(entry)
    return {
        "plan": plan_header(plan),
        "filters": filters.as_dict(),
        "total": total.as_dict(),
        "areas": areas,
    }


def activity_view(ref: ActivityRef, full: bool = False) -> dict:
    activity = ref.activity
    view: dict[str, Any] = {
        "id": activity.id,
        "title": activity.title,
        "status": activity.status.value,
        "kind": activity.kind.value,
        "lead": list(activity.lead),
        "stakeholders": list(activity.stakeholders),
        "area": ref.area.id,
        "topic": ref.topic.id,
        "start": activity.start.isoformat() if activity.start else None,
        "end": activity.end.isoformat() if activity.end else None,
    }
    if full:
        view.update(
            area_title=ref.area.title,
            topic_title=ref.topic.title,
            objectives=list(ref.topic.objectives),
            text=activity.text,
            evidence=activity.all_evidence(),
            history=[history_view(e) for e in activity.history],
        )
    return view


def history_view(entry) -> dict:
    return {
        "date": entry.date.isoformat(),
        "from": entry.from_.value if entry.from_ else None,
        "to": entry.to.value,
        "note": entry.note,
        "by": entry.by,
        "evidence": list(entry.evidence),
    }


def list_view(plan: Plan, refs: list[ActivityRef], filters: Filters) -> dict:
    return {
        "plan": plan_header(plan),
        "filters": filters.as_dict(),
        "activities": [activity_view(ref) for ref in refs],
    }


def stakeholders_view(plan: Plan, file: StakeholderFile, involvement: dict) -> dict:
    return {
        "plan": plan_header(plan),
        "stakeholders": [
            {
                "id": s.id,
                "name": s.name,
                "short_name": s.short_name,
                "country": s.country,
                "type": s.type.value,
                "kind": s.kind.value,
                "lead": involvement[s.id]["lead"],
                "involved": involvement[s.id]["involved"],
            }
            for s in file.stakeholders
        ],
    }
