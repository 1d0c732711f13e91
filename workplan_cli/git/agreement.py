"""What an approval of an earlier text approved, found in the plan file's git history: for
`validate` ("bmdv approved an earlier text of 2.2.3") and for `sign`'s refusal (the difference)."""

from __future__ import annotations

from pathlib import Path

from workplan_cli.diff.plans import PlanDiff, diff_plans
from workplan_cli.errors import WorkplanError
from workplan_cli.git import gitio
from workplan_cli.plan import agreed
from workplan_cli.plan.model import Approval, Plan
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
