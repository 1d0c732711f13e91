"""The pure diff on small models: every kind of change, matched by id or text, never position."""

from __future__ import annotations

import copy
import difflib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from tests.conftest import hang_guard
from workplan_cli.diff import match as diffmatch
from workplan_cli.diff.plans import (
    Word,
    diff_objectives,
    diff_plans,
    field_change,
    narrow,
    word_diff,
)
from workplan_cli.plan.model import Plan, StakeholderFile


def activity(ident: str, text: str, **extra) -> dict:
    return {
        "id": ident,
        "title": f"Title {ident}",
        "text": text,
        "kind": "expert-exchange",
        "status": "planned",
        "lead": ["a"],
        "stakeholders": ["b"],
        **extra,
    }


BASE = {
    "schema_version": 1,
    "plan": {
        "id": "p",
        "title": "Plan",
        "dialogue": "Dialogue",
        "version": "2024",
        "status": "signed",
        "parties": ["a", "b"],
        "signed": {"date": "2024-02-13", "occasion": "a meeting"},
    },
    "areas": [
        {
            "id": "1",
            "title": "Area one",
            "topics": [
                {
                    "id": "1.1",
                    "title": "Topic one",
                    "objectives": ["First objective of topic one.", "Second objective."],
                    "activities": [
                        activity("1.1.1", "Exchange on alpha matters between experts."),
                        activity("1.1.2", "Workshop on beta questions with business."),
                        activity("1.1.3", "Conference on gamma and delta for everyone."),
                    ],
                },
                {
                    "id": "1.2",
                    "title": "Topic two",
                    "objectives": ["Objective of topic two."],
                    "activities": [activity("1.2.1", "Hackathon on epsilon with students.")],
                },
            ],
        },
        {
            "id": "2",
            "title": "Area two",
            "topics": [
                {
                    "id": "2.1",
                    "title": "Topic three",
                    "objectives": ["Objective of topic three."],
                    "activities": [activity("2.1.1", "Exchange on zeta.")],
                },
            ],
        },
    ],
}


def plan(data: dict) -> Plan:
    return TypeAdapter(Plan).validate_python(data)


def edited(edit) -> Plan:
    data = copy.deepcopy(BASE)
    edit(data)
    return plan(data)


def topic(data: dict, ident: str) -> dict:
    return next(t for a in data["areas"] for t in a["topics"] if t["id"] == ident)


def acts(data: dict, topic_id: str) -> list[dict]:
    return topic(data, topic_id)["activities"]


def only(entries):
    assert len(entries) == 1, entries
    return entries[0]


def test_identical_plans_have_no_difference():
    assert diff_plans(plan(BASE), plan(BASE)).empty


def test_rewrapped_text_is_not_a_change():
    def edit(d):
        acts(d, "1.1")[0]["text"] = "Exchange on alpha\n matters   between experts."

    assert diff_plans(plan(BASE), edited(edit)).empty


def test_added_activity():
    new = edited(lambda d: acts(d, "1.2").append(activity("1.2.2", "Brand new activity text.")))
    change = only(diff_plans(plan(BASE), new).activities)
    assert (change.change, change.id, change.parent, change.area) == ("added", "1.2.2", "1.2", "1")
    assert change.old_id is None


def test_removed_activity():
    new = edited(lambda d: acts(d, "1.1").pop(1))
    change = only(diff_plans(plan(BASE), new).activities)
    assert (change.change, change.id, change.parent) == ("removed", "1.1.2", "1.1")


def test_activity_moved_to_another_topic_is_moved_not_removed_and_added():
    def edit(d):
        moved = acts(d, "1.1").pop(2)
        moved["id"] = "2.1.2"
        acts(d, "2.1").append(moved)

    change = only(diff_plans(plan(BASE), edited(edit)).activities)
    assert change.change == "moved"
    assert (change.old_id, change.id) == ("1.1.3", "2.1.2")
    assert (change.old_parent, change.parent) == ("1.1", "2.1")
    assert (change.old_area, change.area) == ("1", "2")
    assert not change.renumbered
    assert change.fields == []


