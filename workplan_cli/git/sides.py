"""One side of a comparison: a plan version, a plan file, or GITREV:VERSION read from git."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from workplan_cli.errors import InvalidFileError, Problem, UnknownPlanError
from workplan_cli.plan.model import Plan, StakeholderFile
from workplan_cli.plan.store import Repo, display_path, parse_plan, parse_stakeholders

_VERSION_TEXT = re.compile(r"[0-9]{4}(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a validated plan, the stakeholders it was read with, and names."""

    name: str  # as the user gave it: 2024, HEAD~1:2024, plans/old.yaml
    source: str  # where it was read: data/workplan-2024.yaml, data/workplan-2024.yaml at 1a2b3c4d
    plan: Plan
    stakeholders: StakeholderFile
    working_copy_version: str | None = None  # a version read from the working copy


def load_side(repo: Repo, spec: str) -> Side:
    """Returns the plan that `spec` names: a version, a file path, or GITREV:VERSION."""
    if Path(spec).is_file() or (":" not in spec and spec.endswith((".yaml", ".yml"))):
        path = Path(spec)
        stakeholders = repo.load_stakeholders()
        plan = repo.load_plan_file(path, set(stakeholders.by_id()))
        return Side(spec, display_path(path), plan, stakeholders)
    if ":" in spec:
        rev, _, version = spec.rpartition(":")
        return _git_side(repo, spec, rev, version)
    path = repo.plan_path(spec)
    stakeholders = repo.load_stakeholders()
    plan = repo.load_plan_file(path, set(stakeholders.by_id()))
    return Side(spec, display_path(path), plan, stakeholders, working_copy_version=spec)


def _git_side(repo: Repo, spec: str, rev: str, version: str) -> Side:
    # git only here: `diff 2024 2025` reads the working copy and imports no subprocess (gitio
    # cost a diff of the shipped plans about 2 ms)
    from workplan_cli.git import gitio

    if not _VERSION_TEXT.fullmatch(version):
        raise UnknownPlanError(
            f"{spec!r}: {version!r} is not a plan version (write GITREV:VERSION, e.g. HEAD~1:2024)"
        )
    gitio.check_revision_text(rev)
    top = gitio.toplevel(repo.root)
    commit = gitio.resolve(rev, repo.root)
    plan_rel = gitio.relative_path(repo.data_dir / f"workplan-{version}.yaml", top)
    people_rel = gitio.relative_path(repo.stakeholders_path, top)
    try:
        plan_bytes = gitio.read_blob(commit, plan_rel, top)
    except gitio.FileAbsentError:
        raise UnknownPlanError(
            f"no plan version {version!r} at git revision {rev!r} "
            f"({plan_rel} does not exist at {commit[:12]})"
        ) from None
    people = parse_stakeholders(gitio.read_blob(commit, people_rel, top), f"{rev}:{people_rel}")
    plan = parse_plan(plan_bytes, f"{rev}:{plan_rel}", set(people.by_id()))
    if plan.version != version:
        raise InvalidFileError(
            [
                Problem(
                    f"{rev}:{plan_rel}",
                    f"plan.version is {plan.version!r} but the file name says {version!r}",
                    path="plan.version",
                )
            ]
        )
    return Side(spec, f"{plan_rel} at {commit[:12]}", plan, people)
