"""Options shared by several commands, and opening the repository they name."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from workplan_cli.cli import complete
from workplan_cli.plan.vocab import Status

RepoOption = Annotated[
    Optional[Path],
    typer.Option(
        "--repo",
        envvar="WORKPLAN_REPO",
        help="The plan repository (default: found by walking up from the current folder).",
        show_default=False,
    ),
]
PlanOption = Annotated[
    Optional[str],
    typer.Option(
        "--plan",
        "-p",
        help="Plan version (2025) or file path (default: the newest plan that is not a draft).",
        show_default=False,
        autocompletion=complete.plan_versions,
    ),
]
AreaOption = Annotated[
    Optional[str],
    typer.Option("--area", "-a", help="Only this area, e.g. 2.", autocompletion=complete.area_ids),
]
TopicOption = Annotated[
    Optional[str],
    typer.Option(
        "--topic", "-t", help="Only this topic, e.g. 1.3.", autocompletion=complete.topic_ids
    ),
]
StatusOption = Annotated[
    Optional[Status], typer.Option("--status", "-s", help="Only activities with this status.")
]
LeadOption = Annotated[
    Optional[str],
    typer.Option(
        "--lead",
        help="Only activities this stakeholder id leads, e.g. bmdv.",
        autocompletion=complete.stakeholder_ids,
    ),
]
StakeholderOption = Annotated[
    Optional[str],
    typer.Option(
        "--stakeholder",
        help="Only activities this stakeholder id leads or takes part in.",
        autocompletion=complete.stakeholder_ids,
    ),
]

ActivityIdArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID", help="Activity id, e.g. 1.3.2.", autocompletion=complete.activity_ids
    ),
]


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def open_repo(repo: Optional[Path]):
    from workplan_cli.plan.store import find_repo

    return find_repo(repo)


def make_filters(area, topic, status, lead, stakeholder):
    from workplan_cli.plan.query import Filters

    return Filters(area=area, topic=topic, status=status, lead=lead, stakeholder=stakeholder)
