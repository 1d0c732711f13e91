"""`workplan log ID`: the life of one activity through git history."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from workplan_cli.cli.common import ActivityIdArgument, PlanOption, RepoOption, open_repo


class LogFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


def log(
    activity_id: ActivityIdArgument,
    plan: PlanOption = None,
    format: Annotated[
        LogFormat, typer.Option("--format", "-f", help="text, markdown or json.")
    ] = LogFormat.TEXT,
    repo: RepoOption = None,
) -> None:
    """Show the life of one activity: each commit that changed it, and its status history.

    Renamed plan files and renumbered ids are followed; a commit where the plan file is missing
    or does not validate is reported and skipped. An indicator's id (1.3-a) shows the commits
    that changed the indicator, in words, and its actuals.

    Example: workplan log 1.3.2
    """
    from workplan_cli.cli.output import print_json, write
    from workplan_cli.git import indicatorlog
    from workplan_cli.git.history import activity_log
    from workplan_cli.output import historyrender

    if indicatorlog.is_indicator_id(activity_id):
        life = indicatorlog.indicator_log(open_repo(repo), activity_id, plan)
        if format is LogFormat.JSON:
            print_json(historyrender.indicator_json(life))
        elif format is LogFormat.MARKDOWN:
            write(historyrender.indicator_markdown(life))
        else:
            write(historyrender.indicator_text(life))
        return

    result = activity_log(open_repo(repo), activity_id, plan)
    if format is LogFormat.JSON:
        print_json(historyrender.to_json(result))
    elif format is LogFormat.MARKDOWN:
        write(historyrender.to_markdown(result))
    else:
        write(historyrender.to_text(result))
