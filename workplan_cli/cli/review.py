"""`workplan review BASE`: the plan changes of a branch, for a pull-request comment."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from workplan_cli.cli.common import RepoOption, open_repo

AGREEMENT_NEEDED = 5  # exit code: agreed content changed without every party's approval


class ReviewFormat(StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"


def review(
    base: Annotated[
        str,
        typer.Argument(
            metavar="BASE",
            help="The branch the change goes into (main, origin/main, a tag or a commit id).",
        ),
    ],
    worktree: Annotated[
        bool,
        typer.Option("--worktree", help="Review the working tree instead of HEAD."),
    ] = False,
    format: Annotated[
        ReviewFormat,
        typer.Option("--format", "-f", help="markdown (a pull-request comment) or json."),
    ] = ReviewFormat.MARKDOWN,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output", "-o", help="Write to this file (atomically); - prints.", dir_okay=False
        ),
    ] = None,
    repo: RepoOption = None,
) -> None:
    """Review the plan changes since the merge base with BASE; exit 1 when the result is invalid,
    5 when agreed content changed without the approval of every party.

    For every plan file and stakeholders.yaml changed: the semantic diff, every status change
    in one list, and whether the new state validates.

    Example: workplan review main --format markdown >> "$GITHUB_STEP_SUMMARY"
    """
    from workplan_cli.cli.output import to_json, write
    from workplan_cli.git import review as core
    from workplan_cli.output import reviewrender

    store = open_repo(repo)
    result = core.review(store, base, worktree=worktree)
    if format is ReviewFormat.JSON:
        text = to_json(reviewrender.to_json(result))
    else:
        text = reviewrender.to_markdown(result)
    if output is None or str(output) == "-":
        write(text)
    else:
        from workplan_cli.plan.store import write_output

        write_output(output, text.encode("utf-8"), store)
    if not result.valid:
        raise typer.Exit(1)
    if not result.agreed:
        raise typer.Exit(AGREEMENT_NEEDED)
