"""A plan's agreement as events people read: "signed 2024-02-13 by MICDE and BMDV", "approved
by MICDE on 2024-11-20" (pure; used by diff's outputs)."""

from __future__ import annotations

from typing import Any

from workplan_cli.plan import agreed
from workplan_cli.plan.model import Plan, PlanStatus


def events(plan: Plan, people: Any = None) -> list[str]:
    """Returns the plan's signing and approvals as short sentences, parties by their labels
    (short names from `people`, a StakeholderFile, when given)."""
    by_id = people.by_id() if people is not None else {}

    def named(ids) -> str:
        return agreed.and_list([by_id[i].label if i in by_id else i for i in ids])

    meta = plan.plan
    out = []
    if meta.status is not PlanStatus.DRAFT and meta.signed is not None:
        signed = f"signed {meta.signed.date}"
        if meta.signed.by:
            signed += f" by {named(meta.signed.by)}"
        if meta.status is PlanStatus.SUPERSEDED:
            signed += ", superseded"
        out.append(signed)
    if meta.approvals:
        now = agreed.digest(plan)
        for a in meta.approvals:
            stale = "" if a.digest == now else " (of an earlier text)"
            out.append(f"approved by {named([a.party])} on {a.date}{stale}")
    return out


def side_events(side: Any) -> list[str]:
    """Returns the events of one side of a comparison (anything with `.plan`, maybe
    `.stakeholders`); none for a side without a plan."""
    plan = getattr(side, "plan", None)
    if not isinstance(plan, Plan):
        return []
    return events(plan, getattr(side, "stakeholders", None))


def line(old: Any, new: Any) -> str | None:
    """Returns 'agreement: 2024 signed ...; 2025 approved by ...' for two sides, or None."""
    parts = []
    for side in (old, new):
        found = side_events(side)
        if found:
            parts.append(f"{side.name} {', '.join(found)}")
    return "agreement: " + "; ".join(parts) if parts else None


# --- the plan's signing and approvals as they change (diff's metadata lines) -------------------


def signing_text(signed: Any) -> str:
    """Returns a signing (plain data, as a diff holds it) as an event: "2024-02-13 by micde and
    bmdv at the first Stakeholder Meeting (agreed content 272c5d177c57)"; "(none)" for none.
    The digest is cut to its first 12 digits; the JSON has it whole."""
    if not isinstance(signed, dict):
        return "(none)"
    text = f"{signed.get('date')}"
    if signed.get("by"):
        text += f" by {agreed.and_list([str(p) for p in signed['by']])}"
    if signed.get("occasion"):
        text += f" at the {signed['occasion']}"
    if signed.get("digest"):
        text += f" (agreed content {agreed.short(str(signed['digest']))})"
    return text


def approval_text(approval: Any) -> str:
    """Returns an approval (plain data) as an event: "approved by micde (Jane Doe) on
    2024-11-20 (agreed content 49fd474502e4): note"."""
    if not isinstance(approval, dict):
        return str(approval)
    text = f"approved by {approval.get('party')}"
    if approval.get("by"):
        text += f" ({approval['by']})"
    text += f" on {approval.get('date')}"
    if approval.get("digest"):
        text += f" (agreed content {agreed.short(str(approval['digest']))})"
    return text + (f": {approval['note']}" if approval.get("note") else "")
