"""Plans with dates for the schedule's tests: models built in code, and a fixture plan file."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from workplan_cli.plan.model import (
    Activity,
    Area,
    HistoryEntry,
    Kind,
    Plan,
    PlanMeta,
    PlanStatus,
    Status,
    Topic,
)

from .conftest import DATA


def activity(
    ident: str,
    status: Status = Status.PLANNED,
    start: dt.date | None = None,
    end: dt.date | None = None,
    history: list[HistoryEntry] | None = None,
    lead: list[str] | None = None,
) -> Activity:
    return Activity(
        id=ident,
        title=f"Activity {ident}",
        text="Text.",
        kind=Kind.WORKSHOP,
        status=status,
        lead=lead or [],
        start=start,
        end=end,
        history=history or [],
    )


def plan_of(topics: dict[str, list[Activity]]) -> Plan:
    """Returns a plan of these topics (ids like '1.2'), each holding its activities."""
    areas: dict[str, list[Topic]] = {}
    for ident, activities in topics.items():
        topic = Topic(
            id=ident, title=f"Topic {ident}", objectives=["An aim."], activities=activities
        )
        areas.setdefault(ident.split(".")[0], []).append(topic)
    meta = PlanMeta(
        id="test-plan",
        title="A test plan",
        dialogue="A dialogue",
        version="2026",
        status=PlanStatus.DRAFT,
        parties=["micde", "bmdv"],
    )
    return Plan(
        schema_version=1,
        plan=meta,
        areas=[Area(id=a, title=f"Area {a}", topics=ts) for a, ts in areas.items()],
    )


# A plan file with dates around 2026-03-01 (the tests' --as-of), hand-edited in several styles.
DATED_PLAN = """\
# A fixture plan with dates, for the schedule's tests (not a real plan).
schema_version: 1
plan:
  id: dated-plan
  title: A dated test plan
  dialogue: A test dialogue
  version: "2026"
  status: signed
  signed:
    date: 2026-01-10
  parties: [micde, bmdv]
  monitoring:
    periods: ["2026", 2026-Q1]
    amber_days: 30

areas:
  - id: "1"
    title: First area
    topics:
      - id: "1.1"
        title: First topic
        objectives:
          - An aim.
        activities:
          - id: "1.1.1"
            title: Overdue workshop
            text: A workshop that is late.
            kind: workshop
            status: planned
            lead: [bmdv]
            start: 2026-01-15
            end: 2026-02-20   # the due date
            history: []

          - id: "1.1.2"
            title: Exchange due soon
            text: An exchange that falls due within a month.
            kind: expert-exchange
            status: planned
            lead: [micde, bmdv]
            end: "2026-03-15"
            history: []

          - id: "1.1.3"
            title: Conference under way
            text: >-
              A conference that is in progress
              and due soon.
            kind: conference
            status: in-progress
            lead: [micde]
            start: 2026-01-20
            end: 2026-03-10
            history:
              - date: "2026-01-20"
                from: planned
                to: in-progress
                by: A. Coordinator
      - id: "1.2"
        title: Second topic
        objectives:
          - Another aim.
        activities:
          - id: "1.2.1"
            title: Done already
            text: A finished activity.
            kind: workshop
            status: completed
            lead: [giz]
            start: 2026-01-05
            end: 2026-02-01
            history:
              - {date: "2026-01-05", from: planned, to: in-progress}
              - {date: "2026-01-30", from: in-progress, to: completed}
  - id: "2"
    title: Second area
    topics:
      - id: "2.1"
        title: Third topic
        objectives:
          - A third aim.
        activities:
          - id: "2.1.1"
            title: Later in the year
            text: Due in the autumn.
            kind: workshop
            status: planned
            lead: [micde]
            end: 2026-10-31
            history: []
          - id: "2.1.2"
            title: Without dates
            text: No dates agreed.
            kind: other
            status: planned
            history: []
"""

AS_OF = "2026-03-01"


def dated_repo(root: Path) -> Path:
    """Writes a plan repository holding only the dated plan (and the shipped stakeholders)."""
    (root / "data").mkdir(parents=True)
    shutil.copy(DATA / "stakeholders.yaml", root / "data" / "stakeholders.yaml")
    (root / "data" / "workplan-2026.yaml").write_text(DATED_PLAN, encoding="utf-8")
    return root
