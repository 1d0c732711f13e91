"""A plan or stakeholders file as one line a field, so that git's line diff reads as a plan diff.

`git diff` runs `workplan textconv FILE` on both sides (see gitsetup.py) and diffs the two
texts. Every line names what it belongs to (`1.3.2 status: planned`), so each changed line of
git's output says by itself which activity and field changed.
"""

from __future__ import annotations

from typing import Any

from workplan_cli.errors import WorkplanError
from workplan_cli.output.diffrender import value_text
from workplan_cli.plan import fields, store
from workplan_cli.plan.fields import to_plain
from workplan_cli.plan.model import Plan, StakeholderFile
from workplan_cli.plan.spec import ENTRIES, LIST, TITLE


def render(data: bytes, name: str) -> bytes:
    """Returns the one-line-a-field text of a plan or stakeholders file, or `data` unchanged
    when it is neither (an invalid file still shows, as it is)."""
    parsers = [_plan_text, _stakeholders_text]
    if name.endswith(store.STAKEHOLDERS_FILE):
        parsers.reverse()
    for parse in parsers:
        try:
            return parse(data, name).encode("utf-8")
        except WorkplanError:
            continue
    return data


def _plan_text(data: bytes, name: str) -> str:
    return "\n".join(plan_lines(store.parse_plan(data, name))) + "\n"


def _stakeholders_text(data: bytes, name: str) -> str:
    return "\n".join(stakeholder_lines(store.parse_stakeholders(data, name))) + "\n"


def plan_lines(plan: Plan) -> list[str]:
    """Returns the plan as `key: value` lines: metadata, then areas, topics, activities and
    indicators."""
    lines = [f"schema_version: {plan.schema_version}"]
    lines += _flat("plan", to_plain(plan.plan, by_alias=True))
    for area in plan.areas:
        lines.append(f"{area.id} area: {value_text(area.title)}")
        for topic in area.topics:
            lines.append(f"{topic.id} topic: {value_text(topic.title)}")
            lines += [f"{topic.id} objective: {value_text(o)}" for o in topic.objectives]
            for activity in topic.activities:
                lines += _activity_lines(activity)
            for indicator in topic.indicators:  # the same way: `1.3-a targets: ...`
                lines += _activity_lines(indicator)
    return lines


def _activity_lines(activity) -> list[str]:
    lines = []
    for f in sorted(
        fields.compared(type(activity)), key=lambda f: f.kind != TITLE
    ):  # the title first
        value = to_plain(f.value(activity), by_alias=True)
        if f.kind in (ENTRIES, LIST):  # one line an item
            lines += [f"{activity.id} {f.key}: {value_text(item)}" for item in value]
        elif value not in (None, []) or f.kind == TITLE:
            lines.append(f"{activity.id} {f.key}: {value_text(value)}")
    return lines


def stakeholder_lines(file: StakeholderFile) -> list[str]:
    """Returns the stakeholders as `id field: value` lines."""
    lines = [f"schema_version: {file.schema_version}"]
    for person in file.stakeholders:
        plain = to_plain(person, by_alias=True)
        lines += [f"{person.id} {k}: {value_text(v)}" for k, v in plain.items() if k != "id" and v]
    return lines


def _flat(prefix: str, value: Any) -> list[str]:
    """Returns nested metadata as dotted `key: value` lines; a list of texts one line an item."""
    if isinstance(value, dict):
        return [
            line
            for k, v in value.items()
            if v not in (None, [])
            for line in _flat(f"{prefix}.{k}", v)
        ]
    if isinstance(value, list) and any(len(str(v).split()) > 3 for v in value):
        return [f"{prefix}: {value_text(v)}" for v in value]
    return [f"{prefix}: {value_text(value)}"]
