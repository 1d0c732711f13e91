"""What changed, in plain sentences (output/changetext.py), on the shipped 2024 and 2025 plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from workplan_cli.diff.plans import diff_plans
from workplan_cli.output import changetext, i18n
from workplan_cli.plan.store import find_repo

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def plans():
    store = find_repo(ROOT)
    people = store.load_stakeholders()
    old, new = store.load_plan("2024"), store.load_plan("2025")
    return diff_plans(old, new, people, people), people.by_id()


def _texts(diff, people, lang="en") -> dict[str, list[str]]:
    groups = changetext.sentences(diff, i18n.language(lang), people)
    return {g["heading"]: [item["text"] for item in g["items"]] for g in groups}


def test_sentences_name_fields_by_their_labels_not_their_keys(plans):
    texts = _texts(*plans)
    plan = texts["The plan"]
    assert "Review moved from 2024-Q4 to 2025-Q4." in plan
    assert "Status changed from signed to draft." in plan
    assert not any("review.due" in t or "lead:" in t for ts in texts.values() for t in ts)
    area1 = texts["1 Internet Governance, Data Policy and Cybersecurity"]
    assert "Lead of 1.1.2 now MICDE alone (was MICDE and BMDV)." in area1
    assert "Start of 1.1.1 set to 1 January 2025." in area1
    assert "Status of 1.3.2 changed from planned to postponed." in area1


def test_moves_additions_and_removals_are_sentences(plans):
    area2 = _texts(*plans)["2 Digital Innovation and Sustainable Growth"]
    assert "New: Topic 2.3 “Digital skills”." in area2
    assert "Activity 2.2.5 “Working conditions in the tech industry” is now 2.2.4." in area2
    assert "Activity 2.2.6 “Up- and reskilling for the digital economy” moved to 2.3 as 2.3.1." in (
        area2
    )
    assert "Activity 2.2.2 “Industry workshop on startup and investment promotion” removed." in (
        area2
    )


def test_groups_follow_the_plan_order(plans):
    headings = list(_texts(*plans))
    assert headings[0] == "The plan"
    assert [h.split()[0] for h in headings[1:]] == ["1", "2", "3"]


def test_a_reworded_text_keeps_its_word_diff(plans):
    diff, people = plans
    groups = changetext.sentences(diff, i18n.language("en"), people)
    items = [i for g in groups for i in g["items"] if i["text"].startswith("Description of 1.1.1")]
    [item] = items
    assert item["text"] == "Description of 1.1.1 reworded:"
    assert {w.op for w in item["words"]} == {"=", "-", "+"}


def test_sentences_in_german(plans):
    texts = _texts(*plans, lang="de")
    assert "Überprüfung verschoben von 2024-Q4 auf 2025-Q4." in texts["Der Plan"]
    area1 = texts["1 Internet Governance, Data Policy and Cybersecurity"]
    assert "Federführung von 1.1.2 jetzt nur MICDE (bisher MICDE und BMDV)." in area1
    assert "Beginn von 1.1.1 neu: 1. Januar 2025." in area1


def test_the_summary_counts_each_kind_once(plans):
    lines = changetext.summary(plans[0], i18n.language("en"))
    assert "Activities: 1 added, 1 removed, 4 moved, 6 changed" in lines
    assert not any("Changed" in line for line in lines)
