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


def test_signing_and_approvals_are_events_never_a_digest(plans):
    plan = _texts(*plans)["The plan"]
    assert "No longer signed (was signed on 13 February 2024 by MICDE and BMDV)." in plan
    assert (
        "Approved by MICDE on 20 November 2024 (Illustrative only: nobody has approved this "
        "draft)." in plan
    )
    assert not any("sha256" in t or "Approvals changed" in t for t in plan)


def test_a_signing_added_and_an_approval_withdrawn(plans):
    store = find_repo(ROOT)
    people = store.load_stakeholders()
    old, new = store.load_plan("2025"), store.load_plan("2024")
    texts = _texts(diff_plans(old, new, people, people), people.by_id())["The plan"]
    assert "Signed on 13 February 2024 by MICDE and BMDV." in texts
    assert "Approval by MICDE of 20 November 2024 withdrawn." in texts
    assert "Reporting periods removed (were 2025, 2025-Q2 and 2025-Q4)." in texts


def test_monitoring_in_words(plans):
    plan = _texts(*plans)["The plan"]
    assert "Reporting periods set to 2025, 2025-Q2 and 2025-Q4." in plan
    assert "An activity not yet in progress turns amber 30 days before its end." in plan
    german = _texts(*plans, lang="de")[_plan_heading("de")]
    assert "Berichtszeiträume festgelegt: 2025, 2025-Q2 und 2025-Q4." in german
    signed = "Nicht mehr unterzeichnet (war am 13. Februar 2024 von MICDE und BMDV unterzeichnet)."
    assert signed in german


def _plan_heading(lang: str) -> str:
    return i18n.language(lang).gettext("The plan")


def test_indicators_added_in_their_area(plans):
    area1 = _texts(*plans)["1 Internet Governance, Data Policy and Cybersecurity"]
    assert (
        "New: Indicator 1.1-b “Illustrative proposal: expert exchanges held on open internet "
        "governance”; target for 2025-Q2: 1; target for 2025: 2." in area1
    )
    assert sum(t.startswith("New: Indicator") for t in area1) == 3


def test_targets_and_actuals_changed_in_words(plans):
    store = find_repo(ROOT)
    people = store.load_stakeholders()
    new = store.load_plan("2025")
    old = _with_target(new, "1.1-b", "2025", 3)
    diff = diff_plans(old, new, people, people)
    area1 = _texts(diff, people.by_id())["1 Internet Governance, Data Policy and Cybersecurity"]
    assert area1 == ["Indicator 1.1-b: target for 2025 lowered from 3 to 2."]
    back = diff_plans(new, old, people, people)
    german = _texts(back, people.by_id(), "de")
    assert german["1 Internet Governance, Data Policy and Cybersecurity"] == [
        "Indikator 1.1-b: Zielwert für 2025 erhöht von 2 auf 3."
    ]


def _with_target(plan, ident: str, period: str, value):
    from dataclasses import replace

    areas = []
    for area in plan.areas:
        topics = []
        for topic in area.topics:
            indicators = [
                replace(
                    i,
                    targets=[
                        replace(t, value=value) if t.period == period else t for t in i.targets
                    ],
                )
                if i.id == ident
                else i
                for i in topic.indicators
            ]
            topics.append(replace(topic, indicators=indicators))
        areas.append(replace(area, topics=topics))
    return replace(plan, areas=areas)


def test_a_list_only_reordered_is_said_as_a_change_not_an_empty_sentence(plans):
    import copy

    store = find_repo(ROOT)
    people = store.load_stakeholders()
    old = store.load_plan("2024")
    new = copy.deepcopy(old)
    lead = next(r.activity.lead for r in new.activities() if r.activity.id == "1.1.1")
    assert lead == ["micde", "bmdv"]
    lead.reverse()
    texts = _texts(diff_plans(old, new, people, people), people.by_id())
    # Was "Lead of 1.1.1: ." (nothing added, nothing removed).
    assert texts["1 Internet Governance, Data Policy and Cybersecurity"] == [
        "Lead of 1.1.1 changed from MICDE and BMDV to BMDV and MICDE."
    ]
