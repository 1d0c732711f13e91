"""Copies of the shipped plan changed for report tests: hostile text, and dated histories."""

from __future__ import annotations

from pathlib import Path

PLAN = Path("data") / "workplan-2024.yaml"

# Text that would break a report if it were not escaped, or evaluated as a template.
HOSTILE = "<script>alert(1)</script> {{ 7*7 }} {% if x %} a|b *bold* _under_ [link](x) & &amp;"

ACTIVITY_111 = """            kind: joint-position
            status: planned
            lead: [micde, bmdv]
            stakeholders: [giz, igf]
            history: []
"""

# Test data only: dated status changes of activity 1.1.1, not events of the real plan.
HISTORY_111 = """            kind: joint-position
            status: completed
            lead: [micde, bmdv]
            stakeholders: [giz, igf]
            evidence: [test evidence A]
            history:
              - date: 2024-03-01
                from: planned
                to: in-progress
                note: test entry one
                by: tester
              - date: 2024-06-15
                from: in-progress
                to: postponed
                note: test entry two
              - date: 2024-09-30
                from: postponed
                to: in-progress
              - date: 2024-11-20
                from: in-progress
                to: completed
                note: test entry four
                evidence: [test evidence B]
"""


def edit_plan(repo: Path, old: str, new: str) -> None:
    """Replaces text in the repository's 2024 plan, which must hold it exactly once."""
    path = repo / PLAN
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def make_hostile(repo: Path) -> None:
    """Puts hostile text (with newlines) into a title, a text, an objective and a note."""
    quoted = '"' + HOSTILE.replace('"', '\\"') + '"'
    multiline = '"' + HOSTILE + '\\nsecond line\\n# not a heading\\n| not | a table |"'
    edit_plan(
        repo,
        "title: Common positions on internet governance in international fora",
        f"title: {quoted}",
    )
    edit_plan(
        repo,
        """            text: >-
              Develop a common understanding of priorities and positions concerning current
              issues of internet governance in debate at international fora, e.g. by submitting
              a joint workshop proposal to the Internet Governance Forum 2024.
""",
        f"            text: {multiline}\n",
    )
    edit_plan(
        repo,
        ACTIVITY_111,
        ACTIVITY_111.replace(
            "history: []",
            f"""evidence: [{quoted}]
            history:
              - date: 2024-03-01
                from: planned
                to: planned
                note: {multiline}
                by: {quoted}""",
        ),
    )
    edit_plan(
        repo,
        "positions in multilateral fora to ensure an accessible, stable, and open Internet.",
        f"positions in multilateral fora to ensure an accessible, stable, and open Internet.\n"
        f"          - {quoted}",
    )


def add_history(repo: Path) -> None:
    """Gives activity 1.1.1 four dated status changes, ending completed on 2024-11-20."""
    edit_plan(repo, ACTIVITY_111, HISTORY_111)
