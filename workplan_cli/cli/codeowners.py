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
    from workplan_cli.edit import codeowners as core
    from workplan_cli.plan.store import display_path

    made = core.owners(open_repo(repo), plan)
    for party in made.missing:
        echo_plain(f"Warning: {party} has no reviewers in stakeholders.yaml", err=True)
    if not write_file:
        write(made.text)
        return
    echo(f"Wrote the workplan block of {display_path(core.save(made))}")