def test_renumbered_chain_matches_by_text_not_by_id():
    def edit(d):
        rows = acts(d, "1.1")
        rows.pop(0)  # 1.1.1 removed; 1.1.2 and 1.1.3 move up
        for i, row in enumerate(rows, start=1):
            row["id"] = f"1.1.{i}"

    changes = diff_plans(plan(BASE), edited(edit)).activities
    summary = [(c.change, c.old_id, c.id) for c in changes]
    assert summary == [
        ("moved", "1.1.2", "1.1.1"),
        ("moved", "1.1.3", "1.1.2"),
        ("removed", None, "1.1.1"),
    ]
    assert changes[0].renumbered


def test_renumbered_and_reworded_matches_by_near_identical_text():
    def edit(d):
        row = acts(d, "1.1").pop(2)
        row["id"] = "1.1.4"
        row["text"] = "Conference on gamma and delta for everyone in 2025."
        acts(d, "1.1").append(row)

    change = only(diff_plans(plan(BASE), edited(edit)).activities)
    assert (change.change, change.old_id, change.id) == ("moved", "1.1.3", "1.1.4")
    text = only(change.fields)
    assert text.field == "text"
    assert text.words[-2:] == [Word("-", "everyone."), Word("+", "everyone in 2025.")]


def test_same_id_with_new_text_is_a_change_of_that_activity():
    def edit(d):
        acts(d, "1.2")[0]["text"] = "Something else entirely, about omega."

    change = only(diff_plans(plan(BASE), edited(edit)).activities)
    assert (change.change, change.id) == ("changed", "1.2.1")
    assert only(change.fields).field == "text"


@pytest.mark.parametrize(
    ("field", "value", "old", "new"),
    [
        ("title", "New title", "Title 1.1.1", "New title"),
        ("kind", "workshop", "expert-exchange", "workshop"),
        ("lead", ["a", "c"], ["a"], ["a", "c"]),
        ("stakeholders", [], ["b"], []),
        ("start", "2025-01-01", None, "2025-01-01"),
        ("end", "2025-12-31", None, "2025-12-31"),
        ("evidence", ["https://example.org/report"], [], ["https://example.org/report"]),
    ],
)
def test_changed_fields(field, value, old, new):
    def edit(d):
        acts(d, "1.1")[0][field] = value

    change = only(diff_plans(plan(BASE), edited(edit)).activities)
    assert (change.change, change.id) == ("changed", "1.1.1")
    assert (only(change.fields).field, only(change.fields).old, only(change.fields).new) == (
        field,
        old,
        new,
    )


def test_list_fields_say_what_was_added_and_removed():
    change = field_change("stakeholders", ["giz", "igf"], ["giz", "academia"])
    assert (change.added, change.removed) == (["academia"], ["igf"])


def test_status_change_with_history():
    def edit(d):
        row = acts(d, "1.2")[0]
        row["status"] = "postponed"
        row["history"] = [{"date": "2024-10-01", "from": "planned", "to": "postponed", "note": "n"}]

    change = only(diff_plans(plan(BASE), edited(edit)).activities)
    fields = {f.field: f for f in change.fields}
    assert set(fields) == {"status", "history"}
    assert (fields["status"].old, fields["status"].new) == ("planned", "postponed")
    entry = {
        "date": "2024-10-01",
        "from": "planned",
        "to": "postponed",
        "note": "n",
        "by": None,
        "evidence": [],
    }
    assert fields["history"].added == [entry]
    assert fields["history"].removed == []


def test_word_diff_keeps_common_words():
    assert word_diff("the Forum 2024 in Kyoto", "the Forum 2025 in Kyoto") == [
        Word("=", "the Forum"),
        Word("-", "2024"),
        Word("+", "2025"),
        Word("=", "in Kyoto"),
    ]


def test_changed_objectives():
    def edit(d):
        t = topic(d, "1.1")
        t["objectives"] = ["First objective of topic one, reworded.", "Second objective.", "Third."]

    change = only(diff_plans(plan(BASE), edited(edit)).topics)
    assert (change.level, change.change, change.id) == ("topic", "changed", "1.1")
    assert [(o.change, o.new) for o in change.objectives] == [
        ("changed", "First objective of topic one, reworded."),
        ("added", "Third."),
    ]


