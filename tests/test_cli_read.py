"""The read-only commands on the shipped data and on broken copies of it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import DATA

GOLDEN = Path(__file__).parent / "golden" / "cli"


def golden(name: str, actual: str) -> None:
    """Compares with tests/golden/cli/NAME; UPDATE_GOLDEN=1 rewrites it (review the diff)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def edit(repo: Path, old: str, new: str, name: str = "workplan-2024.yaml") -> None:
    path = repo / "data" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- status ------------------------------------------------------------------------------


def test_status_plain(repo, cli):
    golden("status.txt", cli("status").stdout)


def test_status_markdown_with_filters(repo, cli):
    golden("status-area2.md", cli("status", "--area", "2", "--format", "markdown").stdout)


def test_status_json(repo, cli):
    data = json.loads(cli("status", "--format", "json").stdout)
    assert data["plan"] == {
        "id": "ke-de-digital-dialogue",
        "title": "Work Plan of the Kenyan-German Digital Dialogue",
        "version": "2024",
        "status": "signed",
        "signed": "2024-02-13",
    }
    assert data["total"] == {
        "counts": {"planned": 17, "in-progress": 0, "completed": 0, "postponed": 0, "cancelled": 0},
        "total": 17,
        "progress": 0.0,
        # the signed plan has no dates: nothing to judge, everything grey
        "schedule": {
            "colour": "grey",
            "counts": {"red": 0, "amber": 0, "green": 0, "grey": 17},
            "overdue": 0,
            "indicators": {"red": 0, "amber": 0, "green": 0, "grey": 0},
        },
    }
    assert data["schedule"]["amber_days"] == 30
    assert [a["id"] for a in data["areas"]] == ["1", "2", "3"]
    assert [t["id"] for t in data["areas"][0]["topics"]] == ["1.1", "1.2", "1.3"]
    assert data["areas"][1]["topics"][1]["total"] == 6


@pytest.mark.parametrize(
    ("args", "total"),
    [
        (["--area", "2"], 8),
        (["--topic", "1.3"], 3),
        (["--status", "planned"], 17),
        (["--status", "completed"], 0),
        (["--lead", "bmdv"], 17),
        (["--stakeholder", "students"], 2),
        (["--stakeholder", "giz", "--area", "3"], 2),
    ],
)
def test_status_filters(repo, cli, args, total):
    data = json.loads(cli("status", *args, "-f", "json").stdout)
    assert data["total"]["total"] == total


def test_progress_counts_completed_and_leaves_out_cancelled(repo, cli):
    edit(
        repo,
        "            status: planned\n            lead: [micde, bmdv]\n            stakeholders: [giz, igf]\n            history: []",
        "            status: completed\n            lead: [micde, bmdv]\n            stakeholders: [giz, igf]\n            history: []",
    )
    edit(
        repo,
        "            status: planned\n            lead: [micde, bmdv]\n            stakeholders: [giz]\n            history: []",
        "            status: cancelled\n            lead: [micde, bmdv]\n            stakeholders: [giz]\n            history: []",
    )
    data = json.loads(cli("status", "--topic", "1.1", "-f", "json").stdout)
    assert data["total"]["counts"]["completed"] == 1
    assert data["total"]["counts"]["cancelled"] == 1
    assert data["total"]["progress"] == 0.5


def test_status_from_a_subfolder_finds_the_repository(repo, cli, monkeypatch):
    (repo / "deep" / "er").mkdir(parents=True)
    monkeypatch.chdir(repo / "deep" / "er")
    assert "Version 2024, signed on 2024-02-13" in cli("status").stdout


