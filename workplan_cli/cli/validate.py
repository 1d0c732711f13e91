"""`workplan validate`: check every plan file and stakeholders.yaml."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from workplan_cli.cli.common import RepoOption, open_repo
from workplan_cli.cli.output import echo_plain, print_json
from workplan_cli.output.inert import one_line


class ValidateFormat(StrEnum):
    TEXT = "text"
    GITHUB = "github"
    JSON = "json"


def validate(
    format: Annotated[
        ValidateFormat,
        typer.Option("--format", "-f", help="text, github (Actions annotations) or json."),
    ] = ValidateFormat.TEXT,
    allow_future: Annotated[
        bool,
        typer.Option(
            "--allow-future",
            help="Accept history entries dated after today (for a computer whose clock is wrong).",
        ),
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Check every plan file and stakeholders.yaml; exit 1 on any error.

    Each error names file:line:column, the path in the document and the activity it is in. A
    history entry dated after today (anywhere on Earth) is an error unless --allow-future.

    Example: workplan validate --format github
    """
    store = open_repo(repo)
    from workplan_cli.plan.checks import today_anywhere

    def explain(path, plan):  # what changed since an approval of an earlier text, from git
        from workplan_cli.git.agreement import explain

        return explain(store, path, plan)

    problems = store.validate(None if allow_future else today_anywhere(), explain)
    if format is ValidateFormat.JSON:
        print_json([p.as_dict() for p in problems])
    elif format is ValidateFormat.GITHUB:
        for p in problems:
            echo_plain(github_annotation(p))
    else:
        for p in problems:
            echo_plain(one_line(p), err=True)  # a newline in a quoted value fakes no line
        if not problems:
            files = len(store.plan_paths()) + 1
            echo_plain(f"{files} files valid.")
    if problems:
        raise typer.Exit(1)


def github_annotation(problem) -> str:
    """Returns a GitHub Actions `::error` line for one problem."""
    props = [f"file={_escape_property(problem.file)}"]
    if problem.line is not None:
        props.append(f"line={problem.line}")
    if problem.column is not None:
        props.append(f"col={problem.column}")
    message = problem.what()
    return f"::error {','.join(props)}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    # The log that shows the line is a terminal too: other control characters made visible.
    return one_line(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
