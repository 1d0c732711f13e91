"""`workplan git-setup`: plain git diff, log -p and show print plan diffs; `textconv` for git."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workplan_cli.cli.common import RepoOption, open_repo
from workplan_cli.cli.output import echo_plain, write_bytes


def git_setup(
    uninstall: Annotated[
        bool, typer.Option("--uninstall", help="Remove exactly what git-setup added.")
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Make plain `git diff`, `git log -p` and `git show` print plan files field by field.

    Adds `diff=workplan` lines to .gitattributes and sets diff.workplan.textconv in the
    repository's own .git/config; nothing outside the repository changes.

    Example: workplan git-setup
    """
    from workplan_cli.git import setup as gitsetup

    store = open_repo(repo)
    if uninstall:
        result = gitsetup.uninstall(store.root)
        for line in result.added_lines:
            echo_plain(f"removed from {result.attributes.name}: {line}")
        if result.removed_file:
            echo_plain(f"removed {result.attributes.name} (it held nothing else)")
        for key in result.config:
            echo_plain(f"removed from .git/config: {key}")
        if not (result.added_lines or result.config):
            echo_plain("Nothing to remove: git-setup was not run here.")
        return
    result = gitsetup.setup(store.root)
    for line in result.added_lines:
        echo_plain(f"added to {result.attributes.name}: {line}")
    for key, value in result.config.items():
        echo_plain(f"set in .git/config: {key} = {value}")
    echo_plain("git diff, git log -p and git show now show plan files field by field.")


def textconv(
    file: Annotated[Path, typer.Argument(help="The file git asks to convert.")],
) -> None:
    """Print a plan or stakeholders file one line a field (git's textconv for plan files)."""
    from workplan_cli.output.textconv import render
    from workplan_cli.plan import store

    data = store.read_bytes(file)
    write_bytes(render(data, file.name))
