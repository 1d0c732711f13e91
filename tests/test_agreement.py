"""git/agreement.py: the text an earlier approval pinned, found in the file's git history."""

from __future__ import annotations

from tests.gitplans import commit, plan
from workplan_cli.git import agreement
from workplan_cli.plan import agreed
from workplan_cli.plan.store import find_repo

OPEN = b"title: Expert exchange on open internet governance\n"


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
    cli("approve", "2025", "--party", "bmdv", "--by", "B", "--on", "2024-11-20")
    _retitle(repo)
    out = cli("validate", code=1)
    assert "bmdv approved an earlier text (4d9723b1aeb5, on 2024-11-20)" in out.stderr
    store = find_repo(repo)
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
