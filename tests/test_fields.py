"""Every field is declared once (plan/spec.py) and every output derives from that declaration.

The walking tests change each declared field of each model in turn and check that the change
shows in each output; a field that some output forgets fails here, naming the field and the
output. The last tests add a field to a copy of the model and follow it through every output:
adding a field is the model, the data and a test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from enum import Enum
from types import SimpleNamespace, UnionType

import pytest

from tests.conftest import DATA, STAKEHOLDER_IDS
from workplan_cli.diff.plans import diff_plans
from workplan_cli.edit import sheet
from workplan_cli.output import diffrender, exports, i18n, ics, reportdata, views
from workplan_cli.output.report import choose_template, render
from workplan_cli.plan import fields, load, schemas, snapshot
from workplan_cli.plan.model import (
    Activity,
    Area,
    HistoryEntry,
    Plan,
    PlanMeta,
    Stakeholder,
    StakeholderFile,
    Status,
    Topic,
)
from workplan_cli.plan.query import Filters
from workplan_cli.plan.spec import BLOCK, CHILDREN, ID, NUMBER, spec, spec_of

PLAN = load.parse_plan(
    (DATA / "workplan-2024.yaml").read_bytes(), "workplan-2024.yaml", STAKEHOLDER_IDS
)
PEOPLE = load.parse_stakeholders((DATA / "stakeholders.yaml").read_bytes(), "stakeholders.yaml")
ACTIVITY = "1.3.2"
BASE_ENTRY = HistoryEntry(date=dt.date(2024, 5, 2), from_=Status.PLANNED, to=Status.IN_PROGRESS)


def _with_activity(plan: Plan, activity: Activity) -> Plan:
    """Returns the plan with the activity of that id replaced."""
    areas = []
    for area in plan.areas:
        topics = []
        for topic in area.topics:
            kept = [activity if a.id == activity.id else a for a in topic.activities]
            topics.append(dataclasses.replace(topic, activities=kept))
        areas.append(dataclasses.replace(area, topics=topics))
    return dataclasses.replace(plan, areas=areas)


def _base() -> Plan:
    """The shipped plan, its activity 1.3.2 with one history entry (the shipped data has none)."""
    activity = PLAN.find(ACTIVITY).activity
    return _with_activity(PLAN, dataclasses.replace(activity, history=[BASE_ENTRY]))


def changed(hint, current):
    """Returns a value of type `hint` that differs from `current` and stands out in any text."""
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    if typing.get_origin(hint) in (UnionType, typing.Union):
        # a number or a text (an indicator's value): the text, which stands out
        hint = [a for a in typing.get_args(hint) if a is not type(None)][-1]
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint)
        value = [changed(item, None)]
        return value if value != current else value * 2  # a sampled block holds it already
    if isinstance(hint, type) and issubclass(hint, Enum):
        return next(m for m in reversed(list(hint)) if m != current)
    if hint is dt.date:
        return dt.date(2031, 7, 9)
    if hint is int:
        return 99 if current != 99 else 98
    if hint is float:
        return 1234.5
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint, include_extras=True)
        return hint(
            **{
                f.name: changed(hints[f.name], None)
                for f in dataclasses.fields(hint)
                if spec_of(f).kind != CHILDREN
            }
        )
    return "zqxword"


def _changed_field(model, name: str):
    hints = typing.get_type_hints(type(model), include_extras=True)
    return dataclasses.replace(model, **{name: changed(hints[name], getattr(model, name))})


def _markers(value) -> list[str]:
    """Returns texts of which at least one shows where the value is rendered."""
    if isinstance(value, list):
        return [m for v in value for m in _markers(v)]
    if isinstance(value, Enum):
        return [value.value, reportdata.status_label(value.value)]
    if isinstance(value, dt.date):
        return [value.isoformat(), i18n.language("en").date(value)]  # the report's date
    if dataclasses.is_dataclass(value):
        return [m for f in dataclasses.fields(value) for m in _markers(getattr(value, f.name))]
    return [] if value is None else [str(value)]


def _side(name: str, plan: Plan):
    return SimpleNamespace(name=name, source=f"{name}.yaml", plan=plan)


def _markdown(plan: Plan) -> str:
    context = reportdata.build_context(plan, PEOPLE, Filters())
    return render(choose_template("markdown", None, None), context, "markdown")


def _outputs(plan: Plan) -> dict[str, object]:
    """Returns each per-activity output of activity 1.3.2."""
    ref = plan.find(ACTIVITY)
    context = reportdata.build_context(plan, PEOPLE, Filters())
    shown = [a for area in context["areas"] for t in area["topics"] for a in t["activities"]]
    return {
        "show --format json": views.activity_view(ref, full=True),
        "csv": exports.csv_row(ref),
        "xlsx": sheet.row_values(ref),
        "report context": next(a for a in shown if a["id"] == ACTIVITY),
        "report markdown": _markdown(plan),
    }


def _diff(old: Plan, new: Plan, old_people=PEOPLE, new_people=PEOPLE) -> tuple[dict, str]:
    diff = diff_plans(old, new, old_people, new_people)
    a, b = _side("old", old), _side("new", new)
    return diffrender.to_json(diff, a, b), diffrender.to_text(diff, a, b)


def _declared(cls) -> list[str]:
    return [f.name for f in fields.declared(cls) if f.kind not in (ID, CHILDREN)]


def test_every_field_of_every_model_is_declared_with_a_label_and_a_description():
    for cls in fields.MODELS:
        for f in dataclasses.fields(cls):
            s = spec_of(f)  # raises for a field declared without spec()
            assert s.label.strip() and s.help.strip(), f"{cls.__name__}.{f.name}"
            assert "\n" not in s.help, f"{cls.__name__}.{f.name}: the description is one line"


def test_a_field_declared_without_spec_fails_loudly():
    Bare = dataclasses.make_dataclass("Bare", [("budget", float)], frozen=True)
    with pytest.raises(TypeError, match=r"budget.*spec"):
        fields.declared(Bare)


def test_a_fields_label_is_read_from_its_declaration_each_time(monkeypatch):
    from workplan_cli.plan.model import Indicator

    assert fields.label(HistoryEntry, "from") == "From"  # the key, not the attribute from_
    assert fields.label(Indicator, "unit") == "Unit"
    unit = next(f for f in fields.declared(Indicator) if f.key == "unit")
    monkeypatch.setattr(unit.spec, "label", "Counted in")
    assert fields.label(Indicator, "unit") == "Counted in"
    with pytest.raises(KeyError, match="Indicator declares no field 'budget'"):
        fields.label(Indicator, "budget")


def _schemas_of_models() -> dict[type, dict]:
    plan, people = schemas.plan_schema(), schemas.stakeholders_schema()
    found = {Plan: plan, StakeholderFile: people}
    for cls in fields.MODELS:
        for generated in (plan, people):
            if cls.__name__ in generated.get("$defs", {}):
                found[cls] = generated["$defs"][cls.__name__]
    return found


def test_the_schema_describes_every_field_from_its_declaration():
    found = _schemas_of_models()
    assert set(found) == set(fields.MODELS)
    for cls, generated in found.items():
        for f in fields.declared(cls):
            prop = generated["properties"][f.key]
            assert prop["description"] == f.spec.help, f"{cls.__name__}.{f.name}"
            assert prop["title"] == f.label


@pytest.mark.parametrize("name", _declared(Activity))
def test_a_change_to_any_activity_field_shows_in_every_output(name):
    old = _base()
    activity = old.find(ACTIVITY).activity
    new = _with_activity(old, _changed_field(activity, name))
    key = name.rstrip("_")
    data, text = _diff(old, new)
    [entry] = data["activities"]
    assert [f["field"] for f in entry["fields"]] == [key], "diff --format json"
    # "~ title: old → new", or in words: "~ end moved from 2024-05-01 to 2031-07-09"
    assert f"~ {key}:" in text or f"~ {key} " in text, "diff (text)"
    before, after = _outputs(old), _outputs(new)
    for output in before:
        assert before[output] != after[output], f"{output} does not show a change of {name}"
    markers = _markers(getattr(new.find(ACTIVITY).activity, name))
    assert any(m in after["report markdown"] for m in markers), "report markdown"


@pytest.mark.parametrize("name", _declared(HistoryEntry))
def test_a_change_to_any_history_entry_field_shows_in_every_output(name):
    old = _base()
    activity = old.find(ACTIVITY).activity
    entry = _changed_field(activity.history[0], name)
    new = _with_activity(old, dataclasses.replace(activity, history=[entry]))
    data, text = _diff(old, new)
    assert [f["field"] for f in data["activities"][0]["fields"]] == ["history"]
    assert "~ history:" in text
    markers = _markers(getattr(entry, name))
    assert any(m in text for m in markers), f"diff (text) does not show a change of {name}"
    before, after = _outputs(old), _outputs(new)
    history = next(f for f in fields.declared(Activity) if f.name == "history")
    per_activity = [c for c, k in history.spec.last.items() if k == name.rstrip("_")]
    for output in before:
        if output in ("csv", "xlsx") and not per_activity:
            continue  # the CSV and the workbook hold only the last entry's date and note
        assert before[output] != after[output], f"{output} does not show a change of {name}"


@pytest.mark.parametrize(
    "cls, name",
    [(c, n) for c in (Area, Topic) for n in _declared(c)],
)
def test_a_change_to_an_area_or_topic_field_shows_in_diff_and_report(cls, name):
    old = PLAN
    if cls is Area:
        area = _changed_field(old.areas[0], name)
        new = dataclasses.replace(old, areas=[area, *old.areas[1:]])
    else:
        area = old.areas[0]
        topic = _changed_field(area.topics[0], name)
        area = dataclasses.replace(area, topics=[topic, *area.topics[1:]])
        new = dataclasses.replace(old, areas=[area, *old.areas[1:]])
    data, text = _diff(old, new)
    level = "areas" if cls is Area else "topics"
    [entry] = data[level]
    assert entry["fields"] or entry.get("objectives"), f"diff --format json: {name}"
    assert "zqxword" in text, "diff (text)"
    assert "zqxword" in _markdown(new), "report markdown"


@pytest.mark.parametrize(
    "cls, name", [(c, n) for c in (Plan, PlanMeta) for n in _declared(c) if n != "plan"]
)
def test_a_change_to_any_metadata_field_shows_in_diff_and_report_context(cls, name):
    old = PLAN
    if cls is Plan:
        new = _changed_field(old, name)
    else:
        new = dataclasses.replace(old, plan=_changed_field(old.plan, name))
    data, text = _diff(old, new)
    key = name.rstrip("_")
    assert data["metadata"] and all(
        m["field"] == key or m["field"].startswith(key + ".") for m in data["metadata"]
    ), f"diff --format json: {name}"
    assert f"~ {key}" in text, "diff (text)"
    before = reportdata.build_context(old, PEOPLE, Filters())["plan"]
    after = reportdata.build_context(new, PEOPLE, Filters())["plan"]
    if cls is PlanMeta:
        assert before != after, f"report context does not show a change of {name}"


@pytest.mark.parametrize(
    "block, name",
    [
        (f.name, sub)
        for f in fields.of_kind(PlanMeta, BLOCK)
        for sub in _declared(typing.get_args(typing.get_type_hints(PlanMeta)[f.name])[0])
    ],
)
def test_a_change_to_any_field_of_a_metadata_block_shows_in_diff_by_its_dotted_name(block, name):
    old = PLAN
    hints = typing.get_type_hints(PlanMeta)
    (cls,) = [a for a in typing.get_args(hints[block]) if a is not type(None)]
    current = getattr(old.plan, block) or _sample(cls)
    old = dataclasses.replace(old, plan=dataclasses.replace(old.plan, **{block: current}))
    new = dataclasses.replace(
        old, plan=dataclasses.replace(old.plan, **{block: _changed_field(current, name)})
    )
    data, text = _diff(old, new)
    assert [m["field"] for m in data["metadata"]] == [f"{block}.{name}"]
    assert f"~ {block}.{name}:" in text
    before = reportdata.build_context(old, PEOPLE, Filters())["plan"]
    assert before != reportdata.build_context(new, PEOPLE, Filters())["plan"]


@pytest.mark.parametrize("name", _declared(Stakeholder))
def test_a_change_to_any_stakeholder_field_shows_in_diff_and_views(name):
    person = PEOPLE.stakeholders[0]
    new_people = dataclasses.replace(
        PEOPLE, stakeholders=[_changed_field(person, name), *PEOPLE.stakeholders[1:]]
    )
    data, text = _diff(PLAN, PLAN, PEOPLE, new_people)
    [change] = data["stakeholders"]
    assert [f["field"] for f in change["fields"]] == [name], "diff --format json"
    assert f"~ {name}:" in text, "diff (text)"
    involvement = {s.id: {"lead": [], "involved": []} for s in PEOPLE.stakeholders}
    before = views.stakeholders_view(PLAN, PEOPLE, involvement)
    after = views.stakeholders_view(PLAN, new_people, involvement)
    assert before != after, "stakeholders --format json"


def test_every_declared_field_type_has_a_cache_builder():
    # snapshot builds every model's builder on import; a type it cannot build fails there.
    for cls in fields.MODELS:
        assert snapshot.from_plain(cls, fields.to_plain(_sample(cls))) == _sample(cls)


def test_a_field_type_without_a_cache_builder_fails_loudly():
    Odd = dataclasses.make_dataclass(
        "Odd", [("tags", set[str], spec("Tags", "Some tags.", default_factory=set))], frozen=True
    )
    with pytest.raises(TypeError, match="cannot build"):
        snapshot.from_plain(Odd, {"tags": []})


def _sample(cls):
    hints = typing.get_type_hints(cls, include_extras=True)
    return cls(**{f.name: changed(hints[f.name], None) for f in dataclasses.fields(cls)})


# --- adding a field -------------------------------------------------------------------------

Budgeted = dataclasses.make_dataclass(
    "Budgeted",
    [
        (
            "budget",
            float | None,
            spec("Budget", "The money set aside, in EUR.", NUMBER, default=None),
        )
    ],
    bases=(Activity,),
    frozen=True,
    kw_only=True,
)


def _budgeted(budget: float | None) -> Plan:
    activity = PLAN.find(ACTIVITY).activity
    values = {f.name: getattr(activity, f.name) for f in dataclasses.fields(Activity)}
    return _with_activity(PLAN, Budgeted(**values, budget=budget))


def test_a_new_field_flows_to_every_output():
    old, new = _budgeted(None), _budgeted(1234.5)
    data, text = _diff(old, new)
    [entry] = data["activities"]
    assert entry["fields"] == [
        {
            "field": "budget",
            "old": None,
            "new": 1234.5,
            "words": None,
            "added": None,
            "removed": None,
        }
    ]
    assert "~ budget: (none) → 1234.5" in text
    ref = new.find(ACTIVITY)
    assert views.activity_view(ref, full=True)["budget"] == 1234.5
    assert exports.csv_row(ref)["budget"] == "1234.5"
    assert "budget" in exports.csv_export([ref]).splitlines()[0].split(",")
    labels = [c.label for c in sheet.columns(Budgeted)]
    assert sheet.row_values(ref)[labels.index("Budget")] == 1234.5
    shown = _outputs(new)["report context"]
    assert shown["budget"] == 1234.5
    assert {"label": "Budget", "kind": NUMBER, "text": "1234.5", "names": None} in shown["facts"]
    assert "- **Budget:** 1234.5\n" in _markdown(new)
    html = render(
        choose_template("html", None, None),
        reportdata.build_context(new, PEOPLE, Filters()),
        "html",
    )
    assert "<dt>Budget</dt><dd>1234.5</dd>" in html
    assert "Budget: 1234.5" in ics._describe(ref)
    assert '"budget": 1234.5' in exports.json_export(new, PEOPLE, [ref], Filters())
    from workplan_cli.cli.show import activity_lines

    assert "Budget:       1234.5" in activity_lines(ref, {})


def test_a_new_float_field_round_trips_through_the_cache():
    activity = _budgeted(1234.5).find(ACTIVITY).activity
    assert snapshot.from_plain(Budgeted, fields.to_plain(activity)) == activity


def test_a_new_field_lands_in_the_schema_with_its_description():
    from pydantic import TypeAdapter

    generated = TypeAdapter(Budgeted).json_schema(by_alias=True)
    assert generated["properties"]["budget"]["description"] == "The money set aside, in EUR."
    assert generated["properties"]["budget"]["title"] == "Budget"
