"""Terminal tables and `show` lines that name a model's field head it with the label the field is
declared with (plan/model.py): each test renames labels and sees the output follow. The columns
no field holds (counts, judgements of the day, the levels) keep their words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import git
from tests.gitplans import edit_activity
from workplan_cli.plan.model import Activity, Area, HistoryEntry, Indicator, Stakeholder, Topic

from .schedplans import AS_OF, dated_repo
from .test_cli_indicators import relabel
from .test_cli_read import edit
from .test_import_sheets import ACTUAL, export, fill


def _cells(line: str) -> list[str]:
    """Returns a plain table line's cells (two spaces or more part them)."""
    return re.split(r" {2,}", line.strip())


def _header(out: str, first: str) -> list[str]:
    """Returns the cells of the plain table's header line, the first line starting `first`."""
    return _cells(next(line for line in out.splitlines() if line.startswith(first)))


def test_list_columns_are_headed_by_the_activity_fields_labels(repo, cli, monkeypatch):
    assert _header(cli("list").stdout, "ID") == ["ID", "Status", "Kind", "Lead", "Title"]
    labels = [("id", "Key"), ("status", "State"), ("kind", "Sort"), ("lead", "Led by")]
    relabel(monkeypatch, [(Activity, k, v) for k, v in [*labels, ("title", "Name")]])
    assert _header(cli("list").stdout, "Key") == ["Key", "State", "Sort", "Led by", "Name"]
    markdown = cli("list", "-f", "markdown").stdout
    assert markdown.startswith("| Key | State | Sort | Led by | Name |\n")


def test_stakeholders_columns_are_headed_by_the_stakeholder_fields_labels(repo, cli, monkeypatch):
    labels = [("id", "Key"), ("name", "Called"), ("type", "Sort"), ("country", "Land")]
    relabel(monkeypatch, [(Stakeholder, k, v) for k, v in labels])
    # Leads, Involved and Activities are counted from the plan: not fields, as they were.
    heads = ["Key", "Called", "Sort", "Land", "Leads", "Involved", "Activities"]
    assert _header(cli("stakeholders").stdout, "Key") == heads
    markdown = cli("stakeholders", "-f", "markdown").stdout
    assert markdown.startswith("| " + " | ".join(heads) + " |\n")


@pytest.fixture
def dated(tmp_path: Path, monkeypatch) -> Path:
    root = dated_repo(tmp_path / "dated")
    monkeypatch.chdir(root)
    return root


def test_due_columns_are_headed_by_the_activity_fields_labels(dated, cli, monkeypatch):
    labels = [("id", "Key"), ("lead", "Led by"), ("status", "State"), ("end", "Until")]
    relabel(monkeypatch, [(Activity, k, v) for k, v in labels])
    # The title's column is "Activity", When and Colour are judged as of the day: as they were.
    heads = ["Key", "Activity", "Led by", "State", "Until", "When", "Colour"]
    out = cli("due", "--as-of", AS_OF).stdout
    assert [_cells(line) for line in out.splitlines() if line.startswith("Key")] == [heads] * 2
    markdown = cli("due", "--as-of", AS_OF, "-f", "markdown").stdout
    assert markdown.count("\n| " + " | ".join(heads) + " |\n") == 2


def test_status_id_column_is_headed_by_the_id_fields_label(dated, cli, monkeypatch):
    from workplan_cli.cli.status import columns

    relabel(monkeypatch, [(Area, "id", "Key")])
    out = cli("status", "--as-of", AS_OF).stdout
    assert _header(out, "Key")[:3] == ["Key", "Area / topic", "Planned"]
    assert _header(out, "Key")[-4:] == ["Total", "Progress", "Schedule", "Overdue"]
    markdown = cli("status", "--as-of", AS_OF, "-f", "markdown").stdout
    assert "\n| Key | Area / topic | Planned |" in markdown
    # The terminal's compact table (tests/test_terminal.py runs it on a pseudo-terminal).
    compact = [c.header for c in columns(compact=True)]
    assert compact == ["Key", "Area / topic", "Activities", "Progress"]


def test_show_activity_labels_objectives_and_the_recorder_as_declared(repo, cli, monkeypatch):
    edit(
        repo,
        "            status: planned\n            lead: [micde, bmdv]\n"
        "            stakeholders: [giz, students]\n            history: []",
        "            status: completed\n            lead: [micde, bmdv]\n"
        "            stakeholders: [giz, students]\n"
        "            history:\n"
        "              - date: 2024-10-12\n                from: planned\n                to: completed\n"
        "                note: Hackathon held\n                by: Jane\n",
    )
    relabel(monkeypatch, [(Topic, "objectives", "Aims"), (HistoryEntry, "by", "Recorded by")])
    out = cli("show", "1.3.2").stdout
    assert "\nAims:\n  Both countries learn from each other" in out
    assert "  2024-10-12  planned -> completed  recorded by Jane: Hackathon held\n" in out
    assert "Objectives" not in out and " by Jane" not in out.replace("recorded by", "")
    # Area and Topic name the levels the activity sits in: not fields, so as they were.
    assert "\nArea:         1 " in out and "\nTopic:        1.3 Cybersecurity\n" in out
    markdown = cli("show", "1.3.2", "-f", "markdown").stdout
    assert "\n**Aims**\n" in markdown and "recorded by Jane: Hackathon held" in markdown


def test_import_heads_both_id_columns_as_the_id_fields_are_declared(repo, cli, monkeypatch):
    def tables(update_date: str) -> list[list[str]]:
        update = {"Status": "in-progress", update_date: "2025-04-01"}
        sheets = {"Indicators": {"1.1-a": ACTUAL}, "Activities": {"1.1.2": update}}
        fill(export(cli, repo, "--plan", "2025"), sheets)
        out = cli("import", "filled.xlsx", "--dry-run").stdout
        assert "2025-04-01  planned -> in-progress" in out and "1 for 2025 (2025-06-02)" in out
        return [_cells(line) for line in out.splitlines() if line.startswith("Row")]

    # Both id columns read the declared "ID" (the indicators' was headed "Indicator").
    assert tables("Update: Date") == [["Row", "ID", "Date", "Change"], ["Row", "ID", "New actual"]]
    # The workbook carries the labels too: exported again under new ones, it imports alike.
    labels = [(Activity, "id", "Activity key"), (Indicator, "id", "Indicator key")]
    relabel(monkeypatch, [*labels, (HistoryEntry, "date", "Day")])
    assert tables("Update: Day") == [
        ["Row", "Activity key", "Day", "Change"],
        ["Row", "Indicator key", "New actual"],
    ]


def test_import_conflicts_are_headed_by_the_activity_id_label(git_repo, cli, monkeypatch):
    relabel(monkeypatch, [(Activity, "id", "Key")])
    cli("export", "-o", "plan.xlsx")
    fill(git_repo / "plan.xlsx", {"Activities": {"1.1.2": {"Status": "in-progress"}}})
    edit_activity(git_repo / "data/workplan-2024.yaml", "1.1.2", status="postponed")
    git(git_repo, "commit", "-qam", "1.1.2 postponed")
    out = cli("import", "filled.xlsx", code=1).stdout
    assert _header(out, "Row") == ["Row", "Key", "Conflict"]
