"""What the parties agree on: the agreed content of a plan, its canonical form and digest, and
where each party's approval stands against it.

A plan's content is in two parts, told apart by the field declarations (plan/spec.py): the
**progress record** (`progress=True`: status, history, evidence), which the team records at any
time, and the **agreed content** (every other field but those declared `agreed=False`: the
record of the agreement itself, plan.status, plan.signed and plan.approvals, and settings such as
plan.iati), which changes only with the approval of every party in plan.parties.

The canonical form is the agreed content as plain data: keys are the files' keys, fields at
their default (absent, empty) are left out, so that an optional field added by a later version
of workplan does not void an approval of a plan that does not use it, and runs of white space in
texts are one space (a re-wrapped paragraph says the same). Its digest is the sha256 of its JSON
(sorted keys, no spaces, UTF-8), written `sha256:` and 64 hex digits. Being made from the model,
not the bytes, it does not change with comments, key order, quoting or progress updates.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from enum import Enum
from typing import Any, NamedTuple, TypeVar

from workplan_cli.plan import fields
from workplan_cli.plan.checks import Finding, Loc
from workplan_cli.plan.model import Approval, Plan, PlanStatus

_M = TypeVar("_M")
PREFIX = "sha256:"
_DOMAIN = b"workplan agreed content 1\n"  # hashed first: a later canonical form gets new digests


def agreed_plain(value: Any) -> Any:
    """Returns the agreed content of a model (a plan, an activity) as plain data."""
    kind = type(value)
    if kind is str:
        return " ".join(value.split())
    if kind is list:
        return [agreed_plain(v) for v in value]
    keys = _agreed_keys(kind)
    if keys is not None:
        out = {}
        for name, key in keys:
            plain = agreed_plain(getattr(value, name))
            if plain is None or plain == [] or plain == {}:
                continue  # absent and empty are one: a new optional field voids nothing
            out[key] = plain
        return out
    if isinstance(value, Enum):
        return value.value
    return fields.to_plain(value, by_alias=True)


@fields.per_model
def _agreed_keys(kind: type) -> tuple[tuple[str, str], ...] | None:
    """Returns (attribute, key) of each agreed field of a model class; None for other types."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple((f.name, f.key) for f in fields.declared(kind) if f.spec.agreed)


def agreed_only(model: _M) -> _M:
    """Returns the model with every field that is not agreed content at its default (an enum
    without one at its first value: every status planned), the levels below alike: what a diff
    of the agreed content compares."""
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(model):  # type: ignore[arg-type]  # a model is a dataclass
        value = getattr(model, f.name)
        if not fields.spec_of(f).agreed:
            if f.default is not dataclasses.MISSING:
                changes[f.name] = f.default
            elif f.default_factory is not dataclasses.MISSING:
                changes[f.name] = f.default_factory()
            elif isinstance(value, Enum):
                changes[f.name] = next(iter(type(value)))
        elif isinstance(value, list) and value and dataclasses.is_dataclass(value[0]):
            changes[f.name] = [agreed_only(v) for v in value]
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes[f.name] = agreed_only(value)
    return dataclasses.replace(model, **changes)  # type: ignore[type-var]  # a model


