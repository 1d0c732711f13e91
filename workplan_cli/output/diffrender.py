"""A plan diff as an outline, plain text, Markdown and JSON (pure functions returning values)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from workplan_cli.diff.plans import (
    ADDED,
    CHANGED,
    MOVED,
    REMOVED,
    EntryChange,
    FieldChange,
    ObjectiveChange,
    PlanDiff,
    Word,
)
from workplan_cli.output import agreementtext
from workplan_cli.output.inert import one_line
from workplan_cli.output.markdown import md_inline as md_escape
from workplan_cli.plan import fields
from workplan_cli.plan.model import Activity
from workplan_cli.plan.query import one_or_list
from workplan_cli.plan.schedule import date_words
from workplan_cli.plan.spec import DATE

JSON_FORMAT = 1  # bump when the JSON shape changes in a way that breaks readers

MARKS = {ADDED: "+", REMOVED: "-", MOVED: ">", CHANGED: "~"}
WORDS_OF_MARKS = {v: k for k, v in MARKS.items()}
LONG_TEXT = 8  # words: longer values are shown as a word diff, shorter as "old -> new"


class SideLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def plan(self) -> Any: ...


@dataclass
class Node:
    """One line of the outline: a mark (+ - > ~, or space for a container), a label, an optional
    word diff shown after the label, and the nodes below it."""

    mark: str
    label: str
    words: list[Word] | None = None
    children: list[Node] = field(default_factory=list)


# --- outline ---------------------------------------------------------------------------------


def outline(diff: PlanDiff) -> list[Node]:
    """Returns the diff as a tree: metadata, stakeholders, then areas > topics > activities."""
    nodes = []
    if diff.metadata:
        nodes.append(Node(" ", "Plan metadata", children=[field_node(f) for f in diff.metadata]))
    if diff.stakeholders:
        people = [
            Node(MARKS[s.change], f"{s.id}  {s.name}", children=[field_node(f) for f in s.fields])
            for s in diff.stakeholders
        ]
        nodes.append(Node(" ", "Stakeholders", children=people))
    nodes += _area_nodes(diff)
    return nodes


def _area_nodes(diff: PlanDiff) -> list[Node]:
    areas = {e.id: e for e in diff.areas}
    topics = {e.id: e for e in diff.topics}
    area_order = _ordered([e.id for e in diff.areas], [e.area for e in diff.topics])
    area_order = _ordered(area_order, [e.area for e in diff.activities + diff.indicators])
    out = []
    for area_id in sorted(area_order, key=_id_key):
        node = _entry_node(areas.get(area_id), "Area", area_id, diff.titles)
        topic_ids = [e.id for e in diff.topics if e.area == area_id]
        below = diff.activities + diff.indicators
        topic_ids = _ordered(topic_ids, [e.parent for e in below if e.area == area_id])
        for topic_id in sorted(topic_ids, key=_id_key):
            child = _entry_node(topics.get(topic_id), "Topic", topic_id, diff.titles)
            child.children += [_activity_node(e) for e in diff.activities if e.parent == topic_id]
            child.children += [_indicator_node(e) for e in diff.indicators if e.parent == topic_id]
            node.children.append(child)
        out.append(node)
    return out


def _ordered(first: list, more: list) -> list:
    out: list = []
    for x in [*first, *more]:
        if x not in out:
            out.append(x)
    return out


def _id_key(ident: str) -> tuple[int, ...]:
    return tuple(int(p) for p in ident.split("."))


def _entry_node(entry: EntryChange | None, what: str, ident: str, titles: dict) -> Node:
    if entry is None:
        return Node(" ", f"{what} {ident}  {titles.get(ident, '')}".rstrip())
    node = Node(MARKS[entry.change], f"{what} {ident}  {entry.title}{_moved(entry)}")
    node.children += [field_node(f) for f in entry.fields]
    node.children += [objective_node(o) for o in entry.objectives]
    return node


def _moved(entry: EntryChange) -> str:
    if entry.change != MOVED:
        return ""
    if entry.renumbered:
        return f"  (renumbered from {entry.old_id})"
    where = "area" if entry.level == "topic" else "topic"
    return f"  (moved from {entry.old_id} in {where} {entry.old_parent})"


def _activity_node(entry: EntryChange) -> Node:
    node = Node(MARKS[entry.change], f"{entry.id}  {entry.title}{_moved(entry)}")
    if entry.change == ADDED:  # what it holds, not a change of each field
        node.children += [Node(" ", f"{f.field}: {value_text(f.new)}") for f in entry.fields]
    else:
        node.children += [field_node(f) for f in entry.fields]
    return node


def _indicator_node(entry: EntryChange) -> Node:
    """Returns an indicator added, removed, moved or changed, its changes in plain words."""
    from workplan_cli.output.resultwords import entry_lines

    node = Node(MARKS[entry.change], f"indicator {entry.id}  {entry.title}{_moved(entry)}")
    node.children += [Node(mark, text) for mark, text in entry_lines(entry.change, entry.fields)]
    return node


def objective_node(change: ObjectiveChange) -> Node:
    """Returns one objective added, removed, or reworded (as a word diff)."""
    if change.change == CHANGED:
        return Node("~", "objective:", words=change.words)
    return Node(MARKS[change.change], f"objective: {change.new or change.old}")


# An activity's dates change in words: "end moved from 2025-03-31 to 2025-06-30".
DATE_FIELDS = frozenset(f.key for f in fields.of_kind(Activity, DATE))


def field_node(change: FieldChange) -> Node:
    """Returns one changed field: a word diff for long text, items for lists, an activity's
    dates in words, else old -> new."""
    if change.field in DATE_FIELDS:
        return Node("~", date_words(change.field, change.old, change.new))
    if change.field == "signed":  # the plan's signing, as the event it is
        old, new = agreementtext.signing_text(change.old), agreementtext.signing_text(change.new)
        return Node("~", f"signed: {old} → {new}")
    if change.field == "approvals" and change.added is not None:
        nodes = [Node("+", agreementtext.approval_text(x)) for x in change.added]
        nodes += [Node("-", agreementtext.approval_text(x)) for x in change.removed or []]
        return Node("~", "approvals:", children=nodes)
    if change.words is not None and _long(change):
        return Node("~", f"{change.field}:", words=change.words)
    if change.added is not None and change.removed is not None:
        items = change.added + change.removed
        if items and all(isinstance(x, dict) for x in items):  # history entries: one a line
            nodes = [Node("+", value_text(x)) for x in change.added]
            nodes += [Node("-", value_text(x)) for x in change.removed]
            return Node("~", f"{change.field}:", children=nodes)
        parts = [f"+{value_text(x)}" for x in change.added]
        parts += [f"-{value_text(x)}" for x in change.removed]
        if parts:
            return Node("~", f"{change.field}: {' '.join(parts)}")
        return Node("~", f"{change.field}: reordered to {value_text(change.new)}")
    return Node("~", f"{change.field}: {value_text(change.old)} → {value_text(change.new)}")


def _long(change: FieldChange) -> bool:
    return max(len(str(change.old).split()), len(str(change.new).split())) > LONG_TEXT


def entry_text(entry: dict) -> str:
    """Returns a history entry without its date: 'planned → completed by X: note (evidence: ..)'."""
    text = f"{entry.get('from') or '?'} → {entry.get('to')}"
    if entry.get("by"):
        text += f" by {entry['by']}"
    if entry.get("note"):
        text += f": {value_text(entry['note'])}"
    if entry.get("evidence"):
        text += f" (evidence: {value_text(entry['evidence'])})"
    return text


def value_text(value: Any) -> str:
    """Returns a value as one line: '(none)' for nothing, history entries as 'date from -> to'."""
    if value is None or value == [] or value == {}:
        return "(none)"
    if isinstance(value, dict):
        if "to" in value and "date" in value:
            return f"{value['date']} {entry_text(value)}"
        return ", ".join(f"{k}: {value_text(v)}" for k, v in value.items() if v not in (None, []))
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value)
    return " ".join(str(value).split())


# --- plain text ------------------------------------------------------------------------------


def summary_lines(diff: PlanDiff) -> list[str]:
    """Returns one line a level that changed, e.g. 'activities: 1 added, 4 moved'."""
    out = []
    for level, counts in diff.counts().items():
        parts = [f"{n} {change}" for change, n in counts.items() if n]
        if parts:
            out.append(f"{level}: {', '.join(parts)}")
    return out


def heading(diff: PlanDiff, old: SideLike, new: SideLike) -> str:
    text = f"Comparing {old.name} ({old.source}) with {new.name} ({new.source})"
    narrowed = [f"{what} {' or '.join(ids)}" for what, ids in _narrowing(diff) if ids]
    return text + (f", only {' and '.join(narrowed)}" if narrowed else "")


def to_text(diff: PlanDiff, old: SideLike, new: SideLike) -> str:
    """Returns the diff as indented plain text; word diffs as [-removed-]{+added+}. Each line
    is one inert line: plan text cannot start another or act on a terminal."""
    lines = [one_line(heading(diff, old, new)), ""]
    if diff.empty:
        return "\n".join([*lines, "No differences."]) + "\n"
    agreement = agreementtext.line(old, new)
    lines += [*summary_lines(diff), *([one_line(agreement)] if agreement else []), ""]

    def walk(node: Node, depth: int) -> None:
        lines.append("  " * depth + plain_label(node))
        for child in node.children:
            walk(child, depth + 1)

    for node in outline(diff):
        walk(node, 0)
    return "\n".join(lines) + "\n"


def _plain_words(words: list[Word] | None) -> str:
    if not words:
        return ""
    runs = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return " " + " ".join(runs[w.op].format(w.text) for w in shorten(words))


CONTEXT = 6  # words kept on each side of a change; longer unchanged runs are cut with "…"


def shorten(words: list[Word]) -> list[Word]:
    """Returns the word diff with long unchanged runs cut down to the words next to a change."""
    out = []
    for i, w in enumerate(words):
        parts = w.text.split()
        if w.op != "=" or len(parts) <= 2 * CONTEXT + 1:
            out.append(w)
            continue
        head = parts[:CONTEXT] if i > 0 else []
        tail = parts[-CONTEXT:] if i < len(words) - 1 else []
        out.append(Word("=", " ".join([*head, "…", *tail])))
    return out


# --- Markdown --------------------------------------------------------------------------------


def to_markdown(diff: PlanDiff, old: SideLike, new: SideLike) -> str:
    """Returns a pull-request comment: a table of counts, then the details as nested lists."""
    title = f"## Work plan changes: {md_escape(old.name)} → {md_escape(new.name)}"
    lines = [title, "", md_escape(heading(diff, old, new)) + ".", ""]
    if diff.empty:
        return "\n".join([*lines, "No differences."]) + "\n"
    agreement = agreementtext.line(old, new)
    if agreement:
        lines += [md_escape(agreement[0].upper() + agreement[1:]) + ".", ""]
    lines += ["| | Added | Removed | Moved | Changed |", "|---|---:|---:|---:|---:|"]
    for level, counts in diff.counts().items():
        cells = " | ".join(str(n) for n in counts.values())
        lines.append(f"| {level.capitalize()} | {cells} |")
    for node in outline(diff):
        lines += ["", f"### {_md_label(node)}", ""]
        for child in node.children:
            _md_walk(child, 0, lines)
    return "\n".join(lines) + "\n"


def _md_label(node: Node) -> str:
    mark = WORDS_OF_MARKS.get(node.mark)
    text = md_escape(node.label) + _md_words(node.words)
    return f"**{mark}** {text}" if mark else text


def _md_words(words: list[Word] | None) -> str:
    if not words:
        return ""
    runs = {"=": "{}", "-": "~~{}~~", "+": "**{}**"}
    return " " + " ".join(runs[w.op].format(md_escape(w.text)) for w in shorten(words))


def _md_walk(node: Node, depth: int, lines: list[str]) -> None:
    lines.append("  " * depth + f"- {_md_label(node)}")
    for child in node.children:
        _md_walk(child, depth + 1, lines)


# --- JSON ------------------------------------------------------------------------------------


def to_json(diff: PlanDiff, old: SideLike, new: SideLike) -> dict:
    """Returns the documented JSON shape (see docs/git-review.md, `workplan diff`)."""
    return {
        "format": JSON_FORMAT,
        "old": _side(old),
        "new": _side(new),
        "filters": {what: one_or_list(ids) for what, ids in _narrowing(diff)},
        "identical": diff.empty,
        "summary": diff.counts(),
        "metadata": [_field(f) for f in diff.metadata],
        "stakeholders": [
            {
                "change": s.change,
                "id": s.id,
                "name": s.name,
                "fields": [_field(f) for f in s.fields],
            }
            for s in diff.stakeholders
        ],
        "areas": [_entry(e) for e in diff.areas],
        "topics": [_entry(e) for e in diff.topics],
        "activities": [_entry(e) for e in diff.activities],
        # only when indicators changed: a diff of plans without them keeps its shape
        **({"indicators": [_entry(e) for e in diff.indicators]} if diff.indicators else {}),
    }


def _side(side: SideLike) -> dict:
    meta = side.plan.plan
    return {
        "name": side.name,
        "source": side.source,
        "version": meta.version,
        "status": meta.status.value,
        "agreement": agreementtext.side_events(side),
    }


def _entry(entry: EntryChange) -> dict:
    out: dict[str, Any] = {
        "change": entry.change,
        "id": entry.id,
        "old_id": entry.old_id,
        "title": entry.title,
    }
    if entry.level != "area":
        parent = "area" if entry.level == "topic" else "topic"
        out[parent] = entry.parent
        out[f"old_{parent}"] = entry.old_parent
    out["fields"] = [_field(f) for f in entry.fields]
    if entry.level == "topic":
        out["objectives"] = [
            {"change": o.change, "old": o.old, "new": o.new, "words": _words(o.words)}
            for o in entry.objectives
        ]
    return out


def _field(change: FieldChange) -> dict:
    return {
        "field": change.field,
        "old": change.old,
        "new": change.new,
        "words": _words(change.words),
        "added": change.added,
        "removed": change.removed,
    }


def _words(words: list[Word] | None) -> list[dict] | None:
    return None if words is None else [{"op": w.op, "text": w.text} for w in words]


# --- Pieces that `workplan review` reuses (issue 6) -------------------------------------------


def markdown_list(nodes: list[Node]) -> list[str]:
    """Returns outline nodes as the lines of a nested Markdown list."""
    lines: list[str] = []
    for node in nodes:
        _md_walk(node, 0, lines)
    return lines


def field_json(change: FieldChange) -> dict:
    """Returns one changed field in the documented JSON shape (FIELD)."""
    return _field(change)


def plain_label(node: Node) -> str:
    """Returns one outline node as one inert line of text: mark, label, word diff as
    [-old-]{+new+}."""
    label = node.label if node.mark == " " else f"{node.mark} {node.label}"
    return one_line(f"{label}{_plain_words(node.words)}".rstrip())


def _narrowing(diff: PlanDiff) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Returns the narrowing applied: ("area", ids) and ("topic", ids), empty when none."""
    return ("area", diff.area), ("topic", diff.topic)
