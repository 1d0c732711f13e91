"""`workplan init PATH`: a new plan repository, ready for review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workplan_cli.cli.output import echo_plain


def init(
    path: Annotated[Path, typer.Argument(help="The new repository's folder (absent or empty).")],
    blank: Annotated[
        bool,
        typer.Option(
            "--blank", help="Empty skeletons (that validate) instead of the shipped plan."
        ),
    ] = False,
) -> None:
    """Create a plan repository: git, data/, schema/, diff driver, pre-commit and CI workflow.

    Example: workplan init ../my-dialogue --blank
    """
    from workplan_cli.git import setup as gitsetup

    written = gitsetup.init(path, blank=blank)
    for file in written:
        echo_plain(f"wrote {file.relative_to(path)}")
    echo_plain(f"Plan repository ready in {path}. Next: cd {path} && git add -A && git commit")
