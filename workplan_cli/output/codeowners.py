"""A CODEOWNERS block from the reviewer handles that stakeholders.yaml gives the plan's parties,
so that forges ask each party's reviewers to review changes of the plans (pure functions)."""

from __future__ import annotations

import re

from workplan_cli.errors import WorkplanError
from workplan_cli.plan.model import Plan, StakeholderFile

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
    file's other lines stay as they are."""
    if not existing:
        return new_block
    start = existing.find(BEGIN + "\n")
    end = existing.find(END, start) if start >= 0 else -1
    if start >= 0 and end >= 0:
        tail = existing.find("\n", end)
        rest = existing[tail + 1 :] if tail >= 0 else ""
        return existing[:start] + new_block + rest
    if start >= 0 or END in existing:
        raise WorkplanError(
            "CODEOWNERS holds only one of workplan's two marker lines; fix it by hand first"
        )
    return existing + ("" if existing.endswith("\n") else "\n") + "\n" + new_block
