"""`workplan diff` on real temporary git repositories with several commits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import git
from tests.test_revise import set_status

PLAN = "data/workplan-2024.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def history(git_repo: Path) -> Path:
    """Three commits: signed plan; 1.3.2 completed and a stakeholder added; 1.1.1 reworded."""
    git(git_repo, "tag", "signed")
    set_status(git_repo / PLAN, "1.3.2", "completed")
    with (git_repo / "data/stakeholders.yaml").open("a", encoding="utf-8") as out:
        out.write("\n  - id: students-ke\n    name: Kenyan students\n    type: academia\n")
        out.write("    kind: group\n")
    git(git_repo, "commit", "-qam", "1.3.2 completed")
    edit(git_repo / PLAN, "Internet Governance Forum 2024", "Internet Governance Forum 2025")
    git(git_repo, "commit", "-qam", "IGF 2025")
    return git_repo


def as_json(cli, *args) -> dict:
    return json.loads(cli("diff", *args, "--format", "json").stdout)


def test_two_revisions_of_one_version(history, cli):
    data = as_json(cli, "HEAD~2:2024", "HEAD~1:2024")
    assert [(a["change"], a["id"]) for a in data["activities"]] == [("changed", "1.3.2")]
    fields = {f["field"]: f for f in data["activities"][0]["fields"]}
    assert (fields["status"]["old"], fields["status"]["new"]) == ("planned", "completed")
    assert fields["history"]["added"] == [
        {
            "date": "2024-10-01",
            "from": "planned",
            "to": "completed",
            "note": None,
            "by": None,
            "evidence": [],
        }
    ]
    assert data["old"]["source"].startswith("data/workplan-2024.yaml at ")


def test_stakeholders_are_read_from_the_same_revision(history, cli):
    data = as_json(cli, "HEAD~2:2024", "HEAD~1:2024")
    assert data["stakeholders"] == [
        {"change": "added", "id": "students-ke", "name": "Kenyan students", "fields": []}
    ]
    assert as_json(cli, "HEAD~1:2024", "HEAD:2024")["stakeholders"] == []


def test_tag_branch_and_commit_id(history, cli):
    sha = git(history, "rev-parse", "HEAD~1").strip()
    for old in ("signed:2024", f"{sha}:2024", f"{sha[:10]}:2024"):
        data = as_json(cli, old, "main:2024")
        assert {a["id"] for a in data["activities"]} == (
            {"1.1.1"} if old != "signed:2024" else {"1.1.1", "1.3.2"}
        )


def test_one_side_compares_with_the_working_copy(history, cli):
    assert as_json(cli, "HEAD:2024")["identical"] is True
    edit(history / PLAN, "kind: conference", "kind: workshop")
    data = as_json(cli, "HEAD:2024")
    assert data["new"]["source"] == "data/workplan-2024.yaml"
    change = data["activities"][0]
    assert (change["id"], change["fields"][0]["field"]) == ("2.2.3", "kind")


def test_text_output_with_word_diff(history, cli):
    out = cli("diff", "HEAD~1:2024", "HEAD:2024").stdout
    assert out.splitlines()[0].startswith("Comparing HEAD~1:2024 (data/workplan-2024.yaml at ")
    assert "activities: 1 changed" in out
    assert "    ~ 1.1.1  Common positions on internet governance in international fora\n" in out
    assert "Internet Governance Forum [-2024.-] {+2025.+}" in out


def test_exit_code(history, cli):
    cli("diff", "HEAD:2024", "--exit-code", code=0)
    cli("diff", "HEAD~1:2024", "HEAD:2024", "--exit-code", code=4)
    cli("diff", "HEAD~1:2024", "HEAD:2024", code=0)  # without --exit-code differences are fine
    cli("diff", "HEAD~1:2024", "HEAD:2024", "--exit-code", "--area", "3", code=0)


def test_narrow_to_a_topic(history, cli):
    data = as_json(cli, "signed:2024", "HEAD:2024", "--topic", "1.3")
    assert [a["id"] for a in data["activities"]] == ["1.3.2"]
    assert data["filters"] == {"area": None, "topic": "1.3"}
    assert data["stakeholders"] == []


def test_a_file_path_side(history, cli, tmp_path):
    other = tmp_path / "proposal.yaml"
    other.write_text((history / PLAN).read_text(encoding="utf-8"), encoding="utf-8")
    data = as_json(cli, PLAN, str(other))
    assert data["identical"] is True
    assert data["new"]["name"] == str(other)


def test_moved_activity_in_a_commit(history, cli):
    # 2.2.6 leaves topic 2.2 for a new topic 2.3, with the same text.
    text = (history / PLAN).read_text(encoding="utf-8")
    start = text.index("          # In the source this bullet stands alone")
    end = text.index("  # Area 3 has no topic heading")
    block = text[start:end].replace('"2.2.6"', '"2.3.1"')
    new_topic = (
        '      - id: "2.3"\n        title: Digital skills\n        objectives:\n'
        "          - Skills.\n        activities:\n" + block
    )
    (history / PLAN).write_text(text[:start] + new_topic + text[end:], encoding="utf-8")
    git(history, "commit", "-qam", "topic 2.3")
    data = as_json(cli, "HEAD~1:2024", "HEAD:2024")
    assert [(t["change"], t["id"]) for t in data["topics"]] == [("added", "2.3")]
    moved = data["activities"][0]
    assert (moved["change"], moved["old_id"], moved["id"]) == ("moved", "2.2.6", "2.3.1")
    assert (moved["old_topic"], moved["topic"], moved["fields"]) == ("2.2", "2.3", [])
    text_out = cli("diff", "HEAD~1:2024", "HEAD:2024").stdout
    assert (
        "> 2.3.1  Up- and reskilling for the digital economy  (moved from 2.2.6 in topic 2.2)"
        in (text_out)
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope:2024",), "Error: unknown git revision 'nope'\n"),
        (("HEAD~99:2024",), "Error: unknown git revision 'HEAD~99'\n"),
        (("--", "--output=evil:2024"), "Error: '--output=evil' is not a valid git revision\n"),
        (("--", "-p:2024", "2024"), "Error: '-p' is not a valid git revision\n"),
        (
            ("HEAD:2031",),
            "Error: no plan version '2031' at git revision 'HEAD' "
            "(data/workplan-2031.yaml does not exist at ",
        ),
        (("HEAD:abc",), "Error: 'HEAD:abc': 'abc' is not a plan version"),
        (("2031", "2024"), "Error: no plan version '2031' in data (versions: 2024, 2025)\n"),
        (("2024",), "Error: '2024' is the working copy itself: give a second plan"),
        (("2024", "missing.yaml"), "Error: missing.yaml: no such file\n"),
        (("2024", "2024", "--area", "9"), "Error: no area '9' in 2024 or 2024\n"),
        (("2024", "2024", "--topic", "1.9"), "Error: no topic '1.9' in 2024 or 2024\n"),
    ],
)
def test_bad_input(history, cli, args, message):
    result = cli("diff", *args, code=1)
    assert result.stderr.startswith(message), result.stderr
    assert result.stdout == ""
    assert not (history / "evil").exists()


def test_not_a_git_repository(repo, cli):
    result = cli("diff", "HEAD:2024", code=1)
    assert result.stderr == f"Error: {repo} is not in a git repository\n"


def test_a_side_that_does_not_validate(history, cli):
    edit(history / PLAN, "kind: conference", "kind: party")
    git(history, "commit", "-qam", "broken")
    edit(history / PLAN, "kind: party", "kind: conference")
    result = cli("diff", "HEAD:2024", code=1)
    assert result.stderr.startswith("Error: HEAD:data/workplan-2024.yaml:")
    assert "activities[2].kind (activity 2.2.3): 'party' is not one of" in result.stderr
    assert as_json(cli, "HEAD~1:2024", "2024")["identical"] is True


def test_a_plan_repository_in_a_subfolder_of_the_git_work_tree(tmp_path, cli, monkeypatch):
    import shutil

    from tests.conftest import DATA

    shutil.copytree(DATA, tmp_path / "plans/data")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "plans")
    monkeypatch.chdir(tmp_path / "plans")
    assert json.loads(cli("diff", "HEAD:2024", "-f", "json").stdout)["identical"] is True


def test_tree_in_a_terminal(repo, cli, monkeypatch):
    import io

    from rich.console import Console

    from workplan_cli.cli import diff as diff_command
    from workplan_cli.cli import output

    buffer = io.StringIO()
    terminal = Console(file=buffer, force_terminal=True, color_system=None, width=200)
    monkeypatch.setattr(output, "console", lambda: terminal)
    monkeypatch.setattr(diff_command, "is_terminal", lambda: True)
    cli("diff", "2024", "2025")
    out = buffer.getvalue()
    assert out.startswith("Comparing 2024 (data/workplan-2024.yaml) with 2025")
    assert "2024 → 2025\n├── Plan metadata\n│   ├── ~ version: 2024 → 2025\n" in out
    assert (
        "> 2.3.1  Up- and reskilling for the digital economy  (moved from 2.2.6 in topic 2.2)"
        in out
    )
    assert "Internet Governance Forum 2024. 2025." in out  # struck and added words, styled
