"""`workplan revise OLD NEW`: start the next revision of a plan as a draft."""

from __future__ import annotations

from typing import Annotated

import typer

from workplan_cli.cli.common import RepoOption, open_repo
from workplan_cli.cli.output import echo, echo_plain


def revise(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The plan version to start from.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The new version, e.g. 2025.")],
    drop_completed: Annotated[
        bool,
        typer.Option("--drop-completed/--keep-completed", help="Leave completed activities out."),
    ] = False,
    drop_cancelled: Annotated[
        bool,
        typer.Option("--drop-cancelled/--keep-cancelled", help="Leave cancelled activities out."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace data/workplan-NEW.yaml if it exists.")
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Create data/workplan-NEW.yaml: a draft that supersedes OLD, with its activities.

    Status and history of every activity carried over are kept as they are; the old file's
    comments stay where their activity or key stays.

    Example: workplan revise 2024 2025 --drop-cancelled
    """
    from workplan_cli.edit import revise as core
    from workplan_cli.plan.store import display_path

    store = open_repo(repo)
    into = core.target(store, new, force)
    if into.notice:
        echo_plain(f"Warning: {into.notice}", err=True)
    options = core.ReviseOptions(drop_completed=drop_completed, drop_cancelled=drop_cancelled)
    made = core.start(store, old, into, options)
    echo(
        f"Wrote {display_path(made.path)}: draft {made.version}, superseding {made.supersedes}, "
        f"{made.kept} activities."
    )
    if made.dropped:
        echo(f"Left out: {', '.join(made.dropped)}.")
