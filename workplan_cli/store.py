"""Finds the plan repository and reads its files into validated models."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from workplan_cli import cache, fileio
from workplan_cli.errors import (
    InvalidFileError,
    Problem,
    RepoNotFoundError,
    UnknownPlanError,
    WorkplanError,
)
from workplan_cli.model import Plan, PlanStatus, StakeholderFile

DATA_DIR = "data"
STAKEHOLDERS_FILE = "stakeholders.yaml"
PLAN_FILE = re.compile(r"workplan-(?P<version>[0-9]{4}(?:-[a-z0-9]+)*)\.yaml")


def version_key(version: str) -> tuple:
    """Orders versions naturally: 2024 < 2024-rev2 < 2024-rev10 < 2025."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", version))


def display_path(path: Path) -> str:
    """Returns the path as the user should read it: relative to the current folder if inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def find_repo(explicit: str | os.PathLike | None = None, start: Path | None = None) -> Repo:
    """Returns the repository named, or the first folder up from `start` that holds plans."""
    if explicit:
        root = Path(explicit)
        if not _is_repo(root):
            raise RepoNotFoundError(
                f"{explicit} is not a plan repository (no {DATA_DIR}/workplan-*.yaml in it)"
            )
        return Repo(root)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_repo(folder):
            return Repo(folder)
    raise RepoNotFoundError(
        f"no plan repository here: no {DATA_DIR}/workplan-*.yaml in {here} or any folder above it "
        "(use --repo PATH or set WORKPLAN_REPO)"
    )


def _is_repo(folder: Path) -> bool:
    data = folder / DATA_DIR
    return data.is_dir() and any(PLAN_FILE.fullmatch(p.name) for p in data.iterdir())


def parse_plan(data: bytes, name: str, stakeholder_ids=None) -> Plan:
    """Returns the validated plan in `data`, from the cache when these bytes were seen before."""
    key = cache.key_of("plan", data, stakeholder_ids)
    return cache.cached(Plan, key, lambda: _load().parse_plan(data, name, stakeholder_ids))


def parse_stakeholders(data: bytes, name: str) -> StakeholderFile:
    """Returns the validated stakeholders file in `data`, from the cache when possible."""
    key = cache.key_of("stakeholders", data)
    return cache.cached(StakeholderFile, key, lambda: _load().parse_stakeholders(data, name))


def _load():
    from workplan_cli import load  # ruamel.yaml and pydantic: only when something is parsed

    return load


def read_bytes(path: Path) -> bytes:
    """Returns a regular file's bytes (at most fileio.MAX_READ_BYTES), or raises a WorkplanError
    that names it: a FIFO, device or folder is refused without waiting or reading."""
    return fileio.read_regular(path, name=_link_name(path))


def _link_name(path: Path) -> str:
    """Returns the path as the user should read it, naming a link itself, not its target."""
    return str(Path(display_path(path.parent)) / path.name)


def _inside(path: Path, folder: Path) -> bool:
    return Path(os.path.abspath(path)).is_relative_to(os.path.abspath(folder))


@dataclass
class Repo:
    """A plan repository: a folder with data/workplan-VERSION.yaml and data/stakeholders.yaml."""

    root: Path

    @property
    def data_dir(self) -> Path:
        return self.root / DATA_DIR

    @property
    def stakeholders_path(self) -> Path:
        return self.data_dir / STAKEHOLDERS_FILE

    def read(self, path: Path) -> bytes:
        """Returns the bytes of a file; one under data/ must stay inside the repository (a link
        to a file elsewhere in it is fine, a link leaving it is refused)."""
        self.check_inside(path)
        return read_bytes(path)

    def check_inside(self, path: Path) -> None:
        """Refuses a file under data/ that is a link leading out of the repository."""
        if _inside(path, self.data_dir) and not _inside(path.resolve(), self.root.resolve()):
            raise InvalidFileError(
                [
                    Problem(
                        _link_name(path),
                        "is a link to a file outside the repository; plan files are read "
                        "only from inside it",
                    )
                ]
            )

    def plan_paths(self) -> dict[str, Path]:
        """Returns the plan files by version, oldest first."""
        found = {}
        for path in self.data_dir.iterdir():
            match = PLAN_FILE.fullmatch(path.name)
            if match:
                found[match["version"]] = path
        return dict(sorted(found.items(), key=lambda item: version_key(item[0])))

    def plan_path(self, name: str) -> Path:
        """Returns the file of a plan named by version ('2025') or by a path to a .yaml file."""
        if name.endswith((".yaml", ".yml")) or os.sep in name or "/" in name:
            return Path(name)
        paths = self.plan_paths()
        if name not in paths:
            known = ", ".join(paths) or "none"
            raise UnknownPlanError(
                f"no plan version {name!r} in {display_path(self.data_dir)} (versions: {known})"
            )
        return paths[name]

    def load_stakeholders(self) -> StakeholderFile:
        path = self.stakeholders_path
        return parse_stakeholders(self.read(path), display_path(path))

    def load_plan(self, name: str | None = None) -> Plan:
        """Returns the plan named (default: the current one), validated against the stakeholders."""
        ids = set(self.load_stakeholders().by_id())
        if name:
            return self.load_plan_file(self.plan_path(name), ids)
        path, plan = self._current_plan(ids)
        return plan if plan is not None else self.load_plan_file(path, ids)  # reports problems

    def load_plan_file(self, path: Path, stakeholder_ids=None) -> Plan:
        plan = parse_plan(self.read(path), display_path(path), stakeholder_ids)
        match = PLAN_FILE.fullmatch(path.name)
        if match and match["version"] != plan.version:
            raise InvalidFileError(
                [
                    Problem(
                        display_path(path),
                        f"plan.version is {plan.version!r} but the file "
                        f"name says {match['version']!r}",
                        path="plan.version",
                    )
                ]
            )
        return plan

    def current_plan_path(self, stakeholder_ids=None) -> Path:
        """Returns the newest plan that is not a draft (the newest of all if every one is)."""
        return self._current_plan(stakeholder_ids)[0]

    def _current_plan(self, stakeholder_ids) -> tuple[Path, Plan | None]:
        """Returns the current plan's file and, when it loads without problems, its model: each
        file is read and hashed once (7 MB took 44 ms)."""
        seen = []
        for path in reversed(self.plan_paths().values()):
            status, plan = self._status_of(path, stakeholder_ids)
            if status != PlanStatus.DRAFT.value:
                return path, plan
            seen.append((path, plan))
        return seen[0]

    def _status_of(self, path: Path, stakeholder_ids) -> tuple[str | None, Plan | None]:
        """Returns plan.status as written and the model, or (status, None) when the file has
        problems (an invalid plan may still say plainly that it is a draft)."""
        try:
            plan = self.load_plan_file(path, stakeholder_ids)
            return plan.plan.status.value, plan
        except InvalidFileError:
            pass
        except WorkplanError:
            return None, None
        try:
            raw = _load().parse_raw(self.read(path), display_path(path))
        except WorkplanError:
            return None, None
        meta = raw.get("plan") if isinstance(raw, dict) else None
        return (meta.get("status") if isinstance(meta, dict) else None), None

    def validate(self) -> list[Problem]:
        """Returns every problem of every plan file and of the stakeholders file."""
        problems: list[Problem] = []
        ids = None
        try:
            ids = set(self.load_stakeholders().by_id())
        except InvalidFileError as e:
            problems += e.problems
        except WorkplanError as e:
            problems.append(Problem(display_path(self.stakeholders_path), str(e)))
        for path in self.plan_paths().values():
            try:
                self.load_plan_file(path, ids)
            except InvalidFileError as e:
                problems += e.problems
        return problems


# --- Plan sides for `workplan diff`: a version, a file, or GITREV:VERSION -----------------------

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
    from workplan_cli import gitio

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
