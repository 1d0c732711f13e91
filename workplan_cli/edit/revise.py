"""Starts the next revision of a plan: a text splice that keeps the old file's comments (pure),
and the new plan file written with it, never over a file that another writer made meanwhile."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workplan_cli import fileio, yamlio
from workplan_cli.errors import WorkplanError
from workplan_cli.plan import load
from workplan_cli.plan.model import Plan, Status
from workplan_cli.plan.store import PLAN_FILE, Repo, display_path, read_bytes


@dataclass(frozen=True)
class ReviseOptions:
    """Which activities the new revision leaves out (the rest are carried over as they are)."""

    drop_completed: bool = False
    drop_cancelled: bool = False

    def drops(self, status: Status) -> bool:
        return (self.drop_completed and status is Status.COMPLETED) or (
            self.drop_cancelled and status is Status.CANCELLED
        )


def draft_note(old_version: str) -> str:
    """Returns the plan.note of a new revision."""
    return (
        f"Draft revision of Work Plan {old_version}, started with `workplan revise`; "
        "not agreed by the parties."
    )


def header(old_version: str, new_version: str) -> str:
    """Returns the comment put at the top of a new revision."""
    return (
        f"# DRAFT revision {new_version} of this Work Plan, started from workplan-{old_version}"
        f".yaml\n# with `workplan revise {old_version} {new_version}`. It is not an agreed plan."
        f" The comments\n# below were carried over from the {old_version} file: edit those that"
        " no longer apply.\n"
    )


def revise_text(
    text: str, plan: Plan, new_version: str, options: ReviseOptions = ReviseOptions()
) -> tuple[str, list[str]]:
    """Returns the text of the new revision and the ids of the activities it leaves out.

    The new text is the old one with only these changes spliced in at the nodes' places:
    version, status draft, supersedes, note, no signing or approvals, left-out activities (with
    the comments just above them) removed. Everything else, comments included, stays byte for byte.
    """
    if new_version == plan.version:
        raise WorkplanError(f"the new version must differ from the old one ({new_version!r})")
    dropped = [ref.activity.id for ref in plan.activities() if options.drops(ref.activity.status)]
    edits = _metadata_edits(text, plan, new_version) + _activity_edits(plan, options)
    try:
        new_text = yamlio.splice(text, edits=edits)
    except yamlio.SpliceError as e:
        raise WorkplanError(f"cannot start the revision in place: {e}") from None
    _check(text, new_text, plan, new_version, options)
    return new_text, dropped


# --- the new plan file --------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where a new revision goes: its version and file, what is there now (absent, or the file
    that `--force` replaces) and, when that file is a signed plan, the notice that replacing it
    changes agreed content."""

    version: str
    path: Path
    before: fileio.Snapshot
    notice: str | None = None


def target(repo: Repo, new_version: str, force: bool = False) -> Target:
    """Returns where revision `new_version` goes; refuses a version that names no plan file, and
    a file that exists unless `force`."""
    path = repo.data_dir / f"workplan-{new_version}.yaml"
    if not PLAN_FILE.fullmatch(path.name):
        raise WorkplanError(f"{new_version!r} is not a plan version like '2025'")
    if path.is_symlink():  # even --force never writes through a link, wherever it leads
        raise WorkplanError(
            f"{display_path(path)} is a link: a new plan is written only as a file of its own "
            "(remove the link first)"
        )
    # What is there now (or that nothing is) is what may be replaced: a file that appears or
    # changes while the revision is made is someone else's, and stays.
    before = fileio.snapshot(path, read_bytes)
    if before.data is None:
        return Target(new_version, path, before)
    if not force:
        raise WorkplanError(f"{display_path(path)} already exists (use --force to replace it)")
    from workplan_cli.edit.sign import amendment_notice  # a plan replaced may be a signed one

    try:
        replaced = load.parse_plan(before.data, display_path(path))
    except WorkplanError:
        return Target(new_version, path, before)
    return Target(new_version, path, before, amendment_notice(replaced))


@dataclass(frozen=True)
class Revision:
    """What `start` wrote: the file, the version it supersedes, how many activities it carried
    over and the ids of those it left out."""

    path: Path
    version: str
    supersedes: str
    kept: int
    dropped: list[str]


