"""Finds the plan repository and reads its files into validated models."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from workplan_cli import fileio
from workplan_cli.errors import (
    InvalidFileError,
    Problem,
    RepoNotFoundError,
    UnknownPlanError,
    WorkplanError,
)
from workplan_cli.plan import cache
from workplan_cli.plan.model import Plan, PlanStatus, StakeholderFile

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
    from workplan_cli.plan import load  # ruamel.yaml and pydantic: only when something is parsed

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


def check_output(output: Path, repo: Repo | None = None) -> None:
    """Refuses an output file (of export, report, schema, review ...) that is, links to, or
    would become a plan file or the stakeholders file of a plan repository: the repository
    in use, and the ones that hold the output's folder or the current folder."""
    target = Path(os.path.realpath(output))
    repos = [repo] if repo is not None else []
    for start in (target.parent, Path.cwd()):
        with contextlib.suppress(WorkplanError, OSError):
            repos.append(find_repo(start=start))
    try:
        target_stat = os.stat(target)
    except OSError:
        target_stat = None
    for each in repos:
        try:
            data_dir = Path(os.path.realpath(each.data_dir))
            protected = [*each.plan_paths().values(), each.stakeholders_path]
        except OSError:
            continue
        for path in protected:
            real = Path(os.path.realpath(path))
            try:
                same = target_stat is not None and os.path.samestat(os.stat(real), target_stat)
            except OSError:
                same = False
            if real == target or same:
                raise WorkplanError(
                    f"{display_path(output)} is the repository's {display_path(path)}; "
                    "refusing to write output over a plan or stakeholders file; nothing was "
                    "written (choose another file for -o)"
                )
        if target.parent == data_dir and (
            PLAN_FILE.fullmatch(target.name) or target.name == STAKEHOLDERS_FILE
        ):
            raise WorkplanError(
                f"{display_path(output)} would be read as a plan or stakeholders file of the "
                f"repository; nothing was written (choose another file for -o)"
            )


def write_output(output: Path, data: bytes, repo: Repo | None = None) -> None:
    """Writes a command's output file atomically, never over a plan or stakeholders file."""
    from workplan_cli import fileio

    check_output(output, repo)
    fileio.write_atomic(output, data)


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

    def validate(self, today: dt.date | None = None, explain=None) -> list[Problem]:
        """Returns every problem of every plan file and of the stakeholders file; with `today`,
        a history entry dated after it is one too. `explain(path, plan)` may say, per digest of
        an approval of an earlier text, what changed since (git/agreement.py)."""
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
                plan = self.load_plan_file(path, ids)
            except InvalidFileError as e:
                problems += e.problems
                continue
            if today is not None:
                problems += _load().future_problems(
                    plan, self.read(path), display_path(path), today
                )
            problems += _load().agreement_problems(
                plan, self.read(path), display_path(path), explain(path, plan) if explain else None
            )
        return problems
