"""`workplan revise`: a draft that keeps the old file's comments, validates, never clobbers."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest

from tests.test_fileio import lock_held
from workplan_cli import fileio
from workplan_cli.edit.revise import header
from workplan_cli.errors import WorkplanError
from workplan_cli.plan.store import find_repo


def set_status(path: Path, ident: str, status: str) -> None:
    """Gives one activity a status and the history entry that leads to it."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f'- id: "{ident}"')
    block_end = text.index("history: []", start) + len("history: []")
    block = text[start:block_end]
    block = block.replace("status: planned", f"status: {status}")
    block = block.replace(
        "history: []", f"history: [{{date: 2024-10-01, from: planned, to: {status}}}]"
    )
    path.write_text(text[:start] + block + text[block_end:], encoding="utf-8")


@pytest.fixture
def repo(repo: Path) -> Path:
    """The shipped repository copy without its 2025 draft, so that revise can make it again."""
    (repo / "data/workplan-2025.yaml").unlink()
    return repo


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def test_revise_changes_only_the_metadata_and_keeps_every_comment(repo, cli):
    old = (repo / "data/workplan-2024.yaml").read_text(encoding="utf-8")
    result = cli("revise", "2024", "2025")
    assert "Wrote data/workplan-2025.yaml: draft 2025, superseding 2024, 17 activities." in (
        result.stdout
    )
    new = (repo / "data/workplan-2025.yaml").read_text(encoding="utf-8")
    removed, added = [], []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:].strip())
        elif line.startswith("+ "):
            added.append(line[2:].strip())
    assert removed == [
        'version: "2024"',
        "status: signed",
        "signed:",
        'date: "2024-02-13"',
        "occasion: first Stakeholder Meeting of the Kenyan-German Digital Dialogue",
        "by: [micde, bmdv]",
        "recorded_in: the signed text of the Work Plan (in the workplan project's docs/source/)",
        f'digest: "{find_repo(repo).load_plan("2024").plan.signed.digest}"',
    ]
    assert added == [
        *header("2024", "2025").splitlines(),
        'version: "2025"',
        'supersedes: "2024"',
        'note: "Draft revision of Work Plan 2024, started with `workplan revise`; '
        'not agreed by the parties."',
        "status: draft",
    ]
    assert new.startswith("# yaml-language-server")  # the modeline stays first
    assert set(comments(old)) <= set(comments(new))


def test_revised_plan_validates_and_the_signed_plan_stays_current(repo, cli):
    cli("revise", "2024", "2025")
    cli("validate")
    plan = find_repo(repo).load_plan("2025")
    assert (plan.plan.status.value, plan.plan.supersedes, plan.plan.signed) == (
        "draft",
        "2024",
        None,
    )
    assert "Version 2024, signed on 2024-02-13" in cli("status").stdout


def test_revise_refuses_to_overwrite_unless_forced(repo, cli):
    cli("revise", "2024", "2025")
    target = repo / "data/workplan-2025.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# my edits\n", encoding="utf-8")
    result = cli("revise", "2024", "2025", code=1)
    assert result.stderr == (
        "Error: data/workplan-2025.yaml already exists (use --force to replace it)\n"
    )
    assert target.read_text(encoding="utf-8").endswith("# my edits\n")
    cli("revise", "2024", "2025", "--force")
    assert not target.read_text(encoding="utf-8").endswith("# my edits\n")
    assert not [p for p in (repo / "data").iterdir() if p.name.endswith(".tmp")]


def test_revise_over_a_signed_plan_says_it_changes_agreed_content(repo, cli):
    (repo / "data/workplan-2023.yaml").write_bytes(
        (repo / "data/workplan-2024.yaml")
        .read_bytes()
        .replace(b'version: "2024"', b'version: "2023"')
    )
    result = cli("revise", "2023", "2024", "--force")
    assert result.stderr.startswith(
        "Warning: this changes agreed content of the signed 2024 plan: as an amendment it "
        "needs the approval of micde and bmdv"
    )
    assert "Warning" not in cli("revise", "2024", "2026").stderr  # a new file: nothing signed


