"""Each fast path of workplan_cli/fast.py gives what its plain path gives, on generated input;
and the reason ruamel.yaml is bounded (yamlio/reading.py's resolver) still holds."""

from __future__ import annotations

import dataclasses
import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.resolver import VersionedResolver

from tests.conftest import DATA
from workplan_cli import fast, yamlio
from workplan_cli.plan import load
from workplan_cli.plan.fields import to_plain
from workplan_cli.plan.model import Plan
from workplan_cli.plan.snapshot import from_plain
from workplan_cli.yamlio import Plain
from workplan_cli.yamlio.reading import _RULES

PLAN = (DATA / "workplan-2024.yaml").read_bytes()
PLAN_TEXT = PLAN.decode()
PLAN_DATA = yamlio.parse(PLAN_TEXT)
# Reproducible in CI: the same examples every run, no example database.
SAME = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],  # a loaded machine is no failure
)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)

# --- filler: a model filled through its __dict__ is the model its constructor makes ----------


def built_plainly(value):
    """The plain path: every model made again by calling its class with its fields."""
    if isinstance(value, list):
        return [built_plainly(v) for v in value]
    if dataclasses.is_dataclass(value):
        fields = {f.name: built_plainly(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return type(value)(**fields)
    return value


def same_models(fast_built, plain_built) -> None:
    assert type(fast_built) is type(plain_built)
    if isinstance(plain_built, list):
        assert len(fast_built) == len(plain_built)
        for a, b in zip(fast_built, plain_built, strict=True):
            same_models(a, b)
    elif dataclasses.is_dataclass(plain_built):
        assert vars(fast_built) == vars(plain_built)
        assert list(vars(fast_built)) == list(vars(plain_built))  # the same order too
        assert fast_built == plain_built
        assert repr(fast_built) == repr(plain_built)
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast_built.x = 1
        for name, value in vars(plain_built).items():
            same_models(getattr(fast_built, name), value)
    else:
        assert fast_built == plain_built


STATUSES = st.sampled_from(["planned", "in-progress", "completed", "postponed", "cancelled"])
CHANGES = st.lists(
    st.tuples(
        st.integers(0, 16),
        STATUSES,
        st.text(string.ascii_letters + " äß-", min_size=1, max_size=20),
        st.booleans(),
    ),
    max_size=4,
)


def _changed(changes) -> bytes:
    """The shipped plan with some activities retitled, their status set and a history added."""
    data = json.loads(json.dumps(PLAN_DATA))
    activities = [a for area in data["areas"] for t in area["topics"] for a in t["activities"]]
    for i, status, title, dated in changes:
        activity = activities[i % len(activities)]
        title = title.strip() or "t"
        activity["title"] = title
        if dated:  # the status changes only with its history entry, as the checks demand
            activity["status"] = status
            activity.setdefault("history", []).append(
                {"date": "2024-10-12", "to": status, "note": title, "evidence": [title]}
            )
    return json.dumps(data, ensure_ascii=False).encode()  # JSON is YAML


@settings(SAME, max_examples=15)
@given(CHANGES)
def test_the_cache_fill_gives_the_models_their_constructors_give(changes):
    plan = load.parse_plan(_changed(changes), "p.yaml")
    filled = from_plain(Plan, json.loads(json.dumps(to_plain(plan))))
    same_models(filled, built_plainly(plan))


def test_the_fill_refuses_a_class_whose_init_does_more():
    @dataclasses.dataclass(frozen=True)
    class Checked:
        a: int

        def __post_init__(self):
            pass

    @dataclasses.dataclass(frozen=True, slots=True)
    class Slotted:
        a: int

    for kind in (Checked, Slotted):
        with pytest.raises(TypeError, match="skips __init__"):
            fast.filler(kind)


# --- ScalarTags: the tag by first character and remembered is the tag of every rule in turn ---

NUMBERISH = st.text("0123456789+-._eExXoOabcdefABCDEFinfINFnaNN", max_size=12)
WORDS = st.sampled_from(["true", "True", "FALSE", "null", "~", "Null", "yes", "no", "on", ""])
DEFAULT = object()


@SAME
@given(st.lists(st.one_of(NUMBERISH, WORDS, TEXT), max_size=20))
def test_the_remembered_tag_is_the_tag_of_every_rule_in_turn(values):
    tags = fast.ScalarTags(_RULES, DEFAULT)
    for value in values * 2:  # the second time from memory
        assert tags.tag(value) == fast.plain_tag(_RULES, DEFAULT, value), value


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        *[("12", "int"), ("-1.5e3", "float"), (".inf", "float"), ("true", "bool"), ("~", "null")],
        *[("2_024", None), ("0b101", None), ("yes", None), ("=", None), ("1.3.2", None)],
    ],
)
def test_the_rules_are_yaml_1_2_core(value, tag):
    found = fast.ScalarTags(_RULES, DEFAULT).tag(value)
    assert (None if found is DEFAULT else found.suffix) == (tag and f"tag:yaml.org,2002:{tag}")


