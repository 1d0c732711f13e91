"""What an approval of an earlier text approved, found in the plan file's git history: for
`validate` ("bmdv approved an earlier text of 2.2.3") and for `sign`'s refusal (the difference)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workplan_cli.diff.plans import PlanDiff, diff_plans
from workplan_cli.errors import WorkplanError
from workplan_cli.git import gitio
from workplan_cli.plan import agreed, fields
from workplan_cli.plan.model import Approval, Plan, Signing
from workplan_cli.plan.store import Repo, parse_plan

MAX_COMMITS = 200  # commits of one file searched for the text an approval pins


def approved_texts(repo: Repo, path: Path, digests: set[str]) -> dict[str, Plan]:
    """Returns, for each digest it finds, the plan as it was in the newest commit of HEAD whose
    agreed content has that digest (searching the file's last MAX_COMMITS commits)."""
    found: dict[str, Plan] = {}
    if not digests:
        return found
    try:
        top = gitio.toplevel(path.parent)
        rel = gitio.relative_path(path, top)
    except WorkplanError:
        return found
    commits = gitio.file_commits(top, rel, MAX_COMMITS)
    with gitio.BlobReader(top) as reader:
        for commit in commits:
            data = reader.read(f"{commit}:{rel}")
            if data is None:
                continue
            try:
                plan = parse_plan(data, f"{rel} at {commit[:12]}")
            except WorkplanError:
                continue
            d = agreed.digest(plan)
            if d in digests and d not in found:
                found[d] = plan
                if len(found) == len(digests):
                    break
    return found


def explain(repo: Repo, path: Path, plan: Plan) -> dict[str, str]:
    """Returns, for each approval of an earlier text whose text is in the history, what changed
    in the agreed content since: "2.2.3, plan.title"."""
    if not plan.plan.approvals:
        return {}
    stale = {a.digest for _, a in agreed.standing(plan).stale}
    texts = approved_texts(repo, path, stale)
    return {d: _parts(agreed.changed_parts(old, plan)) for d, old in texts.items()}


def _parts(parts: list[str], most: int = 6) -> str:
    shown = ", ".join(parts[:most])
    return shown + (f" and {len(parts) - most} more" if len(parts) > most else "")


def refusal_diffs(
    repo: Repo, version: str, standing: agreed.Standing
) -> list[tuple[Approval, PlanDiff | None]]:
    """Returns, for each approval of an earlier text, the difference of the agreed content
    since that text (None when the text is not in the file's history)."""
    path = repo.plan_path(version)
    plan = repo.load_plan_file(path, set(repo.load_stakeholders().by_id()))
    texts = approved_texts(repo, path, {a.digest for _, a in standing.stale})
    out: list[tuple[Approval, PlanDiff | None]] = []
    for _, approval in standing.stale:
        old = texts.get(approval.digest)
        diff = (
            None if old is None else diff_plans(agreed.agreed_only(old), agreed.agreed_only(plan))
        )
        out.append((approval, diff))
    return out


# --- review: what needs the parties' agreement -------------------------------------------------


@dataclass(frozen=True)
class Authored:
    """One commit of the reviewed range that changed a plan file: who made it, and whether it
    changed agreed content, approvals or the signing."""

    commit: str
    author: str
    agreed: tuple[str, ...]  # the agreed content it changed (ids, plan.KEY)
    approvals: tuple[str, ...]  # the parties whose approval it added or changed
    progress: bool  # it changed the progress record
    signed: bool  # it signed the plan


@dataclass(frozen=True)
class AgreementReview:
    """What a change of one plan file means for its agreement."""

    version: str
    parties: tuple[str, ...]  # ids, in plan order
    changes: tuple[str, ...]  # the agreed content changed (ids, plan.KEY); () for none
    progress: int  # activities whose progress record changed
    status_updates: int  # of them, those whose status changed
    approved: tuple[str, ...]  # parties whose approval in the new state is of its content
    approvals: tuple[Approval, ...]  # approvals added or changed by the change
    signed: Signing | None  # the signing the change made, if it made one
    authors: tuple[Authored, ...] = ()  # commit by commit (not for the working tree)
    actuals: int = 0  # indicators' actuals added or changed (progress, as `workplan record`)

    @property
    def pending(self) -> tuple[str, ...]:
        return tuple(p for p in self.parties if p not in self.approved)

    @property
    def needs_agreement(self) -> bool:
        """Agreed content changed and not every party approved the new content."""
        return bool(self.changes) and bool(self.pending)


def review_agreement(old: Plan | None, new: Plan, authors=()) -> AgreementReview:
    """Returns what the change from `old` (None: a new file) to `new` means for its agreement."""
    base = old if old is not None else _empty_like(new)
    changes = tuple(agreed.changed_parts(base, new))
    progress = status = 0
    before = {ref.activity.id: ref.activity for ref in base.activities()}
    for ref in new.activities():
        was = before.get(ref.activity.id)
        if was is None:
            continue
        if was.status != ref.activity.status:
            status += 1
        if _progress(was) != _progress(ref.activity):
            progress += 1
    # An indicator's actuals are progress too (its text, baseline and targets agreed content):
    # each actual the change adds or alters counts, a new indicator's included.
    had = {ref.indicator.id: ref.indicator.actuals for ref in base.indicators()}
    actuals = sum(
        1
        for ref in new.indicators()
        for actual in ref.indicator.actuals
        if actual not in had.get(ref.indicator.id, [])
    )
    standing = agreed.standing(new)
    old_approvals = list(base.plan.approvals)
    added = tuple(a for a in new.plan.approvals if a not in old_approvals)
    signing = new.plan.signed
    made = signing if signing is not None and signing != base.plan.signed else None
    return AgreementReview(
        new.version,
        tuple(new.plan.parties),
        changes,
        progress,
        status,
        standing.approved,
        added,
        made,
        tuple(authors),
        actuals,
    )


def _progress(model: Any) -> Any:
    return [getattr(model, f.name) for f in fields.declared(type(model)) if f.spec.progress]


def _empty_like(plan: Plan) -> Plan:
    return dataclasses.replace(
        plan,
        plan=dataclasses.replace(plan.plan, approvals=[], signed=None, title="", parties=[]),
        areas=[],
    )


def authorship(
    top: Path, base: str, head: str, path: str, start: Plan | None = None
) -> list[Authored]:
    """Returns, oldest first, each commit in base..head that changed the plan file at `path`,
    with its author and what it changed (commits whose file does not validate are left out);
    a file new since the base is compared with `start` (the plan it supersedes)."""
    commits = gitio.range_commits(top, base, head, path)
    out: list[Authored] = []
    with gitio.BlobReader(top) as reader:
        previous = _plan_at(reader, base, path) or start
        for sha, author in commits:
            current = _plan_at(reader, sha, path)
            if current is None:
                continue
            r = review_agreement(previous, current)
            approvals = tuple(a.party for a in r.approvals)
            out.append(
                Authored(
                    sha,
                    author,
                    r.changes,
                    approvals,
                    r.progress > 0 or r.actuals > 0,
                    r.signed is not None,
                )
            )
            previous = current
    return out


def _plan_at(reader: gitio.BlobReader, commit: str, path: str) -> Plan | None:
    data = reader.read(f"{commit}:{path}")
    if data is None:
        return None
    try:
        return parse_plan(data, f"{path} at {commit[:12]}")
    except WorkplanError:
        return None