def test_a_revision_leaves_the_old_approvals_out(repo, cli):
    cli("revise", "2024", "2025")
    cli("approve", "2025", "--party", "micde", "--by", "A", "--on", "2024-11-20")
    result = cli("revise", "2025", "2026")
    assert "Wrote data/workplan-2026.yaml" in result.stdout
    assert find_repo(repo).load_plan("2026").plan.approvals == []
    assert "  approvals:" not in (repo / "data/workplan-2026.yaml").read_text(encoding="utf-8")


def test_the_core_says_where_a_revision_goes_and_writes_it_there(repo):
    from workplan_cli.edit import revise

    store = find_repo(repo)
    into = revise.target(store, "2025")
    assert (into.path, into.before.data, into.notice) == (
        repo / "data/workplan-2025.yaml",
        None,
        None,
    )
    made = revise.start(store, "2024", into, revise.ReviseOptions(drop_cancelled=True))
    assert (made.path, made.version, made.supersedes, made.kept, made.dropped) == (
        into.path,
        "2025",
        "2024",
        17,
        [],
    )
    assert store.load_plan("2025").plan.supersedes == "2024"
    with pytest.raises(WorkplanError, match="already exists"):
        revise.target(store, "2025")
    draft = revise.target(store, "2025", force=True)
    assert (draft.before.data, draft.notice) == (into.path.read_bytes(), None)
    signed = revise.target(store, "2024", force=True).notice
    assert signed is not None and signed.startswith("this changes agreed content of the signed")


def test_a_plan_file_that_appears_at_the_last_moment_is_kept(repo, cli, monkeypatch):
    target = repo / "data/workplan-2025.yaml"
    real = os.fsync

    def theirs_first(fd: int) -> None:
        # Under the lock, the new text on disk: every check of the name is past, only the
        # link that takes it is left.
        if fileio.lock_path(target).exists() and not target.exists():
            with open(target, "xb") as file:
                file.write(b"# theirs\n")
        real(fd)

    monkeypatch.setattr(os, "fsync", theirs_first)
    result = cli("revise", "2024", "2025", code=1)
    assert result.stderr == "Error: data/workplan-2025.yaml already exists; nothing was written\n"
    assert target.read_bytes() == b"# theirs\n"
    assert not [p for p in (repo / "data").iterdir() if p.name.endswith(".tmp")]


def test_revise_writes_under_the_new_files_lock(repo, cli, monkeypatch):
    target = repo / "data/workplan-2025.yaml"
    with lock_held(target):
        monkeypatch.setattr(fileio, "LOCK_TIMEOUT", 0.3)
        result = cli("revise", "2024", "2025", code=1)
        assert result.stderr.startswith(
            "Error: another workplan command has held the lock on workplan-2025.yaml for 0.3 s"
        )
        assert not target.exists()


def test_history_and_status_are_carried_over_by_default(repo, cli):
    set_status(repo / "data/workplan-2024.yaml", "1.3.2", "completed")
    cli("revise", "2024", "2025")
    activity = find_repo(repo).load_plan("2025").find("1.3.2").activity
    assert activity.status.value == "completed"
    assert [(h.date.isoformat(), h.to.value) for h in activity.history] == [
        ("2024-10-01", "completed")
    ]


