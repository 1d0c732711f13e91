"""Starts the next revision of a plan as a text splice that keeps the old file's comments."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from workplan_cli import yamlio
from workplan_cli.errors import WorkplanError
from workplan_cli.plan.model import Plan, Status


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
