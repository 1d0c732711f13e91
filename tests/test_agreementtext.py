"""output/agreementtext.py: a plan's signing and approvals as events in diff's outputs."""

from __future__ import annotations

import dataclasses
import datetime as dt

from tests.conftest import DATA, STAKEHOLDER_IDS
from workplan_cli.output import agreementtext
from workplan_cli.plan import load
from workplan_cli.plan.model import Approval, PlanStatus

PLAN = load.parse_plan((DATA / "workplan-2024.yaml").read_bytes(), "x", STAKEHOLDER_IDS)
PEOPLE = load.parse_stakeholders((DATA / "stakeholders.yaml").read_bytes(), "x")


def test_the_signing_by_the_parties_short_names():
    assert agreementtext.events(PLAN, PEOPLE) == ["signed 2024-02-13 by MICDE and BMDV"]
    assert agreementtext.events(PLAN) == ["signed 2024-02-13 by micde and bmdv"]
    old = dataclasses.replace(
        PLAN, plan=dataclasses.replace(PLAN.plan, status=PlanStatus.SUPERSEDED)
    )
    assert agreementtext.events(old, PEOPLE) == ["signed 2024-02-13 by MICDE and BMDV, superseded"]


def test_approvals_say_when_they_are_of_an_earlier_text():
    stale = Approval(party="bmdv", by="B", date=dt.date(2024, 11, 2), digest="sha256:" + "0" * 64)
    draft = dataclasses.replace(
        PLAN, plan=dataclasses.replace(PLAN.plan, status=PlanStatus.DRAFT, approvals=[stale])
    )
    assert agreementtext.events(draft, PEOPLE) == [
        "approved by BMDV on 2024-11-02 (of an earlier text)"
    ]


def test_diff_shows_the_agreement_of_both_sides(repo, cli):
    out = cli("diff", "2024", "2025").stdout
    assert (
        "agreement: 2024 signed 2024-02-13 by MICDE and BMDV; 2025 approved by MICDE on 2024-11-20\n"
        in out
    )
    data = cli("diff", "2024", "2025", "-f", "json").stdout
    assert '"agreement": [\n      "signed 2024-02-13 by MICDE and BMDV"\n    ]' in data
