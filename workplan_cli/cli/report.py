"""`workplan report`: the plan and its progress as Markdown, self-contained HTML or PDF."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from workplan_cli.cli.common import (
    FILTERS,
    PlanOption,
    RepoOption,
    open_repo,
    with_filters,
)
from workplan_cli.cli.formats import choose_format

if TYPE_CHECKING:
    from workplan_cli.plan.query import Filters


class ReportFormat(StrEnum):
    MARKDOWN = "markdown"
    HTML = "html"
    PDF = "pdf"


class PdfEngine(StrEnum):
    WEASYPRINT = "weasyprint"
    CHROMIUM = "chromium"
    AUTO = "auto"


REPORT_SUFFIXES = {
    ".md": ReportFormat.MARKDOWN,
    ".markdown": ReportFormat.MARKDOWN,
    ".html": ReportFormat.HTML,
    ".htm": ReportFormat.HTML,
    ".pdf": ReportFormat.PDF,
}


def _as_of(value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2024-10-31") from None


@with_filters
def report(
    plan: PlanOption = None,
    filters: Filters = FILTERS,  # the filter options: see with_filters
    as_of: Annotated[
        Optional[dt.date],
        typer.Option(
            "--as-of",
            metavar="DATE",
            parser=_as_of,
            help="Report the state on this date (YYYY-MM-DD), computed from the status histories "
            "[default: as recorded, status as of today].",
        ),
    ] = None,
    since: Annotated[
        Optional[str],
        typer.Option(
            "--since",
            metavar="PLAN",
            help="Add what changed since this plan: a version (2024), a file, or GITREV:VERSION.",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        Optional[ReportFormat],
        typer.Option(
            "--format",
            "-f",
            help="markdown, html (one file) or pdf [default: from -o's suffix (.md, .html, "
            ".pdf), else markdown].",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="Write the report to this file (pdf needs it)."),
    ] = None,
    engine: Annotated[
        Optional[PdfEngine],
        typer.Option(
            "--engine",
            help="What typesets a pdf: weasyprint (works everywhere), chromium (headless "
            "Chromium, several times faster on large plans, when installed) or auto (chromium "
            "if installed, else weasyprint) [default: weasyprint].",
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        Optional[Path],
        typer.Option(
            "--template",
            help="Render with this jinja2 template (sandboxed, in a process with limits).",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            metavar="LANG",
            help="The report's language: en or de (labels, status words, dates, numbers; plan "
            "texts stay as written).",
        ),
    ] = "en",
    repo: RepoOption = None,
) -> None:
    """Render a report of the plan and its progress for people who never open a terminal.

    The template is the repository's own templates/report.md.j2 (or report.html.j2) when it
    has one, else the one shipped with workplan. A template that is not shipped with workplan
    renders in the jinja2 sandbox, in a child process with limits on memory and time, and may
    read only files inside its own folder.

    Example: workplan report --area 2 -o area2.html
    """
    format = choose_format(format, output, REPORT_SUFFIXES, ReportFormat.MARKDOWN)
    if format is ReportFormat.PDF and output is None:
        raise typer.BadParameter("pdf output needs a file: add -o report.pdf", param_hint="-o")
    if engine is not None and format is not ReportFormat.PDF:
        raise typer.BadParameter("only a pdf has an engine: add -f pdf", param_hint="--engine")
    from workplan_cli.output import i18n, report, reportdata
    from workplan_cli.plan import query

    if lang not in i18n.languages():
        raise typer.BadParameter(
            f"{lang!r} is not a report language: {', '.join(i18n.languages())}",
            param_hint="--lang",
        )

    store = open_repo(repo)
    the_plan = store.load_plan(plan)
    stakeholders = store.load_stakeholders()
    filters = query.resolve_filters(filters, the_plan, stakeholders)
    changes = (
        _changes(store, since, plan or the_plan.version, filters.area, filters.topic, lang)
        if since
        else None
    )
    context = reportdata.build_context(
        the_plan, stakeholders, filters, as_of=as_of, changes=changes, lang=lang
    )
    choice = report.choose_template(format.value, store.root, template)
    if format is ReportFormat.PDF:
        data = report.pdf(choice, context, (engine or PdfEngine.WEASYPRINT).value)
    else:
        text = report.render(choice, context, format.value)
        data = text.encode()
    if output is None:
        from workplan_cli.cli.output import write

        write(text)
        sys.stdout.flush()
        return
    from workplan_cli.plan.store import write_output

    write_output(output, data, store)


def _changes(store, since: str, current: str, area, topic, lang: str = "en") -> dict:
    """Returns the "changes since" data: the diff of the reported plan against `since`."""
    from workplan_cli.diff.plans import diff_plans, narrow
    from workplan_cli.git.sides import load_side
    from workplan_cli.output import reportdata

    old, new = load_side(store, since), load_side(store, current)
    result = diff_plans(old.plan, new.plan, old.stakeholders, new.stakeholders)
    return reportdata.changes_context(narrow(result, area, topic), old, new, lang)