def test_ruamels_own_resolver_still_looks_the_version_up_for_every_scalar(monkeypatch):
    """The reason yamlio/reading.py overrides the resolver and pyproject.toml bounds ruamel.yaml.
    When this fails, time composing with ruamel's own resolver (fast.py says how it compared):
    if it is about as fast, drop reading._Resolver and the bound."""
    looked_up = []
    version = VersionedResolver.processing_version  # a property of ruamel's public class

    def counted(self):
        looked_up.append(1)
        return version.fget(self)

    monkeypatch.setattr(VersionedResolver, "processing_version", property(counted))
    YAML(typ="safe").compose("\n".join(f"k{i}: v{i}" for i in range(100)))
    assert len(looked_up) >= 200  # every key and value


# --- splice_item: one item spliced alone gives the bytes of the whole file spliced -----------

ITEM = st.fixed_dictionaries(
    {
        "id": st.from_regex(r"[1-3]\.[1-3]\.[1-9]", fullmatch=True),
        "quote": st.sampled_from(['"', "'", ""]),
        "comment": st.sampled_from(["", "  # c", " #"]),
        "status": st.sampled_from(["planned", '"planned"', "[a, b]", "{}"]),
        "history": st.sampled_from([None, "[]", "block"]),
        "blank": st.booleans(),
    }
)


def _document(items, indent: int, tail: str) -> str:
    lines = ["schema_version: 1", "activities:"]
    pad = " " * indent
    for item in items:
        q = item["quote"]
        lines.append(f"{pad}- id: {q}{item['id']}{q}{item['comment']}")
        lines.append(f"{pad}  status: {item['status']}")
        if item["history"] == "[]":
            lines.append(f"{pad}  history: []")
        elif item["history"] == "block":
            lines += [f"{pad}  history:", f"{pad}    - date: 2024-01-01", f"{pad}      to: planned"]
        if item["blank"]:
            lines += ["", f"{pad}  # a comment"]
    return "\n".join(lines) + "\n" + tail


@SAME
@given(
    st.lists(ITEM, min_size=1, max_size=5),
    st.sampled_from([0, 2, 4]),
    st.sampled_from(["", "next: 1\n", "# end\n"]),
    st.integers(0, 4),
    TEXT,
)
def test_an_item_spliced_alone_gives_the_bytes_of_the_whole_splice(items, indent, tail, i, note):
    text = _document(items, indent, tail)
    at = i % len(items)
    ident = items[at]["id"]
    entry = [("date", Plain("2024-10-12")), ("to", Plain("completed")), ("note", note)]
    try:
        whole = yamlio.splice(
            text,
            scalars=[(("activities", at, "status"), "completed")],
            items=[(("activities", at, "history"), entry)],
        )
    except yamlio.SpliceError:
        whole = None
    alone = yamlio.splice_item(
        text, "activities", "id", ident, [(("status",), "completed")], [(("history",), entry)]
    )
    assert alone in (None, whole)
    unique = [item["id"] for item in items].count(ident) == 1
    if whole is not None and unique and "[" not in items[at]["status"]:
        assert alone == whole  # a plain item is taken alone


def test_the_shipped_plans_items_are_all_spliced_alone():
    for area in PLAN_DATA["areas"]:
        for topic in area["topics"]:
            for activity in topic["activities"]:
                assert fast._item_region(PLAN_TEXT, "activities", "id", activity["id"])
