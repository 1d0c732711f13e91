"""A CODEOWNERS block from the reviewer handles that stakeholders.yaml gives the plan's parties,
so that forges ask each party's reviewers to review changes of the plans: the block (pure), and
the repository's .github/CODEOWNERS with it, written under its lock."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from workplan_cli import fileio
from workplan_cli.errors import WorkplanError
from workplan_cli.git import gitio
from workplan_cli.plan.model import Plan, StakeholderFile
from workplan_cli.plan.store import Repo, display_path, read_bytes

BEGIN = "# BEGIN workplan codeowners"
END = "# END workplan codeowners"
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._/-]*")  # a folder CODEOWNERS reads as it is


def block(plan: Plan, people: StakeholderFile, data_dir: str) -> tuple[str, list[str]]:
    """Returns the CODEOWNERS block for the plan files and stakeholders.yaml under `data_dir`
    (relative to the repository's root, '/' separated), and the parties that have no reviewers.
    """
    if not _PLAIN_PATH.fullmatch(data_dir) or data_dir.startswith("-"):
        raise WorkplanError(
            f"the data folder {data_dir!r} holds characters a CODEOWNERS pattern cannot take "
            "as they are; write the block by hand"
        )
    by_id = people.by_id()
    handles: list[str] = []
    missing: list[str] = []
    for party in plan.plan.parties:
        found = by_id[party].reviewers if party in by_id else []
        if not found:
            missing.append(party)
        handles += [h for h in found if h not in handles]
    if not handles:
        raise WorkplanError(
            "no party of the plan has reviewers: give each party in stakeholders.yaml "
            "`reviewers: ['@org/team']` (forge handles of the people who review for it)"
        )
    folder = "/" + data_dir.strip("/") if data_dir.strip("/") else ""
    owners = " ".join(handles)
    labels = ", ".join(f"{p} ({' '.join(by_id[p].reviewers) or 'none'})" for p in plan.plan.parties)
    lines = [
        BEGIN,
        "# Made by `workplan codeowners` from stakeholders.yaml: the reviewers of each party of",
        f"# plan {plan.version}: {labels}.",
        "# A forge asks all of them to review; `workplan review` tells whether every party",
        "# approved a change of agreed content.",
        f"{folder}/workplan-*.yaml {owners}",
        f"{folder}/stakeholders.yaml {owners}",
        END,
    ]
    return "\n".join(lines) + "\n", missing


def merged(existing: str | None, new_block: str) -> str:
    """Returns the CODEOWNERS text with workplan's block replaced (or added at the end): the
    file's other lines stay as they are, and so do its line ends (CRLF, as git may check it out
    on Windows)."""
    if not existing:
        return new_block
    newline = "\r\n" if "\r\n" in existing else "\n"
    new_block = new_block.replace("\n", newline)
    start = existing.find(BEGIN + newline)
    end = existing.find(END, start) if start >= 0 else -1
    if start >= 0 and end >= 0:
        tail = existing.find("\n", end)
        rest = existing[tail + 1 :] if tail >= 0 else ""
        return existing[:start] + new_block + rest
    if start >= 0 or END in existing:
        raise WorkplanError(
            "CODEOWNERS holds only one of workplan's two marker lines; fix it by hand first"
        )
    return existing + ("" if existing.endswith("\n") else newline) + newline + new_block


@dataclass(frozen=True)
class Owners:
    """The block for a repository's plan, the parties without reviewers, and the CODEOWNERS
    file it belongs in (.github/ at the top of the git work tree, else of the repository)."""

    text: str
    missing: list[str]
    path: Path


def owners(repo: Repo, plan: str | None = None) -> Owners:
    """Returns the block for the plan named (default: the current one) and where it goes."""
    people = repo.load_stakeholders()
    current = repo.load_plan(plan)
    try:
        top = gitio.toplevel(repo.root)
    except WorkplanError:
        top = repo.root
    try:
        data_dir = Path(repo.data_dir).resolve().relative_to(Path(top).resolve()).as_posix()
    except ValueError:
        raise WorkplanError(
            f"{display_path(repo.data_dir)} is outside the repository {top}: CODEOWNERS "
            "cannot name it"
        ) from None
    text, missing = block(current, people, "" if data_dir == "." else data_dir)
    return Owners(text, missing, Path(top) / ".github" / "CODEOWNERS")


def save(made: Owners) -> Path:
    """Puts the block into its CODEOWNERS file (made if absent; its other lines stay), written
    atomically under the file's lock over the very file read; returns the file's path."""
    target = made.path
    try:
        target.parent.mkdir(exist_ok=True)
    except OSError as e:
        raise WorkplanError(
            f"cannot make the folder {display_path(target.parent)} ({e.strerror}); nothing was "
            "written"
        ) from None
    with fileio.locked(target):
        before = fileio.snapshot(target, read_bytes)
        try:
            old = before.data.decode("utf-8") if before.data is not None else None
        except UnicodeDecodeError as e:
            raise WorkplanError(
                f"{display_path(target)} is not UTF-8 (byte {e.start}); nothing was written"
            ) from None
        fileio.replace_if_unchanged(target, before, merged(old, made.text).encode("utf-8"))
    return target
