"""Helpers for the export tests: a plan copy with dates and history, golden files, the XSD."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import IATI_2_03, ROOT

GOLDEN = ROOT / "tests" / "golden" / "export"

# Test data only: the shipped plan has no dates or history, so these tests give two activities
# some (with a comma, quotes and a line break in a note, for the CSV quoting).
_BEFORE = {
    "1.3.2": """            kind: innovation-challenge
            status: planned
            lead: [micde, bmdv]
            stakeholders: [giz, students]
            history: []
""",
    "2.2.1": """            kind: business-cooperation
            status: planned
            lead: [micde, bmdv]
            stakeholders: [giz, business]
            history: []
""",
}
_AFTER = {
    "1.3.2": """            kind: innovation-challenge
            status: completed
            lead: [micde, bmdv]
            stakeholders: [giz, students]
            start: 2024-09-16
            end: 2024-09-18
            history:
              - date: 2024-05-02
                from: planned
                to: in-progress
                note: "Call published, \\"open to all\\"\\nsecond line"
                by: giz
              - date: 2024-09-18
                from: in-progress
                to: completed
                note: Held with three teams.
                evidence: ["https://example.org/hackathon-report"]
""",
    "2.2.1": """            kind: business-cooperation
            status: cancelled
            lead: [micde, bmdv]
            stakeholders: [giz, business]
            start: 2024-06-03
            history:
              - date: 2024-05-20
                from: planned
                to: cancelled
                note: Not this year.
""",
}
NOTE_1_3_2 = 'Call published, "open to all"\nsecond line'


def add_dates(root: Path) -> None:
    """Gives activities 1.3.2 and 2.2.1 of the plan copy at `root` dates and a history."""
    path = root / "data" / "workplan-2024.yaml"
    text = path.read_text(encoding="utf-8")
    for ident, before in _BEFORE.items():
        assert text.count(before) == 1, ident
        text = text.replace(before, _AFTER[ident])
    path.write_text(text, encoding="utf-8")


def check_golden(name: str, data: bytes) -> None:
    """Asserts that `data` equals tests/golden/export/NAME (rewritten when UPDATE_GOLDEN=1)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(data)
    assert path.read_bytes() == data, f"{name} differs; UPDATE_GOLDEN=1 rewrites it"


def iati_xsd() -> Path:
    """Returns the official IATI 2.03 activity XSD, kept in docs/standards/iati-2.03/."""
    return IATI_2_03 / "iati-activities-schema.xsd"
