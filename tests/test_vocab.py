"""plan/vocab.py: the vocabularies agree with the schema and the IATI codelist."""

from __future__ import annotations

import json
from pathlib import Path

from workplan_cli.plan.vocab import (
    IATI_STATUS,
    STATUSES,
    Kind,
    PlanStatus,
    StakeholderKind,
    StakeholderType,
    Status,
)

SCHEMA = Path(__file__).resolve().parent.parent / "schema"


def _enums(schema: dict) -> list[list[str]]:
    """Every `enum` list anywhere in a JSON schema."""
    found = []
    if isinstance(schema, dict):
        if "enum" in schema:
            found.append(schema["enum"])
        for value in schema.values():
            found += _enums(value)
    elif isinstance(schema, list):
        for value in schema:
            found += _enums(value)
    return found


def test_statuses_are_the_values_in_order():
    assert STATUSES == ("planned", "in-progress", "completed", "postponed", "cancelled")
    assert Status("in-progress") is Status.IN_PROGRESS
    assert Status.COMPLETED == "completed"  # a StrEnum compares with its text


def test_every_status_has_a_distinct_iati_code():
    assert set(IATI_STATUS) == set(Status)
    assert len(set(IATI_STATUS.values())) == len(Status)
    assert set(IATI_STATUS.values()) <= {1, 2, 3, 4, 5, 6}  # the ActivityStatus codelist
    assert IATI_STATUS[Status.CANCELLED] == 5
    assert IATI_STATUS[Status.POSTPONED] == 6  # suspended


def test_the_committed_schemas_list_the_same_vocabularies():
    plan_enums = _enums(json.loads((SCHEMA / "workplan.schema.json").read_text()))
    people_enums = _enums(json.loads((SCHEMA / "stakeholders.schema.json").read_text()))
    for vocabulary, enums in [
        (Status, plan_enums),
        (PlanStatus, plan_enums),
        (Kind, plan_enums),
        (StakeholderType, people_enums),
        (StakeholderKind, people_enums),
    ]:
        assert [v.value for v in vocabulary] in enums, vocabulary.__name__