def test_drop_completed_and_cancelled_removes_them_with_their_comments(repo, cli):
    source = repo / "data/workplan-2024.yaml"
    set_status(source, "1.1.3", "completed")  # last of its topic, a comment above it
    set_status(source, "1.2.1", "cancelled")  # the only activity of topic 1.2
    set_status(source, "1.3.2", "completed")  # in the middle of topic 1.3
    set_status(source, "2.2.5", "cancelled")  # the last two of 2.2, both with comments
    set_status(source, "2.2.6", "cancelled")
    result = cli("revise", "2024", "2025", "--drop-completed", "--drop-cancelled")
    assert "Left out: 1.1.3, 1.2.1, 1.3.2, 2.2.5, 2.2.6." in result.stdout
    cli("validate")
    plan = find_repo(repo).load_plan("2025")
    ids = [ref.activity.id for ref in plan.activities()]
    assert ids == [
        "1.1.1",
        "1.1.2",
        "1.3.1",
        "1.3.3",
        "2.1.1",
        "2.1.2",
        "2.2.1",
        "2.2.2",
        "2.2.3",
        "2.2.4",
        "3.1.1",
        "3.1.2",
    ]
    text = (repo / "data/workplan-2025.yaml").read_text(encoding="utf-8")
    assert "Multi-stakeholder" not in text  # the comment of 1.1.3 went with it
    assert "State actors" not in text
    assert "stands alone after a page break" not in text
    assert "The source runs two sentences" in text  # the comment of topic 2.2 stays
    assert "Area 3 has no topic heading" in text
    assert re.search(r'id: "1.2"\n(.*\n){5}\s+activities: \[\]\n\n', text)
    # Items keep one blank line between them, and none is left doubled.
    assert "\n\n\n" not in text


def test_only_cancelled_dropped_when_asked(repo, cli):
    source = repo / "data/workplan-2024.yaml"
    set_status(source, "1.3.2", "completed")
    set_status(source, "1.3.3", "cancelled")
    cli("revise", "2024", "2025", "--drop-cancelled")
    ids = [ref.activity.id for ref in find_repo(repo).load_plan("2025").activities()]
    assert "1.3.2" in ids
    assert "1.3.3" not in ids


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2031", "2032"), "Error: no plan version '2031' in data (versions: 2024)\n"),
        (("2024", "20x5"), "Error: '20x5' is not a plan version like '2025'\n"),
        (("2024", "2024"), "Error: data/workplan-2024.yaml already exists"),
    ],
)
def test_revise_bad_input(repo, cli, args, message):
    result = cli("revise", *args, code=1)
    assert result.stderr.startswith(message)
    assert sorted(p.name for p in (repo / "data").iterdir()) == [
        "stakeholders.yaml",
        "workplan-2024.yaml",
    ]


def test_revise_refuses_an_invalid_source(repo, cli):
    source = repo / "data/workplan-2024.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("kind: workshop", "kind: party", 1),
        encoding="utf-8",
    )
    result = cli("revise", "2024", "2025", code=1)
    assert "data/workplan-2024.yaml:" in result.stderr
    assert "'party' is not one of" in result.stderr
    assert not (repo / "data/workplan-2025.yaml").exists()


SMALL = """\
schema_version: 1
plan:
  id: p
  title: Plan
  dialogue: Dialogue
  version: '2025'   # quoted with single quotes
  status: signed
  parties: [micde]
  # the signing
  signed:
    date: 2025-02-01
  supersedes: "2024"
  note: >-
    An old note
    over two lines.
  preamble: [Text.]
areas:
  - id: "1"
    title: Area
    topics:
      - id: "1.1"
        title: Topic
        objectives: [Objective.]
"""


def test_existing_supersedes_and_note_are_replaced_in_place():
    from workplan_cli.edit.revise import draft_note, revise_text
    from workplan_cli.plan.load import parse_plan

    plan = parse_plan(SMALL.encode(), "small.yaml")
    text, dropped = revise_text(SMALL, plan, "2026")
    assert dropped == []
    assert text == header("2025", "2026") + SMALL.replace("'2025'", '"2026"').replace(
        "status: signed", "status: draft"
    ).replace("  # the signing\n  signed:\n    date: 2025-02-01\n", "").replace(
        'supersedes: "2024"', 'supersedes: "2025"'
    ).replace(">-\n    An old note\n    over two lines.", f'"{draft_note("2025")}"')


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_revise_never_writes_through_a_link(repo, cli, tmp_path, force):
    outside = tmp_path / "outside.yaml"
    outside.write_text("kept\n")
    (repo / "data" / "workplan-2026.yaml").symlink_to(outside)
    result = cli("revise", "2025", "2026", *force, code=1)
    assert (
        "data/workplan-2026.yaml is a link: a new plan is written only as a file" in result.stderr
    )
    assert outside.read_text() == "kept\n"
    assert (repo / "data" / "workplan-2026.yaml").is_symlink()
