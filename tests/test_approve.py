"""`workplan approve`: the edit (edit/approve.py), byte for byte, refusals, processes, git."""

from __future__ import annotations

import difflib
import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import DATA, STAKEHOLDER_IDS, git
from workplan_cli.edit import approve as edit
from workplan_cli.edit.status import parse_date
from workplan_cli.plan import agreed, load
from workplan_cli.plan.store import find_repo

GOLDEN = Path(__file__).parent / "golden" / "agree"
CASES = sorted(p for p in GOLDEN.iterdir() if p.is_dir())
DRAFT = Path("data") / "workplan-2025.yaml"
UNAPPROVED = Path(__file__).parent / "golden" / "agree" / "shipped" / "before.yaml"


@pytest.fixture(autouse=True)
def _draft_without_approvals(repo):
    """The shipped 2025 draft carries an illustrative approval by micde: these tests start from
    the draft as it was before it (tests/golden/agree/shipped/before.yaml)."""
    (repo / "data" / "workplan-2025.yaml").write_bytes(UNAPPROVED.read_bytes())


# The only lines of the old file that an approval or a signing may replace or remove.
TOUCHABLE = re.compile(
    r"\s*(#.*|(- )?(party|by|date|digest|note|status|approvals): .*|(- )?\{party: .*|An old|note\.)"
)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden(case: Path, repo: Path, cli):
    plan = repo / DRAFT
    before = (case / "before.yaml").read_bytes()
    plan.write_bytes(before)
    old_2024 = (repo / "data" / "workplan-2024.yaml").read_bytes()
    for line in (case / "command.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            cli(*shlex.split(line))
    after = plan.read_bytes()
    if os.environ.get("UPDATE_GOLDEN"):
        (case / "after.yaml").write_bytes(after)
    assert after == (case / "after.yaml").read_bytes()
    assert find_repo(repo).validate() == []
    _assert_only_intended_lines(before, after)
    new_2024 = (repo / "data" / "workplan-2024.yaml").read_bytes()
    if b"status: signed" in after:
        assert new_2024 == old_2024.replace(b"  status: signed\n", b"  status: superseded\n", 1)
    else:
        assert new_2024 == old_2024


def _assert_only_intended_lines(before: bytes, after: bytes) -> None:
    old, new = before.split(b"\n"), after.split(b"\n")
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            for line in old[i1:i2]:
                text = line.decode("utf-8-sig").rstrip("\r")
                assert TOUCHABLE.fullmatch(text) or not text.strip(), text
    assert after.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
    assert (b"\r\n" in after) == (b"\r\n" in before)


def test_the_hostile_by_and_note_are_recorded_exactly(repo, cli):
    case = GOLDEN / "hostile_text"
    (repo / DRAFT).write_bytes((case / "before.yaml").read_bytes())
    cli(*shlex.split((case / "command.txt").read_text(encoding="utf-8").strip()))
    [approval] = find_repo(repo).load_plan("2025").plan.approvals
    assert approval.by == 'O\'Brien "#1" — ünïcödé: {x}, [y] & *z'
    assert approval.note == "- not: a list # nor a comment"


def _request(**changes) -> edit.Request:
    values = dict(version="2025", party="micde", by="A", on=parse_date("2024-11-20"), note=None)
    values.update(changes)
    return edit.Request(**values)


DATA_2025 = UNAPPROVED.read_bytes()


def test_the_approval_pins_the_digest_of_the_agreed_content():
    made = edit.approve(DATA_2025, "x", _request(), STAKEHOLDER_IDS)
    plan = load.parse_plan(made.new, "x", STAKEHOLDER_IDS)
    assert made.approval.digest == agreed.digest(plan) == plan.plan.approvals[0].digest
    assert made.replaced is None


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"party": "giz"}, "'giz' is not a party of plan 2025"),
        ({"party": "nobody"}, "'nobody' is not a party"),
        ({"version": "2026"}, "holds plan 2025, not 2026"),
        ({"by": "  "}, "--by must not be empty"),
        ({"by": "A\nB"}, "control character"),
        ({"by": "A\x1b[31m"}, "control character"),
        ({"by": "\udcff"}, "not valid text"),
        ({"by": "x" * 201}, "longer than 200"),
        ({"note": "a\u202eb"}, "control character"),
        ({"on": parse_date("2999-01-01")}, "in the future"),
    ],
)
def test_refusals(changes, message):
    with pytest.raises(Exception, match=re.escape(message)):
        edit.approve(DATA_2025, "x", _request(**changes), STAKEHOLDER_IDS)


def test_an_approval_of_the_same_text_again_and_a_date_before_the_earlier_are_refused():
    once = edit.approve(DATA_2025, "x", _request(), STAKEHOLDER_IDS).new
    with pytest.raises(Exception, match="already approved the agreed content of plan 2025"):
        edit.approve(once, "x", _request(), STAKEHOLDER_IDS)
    changed = once.replace(b"open internet governance\n", b"open internet governance!\n", 1)
    assert changed != once
    with pytest.raises(Exception, match="earlier approval is dated 2024-11-20"):
        edit.approve(changed, "x", _request(on=parse_date("2024-11-19")), STAKEHOLDER_IDS)
    again = edit.approve(changed, "x", _request(on=parse_date("2024-11-21")), STAKEHOLDER_IDS)
    assert again.replaced is not None and again.replaced.date == parse_date("2024-11-20")


