"""workplan review: plan changes since the merge base, on real git repositories."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import DATA, git
from tests.gitplans import COMPLETED_132, commit, edit_activity, plan


def _branch(repo, name="change"):
    git(repo, "checkout", "-q", "-b", name)


def test_status_change_with_its_history_entry(git_repo, cli):
    _branch(git_repo)
    edit_activity(plan(git_repo), "1.3.2", status="completed", history=COMPLETED_132)
    commit(git_repo, "1.3.2 completed")
    out = cli("review", "main").stdout
    assert "✅ The new state is valid (3 files checked)." in out
    assert (
        "| 2024 | 1.3.2 | Cyber security innovation challenge or hackathon | planned | completed "
        "| 2024-10-12 | Hackathon held in Nairobi |" in out
    )
    assert "- data/workplan-2024.yaml: changed" in out
    assert "### Work plan changes:" in out  # the diff, one heading level down
    assert "**changed** status: planned → completed" in out
    data = json.loads(cli("review", "main", "--format", "json").stdout)
    assert data["valid"] is True
    assert data["status_changes"] == [
        {
            "version": "2024",
            "id": "1.3.2",
            "title": "Cyber security innovation challenge or hackathon",
            "from": "planned",
            "to": "completed",
            "date": "2024-10-12",
            "note": "Hackathon held in Nairobi",
        }
    ]
    [file] = data["files"]
    assert file["change"] == "changed" and file["diff"]["summary"]["activities"]["changed"] == 1
    assert data["head"]["commit"] == git(git_repo, "rev-parse", "HEAD").strip()


def test_compares_with_the_merge_base_not_the_tip_of_base(git_repo, cli):
    _branch(git_repo)
    edit_activity(plan(git_repo), "1.3.2", status="in-progress")
    commit(git_repo, "branch work")
    git(git_repo, "checkout", "-q", "main")
    edit_activity(plan(git_repo), "1.1.1", status="cancelled")
    commit(git_repo, "main moved on")
    git(git_repo, "checkout", "-q", "change")
    data = json.loads(cli("review", "main", "-f", "json").stdout)
    assert [s["id"] for s in data["status_changes"]] == ["1.3.2"]
    assert data["base"]["merge_base"] == git(git_repo, "rev-parse", "main~1").strip()


def test_invalid_new_state_exits_1_and_lists_the_problems(git_repo, cli):
    _branch(git_repo)
    edit_activity(plan(git_repo), "1.3.2", status="finished")
    commit(git_repo, "bad status")
    result = cli("review", "main", code=1)
    assert "❌ The new state does not validate (1 problem):" in result.stdout
    assert "data/workplan-2024.yaml:195:21" in result.stdout
    assert "does not validate in the new state, not compared" in result.stdout
    data = json.loads(cli("review", "main", "-f", "json", code=1).stdout)
    assert data["valid"] is False and data["problems"][0]["line"] == 195


def test_validation_reads_head_from_git_not_the_working_copy(git_repo, cli):
    _branch(git_repo)
    edit_activity(plan(git_repo), "1.3.2", status="finished")  # not committed
    cli("review", "main")
    cli("review", "main", "--worktree", code=1)


def _copy_as(repo, old, new):
    text = plan(repo, old).read_text().replace(f'version: "{old}"', f'version: "{new}"')
    plan(repo, new).write_text(text, encoding="utf-8")


def test_added_plan_file(git_repo, cli):
    _branch(git_repo)
    _copy_as(git_repo, "2024", "2026")
    commit(git_repo, "add 2026")
    out = cli("review", "main").stdout
    assert "- data/workplan-2026.yaml: added (17 activities)" in out
    [file] = json.loads(cli("review", "main", "-f", "json").stdout)["files"]
    assert (file["change"], file["old_path"], file["activities"]) == ("added", None, 17)


def test_removed_plan_file(git_repo, cli):
    _branch(git_repo)
    git(git_repo, "rm", "-q", "data/workplan-2025.yaml")
    commit(git_repo, "drop 2025")
    out = cli("review", "main").stdout
    assert "- data/workplan-2025.yaml: removed (17 activities)" in out


def test_renamed_plan_file_is_compared_with_its_old_name(git_repo, cli):
    _branch(git_repo)
    git(git_repo, "mv", "data/workplan-2025.yaml", "data/workplan-2026.yaml")
    path = plan(git_repo, "2026")
    path.write_text(path.read_text().replace('version: "2025"', 'version: "2026"'))
    commit(git_repo, "2025 becomes 2026")
    out = cli("review", "main").stdout
    assert "- data/workplan-2026.yaml: renamed from data/workplan-2025.yaml" in out
    assert "**changed** version: 2025 → 2026" in out


def test_a_file_invalid_at_the_base_is_reported_and_skipped(git_repo, cli):
    edit_activity(plan(git_repo, "2025"), "1.3.2", status="finished")
    commit(git_repo, "broken on main")
    _branch(git_repo)
    git(git_repo, "checkout", "-q", "main~1", "--", "data/workplan-2025.yaml")
    commit(git_repo, "fixed")
    out = cli("review", "main").stdout
    assert "- data/workplan-2025.yaml: changed; does not validate at the base, not compared" in out
    assert "✅ The new state is valid" in out


def test_stakeholder_changes_get_their_own_section(git_repo, cli):
    _branch(git_repo)
    people = git_repo / "data" / "stakeholders.yaml"
    people.write_text(people.read_text().replace("short_name: GIZ", "short_name: GIZ GmbH"))
    commit(git_repo, "rename GIZ")
    out = cli("review", "main").stdout
    assert "### Stakeholders" in out
    assert "**changed** giz" in out and "short\\_name: GIZ → GIZ GmbH" in out
    data = json.loads(cli("review", "main", "-f", "json").stdout)
    assert data["files"] == [] and data["stakeholders"]["changes"][0]["id"] == "giz"


def test_worktree_sees_uncommitted_and_untracked_files(git_repo, cli):
    edit_activity(plan(git_repo), "1.3.2", status="in-progress")
    shutil.copy(plan(git_repo), plan(git_repo, "2024-rev2"))
    p = plan(git_repo, "2024-rev2")
    p.write_text(p.read_text().replace('version: "2024"', 'version: "2024-rev2"'))
    out = cli("review", "HEAD", "--worktree").stdout
    assert "- data/workplan-2024-rev2.yaml: added (17 activities)" in out
    assert "| 2024 | 1.3.2 |" in out
    assert "Changes in the working tree" in out


def test_nothing_changed(git_repo, cli):
    out = cli("review", "main").stdout
    assert "No plan or stakeholder files changed." in out


def test_output_file(git_repo, cli, tmp_path):
    target = tmp_path / "review.md"
    assert cli("review", "main", "-o", str(target)).stdout == ""
    assert target.read_text().startswith("## Work plan review")


def test_revision_names_cannot_inject_options_or_commands(git_repo, cli, tmp_path):
    victim = tmp_path / "written"
    result = cli("review", "--", f"--output={victim}", code=1)
    assert "is not a valid git revision" in result.stderr
    result = cli("review", "main;touch pwned", code=1)
    assert "unknown git revision" in result.stderr
    assert not victim.exists() and not (git_repo / "pwned").exists()


def test_outside_git(repo, cli):
    result = cli("review", "main", code=1)
    assert "not in a git repository" in result.stderr


def test_plan_text_cannot_break_the_markdown(git_repo, cli):
    _branch(git_repo)
    edit_activity(
        plan(git_repo),
        "1.3.2",
        status="completed",
        title="'Hack | <b>athon</b> # [x](y)'",
        history='[{date: 2024-10-12, from: planned, to: completed, note: "a | b"}]',
    )
    commit(git_repo, "odd text")
    out = cli("review", "main", code=5).stdout  # a title of the signed plan: an amendment
    assert "- 2024: ❌ needs agreement of MICDE and BMDV: 1 change\n" in out
    assert (
        "Hack \\| \\<b\\>athon\\</b\\> # \\[x\\](y) | planned | completed | 2024-10-12 | a \\| b |"
        in out
    )


@pytest.mark.slow
def test_a_plan_repository_in_a_subfolder_of_the_work_tree(tmp_path, cli, monkeypatch):
    top = tmp_path / "work"
    shutil.copytree(DATA, top / "plans" / "data")
    git(top, "init", "-q", "-b", "main")
    commit(top, "start")
    _branch(top)
    sub = top / "plans"
    edit_activity(plan(sub), "1.3.2", status="completed", history=COMPLETED_132)
    commit(top, "done")
    monkeypatch.chdir(sub)
    out = cli("review", "main").stdout
    assert "- plans/data/workplan-2024.yaml: changed" in out and "| 2024 | 1.3.2 |" in out
    events = json.loads(cli("log", "1.3.2", "-f", "json").stdout)["events"]
    assert [e.get("subject") for e in events if e["kind"] == "commit"] == ["start", "done"]
    cli("git-setup")
    assert "plans/data/workplan-*.yaml diff=workplan" in (top / ".gitattributes").read_text()
    edit_activity(plan(sub), "1.3.3", status="cancelled")
    assert "+1.3.3 status: cancelled" in git(top, "diff")


def test_a_base_with_no_common_ancestor(git_repo, cli):
    git(git_repo, "checkout", "-q", "--orphan", "other")
    commit(git_repo, "unrelated history")
    assert "have no common ancestor" in cli("review", "main", code=1).stderr


def test_a_repository_without_commits(repo, cli):
    git(repo, "init", "-q", "-b", "main")
    assert "has no commits yet" in cli("review", "main", code=1).stderr
    assert "has no commits yet" in cli("review", "HEAD", code=1).stderr
    assert "has no commits yet" in cli("log", "1.3.2", code=1).stderr
