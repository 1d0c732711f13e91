"""Options shared by several commands, and opening the repository they name."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Optional, cast

import typer

from workplan_cli.cli import complete
from workplan_cli.plan.vocab import STATUSES, Status

REPO_HELP = (
    "The plan repository (default: the --repo given before the command, else WORKPLAN_REPO, "
    "else found by walking up from the current folder)."
)
# The environment variable is read by the root option (`workplan --repo X CMD`, cli/__init__.py),
# which hands its value to the command as this option's default: a --repo written on the command
# line, before or after the command, wins over the environment.
RepoOption = Annotated[Optional[Path], typer.Option("--repo", help=REPO_HELP, show_default=False)]
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

# The plan and day of the commands on a plan's agreement (approve, sign).
VersionArgument = Annotated[
    str,
    typer.Argument(
        metavar="VERSION",
        help="The plan version, e.g. 2025.",
        autocompletion=complete.plan_versions,
    ),
]
OnOption = Annotated[
    Optional[str],
    typer.Option("--on", help="The day, YYYY-MM-DD (default: today).", show_default=False),
]

# The options of every command that edits a plan file (set-status, record, schedule, approve,
# sign, import): declared once here.
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Print the change as a diff; write nothing.")
]
CommitOption = Annotated[
    bool, typer.Option("--commit", help="Commit the plan file (only it) with git.")
]
RecorderOption = Annotated[
    Optional[str],
    typer.Option("--by", help="Who records it (default: git's user.name).", show_default=False),
]
# The area and topic filters (diff narrows by these two alone); FILTER_OPTIONS holds all five.
AreaOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--area",
        "-a",
        metavar="<id>",
        help="Only this area, e.g. 2; repeat for several (-a 1 -a 2).",
        autocompletion=complete.area_ids,
        show_default=False,
    ),
]
TopicOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--topic",
        "-t",
        metavar="<id>",
        help="Only this topic, e.g. 1.3; repeat for several.",
        autocompletion=complete.topic_ids,
        show_default=False,
    ),
]
# The filters of status, list, export and report, declared once: `with_filters` puts them in a
# command's signature in place of its `filters` parameter. Each may be repeated: any of its values
# matches, and every filter given must match.
FILTER_OPTIONS = {
    "area": AreaOption,
    "topic": TopicOption,
    "status": Annotated[
        Optional[list[Status]],
        typer.Option(
            "--status",
            "-s",
            metavar="<" + "|".join(STATUSES) + ">",
            help="Only activities with this status; repeat for several (-s planned -s postponed).",
            show_default=False,
        ),
    ],
    "lead": Annotated[
        Optional[list[str]],
        typer.Option(
            "--lead",
            metavar="<id>",
            help="Only activities this stakeholder leads: its id or short name (bmdv, BMDV); "
            "repeat for several.",
            autocompletion=complete.stakeholder_ids,
            show_default=False,
        ),
    ],
    "stakeholder": Annotated[
        Optional[list[str]],
        typer.Option(
            "--stakeholder",
            metavar="<id>",
            help="Only activities this stakeholder leads or takes part in (id or short name); "
            "repeat for several. Different filters all apply.",
            autocompletion=complete.stakeholder_ids,
            show_default=False,
        ),
    ],
}

ActivityIdArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID", help="Activity id, e.g. 1.3.2.", autocompletion=complete.activity_ids
    ),
]


def refuse_dry_run_commit(dry_run: bool, commit: bool) -> None:
    """Refuses --dry-run with --commit (a usage error) in the edit commands."""
    if dry_run and commit:
        raise typer.BadParameter("--dry-run writes nothing, so it cannot --commit either")


IndicatorIdArgument = Annotated[
    str,
    typer.Argument(
        metavar="INDICATOR",
        help="Indicator id, e.g. 1.3-a.",
        autocompletion=complete.indicator_ids,
    ),
]

AsOfOption = Annotated[
    Optional[str],
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Judge as of this day, YYYY-MM-DD (default: today).",
        show_default=False,
    ),
]


def as_of_date(text: Optional[str]):
    """Returns the day `--as-of` names (today when not given), or raises a usage error."""
    import datetime as dt

    if text is None:
        return dt.date.today()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise typer.BadParameter(
        f"{text!r} is not a date; write it as YYYY-MM-DD", param_hint="--as-of"
    )


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def open_repo(repo: Optional[Path]):
    from workplan_cli.plan.store import find_repo

    return find_repo(repo)


def with_filters(command: Callable) -> Callable:
    """Returns `command` with the filter options in place of its `filters` parameter; it is
    called with the Filters they make.

    Typer reads a command's options from its signature (`inspect.signature`, which honours
    `__signature__`), so the five options are declared once, in FILTER_OPTIONS, and every
    command that filters gets the same ones.
    """
    names = list(FILTER_OPTIONS)
    params = []
    for param in inspect.signature(command).parameters.values():
        if param.name == "filters":
            params += [
                inspect.Parameter(n, param.KEYWORD_ONLY, default=None, annotation=a)
                for n, a in FILTER_OPTIONS.items()
            ]
            continue
        annotation = param.annotation
        if isinstance(annotation, str):  # `from __future__ import annotations`, as inspect does
            annotation = eval(annotation, command.__globals__)
        params.append(param.replace(annotation=annotation, kind=param.KEYWORD_ONLY))

    @functools.wraps(command)
    def run(**kwargs):
        filters = make_filters(**{name: kwargs.pop(name) for name in names})
        return command(filters=filters, **kwargs)

    cast(Any, run).__signature__ = inspect.Signature(params)
    run.__annotations__ = {p.name: p.annotation for p in params}
    return run


# The default of a command's `filters` parameter, for the type checker: with_filters replaces the
# parameter by the options and always passes a Filters.
FILTERS: Any = None


def make_filters(area=None, topic=None, status=None, lead=None, stakeholder=None):
    """Returns the Filters of the options' values (each a list, or None when not given)."""
    from workplan_cli.plan.query import Filters

    return Filters(area=area, topic=topic, status=status, lead=lead, stakeholder=stakeholder)