def start(repo: Repo, old: str, into: Target, options: ReviseOptions = ReviseOptions()) -> Revision:
    """Writes the revision of plan `old` (a version or a file) into `into`'s file: spliced from
    the old text, validated, then written atomically under the file's lock, only where `into`
    saw it (a new file only if its name is still free; with `--force` only over the file seen).
    """
    from workplan_cli.edit import progress

    source = repo.plan_path(old)
    ids = set(repo.load_stakeholders().by_id())
    plan = repo.load_plan_file(source, ids)
    text = load.decode(read_bytes(source), display_path(source))
    new_text, dropped = revise_text(text, plan, into.version, options)
    data = new_text.encode("utf-8")
    load.parse_plan(data, display_path(into.path), ids)
    progress.create(into.path, data, into.before, like=source)
    kept = sum(1 for _ in plan.activities()) - len(dropped)
    return Revision(into.path, into.version, plan.version, kept, dropped)


# --- metadata --------------------------------------------------------------------------------


def _metadata_edits(text: str, plan: Plan, new_version: str) -> list[yamlio.TextEdit]:
    meta = plan.plan
    edits: list[yamlio.TextEdit] = [
        yamlio.ReplaceValue(("plan", "version"), json.dumps(new_version)),
        yamlio.ReplaceValue(("plan", "status"), "draft"),
    ]
    if meta.signed is not None:
        edits.append(yamlio.RemoveEntry(("plan", "signed")))
    if "approvals" in _keys(text):  # approvals are of the old text: the revision needs its own
        edits.append(yamlio.RemoveEntry(("plan", "approvals")))
    added = []
    for name, value in (("supersedes", plan.version), ("note", draft_note(plan.version))):
        written = json.dumps(value, ensure_ascii=False)
        if getattr(meta, name) is not None:
            edits.append(yamlio.ReplaceValue(("plan", name), written))
        else:
            added.append(f"{name}: {written}")
    if added:
        edits.append(yamlio.InsertAfter(("plan", "version"), tuple(added)))
    edits.append(yamlio.InsertText(_header_place(text), header(plan.version, new_version)))
    return edits


def _keys(text: str) -> set[str]:
    meta = yamlio.parse(text).get("plan")
    return set(meta) if isinstance(meta, dict) else set()


def _header_place(text: str) -> int:
    # An editor's modeline stays the first line.
    if not text.startswith("# yaml-language-server"):
        return 0
    end = text.find("\n")
    return len(text) if end < 0 else end + 1


# --- activities ------------------------------------------------------------------------------


def _activity_edits(plan: Plan, options: ReviseOptions) -> list[yamlio.TextEdit]:
    edits: list[yamlio.TextEdit] = []
    for a, area in enumerate(plan.areas):
        for t, topic in enumerate(area.topics):
            drop = tuple(i for i, x in enumerate(topic.activities) if options.drops(x.status))
            if drop:
                loc = ("areas", a, "topics", t, "activities")
                edits.append(yamlio.RemoveItems(loc, drop))
    return edits


# --- the check -------------------------------------------------------------------------------


def _check(old: str, new: str, plan: Plan, new_version: str, options: ReviseOptions) -> None:
    """Refuses a result whose data is not exactly the old data with the intended changes."""
    expected = _expected(yamlio.parse(old), plan, new_version, options)
    try:
        got = yamlio.parse(new)
    except yamlio.YamlSyntaxError as e:
        raise WorkplanError(f"internal: workplan revise produced invalid YAML ({e})") from None
    if got != expected:
        raise WorkplanError(
            "internal: workplan revise could not keep the file's layout for this plan; "
            "please report it"
        )


def _expected(data: Any, plan: Plan, new_version: str, options: ReviseOptions) -> Any:
    data = copy.deepcopy(data)
    meta = data["plan"]
    meta.update(version=new_version, status="draft", supersedes=plan.version)
    meta["note"] = draft_note(plan.version)
    meta.pop("signed", None)
    meta.pop("approvals", None)
    for area, raw_area in zip(plan.areas, data["areas"], strict=True):
        for topic, raw_topic in zip(area.topics, raw_area.get("topics") or [], strict=True):
            if "activities" not in raw_topic:
                continue
            raw_topic["activities"] = [
                raw
                for x, raw in zip(topic.activities, raw_topic.get("activities") or [], strict=True)
                if not options.drops(x.status)
            ]
    return data
