"""Commands that change agreed content of a signed plan make an amendment, which `validate` and
`review` track until every party approved it (issues 16 and 17 joined): `workplan schedule`
on the signed 2024 plan, on a temporary git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import git
from tests.gitplans import commit, plan

NOTICE = (
    "Warning: this changes agreed content of the signed 2024 plan: as an amendment it needs the "
    "approval of micde and bmdv"
)


def _schedule(cli, *more: str):
    return cli("schedule", "1.3.2", "--end", "2024-09-30", "--plan", "2024", *more)


def test_schedule_on_a_signed_plan_says_it_is_an_amendment(repo, cli):
    dry = _schedule(cli, "--dry-run")
    assert dry.stderr.startswith(NOTICE)
    assert "+" in dry.stdout and b"2024-09-30" not in plan(repo).read_bytes()
    done = _schedule(cli)
    assert done.stderr.startswith(NOTICE)
    assert "workplan approve 2024 --party PARTY --by NAME" in done.stderr
    assert done.stdout.startswith("1.3.2: ")
    assert b'end: "2024-09-30"' in plan(repo).read_bytes()
    out = cli("validate", code=1).stderr
    assert "the agreed content of the signed plan 2024 differs from what was signed" in out


def test_schedule_on_a_draft_says_nothing_of_agreement(repo, cli):
    done = cli("schedule", "1.3.2", "--end", "2025-09-30", "--plan", "2025")
    assert done.stderr == ""


def test_review_tracks_the_amendment_until_both_parties_approved(git_repo, cli):
    git(git_repo, "checkout", "-q", "-b", "amend")
    _schedule(cli, "--commit")
    out = cli("review", "main", code=5).stdout
    assert "✅ The new state is valid" in out
    assert "⏳ Awaiting the parties' approval:" in out
    assert "differs from what was signed: as an amendment it needs the approval of micde" in out
    assert "- 2024: ❌ needs agreement of MICDE and BMDV: 1 change\n" in out
    assert "  - agreed content changed: 1.3.2\n" in out
    data = json.loads(cli("review", "main", "--format", "json", code=5).stdout)
    assert data["valid"] is True and data["agreed"] is False and data["problems"] == []
    [waiting] = data["awaiting_approval"]
    assert waiting["path"] == "plan.signed.digest"

    cli("approve", "2024", "--party", "micde", "--by", "M", "--on", "2024-11-20", "--commit")
    out = cli("review", "main", code=5).stdout
    assert "- 2024: ❌ needs agreement of MICDE and BMDV: 1 change (approved by: MICDE)\n" in out
    assert "approval of bmdv (approved by: micde)" in out
    cli("validate", code=1)

    cli("approve", "2024", "--party", "bmdv", "--by", "B", "--on", "2024-11-21", "--commit")
    out = cli("review", "main").stdout
    assert "- 2024: ✅ agreed by MICDE and BMDV: 1 change\n" in out
    assert "Awaiting" not in out
    cli("validate")


# --- review: an indicator's actuals are progress, its targets agreed content ---------------------

RESULTS = Path(__file__).parent / "golden" / "results" / "plan.yaml"


@pytest.fixture
def results_repo(repo):
    """A git repository whose only plan is the results fixture (a draft, as 2024)."""
    for other in (repo / "data").glob("workplan-*.yaml"):
        other.unlink()
    plan(repo).write_bytes(RESULTS.read_bytes())
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "results fixture")
    git(repo, "checkout", "-q", "-b", "change")
    return repo


def test_review_counts_recorded_actuals_as_progress(results_repo, cli):
    cli("record", "1.1-a", "3", "--period", "2024", "--on", "2024-10-01", "--by", "X", "--commit")
    out = cli("review", "main").stdout
    assert "- 2024: progress: 1 actual recorded\n" in out
    assert "needs agreement" not in out and "agreed content changed" not in out
    [f] = json.loads(cli("review", "main", "-f", "json").stdout)["files"]
    assert f["agreement"]["actuals_recorded"] == 1 and f["agreement"]["changes"] == []
    assert f["agreement"]["commits"][0]["progress"] is True


def test_review_counts_targets_and_dates_as_agreed_content(results_repo, cli):
    cli("record", "1.1-a", "3", "--period", "2024", "--on", "2024-10-01", "--by", "X")
    path = plan(results_repo)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("value: 8\n", "value: 9\n", 1), encoding="utf-8")
    commit(results_repo, "a target and an actual")
    cli("schedule", "1.1.1", "--end", "2024-12-31", "--commit")
    out = cli("review", "main", code=5).stdout
    assert "- 2024: ❌ needs agreement of MICDE and BMDV: 2 changes\n" in out
    assert "  - agreed content changed: 1.1.1, 1.1-a\n" in out
    assert "- 2024: progress: 1 actual recorded\n" in out
    lines = [x for x in out.splitlines() if x.startswith("  - ") and ": agreed content (" in x]
    assert lines[0].endswith("Test Author: agreed content (1.1-a); progress")
    assert lines[1].endswith(": agreed content (1.1.1)")


# --- log: the plan's approvals and signing as events of an activity's life -----------------------


def test_log_shows_approvals_and_the_signing_as_events(git_repo, cli):
    cli(
        "approve", "2025", "--party", "bmdv", "--by", "B. Beamter", "--on", "2024-11-21", "--commit"
    )
    cli("sign", "2025", "--on", "2024-11-25", "--commit")
    text = cli("log", "1.1.1", "--plan", "2025").stdout
    lines = [x for x in text.splitlines() if "  agreement  " in x]
    assert lines[0].startswith("2024-11-20  agreement  approved by MICDE (Illustrative only: ")
    assert lines[0].endswith(
        "on 2024-11-20: Illustrative, not a real approval: MICDE has not approved this draft."
    )
    assert lines[1] == "2024-11-21  agreement  approved by BMDV (B. Beamter) on 2024-11-21"
    assert lines[2] == "2024-11-25  agreement  signed 2024-11-25 by MICDE and BMDV"
    md = cli("log", "1.1.1", "--plan", "2025", "-f", "markdown").stdout
    assert "- 2024-11-25 agreement: signed 2024-11-25 by MICDE and BMDV\n" in md
    events = json.loads(cli("log", "1.1.1", "--plan", "2025", "-f", "json").stdout)["events"]
    signed = next(e for e in events if e["kind"] == "signed")
    assert signed["entry"]["by"] == ["micde", "bmdv"] and signed["entry"]["current"] is True
    assert signed["entry"]["digest"].startswith("sha256:")  # complete, as the file has it
    [_, bmdv] = [e for e in events if e["kind"] == "approval"]
    assert bmdv["entry"]["party"] == "bmdv" and bmdv["text"].startswith("approved by BMDV")
    # An approval of an earlier text says so.
    path = plan(git_repo, "2025")
    open_ = b"title: Expert exchange on open internet governance\n"
    assert open_ in path.read_bytes()
    path.write_bytes(path.read_bytes().replace(open_, open_[:-1] + b" and the IGF\n", 1))
    text = cli("log", "1.1.1", "--plan", "2025").stdout
    assert "approved by BMDV (B. Beamter) on 2024-11-21 (of an earlier text)\n" in text
    assert "signed 2024-11-25 by MICDE and BMDV (its agreed content changed since)\n" in text


def test_log_of_the_signed_2024_plan_names_its_signing(git_repo, cli):
    text = cli("log", "1.3.2").stdout
    assert (
        "2024-02-13  agreement  signed 2024-02-13 by MICDE and BMDV at the first Stakeholder "
        "Meeting of the Kenyan-German Digital Dialogue\n"
    ) in text
    cli("schedule", "1.3.2", "--end", "2024-09-30")
    assert "(its agreed content changed since)" in cli("log", "1.3.2").stdout


# --- diff: the signing and approvals as events, the JSON complete --------------------------------


def test_diff_shows_the_signing_and_approvals_as_events(repo, cli):
    text = cli("diff", "2024", "2025").stdout
    assert (
        "  ~ signed: 2024-02-13 by micde and bmdv at the first Stakeholder Meeting of the "
        "Kenyan-German Digital Dialogue (agreed content 272c5d177c57) → (none)\n"
    ) in text
    assert "    + approved by micde (Illustrative only: nobody has approved this draft) on " in text
    assert "sha256:" not in text and "recorded_in" not in text
    md = cli("diff", "2024", "2025", "-f", "markdown").stdout
    assert "- **changed** signed: 2024-02-13 by micde and bmdv at the first" in md
    assert "sha256:" not in md
    data = json.loads(cli("diff", "2024", "2025", "-f", "json").stdout)
    [signed] = [f for f in data["metadata"] if f["field"] == "signed"]
    assert signed["old"]["digest"] == (
        "sha256:272c5d177c5724631b437585b3115e1f18cc719730646d3f1745aba879c51116"
    )
    assert signed["old"]["recorded_in"].startswith("the signed text of the Work Plan")


def test_log_of_an_indicator_shows_the_agreement_too(git_repo, cli):
    cli("approve", "2025", "--party", "bmdv", "--by", "B", "--on", "2024-11-21", "--commit")
    [ident] = [
        line.split('"')[1]
        for line in plan(git_repo, "2025").read_text(encoding="utf-8").splitlines()
        if line.strip().startswith('- id: "') and "-" in line.split('"')[1]
    ][:1]
    text = cli("log", ident, "--plan", "2025").stdout
    assert "2024-11-21  agreement  approved by BMDV (B) on 2024-11-21\n" in text
    md = cli("log", ident, "--plan", "2025", "-f", "markdown").stdout
    assert "- 2024-11-21 agreement: approved by BMDV (B) on 2024-11-21\n" in md
    events = json.loads(cli("log", ident, "--plan", "2025", "-f", "json").stdout)["events"]
    assert [e["entry"]["party"] for e in events if e["kind"] == "approval"] == ["micde", "bmdv"]


def test_what_schedule_and_record_edit_is_agreed_content_and_progress():
    # The amendment notice of `schedule` and the progress count of `review` rest on these.
    from workplan_cli.plan import fields
    from workplan_cli.plan.model import Activity, Indicator

    dates = [f for f in fields.declared(Activity) if f.key in ("start", "end")]
    assert len(dates) == 2 and all(f.spec.agreed and not f.spec.progress for f in dates)
    by_key = {f.key: f.spec for f in fields.declared(Indicator)}
    assert by_key["actuals"].progress and not by_key["actuals"].agreed
    assert by_key["targets"].agreed and by_key["baseline"].agreed