def test_removed_objective():
    changes = diff_objectives(["One.", "Two."], ["Two."])
    assert [(o.change, o.old) for o in changes] == [("removed", "One.")]


def test_added_and_removed_topic():
    def edit(d):
        d["areas"][1]["topics"].append(
            {"id": "2.2", "title": "New topic", "objectives": ["New objective."]}
        )
        d["areas"][0]["topics"].pop(1)

    changes = diff_plans(plan(BASE), edited(edit)).topics
    assert [(c.change, c.id, c.parent) for c in changes] == [
        ("added", "2.2", "2"),
        ("removed", "1.2", "1"),
    ]


def test_topic_moved_to_another_area():
    def edit(d):
        moved = d["areas"][0]["topics"].pop(1)
        moved["id"] = "2.2"
        moved["activities"][0]["id"] = "2.2.1"
        d["areas"][1]["topics"].append(moved)

    result = diff_plans(plan(BASE), edited(edit))
    change = only(result.topics)
    assert (change.change, change.old_id, change.id, change.old_parent, change.parent) == (
        "moved",
        "1.2",
        "2.2",
        "1",
        "2",
    )
    assert only(result.activities).change == "moved"


def test_changed_renamed_added_area():
    def edit(d):
        d["areas"][0]["title"] = "Area one, renamed"
        d["areas"].append({"id": "3", "title": "Area three"})

    changes = diff_plans(plan(BASE), edited(edit)).areas
    assert [(c.change, c.id) for c in changes] == [("changed", "1"), ("added", "3")]
    assert only(changes[0].fields).field == "title"


def test_metadata_changes_by_dotted_name():
    def edit(d):
        d["plan"].update(version="2025", status="draft", supersedes="2024", note="A draft.")
        del d["plan"]["signed"]

    fields = {f.field: (f.old, f.new) for f in diff_plans(plan(BASE), edited(edit)).metadata}
    assert fields == {
        "version": ("2024", "2025"),
        "status": ("signed", "draft"),
        "signed": (
            {
                "date": "2024-02-13",
                "occasion": "a meeting",
                "by": [],
                "digest": None,
                "recorded_in": None,
            },
            None,
        ),
        "supersedes": (None, "2024"),
        "note": (None, "A draft."),
    }


def test_nested_metadata_field():
    fields = diff_plans(
        plan(BASE), edited(lambda d: d["plan"]["signed"].update(occasion="another"))
    ).metadata
    assert [(f.field, f.old, f.new) for f in fields] == [
        ("signed.occasion", "a meeting", "another")
    ]


def stakeholders(*rows) -> StakeholderFile:
    return TypeAdapter(StakeholderFile).validate_python(
        {
            "schema_version": 1,
            "stakeholders": [
                {"id": i, "name": n, "type": "business", "kind": "group"} for i, n in rows
            ],
        }
    )


def test_added_removed_and_changed_stakeholders():
    old = stakeholders(("a", "A"), ("b", "B"), ("c", "C"))
    new = stakeholders(("a", "A renamed"), ("c", "C"), ("d", "D"))
    changes = diff_plans(plan(BASE), plan(BASE), old, new).stakeholders
    assert [(c.change, c.id) for c in changes] == [
        ("changed", "a"),
        ("added", "d"),
        ("removed", "b"),
    ]
    assert only(changes[0].fields).field == "name"


def test_counts():
    def edit(d):
        acts(d, "1.1").pop(0)
        acts(d, "2.1").append(activity("2.1.2", "New."))
        d["plan"]["status"] = "draft"

    counts = diff_plans(plan(BASE), edited(edit)).counts()
    assert counts["activities"] == {"added": 1, "removed": 1, "moved": 0, "changed": 0}
    assert counts["metadata"]["changed"] == 1


def test_narrow_by_area_and_topic_keeps_moves_on_both_sides():
    def edit(d):
        moved = acts(d, "1.1").pop(2)
        moved["id"] = "2.1.2"
        acts(d, "2.1").append(moved)
        acts(d, "1.2")[0]["kind"] = "workshop"
        d["plan"]["status"] = "draft"

    full = diff_plans(plan(BASE), edited(edit))
    assert [c.id for c in narrow(full, area="2").activities] == ["2.1.2"]
    assert [c.id for c in narrow(full, area="1").activities] == ["1.2.1", "2.1.2"]
    assert [c.id for c in narrow(full, topic="1.2").activities] == ["1.2.1"]
    assert [c.id for c in narrow(full, topic="1.1").activities] == ["2.1.2"]
    assert narrow(full, area="1").metadata == []


