"""`workplan init PATH`: a new plan repository, ready for review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

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
    install_spec: Annotated[
        Optional[str],
        typer.Option(
            "--install-spec",
            help="Where the CI workflow installs workplan from: a URL such as "
            "git+https://github.com/OWNER/workplan@COMMIT, or a ./path in the repository "
            "(default: where this workplan was installed from, when CI can reach it).",
            show_default=False,
        ),
    ] = None,
    nested: Annotated[
        bool,
        typer.Option(
            "--nested",
            help="PATH is inside an existing git repository: keep the plan in that subfolder "
            "(no git init, no workflow or pre-commit config).",
        ),
    ] = False,
) -> None:
    """Create a plan repository: git, data/, schema/, .gitignore, diff driver, pre-commit and
    CI workflow.

    Example: workplan init ../my-dialogue --blank --install-spec git+https://github.com/OWNER/workplan@COMMIT
    """
    from workplan_cli.git import setup as gitsetup

    result = gitsetup.init(path, blank=blank, install=install_spec, nested=nested)
    top = path.resolve()
    for file in result.written:
        shown = file.resolve().relative_to(top) if file.resolve().is_relative_to(top) else file
        echo_plain(f"wrote {shown}")
    if result.install_note:
        echo_plain(
            f"Warning: {result.install_note}, so the CI workflow "
            ".github/workflows/workplan-review.yml stops until you set WORKPLAN_INSTALL in it "
            "(or run init again with --install-spec).",
            err=True,
        )
    if result.enclosing is not None:
        echo_plain(
            f"Plan added in {path}, a subfolder of the git repository {result.enclosing}. "
            f"Next: git -C {result.enclosing} add -A && git -C {result.enclosing} commit"
        )
    else:
        echo_plain(f"Plan repository ready in {path}. Next: cd {path} && git add -A && git commit")
