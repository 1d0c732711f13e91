"""git/agreement.py: the text an earlier approval pinned, found in the file's git history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import git
from tests.gitplans import COMPLETED_132, commit, edit_activity, plan
from workplan_cli.git import agreement
from workplan_cli.plan import agreed
from workplan_cli.plan.store import find_repo

OPEN = b"title: Expert exchange on open internet governance\n"
UNAPPROVED = Path(__file__).parent / "golden" / "agree" / "shipped" / "before.yaml"


@pytest.fixture(autouse=True)
def _draft_without_approvals(repo):
    """The shipped 2025 draft carries an illustrative approval by micde: these tests start from
    the draft as it was before it (tests/golden/agree/shipped/before.yaml)."""
    (repo / "data" / "workplan-2025.yaml").write_bytes(UNAPPROVED.read_bytes())


def _retitle(repo) -> None:
    path = plan(repo, "2025")
    path.write_bytes(path.read_bytes().replace(OPEN, OPEN[:-1] + b" and the IGF\n", 1))


def test_validate_names_what_changed_since_a_stale_approval(git_repo, cli):
    cli("approve", "2025", "--party", "bmdv", "--by", "B", "--on", "2024-11-20", "--commit")
    _retitle(git_repo)
    out = cli("validate", code=1)
    [line] = out.stderr.splitlines()
    assert line.startswith("data/workplan-2025.yaml:")
    assert (
        "plan.approvals[0].digest: bmdv approved an earlier text of 1.1.2 (on 2024-11-20)" in line
    )
    assert "workplan approve 2025 --party bmdv --by NAME" in line
    commit(git_repo, "retitle")
    assert "an earlier text of 1.1.2" in cli("validate", code=1).stderr


def test_without_the_text_in_git_the_digest_is_named(repo, cli):
    store = find_repo(repo)
    short = agreed.short(agreed.digest(store.load_plan("2025")))
    cli("approve", "2025", "--party", "bmdv", "--by", "B", "--on", "2024-11-20")
    _retitle(repo)
    out = cli("validate", code=1)
    assert f"bmdv approved an earlier text ({short}, on 2024-11-20)" in out.stderr
    new = store.load_plan("2025")
    assert agreement.approved_texts(store, plan(repo, "2025"), {"sha256:" + "0" * 64}) == {}
    [(approval, diff)] = agreement.refusal_diffs(store, "2025", agreed.standing(new))
    assert approval.party == "bmdv" and diff is None


def test_the_approved_text_is_the_newest_commit_with_that_digest(git_repo, cli):
    store = find_repo(git_repo)
    first = agreed.digest(store.load_plan("2025"))
    _retitle(git_repo)
    commit(git_repo, "retitle")
    found = agreement.approved_texts(store, plan(git_repo, "2025"), {first})
    assert list(found) == [first]
    assert agreed.changed_parts(found[first], store.load_plan("2025")) == ["1.1.2"]


# --- review: agreed content against progress, on branches of a temporary repository -----------


def _branch(repo, name: str = "change") -> None:
    git(repo, "checkout", "-q", "-b", name)


def _approve(cli, party: str, on: str = "2024-11-20") -> None:
    cli("approve", "2025", "--party", party, "--by", party.upper(), "--on", on, "--commit")


def test_review_of_progress_only_needs_no_agreement(git_repo, cli):
    _branch(git_repo)
    edit_activity(plan(git_repo), "1.3.2", status="completed", history=COMPLETED_132)
    commit(git_repo, "1.3.2 completed")
    out = cli("review", "main").stdout
    assert "- 2024: progress: 1 status update\n" in out
    assert "needs agreement" not in out


def test_review_of_a_draft_change_approved_by_one_party_exits_5(git_repo, cli):
    _branch(git_repo)
    _retitle(git_repo)
    commit(git_repo, "retitle 1.1.2")
    _approve(cli, "micde")
    out = cli("review", "main", code=5).stdout
    assert "- 2025: ❌ needs agreement of MICDE and BMDV: 1 change (approved by: MICDE)\n" in out
    assert "  - agreed content changed: plan.approvals" not in out
    assert "- 2025: approved by MICDE (MICDE, 2024-11-20)\n" in out
    data = json.loads(cli("review", "main", "--format", "json", code=5).stdout)
    [f] = data["files"]
    assert data["agreed"] is False and f["agreement"]["pending"] == ["bmdv"]
    _approve(cli, "bmdv", "2024-11-21")
    out = cli("review", "main").stdout
    assert "- 2025: ✅ agreed by MICDE and BMDV: 1 change\n" in out


def test_review_of_an_amended_signed_plan_awaits_both_approvals(git_repo, cli):
    _branch(git_repo)
    path = plan(git_repo)
    path.write_bytes(path.read_bytes().replace(OPEN, OPEN[:-1] + b" and the IGF\n", 1))
    commit(git_repo, "amend 1.1.2")
    out = cli("review", "main", code=5).stdout  # valid, but awaiting approval (not 1)
    assert "⏳ Awaiting the parties' approval:" in out
    assert "differs from what was signed" in out
    assert "- 2024: ❌ needs agreement of MICDE and BMDV: 1 change\n" in out
    assert "  - agreed content changed: 1.1.2\n" in out


def test_review_says_who_changed_agreed_content_and_approvals_in_one_commit(git_repo, cli):
    _branch(git_repo)
    _retitle(git_repo)
    store = find_repo(git_repo)
    from workplan_cli.edit import approve as edit
    from workplan_cli.edit.status import parse_date

    data = plan(git_repo, "2025").read_bytes()
    for party in ("micde", "bmdv"):
        request = edit.Request("2025", party, "Forged", parse_date("2024-11-20"))
        data = edit.approve(data, "x", request, set(store.load_stakeholders().by_id())).new
    plan(git_repo, "2025").write_bytes(data)
    git(git_repo, "add", "-A")
    git(
        git_repo,
        "-c",
        "user.name=Mallory",
        "commit",
        "-q",
        "-m",
        "all at once",
        "--author",
        "Mallory <m@example.org>",
    )
    out = cli("review", "main").stdout
    assert " Mallory: agreed content (1.1.2, plan.supersedes" not in out  # not a new file
    line = next(x for x in out.splitlines() if "Mallory" in x)
    assert line.endswith("Mallory: agreed content (1.1.2); approval by MICDE and BMDV")


def test_review_shows_the_signing(git_repo, cli):
    _branch(git_repo)
    _approve(cli, "micde")
    _approve(cli, "bmdv", "2024-11-21")
    cli("sign", "2025", "--on", "2024-11-25", "--commit")
    out = cli("review", "main").stdout
    assert "- 2025: signed 2024-11-25 by MICDE and BMDV\n" in out
    assert "signing" in out


def test_review_escapes_authors_and_names(git_repo, cli):
    _branch(git_repo)
    _retitle(git_repo)
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "x", "--author", "*Eve* | @admins [x](y) <e@example.org>")
    out = cli("review", "main", code=5).stdout
    line = next(x for x in out.splitlines() if "Eve" in x)
    assert line.endswith("\\*Eve\\* \\| @\u2060admins \\[x\\](y): agreed content (1.1.2)"), line
