"""Plain-data views of plans for JSON output: stable shapes, documented in docs/commands.md."""

from __future__ import annotations

from typing import Any

from workplan_cli.plan import fields
from workplan_cli.plan.model import ActivityRef, Plan, Stakeholder, StakeholderFile
from workplan_cli.plan.query import Filters, Row, Tally
from workplan_cli.plan.schedule import Rollup, Schedule


def plan_header(plan: Plan) -> dict:
    meta = plan.plan
    return {
        "id": meta.id,
        "title": meta.title,
        "version": meta.version,
        "status": meta.status.value,
        "signed": meta.signed.date.isoformat() if meta.signed else None,
    }


def status_view(
    plan: Plan, rows: list[Row], total: Tally, filters: Filters, judged: Schedule | None = None
) -> dict:
    """Returns the status overview; with `judged`, each area, topic and the total also carry
    their schedule (colour, counts per colour, overdue) and the view the day it was judged on."""

    def schedule_of(rollups: dict[str, Rollup], ident: str) -> dict:
        if judged is None:
            return {}
        return {"schedule": (rollups.get(ident) or Rollup()).as_dict()}

    areas: list[dict] = []
    for row in rows:
        entry = {"id": row.id, "title": row.title, **row.tally.as_dict()}
        if row.level == "area":
            areas.append({**entry, **schedule_of(judged.areas if judged else {}, row.id)})
            areas[-1]["topics"] = []
        else:
            areas[-1]["topics"].append(
                {**entry, **schedule_of(judged.topics if judged else {}, row.id)}
            )
    view: dict[str, Any] = {
        "plan": plan_header(plan),
        "filters": filters.as_dict(),
        "total": total.as_dict(),
        "areas": areas,
    }
    if judged is not None:
        view["total"]["schedule"] = judged.total.as_dict()
        view["schedule"] = {"as_of": judged.as_of.isoformat(), "amber_days": judged.amber_days}
    return view


def activity_view(ref: ActivityRef, full: bool = False) -> dict:
    """Returns an activity for `list` (its row's fields) or `show` (every field) as plain data."""
    activity = ref.activity
    view: dict[str, Any] = {"id": activity.id, "title": activity.title}
    for f in fields.row(type(activity)):
        if f.key == "start":  # the place and order these keys have always had
            view.update(area=ref.area.id, topic=ref.topic.id)
        view[f.key] = f.plain(activity)
    view.setdefault("area", ref.area.id)
    view.setdefault("topic", ref.topic.id)
    if full:
        view.update(
            area_title=ref.area.title,
            topic_title=ref.topic.title,
            objectives=list(ref.topic.objectives),
        )
        view.update(
            (f.key, f.plain(activity)) for f in fields.compared(type(activity)) if f.key not in view
        )
    return view


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
                **{f.key: f.plain(s) for f in fields.declared(Stakeholder)},
                "lead": involvement[s.id]["lead"],
                "involved": involvement[s.id]["involved"],
            }
            for s in file.stakeholders
        ],
    }


def indicators_view(plan: Plan, rows: list[dict], filters: Filters, as_of: str) -> dict:
    """Returns `indicators --format json`: the plan, the day judged, the filters and one row
    an indicator (plan/results.py `as_plain`)."""
    return {
        "plan": plan_header(plan),
        "as_of": as_of,
        "filters": filters.as_dict(),
        "indicators": rows,
    }
