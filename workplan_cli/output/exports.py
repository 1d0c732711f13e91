"""Exports of a plan's activities as JSON and CSV (pure: models in, text out)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence

from workplan_cli.output.plaintext import ExportBugError, has_controls, without_controls
from workplan_cli.plan import fields
from workplan_cli.plan.fields import to_plain
from workplan_cli.plan.model import Activity, ActivityRef, IndicatorRef, Plan, StakeholderFile
from workplan_cli.plan.query import Filters
from workplan_cli.plan.spec import IDS, TITLE

EXPORT_VERSION = 1

LIST_SEPARATOR = "; "  # between ids in one cell; ids never hold it


def json_export(
    plan: Plan, stakeholders: StakeholderFile, refs: list[ActivityRef], filters: Filters
) -> str:
    """Returns the plan as JSON: the plan file's own shape, with only the kept activities."""
    kept = {id(ref.activity) for ref in refs}
    whole = to_plain(plan, by_alias=True)
    areas = []
    for area, area_data in zip(plan.areas, whole["areas"], strict=True):
        topics = []
        for topic, topic_data in zip(area.topics, area_data["topics"], strict=True):
            activities = [
                data
                for activity, data in zip(topic.activities, topic_data["activities"], strict=True)
                if id(activity) in kept
            ]
            if activities or filters.shows_empty(area.id, topic.id):
                topics.append({**topic_data, "activities": activities})
        if topics:
            areas.append({**area_data, "topics": topics})
    document = {
        "export_version": EXPORT_VERSION,
        "filters": filters.as_dict(),
        "workplan": {**whole, "areas": areas},
        "stakeholders": to_plain(stakeholders, by_alias=True)["stakeholders"],
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    # json escapes C0 controls itself; DEL and C1 (a terminal acts on U+009B) only as escapes
    # too, which keeps every value as it is.
    text = _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    try:
        text.encode("utf-8")
        json.loads(text)
    except ValueError as e:
        raise ExportBugError(f"the JSON export is not well-formed ({e})") from None
    return text


_RAW_CONTROLS = re.compile("[\x7f-\x9f]")  # only inside strings: JSON's syntax is ASCII


def csv_columns(model: type = Activity) -> tuple[str, ...]:
    """Returns the CSV columns: the activity's id and title, where it stands, its row's fields,
    the last entry of its history, then its other fields (from the model's declaration)."""
    out = ["id", "title", "area", "area_title", "topic", "topic_title", "objectives"]
    for f in _csv_fields(model):
        out += list(f.spec.last) if f.spec.last else [f.key]
    return tuple(out)


def _csv_fields(model: type) -> list:
    rest = [f for f in fields.compared(model) if f.kind != TITLE and not f.spec.row]
    return [*fields.row(model), *sorted(rest, key=lambda f: not f.spec.last)]


def csv_row(ref: ActivityRef) -> dict[str, str]:
    """Returns one activity as the CSV export's cells, by column name."""
    a = ref.activity
    row = {
        "id": a.id,
        "title": a.title,
        "area": ref.area.id,
        "area_title": ref.area.title,
        "topic": ref.topic.id,
        "topic_title": ref.topic.title,
        "objectives": "\n".join(ref.topic.objectives),
    }
    for f in _csv_fields(type(a)):
        value = f.plain(a)
        if f.spec.last:  # entries: the fields of the last one
            last = value[-1] if value else {}
            row.update((column, _cell(last.get(key))) for column, key in f.spec.last.items())
        else:
            row[f.key] = _cell(value, LIST_SEPARATOR if f.kind == IDS else "\n")
    return row


def _cell(value, separator: str = "\n") -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return separator.join(str(v) for v in value)
    return str(value)


# What makes a spreadsheet read a cell as a formula (OWASP "CSV Injection"): = + - @ tab CR
# first, and the full-width forms of = + - @, which some spreadsheets fold to ASCII.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def inert_cell(value: str) -> str:
    """Returns the cell with a single quote before a character that starts a formula (OWASP):
    a spreadsheet shows it as text. The csv module does OWASP's other part: a cell that holds
    a quote, a separator or a line break is quoted, and its quotes doubled."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_export(refs: list[ActivityRef]) -> str:
    """Returns the activities as CSV (RFC 4180: CRLF line ends, fields quoted where needed),
    without control characters (see plaintext.py), no cell a formula (`inert_cell`), checked
    by reading it back."""
    model = type(refs[0].activity) if refs else Activity
    rows = [{k: inert_cell(without_controls(v)) for k, v in csv_row(ref).items()} for ref in refs]
    return _checked_csv(csv_columns(model), rows)


def _checked_csv(columns: Sequence[str], rows: list[dict[str, str]]) -> str:
    """Returns the rows as CSV (CRLF line ends), checked by reading it back: well-formed UTF-8,
    the same rows, no control characters."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    text = out.getvalue()
    try:
        text.encode("utf-8")
        back = list(csv.DictReader(io.StringIO(text, newline="")))
    except (ValueError, csv.Error) as e:
        raise ExportBugError(f"the CSV export is not well-formed ({e})") from None
    if back != rows or has_controls(text):
        raise ExportBugError("the CSV export does not read back as written, or holds controls")
    return text


def indicators_csv(plan: Plan, refs: list[IndicatorRef], as_of) -> str:
    """Returns the indicators as CSV, one row each: where it stands on `as_of` (the columns of
    `workplan indicators --format json`), then a target and an actual column per period of the
    plan; cells made safe as in `csv_export`."""
    from workplan_cli.plan import results

    periods = list(plan.plan.monitoring.periods) if plan.plan.monitoring else []
    rows = []
    for ref in refs:
        found = results.standing(ref.indicator, as_of)
        row = {k: _cell(v) for k, v in results.as_plain(ref, found).items()}
        targets = {t.period: t.value for t in ref.indicator.targets}
        for period in periods:
            row[f"target_{period}"] = _cell(targets.get(period))
            measured = [a.value for a in ref.indicator.actuals if a.period == period]
            row[f"actual_{period}"] = _cell(measured[-1] if measured else None)
        rows.append({k: inert_cell(without_controls(v)) for k, v in row.items()})
    columns = [*results.ROW_KEYS, *(f"{k}_{p}" for p in periods for k in ("target", "actual"))]
    return _checked_csv(columns, rows)