def test_added_entries_carry_what_they_hold():
    def edit(d):
        d["areas"][1]["topics"].append(
            {
                "id": "2.2",
                "title": "New topic",
                "objectives": ["New objective."],
                "activities": [activity("2.2.1", "All new.", start="2025-01-01")],
            }
        )

    result = diff_plans(plan(BASE), edited(edit))
    assert [(o.change, o.new) for o in only(result.topics).objectives] == [
        ("added", "New objective.")
    ]
    fields = {f.field: (f.old, f.new) for f in only(result.activities).fields}
    assert fields == {
        "text": (None, "All new."),
        "kind": (None, "expert-exchange"),
        "status": (None, "planned"),
        "lead": (None, ["a"]),
        "stakeholders": (None, ["b"]),
        "start": (None, "2025-01-01"),
    }


VOCABULARY = [f"{w}{n}" for w in ("digital", "data", "policy", "cyber", "expert") for n in range(6)]
worded = st.lists(st.sampled_from(VOCABULARY), min_size=14, max_size=40).map(" ".join)


@st.composite
def reworded_texts(draw):
    """Returns old texts of 14 to 40 words, and new ones: reworded (up to 3 words replaced, added
    or dropped) or equal, and a few unrelated, shuffled."""
    old = draw(st.lists(worded, min_size=1, max_size=12))
    new = []
    for text in old:
        words = text.split()
        for _ in range(draw(st.integers(0, 3))):
            at = draw(st.integers(0, len(words)))
            op = draw(st.sampled_from("rid"))
            word = draw(st.sampled_from(VOCABULARY))
            if op == "r" and at < len(words):
                words[at] = word
            elif op == "i":
                words.insert(at, word)
            elif words and at < len(words):
                del words[at]
        new.append(" ".join(words))
    new += draw(st.lists(worded, max_size=4))
    return old, draw(st.permutations(new))


def _exhaustive(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """The first rule, as it was written: every pair scored, sorted, taken greedily."""
    scored = sorted(
        (
            (difflib.SequenceMatcher(None, diffmatch.norm(a), diffmatch.norm(b)).ratio(), i, j)
            for i, a in enumerate(old)
            for j, b in enumerate(new)
        ),
        key=lambda s: -s[0],
    )
    taken_old, taken_new, out = set(), set(), []
    for ratio, i, j in scored:
        if ratio >= diffmatch.NEAR_IDENTICAL and i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            out.append((i, j))
    return out


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(reworded_texts())
def test_the_candidate_filter_finds_what_exhaustive_scoring_finds(texts):
    old, new = ([diffmatch.norm(t) for t in side] for side in texts)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(diffmatch, "EXHAUSTIVE", 0)  # the filter even on small plans
        found = diffmatch.near_identical(old, new)
    assert sorted(found) == sorted(_exhaustive(old, new))


def test_many_equal_leftover_texts_pair_in_order_without_a_square():
    old, new = ["same text"] * 3000 + ["x"], ["y"] + ["same text"] * 3000
    with hang_guard(60):
        found = diffmatch.near_identical(old, new)
    assert found == [(i, i + 1) for i in range(3000)]


@pytest.mark.slow
def test_thousands_of_reworded_activities_match_quickly():
    """Every pair was scored: 500 reworded activities took minutes, 3,000 would take hours."""
    rng = random.Random(1)
    words = [f"word{n}" for n in range(40)]
    old = [" ".join(rng.choice(words) for _ in range(rng.randint(15, 45))) for n in range(3000)]
    new = [t.replace(" ", " new ", 1) for t in old]
    rng.shuffle(new)
    with hang_guard(120):
        found = diffmatch.near_identical(old, new)
    assert len(found) > 2900  # difflib's "autojunk" makes a few long texts score below 0.8
    assert all(new[j] == old[i].replace(" ", " new ", 1) for i, j in found)
