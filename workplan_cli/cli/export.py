"""`workplan export`: the plan as JSON, CSV, iCalendar or IATI 2.03 XML."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from workplan_cli.cli import complete
from workplan_cli.cli.common import (
    FILTERS,
    PlanOption,
    RepoOption,
    open_repo,
    with_filters,
)
from workplan_cli.cli.formats import choose_format
from workplan_cli.cli.report import _as_of
from workplan_cli.cli.schema import OutputOption

if TYPE_CHECKING:
    from workplan_cli.plan.query import Filters


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    ICS = "ics"
    IATI = "iati"
    XLSX = "xlsx"


EXPORT_SUFFIXES = {
    ".json": ExportFormat.JSON,
    ".csv": ExportFormat.CSV,
    ".ics": ExportFormat.ICS,
    ".xml": ExportFormat.IATI,
    ".xlsx": ExportFormat.XLSX,
}


@with_filters
def export(
    ctx: typer.Context,
    format: Annotated[
        Optional[ExportFormat],
        typer.Option(
            "--format",
            "-f",
            help="What to write [default: from -o's suffix (.json, .csv, .ics, .xml for iati, "
            ".xlsx), else json].",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    plan: PlanOption = None,
    filters: Filters = FILTERS,  # the filter options: see with_filters
    reporting_org: Annotated[
        Optional[str],
        typer.Option(
            "--reporting-org",
            help="iati: the stakeholder id that publishes (default: the plan's "
            "iati.reporting_org, else its facilitator).",
            show_default=False,
            autocompletion=complete.stakeholder_ids,
        ),
    ] = None,
    iati_ref: Annotated[
        Optional[str],
        typer.Option(
            "--iati-ref",
            help="iati: the publisher's IATI organisation identifier (default: the plan's "
            "iati.reporting_org_ref).",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        Optional[dt.date],
        typer.Option(
            "--as-of",
            metavar="DATE",
            parser=_as_of,  # the same dates as report's --as-of
            help="iati: the reference date (default: today); no actual date after it is "
            "written, and history entries dated after it are left out. csv --indicators: "
            "the day indicators are judged. xlsx: the day colours are judged (default: today).",
            show_default=False,
        ),
    ] = None,
    indicators: Annotated[
        bool,
        typer.Option(
            "--indicators",
            help="csv: a row per indicator (baseline, latest actual, target, percent achieved, "
            "colour as of --as-of, and a target and actual column per period).",
        ),
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Export the plan's activities: json (the whole plan), csv (a row per activity),
    ics (dated activities and history as calendar events), iati (IATI 2.03 XML) or xlsx (a
    workbook for partners to fill in; `workplan import` reads it back).

    Takes the same filters as `status`. Output goes to stdout, or atomically to -o FILE.

    Example: workplan export --format csv --area 2 -o area2.csv
    """
    from workplan_cli.plan import query

    format = choose_format(format, output, EXPORT_SUFFIXES, ExportFormat.JSON)
    store = open_repo(repo)
    the_plan = store.load_plan(plan)
    people = store.load_stakeholders()
    filters = query.resolve_filters(filters, the_plan, people)
    refs = query.select(the_plan, filters)
    if indicators:
        if format is not ExportFormat.CSV:
            raise typer.BadParameter("--indicators is an option of --format csv")
        from workplan_cli.output.exports import indicators_csv

        kept = [r for r in the_plan.indicators() if query.keeps_indicator(filters, r)]
        _write(indicators_csv(the_plan, kept, as_of or dt.date.today()).encode(), output, store)
        return
    if format is ExportFormat.XLSX:
        if output is None or str(output) == "-":
            raise typer.BadParameter("an xlsx workbook is written to a file: add -o FILE.xlsx")
        day = as_of or dt.date.today()
        _write(_workbook(store, plan, the_plan, people, refs, filters, day), output, store)
        return
    data = _render(format, the_plan, people, refs, filters, reporting_org, iati_ref, as_of)
    if format is ExportFormat.ICS:
        from workplan_cli.output.ics import event_count

        if not event_count(refs):
            from workplan_cli.cli.output import echo_plain

            echo_plain(
                "Note: no dated activities or history entries to export; "
                "the calendar holds no events.",
                err=True,
            )
    _write(data, output, store)


def _workbook(store, plan, the_plan, people, refs, filters, as_of) -> bytes:
    from workplan_cli.edit.sheet import Provenance, file_digest
    from workplan_cli.output.xlsx import xlsx_export

    path = store.plan_path(plan) if plan else store.current_plan_path(set(people.by_id()))
    try:
        file = path.resolve().relative_to(store.root.resolve()).as_posix()
    except ValueError:
        file = path.name
    source = Provenance(file, the_plan.version, file_digest(store.read(path)))
    return xlsx_export(the_plan, people, refs, filters, source, as_of)


def _render(format, plan, people, refs, filters, reporting_org, iati_ref, as_of) -> bytes:
    if format is ExportFormat.JSON:
        from workplan_cli.output.exports import json_export

        return json_export(plan, people, refs, filters).encode("utf-8")
    if format is ExportFormat.CSV:
        from workplan_cli.output.exports import csv_export

        return csv_export(refs).encode("utf-8")
    if format is ExportFormat.ICS:
        from workplan_cli.output.ics import ics_export

        return ics_export(plan, refs)
    from workplan_cli.output.iati import iati_export

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return iati_export(plan, refs, people, reporting_org, iati_ref, generated=now, as_of=as_of)


def _write(data: bytes, output: Optional[Path], store) -> None:
    if output is None or str(output) == "-":
        from workplan_cli.cli.output import write_bytes

        write_bytes(data)  # bytes as made: CRLF in csv and ics must stay CRLF
        return
    from workplan_cli.plan.store import write_output

    write_output(output, data, store)
