"""The agreed content, its canonical form and digest (plan/agreed.py), and the approval rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import re
import typing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import DATA, STAKEHOLDER_IDS
from tests.test_fields import _with_activity, changed
from workplan_cli.errors import InvalidFileError
from workplan_cli.plan import agreed, fields, load
from workplan_cli.plan.model import (
    Activity,
    Approval,
    HistoryEntry,
    Plan,
    PlanMeta,
    PlanStatus,
    Status,
)
from workplan_cli.plan.spec import CHILDREN

TEXT_2024 = (DATA / "workplan-2024.yaml").read_text(encoding="utf-8")
# The 2025 draft as shipped before its illustrative approval.
TEXT_2025 = (Path(__file__).parent / "golden/agree/shipped/before.yaml").read_text(encoding="utf-8")
PLAN = load.parse_plan(TEXT_2024.encode(), "workplan-2024.yaml", STAKEHOLDER_IDS)
DRAFT = load.parse_plan(TEXT_2025.encode(), "workplan-2025.yaml", STAKEHOLDER_IDS)
DIGEST = agreed.digest(PLAN)
ACTIVITY_IDS = [ref.activity.id for ref in PLAN.activities()]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse(text: str) -> Plan:
    return load.parse_plan(text.encode("utf-8"), "plan.yaml", STAKEHOLDER_IDS)


def test_the_digest_is_sha256_of_the_canonical_json():
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", DIGEST)
    data = json.loads(agreed.canonical(PLAN))
    assert list(data) == sorted(data)
    assert "status" not in data["plan"] and "signed" not in data["plan"]  # the record itself
    assert "schema_version" not in data and "iati" not in data["plan"]
    activity = data["areas"][0]["topics"][0]["activities"][0]
    assert set(activity) == {"id", "title", "text", "kind", "lead", "stakeholders"}


def test_the_signed_2024_plan_pins_the_digest_of_its_shipped_agreed_content():
    signed = PLAN.plan.signed
    assert signed is not None and signed.digest == DIGEST
    assert signed.date == dt.date(2024, 2, 13) and signed.by == ["micde", "bmdv"]
    assert signed.recorded_in and PLAN.plan.approvals == []


def test_agreed_and_progress_fields_are_told_apart_by_their_declaration():
    progress = {f.name for f in fields.declared(Activity) if f.spec.progress}
    assert progress == {"status", "evidence", "history"}
    assert all(not f.spec.agreed for f in fields.declared(Activity) if f.name in progress)
    record = {f.name for f in fields.declared(PlanMeta) if not f.spec.agreed}
    assert record == {"version", "status", "signed", "iati", "approvals"}


# --- stable under what is not agreed content -------------------------------------------------

KEY_LINE = re.compile(r"^( *)(- )?[a-z_]+:", re.MULTILINE)


@SETTINGS
@given(st.data())
def test_stable_under_comments_key_order_quoting_and_progress(data):
    text = TEXT_2024
    # Comments: whole-line comments put before keys, and at the end of the file.
    places = [m.start() for m in KEY_LINE.finditer(text)]
    chosen = sorted(data.draw(st.sets(st.sampled_from(places), max_size=8)), reverse=True)
    for at in chosen:
        indent = len(text[at:]) - len(text[at:].lstrip(" "))
        text = (
            text[:at]
            + " " * indent
            + "# "
            + data.draw(st.text("abc #:é", max_size=9))
            + "\n"
            + text[at:]
        )
    text += "# the end\n"
    assert agreed.digest(parse(text)) == DIGEST
    # Key order and quoting: the same data as JSON (every string quoted), keys shuffled.
    raw = load.parse_raw(TEXT_2024.encode(), "x")
    seed = data.draw(st.integers(0, 2**16))
    assert agreed.digest(parse(json.dumps(_shuffled(raw, random.Random(seed)), indent=1))) == DIGEST
    # Progress: any status changes with history entries on any activities.
    plan = PLAN
    for ident in data.draw(st.lists(st.sampled_from(ACTIVITY_IDS), max_size=5)):
        activity = plan.find(ident).activity
        status = data.draw(st.sampled_from(list(Status)))
        entry = HistoryEntry(date=dt.date(2024, 5, 2), from_=activity.status, to=status)
        evidence = data.draw(st.lists(st.text("xyz ", min_size=1).filter(str.strip), max_size=2))
        new = dataclasses.replace(
            activity, status=status, history=[*activity.history, entry], evidence=evidence
        )
        plan = _with_activity(plan, new)
    assert agreed.digest(plan) == DIGEST


def _shuffled(value, rng: random.Random):
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: _shuffled(value[k], rng) for k in keys}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


def test_stable_under_signing_approvals_and_rewrapping():
    meta = dataclasses.replace(
        PLAN.plan,
        status=PlanStatus.SUPERSEDED,
        approvals=[Approval(party="micde", by="A", date=dt.date(2024, 1, 1), digest=DIGEST)],
    )
    assert agreed.digest(dataclasses.replace(PLAN, plan=meta)) == DIGEST
    wrapped = TEXT_2024.replace("Digital\n      Dialogue.", "Digital Dialogue.", 1)
    assert wrapped != TEXT_2024 and agreed.digest(parse(wrapped)) == DIGEST


def test_an_optional_field_left_empty_voids_no_approval():
    Later = dataclasses.make_dataclass(
        "Later",
        [("indicators", list, dataclasses.field(default_factory=list, metadata=_meta()))],
        bases=(Activity,),
        frozen=True,
        kw_only=True,
    )
    activity = PLAN.find("1.3.2").activity
    values = {f.name: getattr(activity, f.name) for f in dataclasses.fields(Activity)}
    assert agreed.digest(_with_activity(PLAN, Later(**values))) == DIGEST
    changed_plan = _with_activity(PLAN, Later(**values, indicators=["x"]))
    assert agreed.digest(changed_plan) != DIGEST


def _meta():
    from workplan_cli.plan.spec import LIST, SPEC, Spec

    return {SPEC: Spec("Indicators", "Indicators.", LIST)}


# --- changed by every agreed-content change --------------------------------------------------


def _agreed_fields(cls) -> list[str]:
    return [f.name for f in fields.declared(cls) if f.spec.agreed and f.kind not in (CHILDREN,)]


@pytest.mark.parametrize("name", _agreed_fields(Activity))
def test_any_change_of_an_agreed_activity_field_changes_the_digest(name):
    activity = PLAN.find("2.2.3").activity
    hints = typing.get_type_hints(Activity, include_extras=True)
    value = changed(hints[name], getattr(activity, name))
    if name == "id":
        value = "2.2.99"
    new = _with_activity_at(PLAN, "2.2.3", dataclasses.replace(activity, **{name: value}))
    assert agreed.digest(new) != DIGEST
    assert agreed.changed_parts(PLAN, new)


@pytest.mark.parametrize("name", [n for n in _agreed_fields(PlanMeta)])
def test_any_change_of_an_agreed_metadata_field_changes_the_digest(name):
    hints = typing.get_type_hints(PlanMeta, include_extras=True)
    value = changed(hints[name], getattr(PLAN.plan, name))
    new = dataclasses.replace(PLAN, plan=dataclasses.replace(PLAN.plan, **{name: value}))
    assert agreed.digest(new) != DIGEST
    assert agreed.changed_parts(PLAN, new) == [f"plan.{name}"]


def test_changes_of_areas_topics_objectives_and_order_change_the_digest():
    area = PLAN.areas[0]
    topic = area.topics[0]
    variants = [
        dataclasses.replace(area, title="Other"),
        dataclasses.replace(area, topics=[dataclasses.replace(topic, title="Other")]),
        dataclasses.replace(
            area, topics=[dataclasses.replace(topic, objectives=["x"]), *area.topics[1:]]
        ),
        dataclasses.replace(area, topics=list(reversed(area.topics))),
        dataclasses.replace(
            area,
            topics=[dataclasses.replace(topic, activities=topic.activities[1:]), *area.topics[1:]],
        ),
    ]
    digests = {
        agreed.digest(dataclasses.replace(PLAN, areas=[v, *PLAN.areas[1:]])) for v in variants
    }
    assert len(digests) == len(variants) and DIGEST not in digests


@SETTINGS
@given(
    st.sampled_from(ACTIVITY_IDS),
    st.sampled_from(["title", "text"]),
    st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=12),
)
def test_any_word_added_to_an_activity_text_changes_the_digest(ident, name, word):
    activity = PLAN.find(ident).activity
    new = dataclasses.replace(activity, **{name: getattr(activity, name) + " " + word})
    plan = _with_activity_at(PLAN, ident, new)
    assert agreed.digest(plan) != DIGEST
    assert agreed.changed_parts(PLAN, plan) == [ident]


def _with_activity_at(plan: Plan, ident: str, activity: Activity) -> Plan:
    areas = []
    for area in plan.areas:
        topics = []
        for topic in area.topics:
            kept = [activity if a.id == ident else a for a in topic.activities]
            topics.append(dataclasses.replace(topic, activities=kept))
        areas.append(dataclasses.replace(area, topics=topics))
    return dataclasses.replace(plan, areas=areas)


# --- the rules of approvals (load) and of their standing (validate) ---------------------------

OPEN = "title: Expert exchange on open internet governance"
APPROVAL = '    - {party: micde, by: "A. Person", date: "2024-11-20", digest: "DIGEST"}\n'


def _draft(*approvals: str, digest: str | None = None) -> str:
    lines = "".join(a.replace("DIGEST", digest or agreed.digest(DRAFT)) for a in approvals)
    return TEXT_2025.replace("  status: draft\n", "  status: draft\n  approvals:\n" + lines, 1)


def _problems(text: str) -> list[str]:
    try:
        plan = parse(text)
    except InvalidFileError as e:
        return [str(p) for p in e.problems]
    return [str(p) for p in load.agreement_problems(plan, text.encode(), "plan.yaml")]


def test_a_current_approval_is_valid_and_a_stale_one_is_located():
    text = _draft(APPROVAL)
    assert _problems(text) == []
    stale = text.replace(OPEN, OPEN + " (renamed)", 1)
    assert stale != text
    [problem] = _problems(stale)
    assert re.match(
        r"plan\.yaml:\d+:\d+: plan\.approvals\[0\]\.digest: micde approved an earlier", problem
    )
    assert "workplan approve 2025 --party micde" in problem


@pytest.mark.parametrize(
    "approval, message",
    [
        (APPROVAL.replace("micde", "giz"), "approval by 'giz', which is not a party of plan 2025"),
        (APPROVAL.replace("micde", "nobody"), "unknown stakeholder 'nobody'|not a party"),
        (APPROVAL + APPROVAL, r"micde approved twice \(also at plan.approvals\[0\]\)"),
        (APPROVAL.replace('"DIGEST"', '"sha256:abc"'), "is not a digest like 'sha256:'"),
        (APPROVAL.replace('"DIGEST"', '"md5:' + "0" * 32 + '"'), "is not a digest"),
        (APPROVAL.replace('"2024-11-20"', '"20 Nov"'), "not a date"),
    ],
)
def test_bad_approvals_are_located_errors(approval, message):
    problems = _problems(_draft(approval))
    assert problems and any(re.search(message, p) for p in problems), problems
    assert all(re.match(r"plan\.yaml:\d+:\d+: ", p) for p in problems), problems


def _signed(approvals: str, signed: str) -> str:
    text = _draft(*approvals.splitlines(keepends=True)) if approvals else TEXT_2025
    return text.replace("  status: draft\n", "  status: signed\n" + signed, 1)


def test_a_plan_marked_signed_by_hand_needs_approvals_or_a_record_of_its_signing():
    problems = _problems(_signed("", '  signed: {date: "2025-01-10"}\n'))
    assert any("pins no digest" in p for p in problems)
    assert any("without an approval by micde" in p for p in problems)
    assert any("without an approval by bmdv" in p for p in problems)
    recorded = '  signed: {date: "2025-01-10", recorded_in: "the minutes of 10 January"}\n'
    assert _problems(_signed("", recorded)) == []


def test_a_signing_date_before_an_approval_is_an_error():
    both = APPROVAL + APPROVAL.replace("micde", "bmdv").replace("11-20", "12-01")
    digest = agreed.digest(DRAFT)
    signed = f'  signed: {{date: "2024-11-30", by: [micde, bmdv], digest: "{digest}"}}\n'
    problems = _problems(_signed(both, signed))
    assert (
        len(problems) == 1
        and "signed on 2024-11-30, before bmdv's approval of 2024-12-01" in problems[0]
    )
    assert _problems(_signed(both, signed.replace("11-30", "12-02"))) == []


def test_a_signed_plan_changed_without_every_approval_is_an_error_until_both_approve():
    both = APPROVAL + APPROVAL.replace("micde", "bmdv")
    signed = (
        f'  signed: {{date: "2024-12-02", by: [micde, bmdv], digest: "{agreed.digest(DRAFT)}"}}\n'
    )
    text = _signed(both, signed)
    assert _problems(text) == []
    amended = text.replace(OPEN, OPEN + " (renamed)", 1)
    problems = _problems(amended)
    assert any(
        "differs from what was signed: as an amendment it needs the approval of micde and bmdv" in p
        for p in problems
    )
    new = agreed.digest(parse(amended))
    one = amended.replace(
        agreed.digest(DRAFT) + '"}\n    - {party: bmdv', new + '"}\n    - {party: bmdv', 1
    )
    problems = _problems(one)
    assert any("needs the approval of bmdv (approved by: micde)" in p for p in problems)
    assert any("bmdv approved an earlier text" in p for p in problems)
    assert _problems(one.replace(agreed.digest(DRAFT) + '"}\n', new + '"}\n')) == []


def test_progress_updates_to_a_signed_plan_stay_valid():
    text = TEXT_2024.replace("status: planned", "status: in-progress", 1)
    assert text != TEXT_2024 and _problems(text) == []
    edited = TEXT_2024.replace(OPEN, OPEN + " (renamed)", 1)
    assert edited != TEXT_2024
    [problem] = _problems(edited)
    assert (
        "differs from what was signed" in problem
        and "needs the approval of micde and bmdv" in problem
    )


def test_an_indicators_actuals_are_progress_and_its_targets_agreed_content():
    from workplan_cli.git.agreement import review_agreement
    from workplan_cli.plan.model import Actual, Indicator

    progress = {f.name for f in fields.declared(Indicator) if f.spec.progress}
    assert progress == {"actuals"}
    text = (Path(__file__).parent / "golden/results/plan.yaml").read_text(encoding="utf-8")
    before = parse(text)
    ref = next(r for r in before.indicators() if r.indicator.id == "1.1-a")
    loc = ("areas", 0, "topics", 0, "indicators", 0)
    assert before.areas[0].topics[0].indicators[0] is ref.indicator

    def changed_to(indicator: Indicator) -> Plan:
        from workplan_cli.edit.status import replaced_at

        return replaced_at(before, loc, indicator)

    actual = Actual(date=dt.date(2024, 10, 1), period="2024", value=3)
    recorded = changed_to(
        dataclasses.replace(ref.indicator, actuals=[*ref.indicator.actuals, actual])
    )
    assert agreed.digest(recorded) == agreed.digest(before)
    review = review_agreement(before, recorded)
    assert review.changes == () and review.actuals == 1
    target = dataclasses.replace(ref.indicator.targets[-1], value=99)
    raised = changed_to(
        dataclasses.replace(ref.indicator, targets=[*ref.indicator.targets[:-1], target])
    )
    assert agreed.digest(raised) != agreed.digest(before)
    assert agreed.changed_parts(before, raised) == ["1.1-a"]
    assert review_agreement(before, raised).changes == ("1.1-a",)
