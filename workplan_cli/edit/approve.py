"""A party's approval of a plan's agreed content, as a pure text edit of the plan file.

The approval pins the digest of the agreed content as it is (plan/agreed.py) and goes into
plan.approvals: appended, or in place of the party's earlier approval (a party has one). Like
set-status, the edit goes through the one splice engine, the parsed result must hold exactly
the intended plan, and it must validate.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass

from workplan_cli import yamlio
from workplan_cli.edit import status
from workplan_cli.errors import WorkplanError
from workplan_cli.plan import agreed, load
from workplan_cli.plan.checks import today_anywhere
from workplan_cli.plan.model import Approval, Plan, PlanStatus

MAX_BY = 200  # characters of --by: a name, not a document


@dataclass(frozen=True)
class Request:
    """What a user asks for: record `party`'s approval of plan `version` by `by`."""

    version: str
    party: str
    by: str
    on: dt.date
    note: str | None = None


@dataclass(frozen=True)
class Edit:
    """A planned change of one file: its bytes before and after, and the approval made."""

    old: bytes
    new: bytes
    approval: Approval
    replaced: Approval | None  # the party's earlier approval, of an earlier text
    version: str


def check_text(name: str, value: str | None, limit: int = MAX_BY) -> None:
    """Refuses text that cannot be recorded: empty, not valid text, control characters."""
    if value is None:
        return
    if not value.strip():
        raise WorkplanError(f"{name} must not be empty")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise WorkplanError(f"{name} holds bytes that are not valid text")
    if any(not c.isprintable() for c in value):
        raise WorkplanError(f"{name} holds a control character (a line break, say): write one line")
    if len(value) > limit:
        raise WorkplanError(f"{name} is longer than {limit} characters")


def check_request(plan: Plan, request: Request) -> Approval | None:
    """Raises WorkplanError when the approval cannot be recorded; returns the party's earlier
    approval that it replaces, if any."""
    meta = plan.plan
    if request.party not in meta.parties:
        raise WorkplanError(
            f"{request.party!r} is not a party of plan {plan.version} (its parties: "
            f"{', '.join(meta.parties)}); only a party approves"
        )
    if meta.status is PlanStatus.SUPERSEDED:
        raise WorkplanError(f"plan {plan.version} is superseded: there is nothing to approve")
    check_text("--by", request.by)
    check_text("--note", request.note, 2000)
    today = today_anywhere()
    if request.on > today:
        raise WorkplanError(
            f"--on {request.on.isoformat()} is in the future (today is {today.isoformat()} at "
            "the latest): record an approval when it is given"
        )
    now = agreed.digest(plan)
    earlier = next((a for a in meta.approvals if a.party == request.party), None)
    if earlier is not None and earlier.digest == now:
        raise WorkplanError(
            f"{request.party} already approved the agreed content of plan {plan.version} as it "
            f"is (on {earlier.date.isoformat()}); nothing to record"
        )
    if earlier is not None and request.on < earlier.date:
        raise WorkplanError(
            f"{request.party}'s earlier approval is dated {earlier.date.isoformat()}; --on "
            f"{request.on.isoformat()} is before it"
        )
    return earlier


def approve(
    data: bytes,
    name: str,
    request: Request,
    stakeholder_ids: Collection[str] | None = None,
    parse: Callable[..., Plan] = load.parse_plan,
) -> Edit:
    """Returns the edit that records the approval in the plan file `data` (named `name`)."""
    plan = parse(data, name, stakeholder_ids)
    if plan.version != request.version:
        raise WorkplanError(f"{name} holds plan {plan.version}, not {request.version}")
    earlier = check_request(plan, request)
    approval = Approval(
        party=request.party,
        by=request.by,
        date=request.on,
        digest=agreed.digest(plan),
        note=request.note or None,
    )
    index = plan.plan.approvals.index(earlier) if earlier is not None else None
    approvals = list(plan.plan.approvals)
    if index is None:
        approvals.append(approval)
    else:
        approvals[index] = approval
    intended = dataclasses.replace(plan, plan=dataclasses.replace(plan.plan, approvals=approvals))
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    text = load.decode(data, name)
    checked = status.holds(intended, bom, name, parse, stakeholder_ids)
    new = None
    for edits in _edits(approval, earlier, index):
        try:
            new = checked(yamlio.splice(text, edits=edits))
        except WorkplanError:  # SpliceError too
            continue
        if new is not None:
            break
    if new is None:
        raise WorkplanError(
            f"{name}: cannot record the approval in place (plan.approvals is written in a way "
            "this edit does not follow); nothing was written: please report it"
        )
    return Edit(data, new, approval, earlier, plan.version)


def _edits(approval: Approval, earlier: Approval | None, index: int | None) -> list[list]:
    """Returns the ways to make the edit, tried in turn: the first whose result holds exactly
    the intended plan is taken."""
    if earlier is None or index is None:
        item: list[tuple[str, object]] = [("party", yamlio.Plain(approval.party))]
        item += [("by", approval.by), ("date", approval.date.isoformat())]
        item.append(("digest", approval.digest))
        if approval.note:
            item.append(("note", approval.note))
        return [[yamlio.AppendItem(("plan", "approvals"), item)]]
    at = ("plan", "approvals", index)
    values = [("by", approval.by), ("date", approval.date.isoformat()), ("digest", approval.digest)]
    edits: list = [yamlio.ReplaceValue((*at, k), yamlio.double_quoted(v)) for k, v in values]
    note = yamlio.double_quoted(approval.note) if approval.note else None
    if earlier.note is not None and note is not None:
        edits.append(yamlio.ReplaceValue((*at, "note"), note))
    elif earlier.note is not None:
        edits.append(yamlio.RemoveEntry((*at, "note")))
    elif note is not None:
        edits.append(yamlio.InsertAfter((*at, "digest"), (f"note: {note}",)))
    # A flow mapping (`- {party: ...}`) takes no new line: it is written again whole.
    pairs = [("party", approval.party), *values] + ([("note", approval.note)] if note else [])
    flow = ", ".join(
        f"{k}: {v if k == 'party' else yamlio.double_quoted(str(v))}" for k, v in pairs
    )
    return [edits, [yamlio.ReplaceValue(at, "{" + flow + "}")]]


def commit_message(edit: Edit) -> str:
    """Returns the commit message: '2025: approved by micde', then what it pins."""
    a = edit.approval
    lines = [f"{edit.version}: approved by {a.party}", ""]
    lines.append(f"{a.by} approved the agreed content ({agreed.short(a.digest)}) on {a.date}.")
    if edit.replaced is not None:
        lines.append(f"It replaces {a.party}'s approval of an earlier text ({edit.replaced.date}).")
    if a.note:
        lines += ["", a.note.strip()]
    return "\n".join(lines) + "\n"
