"""Renderers of a plan diff: escaping, shapes, empty diffs."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from tests.test_diff import BASE, acts, plan
from workplan_cli.diff.plans import diff_plans
from workplan_cli.output import diffrender


@dataclass
class Side:
    name: str
    source: str
    plan: object


def sides(new_plan):
    return Side("old", "old.yaml", plan(BASE)), Side("new", "new.yaml", new_plan)


def test_markdown_escapes_plan_text():
    data = copy.deepcopy(BASE)
    acts(data, "1.1")[0]["title"] = "A | B *bold* <b>x</b> [link](http://x) `code` ~~s~~ # h"
    old, new = sides(plan(data))
    out = diffrender.to_markdown(diff_plans(old.plan, new.plan), old, new)
    # "#" starts a heading only at the start of a line: mid-line it stays as it is
    assert r"A \| B \*bold\* \<b\>x\</b\> \[link\](http://x) \`code\` \~\~s\~\~ # h" in out
    assert "| Activities | 0 | 0 | 0 | 1 |" in out


def test_word_diff_in_every_format():
    data = copy.deepcopy(BASE)
    acts(data, "1.1")[0]["text"] = "Exchange on alpha and omega matters between many experts."
    old, new = sides(plan(data))
    result = diff_plans(old.plan, new.plan)
    assert "alpha {+and omega+} matters between {+many+} experts." in (
        diffrender.to_text(result, old, new)
    )
    assert "alpha **and omega** matters between **many** experts." in (
        diffrender.to_markdown(result, old, new)
    )
    words = diffrender.to_json(result, old, new)["activities"][0]["fields"][0]["words"]
    assert words[1] == {"op": "+", "text": "and omega"}


def test_long_unchanged_runs_are_cut_in_text_but_kept_in_json():
    long_text = " ".join(f"w{i}" for i in range(40))
    data = copy.deepcopy(BASE)
    acts(data, "1.1")[0]["text"] = long_text + " end"
    base = copy.deepcopy(BASE)
    acts(base, "1.1")[0]["text"] = long_text
    old, new = Side("old", "o", plan(base)), Side("new", "n", plan(data))
    result = diff_plans(old.plan, new.plan)
    assert "~ text: … w34 w35 w36 w37 w38 w39 {+end+}" in diffrender.to_text(result, old, new)
    words = diffrender.to_json(result, old, new)["activities"][0]["fields"][0]["words"]
    assert words[0]["text"] == long_text


def test_json_shape_keys():
    data = copy.deepcopy(BASE)
    acts(data, "1.2").append(dict(acts(data, "1.2")[0], id="1.2.2", text="New one."))
    old, new = sides(plan(data))
    out = diffrender.to_json(diff_plans(old.plan, new.plan), old, new)
    assert list(out) == [
        "format",
        "old",
        "new",
        "filters",
        "identical",
        "summary",
        "metadata",
        "stakeholders",
        "areas",
        "topics",
        "activities",
    ]
    assert list(out["old"]) == ["name", "source", "version", "status", "agreement"]
    entry = out["activities"][0]
    assert list(entry) == ["change", "id", "old_id", "title", "topic", "old_topic", "fields"]
    assert list(entry["fields"][0]) == ["field", "old", "new", "words", "added", "removed"]


def test_identical_plans():
    old, new = sides(plan(BASE))
    result = diff_plans(old.plan, new.plan)
    assert diffrender.to_text(result, old, new).endswith("\n\nNo differences.\n")
    assert diffrender.to_markdown(result, old, new).endswith("\n\nNo differences.\n")
    assert diffrender.to_json(result, old, new)["identical"] is True


def test_an_activity_s_dates_change_in_words():
    from workplan_cli.diff.plans import FieldChange

    cases = [
        (("end", "2025-03-31", "2025-06-30"), "end moved from 2025-03-31 to 2025-06-30"),
        (("start", None, "2025-01-15"), "start set to 2025-01-15"),
        (("end", "2025-03-31", None), "end cleared (was 2025-03-31)"),
    ]
    for (name, old, new), words in cases:
        node = diffrender.field_node(FieldChange(name, old, new))
        assert (node.mark, node.label) == ("~", words)
    # other fields keep old -> new
    assert diffrender.field_node(FieldChange("kind", "workshop", "other")).label == (
        "kind: workshop → other"
    )