def test_a_superseded_plan_is_not_approved():
    data = (
        (DATA / "workplan-2024.yaml").read_bytes().replace(b"status: signed", b"status: superseded")
    )
    with pytest.raises(Exception, match="superseded: there is nothing to approve"):
        edit.approve(data, "x", _request(version="2024"), STAKEHOLDER_IDS)


def test_cli_refusals_write_nothing_and_exit_1(repo, cli):
    before = (repo / DRAFT).read_bytes()
    out = cli("approve", "2025", "--party", "giz", "--by", "A", code=1)
    assert "Error: 'giz' is not a party of plan 2025" in out.stderr
    cli("approve", "2031", "--party", "micde", "--by", "A", code=1)
    cli("approve", "2025", "--party", "micde", "--by", "A", "--on", "20 Nov", code=1)
    assert (repo / DRAFT).read_bytes() == before


def test_dry_run_prints_the_diff_and_writes_nothing(repo, cli):
    before = (repo / DRAFT).read_bytes()
    out = cli("approve", "2025", "--party", "micde", "--by", "A", "--on", "2024-11-20", "--dry-run")
    assert out.stdout.startswith("--- a/data/workplan-2025.yaml\n+++ b/data/workplan-2025.yaml\n")
    assert '+      digest: "sha256:' in out.stdout
    assert (repo / DRAFT).read_bytes() == before


def test_commit_commits_only_the_plan_file(git_repo, cli):
    (git_repo / "notes.txt").write_text("not mine\n")
    out = cli("approve", "2025", "--party", "bmdv", "--by", "B", "--on", "2024-11-21", "--commit")
    assert "committed " in out.stdout
    assert git(git_repo, "log", "-1", "--format=%s").strip() == "2025: approved by bmdv"
    assert git(git_repo, "show", "--name-only", "--format=", "HEAD").split() == [str(DRAFT)]
    assert "notes.txt" in git(git_repo, "status", "--porcelain")


def test_commit_refuses_a_plan_with_other_changes(git_repo, cli):
    plan = git_repo / DRAFT
    plan.write_bytes(plan.read_bytes() + b"# mine\n")
    out = cli("approve", "2025", "--party", "bmdv", "--by", "B", "--commit", code=1)
    assert "uncommitted changes" in out.stderr
    assert plan.read_bytes().endswith(b"# mine\n") and b"approvals" not in plan.read_bytes()


# --- processes -------------------------------------------------------------------------------


def _env() -> dict:
    return {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


WORKER = textwrap.dedent(
    """
    import sys
    from workplan_cli.cli import app
    repo, party, version = sys.argv[1:]
    args = ["approve", version, "--party", party, "--by", party.upper(), "--on", "2024-11-20",
            "--repo", repo]
    sys.exit(app(args, prog_name="workplan", standalone_mode=False) or 0)
    """
)


@pytest.mark.slow
def test_concurrent_approvals_and_status_updates_are_never_lost(repo):
    children = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(repo), party, "2025"],
            env=_env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for party in ("micde", "bmdv")
    ]
    status = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workplan_cli",
            "set-status",
            "1.3.2",
            "in-progress",
            "--plan",
            "2025",
            "--on",
            "2024-11-20",
            "--by",
            "T",
            "--repo",
            str(repo),
        ],
        env=_env(),
        stderr=subprocess.PIPE,
        text=True,
    )
    errors = [c.communicate()[1] for c in [*children, status]]
    assert [c.returncode for c in [*children, status]] == [0, 0, 0], errors
    plan = find_repo(repo).load_plan("2025")
    assert sorted(a.party for a in plan.plan.approvals) == ["bmdv", "micde"]
    assert agreed.standing(plan).complete  # the status update voids neither approval
    assert plan.find("1.3.2").activity.status.value == "in-progress"


@pytest.mark.slow
def test_approve_killed_at_any_moment_leaves_old_or_new(repo):
    import random
    import signal
    import time

    plan = repo / DRAFT
    old = plan.read_bytes()
    new = edit.approve(old, "x", _request(by="K"), STAKEHOLDER_IDS).new
    args = [
        sys.executable,
        "-c",
        WORKER.replace("party.upper()", '"K"'),
        str(repo),
        "micde",
        "2025",
    ]
    start = time.monotonic()
    subprocess.run(args, check=True, env=_env(), capture_output=True)
    took = time.monotonic() - start
    assert plan.read_bytes() == new
    rng = random.Random(11)
    for _ in range(6):
        plan.write_bytes(old)
        child = subprocess.Popen(args, env=_env(), stdout=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 1.1) * took)
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert plan.read_bytes() in (old, new)