def test_repo_option_and_environment(repo, cli, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert "Version 2024" in cli("status", "--repo", str(repo)).stdout
    monkeypatch.setenv("WORKPLAN_REPO", str(repo))
    assert "Version 2024" in cli("status").stdout


def test_current_plan_skips_drafts(repo, cli):
    text = (repo / "data" / "workplan-2024.yaml").read_text(encoding="utf-8")
    draft = text.replace('version: "2024"', 'version: "2025"').replace(
        "status: signed", "status: draft"
    )
    (repo / "data" / "workplan-2025.yaml").write_text(draft, encoding="utf-8")
    assert "Version 2024" in cli("status").stdout
    assert "Version 2025, draft" in cli("status", "--plan", "2025").stdout
    assert "Version 2025, draft" in cli("status", "-p", "data/workplan-2025.yaml").stdout


def test_the_current_plan_is_read_once(repo, monkeypatch):
    from workplan_cli.plan import store

    reads = []
    real = store.read_bytes
    monkeypatch.setattr(store, "read_bytes", lambda path: reads.append(path.name) or real(path))
    assert store.find_repo(repo).load_plan().version == "2024"
    # 2025 is a draft: read to learn that, then 2024, the current plan, once
    assert sorted(n for n in reads if n.startswith("workplan-")) == [
        "workplan-2024.yaml",
        "workplan-2025.yaml",
    ]


# --- list, show, stakeholders ----------------------------------------------------------


def test_list_plain(repo, cli):
    golden("list-topic-1.3.txt", cli("list", "--topic", "1.3").stdout)


def test_list_json_and_filters(repo, cli):
    data = json.loads(cli("list", "--stakeholder", "business", "-f", "json").stdout)
    assert [a["id"] for a in data["activities"]] == [
        "1.1.3",
        "1.2.1",
        "1.3.1",
        "2.2.1",
        "2.2.2",
        "2.2.4",
    ]
    assert data["activities"][0]["lead"] == ["micde", "bmdv"]


def test_list_nothing_matches(repo, cli):
    assert cli("list", "--status", "cancelled").stdout == "No activity matches.\n"


def test_show_plain(repo, cli):
    golden("show-1.3.2.txt", cli("show", "1.3.2").stdout)


def test_show_with_history_and_evidence(repo, cli):
    edit(
        repo,
        "            status: planned\n            lead: [micde, bmdv]\n            stakeholders: [giz, students]\n            history: []",
        "            status: completed\n            lead: [micde, bmdv]\n            stakeholders: [giz, students]\n"
        "            start: 2024-10-01\n            end: 2024-10-12\n"
        "            history:\n"
        "              - date: 2024-10-12\n                from: planned\n                to: completed\n"
        "                note: Hackathon held\n                by: Jane\n"
        "                evidence: ['https://example.org/hackathon']\n",
    )
    out = cli("show", "1.3.2").stdout
    assert "Status:       completed\n" in out
    assert "Dates:        2024-10-01 to 2024-10-12\n" in out
    assert "  2024-10-12  planned -> completed  by Jane: Hackathon held\n" in out
    assert "Evidence:\n  https://example.org/hackathon\n" in out
    data = json.loads(cli("show", "1.3.2", "-f", "json").stdout)["activity"]
    assert data["history"] == [
        {
            "date": "2024-10-12",
            "from": "planned",
            "to": "completed",
            "note": "Hackathon held",
            "by": "Jane",
            "evidence": ["https://example.org/hackathon"],
        }
    ]
    assert data["objectives"] == [
        "Both countries learn from each other to ensure a safe and secure cyberspace."
    ]


def test_show_markdown(repo, cli):
    out = cli("show", "2.2.4", "-f", "markdown").stdout
    assert out.startswith("### 2.2.4 Workshops on regulation and promotion of innovation\n")


def test_stakeholders_plain(repo, cli):
    golden("stakeholders.txt", cli("stakeholders").stdout)


def test_stakeholders_json(repo, cli):
    data = json.loads(cli("stakeholders", "-f", "json").stdout)["stakeholders"]
    igf = next(s for s in data if s["id"] == "igf")
    assert igf == {
        "id": "igf",
        "name": "Internet Governance Forum",
        "short_name": "IGF",
        "country": None,
        "type": "international-forum",
        "kind": "institution",
        "note": None,
        "iati_ref": None,
        "reviewers": [],
        "lead": [],
        "involved": ["1.1.1"],
    }


# --- validate ----------------------------------------------------------------------------


def test_validate_ok(repo, cli):
    assert cli("validate").stdout == "3 files valid.\n"
    assert cli("validate", "-f", "json").stdout == "[]\n"


def test_validate_reports_every_file(repo, cli):
    edit(repo, "status: planned", "status: complted")
    edit(repo, "type: academia", "type: school", name="stakeholders.yaml")
    result = cli("validate", code=1)
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("data/stakeholders.yaml:")
    assert lines[0].endswith(
        ": stakeholders[7].type (stakeholder academia): 'school' is not one of government, "
        "implementing-agency, business, civil-society, academia, "
        "international-forum"
    )
    assert lines[1].startswith("data/workplan-2024.yaml:")
    assert "'complted' is not one of" in lines[1]


def test_validate_github_and_json(repo, cli):
    edit(repo, "status: planned", "status: complted")
    out = cli("validate", "--format", "github", code=1).stdout
    assert out.startswith("::error file=data/workplan-2024.yaml,line=")
    assert (
        ",col=21::areas[0].topics[0].activities[0].status (activity 1.1.1): 'complted' is not one of "
        in out
    )
    [problem] = json.loads(cli("validate", "--format", "json", code=1).stdout)
    assert problem["file"] == "data/workplan-2024.yaml"
    assert problem["column"] == 21
    assert problem["path"] == "areas[0].topics[0].activities[0].status"
    assert problem["subject"] == "activity 1.1.1"


def test_validate_checks_file_name_against_version(repo, cli):
    (repo / "data" / "workplan-2024.yaml").rename(repo / "data" / "workplan-2023.yaml")
    out = cli("validate", code=1).stderr
    assert out == (
        "data/workplan-2023.yaml: plan.version: plan.version is '2024' but the file "
        "name says '2023'\n"
    )


# --- bad input: one message, exit 1, never a traceback -----------------------------------


def test_no_repository(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    err = cli("status", code=1).stderr
    assert err.startswith("Error: no plan repository here: no data/workplan-*.yaml in ")
    assert err.endswith("(use --repo PATH or set WORKPLAN_REPO)\n")


def test_repo_option_not_a_repository(tmp_path, cli):
    err = cli("status", "--repo", str(tmp_path), code=1).stderr
    assert err == f"Error: {tmp_path} is not a plan repository (no data/workplan-*.yaml in it)\n"


def test_unknown_plan_version(repo, cli):
    err = cli("status", "--plan", "2031", code=1).stderr
    assert err == "Error: no plan version '2031' in data (versions: 2024, 2025)\n"


def test_unknown_activity_suggests_nearest(repo, cli):
    err = cli("show", "1.3.4", code=1).stderr
    assert err == "Error: no activity '1.3.4' in plan 2024; did you mean 1.3.1, 1.3.2, 1.3.3?\n"


def test_unknown_filter_values(repo, cli):
    assert cli("status", "--area", "4", code=1).stderr == (
        "Error: no area '4' in plan 2024 (areas: 1, 2, 3)\n"
    )
    assert cli("list", "--lead", "bmvd", code=1).stderr == (
        "Error: no stakeholder 'bmvd' in stakeholders.yaml; did you mean bmdv?\n"
    )


def test_unknown_status_is_a_usage_error(repo, cli):
    assert cli("status", "--status", "done", code=2).exit_code == 2


def test_invalid_plan_stops_status(repo, cli):
    edit(repo, "kind: workshop", "kind: meeting")
    err = cli("status", code=1).stderr
    assert err.startswith("Error: data/workplan-2024.yaml:")
    assert "kind (activity 2.2.2): 'meeting' is not one of high-level-meeting, conference" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe binary", "not UTF-8 text: it starts with a UTF-16 or UTF-32 byte"),
        (b"\xfe binary", "not UTF-8 text: byte 0xfe at offset 0 cannot be decoded"),
        (b"plan: [\n", "data/workplan-2024.yaml:2:1: "),
        (b"a: 1\na: 2\n", 'found duplicate key "a"'),
        (b"", "found an empty file"),
    ],
)
def test_broken_files_every_command(repo, cli, content, expected):
    (repo / "data" / "workplan-2024.yaml").write_bytes(content)
    for args in (["status"], ["list"], ["show", "1.1.1"], ["stakeholders"], ["validate"]):
        result = cli(*args, code=1)
        assert expected in result.stderr, (args, result.stderr)


def test_unreadable_file(repo, cli):
    path = repo / "data" / "stakeholders.yaml"
    path.unlink()
    path.mkdir()
    assert cli("status", code=1).stderr == (
        "Error: data/stakeholders.yaml: is a folder, not a file\n"
    )


def test_dangling_reference_in_status(repo, cli):
    edit(repo, "stakeholders: [giz, igf]", "stakeholders: [giz, ifg]")
    assert "unknown stakeholder 'ifg' (not in stakeholders.yaml)" in cli("status", code=1).stderr


def test_every_command_has_help(cli):
    for command in ("status", "list", "show", "stakeholders", "validate"):
        out = cli(command, "--help").stdout
        assert "Example:" in out, command


def test_version(cli):
    assert cli("--version").stdout.startswith("workplan ")


def test_shipped_data_is_untouched_by_reads(cli, monkeypatch):
    before = {p.name: p.read_bytes() for p in DATA.iterdir()}
    monkeypatch.chdir(DATA.parent)
    cli("status")
    cli("validate")
    assert before == {p.name: p.read_bytes() for p in DATA.iterdir()}