def canonical(plan: Plan) -> bytes:
    """Returns the canonical form of the plan's agreed content: JSON, sorted keys, UTF-8."""
    text = json.dumps(agreed_plain(plan), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


def digest(plan: Plan) -> str:
    """Returns the digest of the plan's agreed content: 'sha256:' and 64 hex digits."""
    return PREFIX + hashlib.sha256(_DOMAIN + canonical(plan)).hexdigest()


def short(value: str) -> str:
    """Returns a digest's first 12 hex digits, for people."""
    return value.removeprefix(PREFIX)[:12]


def changed_parts(old: Plan, new: Plan) -> list[str]:
    """Returns what differs in the agreed content of two plans, in the new plan's order: the
    metadata fields by key (plan.title), then area, topic, activity and indicator ids."""
    a, b = agreed_plain(old), agreed_plain(new)
    out = [f"plan.{k}" for k in _keys(a.get("plan", {}), b.get("plan", {}))]
    out += [k for k in _keys(a, b) if k not in ("plan", "areas")]
    before, after = _entries(a), _entries(b)
    out += [ident for ident in _keys(before, after)]
    return out


def _keys(a: dict, b: dict) -> list[str]:
    return [k for k in [*b, *(k for k in a if k not in b)] if a.get(k) != b.get(k)]


def _entries(plain: dict) -> dict[str, Any]:
    """Returns each area, topic, activity and indicator by id, without the level below it."""
    out: dict[str, Any] = {}
    for area in plain.get("areas", []):
        out[area["id"]] = {k: v for k, v in area.items() if k != "topics"}
        for topic in area.get("topics", []):
            below = ("activities", "indicators")
            out[topic["id"]] = {k: v for k, v in topic.items() if k not in below}
            for activity in topic.get("activities", []):
                out[activity["id"]] = activity
            for indicator in topic.get("indicators", []):
                out[indicator["id"]] = indicator
    return out


# --- where the approvals stand ---------------------------------------------------------------


class Standing(NamedTuple):
    """Where a plan's approvals stand against its agreed content now."""

    digest: str  # of the agreed content now
    approved: tuple[str, ...]  # parties whose approval (or signature) is of the content now
    stale: tuple[tuple[int, Approval], ...]  # approvals of an earlier text, with their index
    missing: tuple[str, ...]  # parties without any approval, in plan order
    parties: tuple[str, ...]
    signed: bool  # the plan is signed (or superseded)
    signed_digest: str | None  # the digest its signature pins, when it pins one

    @property
    def complete(self) -> bool:
        """Every party approved the agreed content as it is now."""
        return not self.stale and not self.missing

    @property
    def pending(self) -> tuple[str, ...]:
        """The parties whose approval of the content now is still needed, in plan order."""
        return tuple(p for p in self.parties if p not in self.approved)

    @property
    def amended(self) -> bool:
        """The signed plan's agreed content differs from what its signature pins."""
        return self.signed and self.signed_digest is not None and self.signed_digest != self.digest


def standing(plan: Plan) -> Standing:
    """Returns where the plan's approvals stand."""
    now = digest(plan)
    meta = plan.plan
    by_party = {a.party: (i, a) for i, a in enumerate(meta.approvals)}
    signed = meta.status is not PlanStatus.DRAFT and meta.signed is not None
    signers = meta.signed.by if signed and meta.signed and meta.signed.digest == now else []
    approved = tuple(
        p for p in meta.parties if p in signers or (p in by_party and by_party[p][1].digest == now)
    )
    stale = tuple(
        (i, a) for i, a in enumerate(meta.approvals) if a.digest != now and a.party in meta.parties
    )
    missing = tuple(p for p in meta.parties if p not in by_party and p not in approved)
    pinned = meta.signed.digest if signed and meta.signed else None
    return Standing(now, approved, stale, missing, tuple(meta.parties), signed, pinned)


def pins(plan: Plan) -> bool:
    """Whether an approval or the signature pins a digest of the plan's agreed content."""
    signed = plan.plan.signed
    return bool(plan.plan.approvals) or (signed is not None and signed.digest is not None)


def findings(plan: Plan, explain: dict[str, str] | None = None) -> list[Finding]:
    """Returns the findings of `validate` about the approvals against the content now: an
    approval of an earlier text, and a signed plan whose agreed content differs from what was
    signed unless every party approved the amendment. `explain` may say, per approved digest,
    what changed since (from the history: "2.2.3, plan.title")."""
    return signed_by_hand(plan) + awaiting(plan, explain)


def awaiting(plan: Plan, explain: dict[str, str] | None = None) -> list[Finding]:
    """Returns the findings of `findings` that say only that agreed content awaits approval
    (an approval of an earlier text, an amendment not yet approved by every party): the plan
    is otherwise sound, and `review` tells them apart (exit 5, not 1)."""
    out: list[Finding] = []
    if not pins(plan):
        return out  # nothing pins a digest: nothing to compute (a large plan takes a while)
    s = standing(plan)
    version = plan.version
    for i, approval in s.stale:
        what = (explain or {}).get(approval.digest)
        text = (
            f" of {what} (on {approval.date})"
            if what
            else (f" ({short(approval.digest)}, on {approval.date})")
        )
        out.append(
            Finding(
                ("plan", "approvals", i, "digest"),
                f"{approval.party} approved an earlier text{text}; the agreed content of plan "
                f"{version} changed since: it needs approving again (workplan approve "
                f"{version} --party {approval.party} --by NAME)",
            )
        )
    if s.amended and not s.complete:
        loc: Loc = ("plan", "signed", "digest")
        out.append(
            Finding(
                loc,
                f"the agreed content of the signed plan {version} differs from what was signed: "
                f"as an amendment it needs the approval of {and_list(s.pending)}"
                + (f" (approved by: {and_list(s.approved)})" if s.approved else ""),
            )
        )
    return out


def signed_by_hand(plan: Plan) -> list[Finding]:
    """A plan marked signed (or superseded) needs `workplan sign`'s record (a digest, every
    party's approval), or to say that its signature predates workplan's (signed.recorded_in)."""
    meta = plan.plan
    signing = meta.signed
    if meta.status is PlanStatus.DRAFT or signing is None or signing.recorded_in:
        return []
    out = []
    if signing.digest is None:
        out.append(
            Finding(
                ("plan", "status"),
                f"plan {plan.version} is marked {meta.status.value} but its signing pins no "
                "digest: sign it with `workplan sign`, or, if it was signed before workplan "
                "recorded approvals, say where its signing is recorded in signed.recorded_in",
            )
        )
    approved = {a.party for a in meta.approvals}
    for party in meta.parties:
        if party not in approved:
            out.append(
                Finding(
                    ("plan", "status"),
                    f"plan {plan.version} is marked {meta.status.value} without an approval "
                    f"by {party} (a plan signed before workplan recorded approvals says where "
                    "its signing is recorded in signed.recorded_in)",
                )
            )
    return out


def and_list(items: tuple[str, ...] | list[str]) -> str:
    """Returns 'a', 'a and b', 'a, b and c' ('none' for none)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items) or "none"
    return ", ".join(items[:-1]) + " and " + items[-1]
