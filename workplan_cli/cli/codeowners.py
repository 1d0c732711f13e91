"""`workplan codeowners`: the CODEOWNERS block that asks each party's reviewers."""

from __future__ import annotations

from typing import Annotated

import typer

from workplan_cli.cli.common import PlanOption, RepoOption, open_repo
from workplan_cli.cli.output import echo, echo_plain, write


def codeowners(
    write_file: Annotated[
        bool,
        typer.Option(
            "--write",
            help="Put the block into .github/CODEOWNERS (its other lines stay); default: print it.",
        ),
    ] = False,
    plan: PlanOption = None,
    repo: RepoOption = None,
) -> None:
    """Print (or write) a CODEOWNERS block from the reviewers stakeholders.yaml gives each party.

    Each party of the plan may list forge handles in stakeholders.yaml (`reviewers: ['@org/team']`);
    the block makes them code owners of the plan files and stakeholders.yaml.

    Example: workplan codeowners --write
    """
    from pathlib import Path

    from workplan_cli import fileio
    from workplan_cli.errors import WorkplanError
    from workplan_cli.git import gitio
    from workplan_cli.output import codeowners as core
    from workplan_cli.plan.store import display_path, read_bytes

    store = open_repo(repo)
    people = store.load_stakeholders()
    current = store.load_plan(plan)
    try:
        top = gitio.toplevel(store.root)
    except WorkplanError:
        top = store.root
    try:
        data_dir = Path(store.data_dir).resolve().relative_to(Path(top).resolve()).as_posix()
    except ValueError:
        raise WorkplanError(
            f"{display_path(store.data_dir)} is outside the repository {top}: CODEOWNERS "
            "cannot name it"
        ) from None
    text, missing = core.block(current, people, "" if data_dir == "." else data_dir)
    for party in missing:
        echo_plain(f"Warning: {party} has no reviewers in stakeholders.yaml", err=True)
    if not write_file:
        write(text)
        return
    target = Path(top) / ".github" / "CODEOWNERS"
    target.parent.mkdir(exist_ok=True)
    with fileio.locked(target):
        before = fileio.snapshot(target, read_bytes)
        old = before.data.decode("utf-8") if before.data is not None else None
        fileio.replace_if_unchanged(target, before, core.merged(old, text).encode("utf-8"))
    echo(f"Wrote the workplan block of {display_path(target)}")
