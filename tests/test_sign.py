"""`workplan sign` (edit/sign.py): refusals naming the party and the difference, the signing of
both files, commits and tags through git."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.conftest import STAKEHOLDER_IDS, git
from tests.gitplans import commit, plan
from workplan_cli.edit import sign as core
from workplan_cli.edit.status import parse_date
from workplan_cli.plan import agreed, load
from workplan_cli.plan.model import PlanStatus
from workplan_cli.plan.store import find_repo

OPEN = b"title: Expert exchange on open internet governance\n"
UNAPPROVED = Path(__file__).parent / "golden" / "agree" / "shipped" / "before.yaml"


@pytest.fixture(autouse=True)
def _draft_without_approvals(repo):
    """The shipped 2025 draft carries an illustrative approval by micde: these tests start from
    the draft as it was before it (tests/golden/agree/shipped/before.yaml)."""
    (repo / "data" / "workplan-2025.yaml").write_bytes(UNAPPROVED.read_bytes())


def _approve(cli, party: str, on: str = "2024-11-20", *more: str) -> None:
    cli("approve", "2025", "--party", party, "--by", party.upper(), "--on", on, *more)


def test_sign_refuses_naming_the_missing_party_and_writes_nothing(repo, cli):
    _approve(cli, "micde")
    before = plan(repo, "2025").read_bytes(), plan(repo).read_bytes()
    out = cli("sign", "2025", "--on", "2024-11-25", code=1)
    assert (
        "Error: plan 2025 cannot be signed: no approval by bmdv (approved by: micde)" in out.stderr
    )
    assert (plan(repo, "2025").read_bytes(), plan(repo).read_bytes()) == before


def test_sign_refuses_a_stale_approval_and_shows_the_difference_since(git_repo, cli):
    _approve(cli, "micde", "2024-11-20", "--commit")
    _approve(cli, "bmdv", "2024-11-20", "--commit")
    path = plan(git_repo, "2025")
    path.write_bytes(path.read_bytes().replace(OPEN, OPEN[:-1] + b" and the IGF\n", 1))
    commit(git_repo, "retitle 1.1.2")
    _approve(cli, "micde", "2024-11-22", "--commit")
    out = cli("sign", "2025", "--on", "2024-11-25", code=1)
    assert "bmdv approved an earlier text on 2024-11-20" in out.stderr
    assert "(approved by: micde)" in out.stderr
    assert "~ 1.1.2  Expert exchange on open internet governance and the IGF" in out.stderr
    assert "~ title: Expert exchange on open internet governance {+and the IGF+}" in out.stderr
    assert "status" not in out.stderr.split("Comparing")[1]  # the agreed content only
    assert b"status: draft" in path.read_bytes()


def test_sign_signs_the_draft_and_supersedes_the_old_plan(repo, cli):
    _approve(cli, "micde")
    _approve(cli, "bmdv", "2024-11-21")
    out = cli("sign", "2025", "--on", "2024-11-25")
    assert out.stdout.splitlines() == [
        "2025: signed 2024-11-25 (data/workplan-2025.yaml)",
        "2024: superseded (data/workplan-2024.yaml)",
    ]
    store = find_repo(repo)
    new, old = store.load_plan("2025"), store.load_plan("2024")
    assert new.plan.status is PlanStatus.SIGNED and old.plan.status is PlanStatus.SUPERSEDED
    assert new.plan.signed.digest == agreed.digest(new) and new.plan.signed.by == ["micde", "bmdv"]
    assert store.validate() == []
    out = cli("validate")
    assert out.stdout == "3 files valid.\n"


def test_sign_refuses_dates_before_an_approval_or_in_the_future_and_non_drafts(repo, cli):
    _approve(cli, "micde")
    _approve(cli, "bmdv", "2024-11-21")
    out = cli("sign", "2025", "--on", "2024-11-20", code=1)
    assert "--on 2024-11-20 is before the last approval, of 2024-11-21" in out.stderr
    assert "in the future" in cli("sign", "2025", "--on", "2999-01-01", code=1).stderr
    assert "signed, not a draft" in cli("sign", "2024", code=1).stderr
    assert "--tag marks the commit" in cli("sign", "2025", "--tag", code=1).stderr
    assert b"status: draft" in plan(repo, "2025").read_bytes()


def test_sign_commits_both_files_and_tags_the_commit(git_repo, cli):
    _approve(cli, "micde", "2024-11-20", "--commit")
    _approve(cli, "bmdv", "2024-11-21", "--commit")
    out = cli("sign", "2025", "--on", "2024-11-25", "--commit", "--tag")
    assert "tagged workplan-2025-signed" in out.stdout
    assert git(git_repo, "log", "-1", "--format=%s").strip() == (
        "2025: signed 2024-11-25 by micde and bmdv"
    )
    files = git(git_repo, "show", "--name-only", "--format=", "HEAD").split()
    assert files == ["data/workplan-2024.yaml", "data/workplan-2025.yaml"]
    assert git(git_repo, "cat-file", "-t", "workplan-2025-signed").strip() == "tag"
    message = git(git_repo, "tag", "-l", "-n9", "workplan-2025-signed")
    assert "Work plan 2025 signed 2024-11-25 by micde and bmdv" in message
    assert "Agreed content: sha256:" in message
    assert git(git_repo, "rev-parse", "workplan-2025-signed^{commit}") == git(
        git_repo, "rev-parse", "HEAD"
    )


def test_a_failed_commit_puts_both_files_back(git_repo, cli):
    _approve(cli, "micde", "2024-11-20", "--commit")
    _approve(cli, "bmdv", "2024-11-21", "--commit")
    before = plan(git_repo, "2025").read_bytes(), plan(git_repo).read_bytes()
    hook = git_repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho refused >&2\nexit 1\n")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    out = cli("sign", "2025", "--on", "2024-11-25", "--commit", "--tag", code=1)
    assert "the signing was not committed" in out.stderr and "was undone" in out.stderr
    assert (plan(git_repo, "2025").read_bytes(), plan(git_repo).read_bytes()) == before
    changed = git(git_repo, "status", "--porcelain").splitlines()
    assert [line for line in changed if not line.endswith(".lock")] == []
    assert git(git_repo, "tag") == ""


def test_an_existing_tag_is_never_moved(git_repo, cli):
    git(git_repo, "tag", "workplan-2025-signed")
    _approve(cli, "micde", "2024-11-20", "--commit")
    _approve(cli, "bmdv", "2024-11-21", "--commit")
    out = cli("sign", "2025", "--on", "2024-11-25", "--commit", "--tag", code=1)
    assert "is committed" in out.stderr and "the tag was not made" in out.stderr
    assert git(git_repo, "cat-file", "-t", "workplan-2025-signed").strip() == "commit"


def test_sign_dry_run_shows_both_diffs(repo, cli):
    _approve(cli, "micde")
    _approve(cli, "bmdv", "2024-11-21")
    before = plan(repo, "2025").read_bytes()
    out = cli("sign", "2025", "--on", "2024-11-25", "--dry-run").stdout
    assert "+  status: signed" in out and "+  status: superseded" in out
    assert plan(repo, "2025").read_bytes() == before


SHIPPED = Path(__file__).parent / "golden" / "agree" / "shipped"


def test_the_edit_is_pure_and_checked():
    signed = (SHIPPED / "after.yaml").read_bytes()
    plan_ = load.parse_plan(signed, "x", STAKEHOLDER_IDS)
    with pytest.raises(core.WorkplanError, match="not a draft"):
        core.sign(signed, "x", "2025", parse_date("2024-11-26"), STAKEHOLDER_IDS)
    assert core.supersede(signed, "x", "2025", STAKEHOLDER_IDS).status is PlanStatus.SUPERSEDED
    assert agreed.standing(plan_).complete


def test_the_amendment_notice_is_said_for_signed_plans_only():
    signed = load.parse_plan((SHIPPED / "after.yaml").read_bytes(), "x")
    notice = core.amendment_notice(signed)
    assert notice and "changes agreed content of the signed 2025 plan" in notice
    assert "needs the approval of micde and bmdv" in notice
    draft = load.parse_plan((SHIPPED / "before.yaml").read_bytes(), "x")
    assert core.amendment_notice(draft) is None


def test_a_change_of_the_superseded_plan_after_its_check_is_refused_not_committed(
    git_repo, cli, monkeypatch
):
    from workplan_cli.edit import progress

    _approve(cli, "micde", "2024-11-20", "--commit")
    _approve(cli, "bmdv", "2024-11-21", "--commit")
    new, old = plan(git_repo, "2025"), plan(git_repo)
    before, head = new.read_bytes(), git(git_repo, "rev-parse", "HEAD")
    theirs = old.read_bytes() + b"# another writer's change, not to be signed\n"
    real = progress.check_clean

    def another_writer_after_the_check(path, name):
        real(path, name)
        if path == old.resolve() and old.read_bytes() != theirs:
            old.write_bytes(theirs)  # after sign checked it, before sign writes it

    monkeypatch.setattr(progress, "check_clean", another_writer_after_the_check)
    out = cli("sign", "2025", "--on", "2024-11-25", "--commit", code=1)
    assert out.stderr == (
        "Error: data/workplan-2024.yaml has uncommitted changes (or is not committed yet); "
        "commit or stash them first, or leave out --commit, so that only this update goes into "
        "the commit\n"
    )
    assert (new.read_bytes(), old.read_bytes()) == (before, theirs)
    assert git(git_repo, "rev-parse", "HEAD") == head
    assert git(git_repo, "diff", "--cached", "--name-only") == ""
