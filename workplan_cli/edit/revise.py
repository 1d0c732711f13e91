"""Starts the next revision of a plan as a text splice that keeps the old file's comments."""

from __future__ import annotations

import copy
import itertools
import json
from dataclasses import dataclass
from typing import Any

from workplan_cli import yamlio
from workplan_cli.errors import WorkplanError
from workplan_cli.plan.model import Plan, Status

Edit = tuple[int, int, str]  # replace text[start:end] with the string
Marks = tuple[int | None, int, int]  # (key start, value start, value end); no key in a list


def _key_start(marks: Marks) -> int:
    """The key's start of a mapping value's marks (a value in a mapping always has its key)."""
    if marks[0] is None:
        raise WorkplanError("expected a key in a mapping, found a list item")
    return marks[0]


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
    version, status draft, supersedes, note, no signing, left-out activities (with the comments
    just above them) removed. Everything else, comments included, stays byte for byte.
    """
    if new_version == plan.version:
        raise WorkplanError(f"the new version must differ from the old one ({new_version!r})")
    dropped = [ref.activity.id for ref in plan.activities() if options.drops(ref.activity.status)]
    edits = _metadata_edits(text, plan, new_version) + _activity_edits(text, plan, options)
    new_text = _apply(text, edits)
    _check(text, new_text, plan, new_version, options)
    return new_text, dropped


def _apply(text: str, edits: list[Edit]) -> str:
    edits = sorted(edits, key=lambda e: (e[0], e[1]))
    for (_, end, _), (start, _, _) in itertools.pairwise(edits):
        if start < end:
            raise WorkplanError("internal: overlapping edits in workplan revise")
    for start, end, replacement in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text


# --- places in the text ----------------------------------------------------------------------


def _line_start(text: str, i: int) -> int:
    return text.rfind("\n", 0, i) + 1


def _next_line(text: str, i: int) -> int:
    """Returns the index just after the end of the line that holds index i."""
    end = text.find("\n", i)
    return len(text) if end < 0 else end + 1


def _owned_start(text: str, i: int) -> int:
    """Returns the start of i's line, moved up over the comment lines right above it."""
    start = _line_start(text, i)
    while start > 0:
        above = _line_start(text, start - 1)
        if not text[above:start].strip().startswith("#"):
            break
        start = above
    return start


def _content_end(text: str, start: int, end: int) -> int:
    """Returns the end (after the newline) of the last line of content in text[start:end],
    leaving out the blank lines and comments that belong to what follows."""
    last = start
    i = _line_start(text, start)
    while i < end:
        nxt = _next_line(text, i)
        line = text[i : min(nxt, end)].strip()  # only the part inside the node
        if (line and not line.startswith("#")) or i <= start:
            last = i
        i = nxt
    return _next_line(text, last)


# --- metadata --------------------------------------------------------------------------------


def _metadata_edits(text: str, plan: Plan, new_version: str) -> list[Edit]:
    meta = plan.plan
    paths = [("plan", "version"), ("plan", "status")]
    paths += [("plan", k) for k in ("signed", "supersedes", "note") if getattr(meta, k) is not None]
    marks = dict(zip(paths, yamlio.node_marks(text, paths), strict=True))
    edits: list[Edit] = []
    _, start, end = marks["plan", "version"]
    edits.append((start, end, json.dumps(new_version)))
    version_key = marks["plan", "version"]
    key_start = _key_start(version_key)
    indent = " " * (key_start - _line_start(text, key_start))
    _, start, end = marks["plan", "status"]
    edits.append((start, end, "draft"))
    if ("plan", "signed") in marks:
        _, start, end = marks["plan", "signed"]
        key = _key_start(marks["plan", "signed"])
        edits.append((_owned_start(text, key), _content_end(text, start, end), ""))
    added = ""
    for name, value in (("supersedes", plan.version), ("note", draft_note(plan.version))):
        if ("plan", name) in marks:
            _, start, end = marks["plan", name]
            stop = _content_end(text, start, end)
            stop -= text[stop - 1 : stop] == "\n"
            edits.append((start, stop, json.dumps(value, ensure_ascii=False)))
        else:
            added += f"{indent}{name}: {json.dumps(value, ensure_ascii=False)}\n"
    if added:
        at = _next_line(text, version_key[2])
        edits.append((at, at, added))
    place = _header_place(text)
    edits.append((place, place, header(plan.version, new_version)))
    return edits


def _header_place(text: str) -> int:
    # An editor's modeline stays the first line.
    return _next_line(text, 0) if text.startswith("# yaml-language-server") else 0


# --- activities ------------------------------------------------------------------------------


def _activity_edits(text: str, plan: Plan, options: ReviseOptions) -> list[Edit]:
    edits: list[Edit] = []
    for a, area in enumerate(plan.areas):
        for t, topic in enumerate(area.topics):
            drop = [i for i, x in enumerate(topic.activities) if options.drops(x.status)]
            if drop:
                loc = ("areas", a, "topics", t, "activities")
                edits += _drop_items(text, loc, len(topic.activities), drop)
    return edits


def _drop_items(text: str, loc: tuple, count: int, drop: list[int]) -> list[Edit]:
    paths = [loc, *((*loc, i) for i in range(count))]
    (list_marks, *items) = yamlio.node_marks(text, paths)
    _, start, end = list_marks
    kept = [i for i in range(count) if i not in drop]
    if not kept:  # every activity goes: the list becomes empty, comments inside it go too
        return [(_key_start(list_marks), _content_end(text, start, end), "activities: []\n")]
    last = kept[-1]
    edits: list[Edit] = []
    for i in drop:
        if i < last:
            edits.append((_owned_start(text, items[i][1]), _owned_start(text, items[i + 1][1]), ""))
    if last < count - 1:  # the run after the last kept item, with the blank lines before it
        end_kept = _content_end(text, items[last][1], items[last][2])
        end_run = _content_end(text, items[-1][1], items[-1][2])
        edits.append((end_kept, end_run, ""))
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
