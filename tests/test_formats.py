"""The output format follows -o's suffix when --format is not given (cli/formats.py)."""

from __future__ import annotations

import csv
import io
import json

import pytest


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("r.html", b"<!DOCTYPE html>"),
        ("r.htm", b"<!DOCTYPE html>"),
        ("r.md", b"# "),
        ("r.pdf", b"%PDF-"),
        ("r.txt", b"# "),
    ],
)
def test_report_format_from_suffix(repo, cli, name, starts):
    cli("report", "-o", name)
    assert (repo / name).read_bytes().startswith(starts)


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("p.csv", lambda t: next(csv.reader(io.StringIO(t)))[0] == "id"),
        ("p.json", lambda t: "export_version" in json.loads(t)),
        ("p.ics", lambda t: t.startswith("BEGIN:VCALENDAR")),
        ("p.JSON", lambda t: "export_version" in json.loads(t)),
        ("p.txt", lambda t: "export_version" in json.loads(t)),
    ],
)
def test_export_format_from_suffix(repo, cli, name, check):
    cli("export", "--plan", "2025", "-o", name)
    assert check((repo / name).read_text(encoding="utf-8"))


def test_export_iati_from_xml_suffix(repo, cli):
    cli("export", "--iati-ref", "XM-DAC-41126", "-o", "p.xml")
    assert (repo / "p.xml").read_bytes().startswith(b"<?xml")


def test_export_xml_suffix_still_needs_iati_ref(repo, cli):
    # the identifier may come from the plan's iati settings: without either, a data error
    result = cli("export", "-o", "p.xml", code=1)
    assert "--iati-ref" in result.stderr and not (repo / "p.xml").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--format", "markdown", "-o", "r.pdf"),
        ("report", "-f", "html", "-o", "r.md"),
        ("export", "--format", "json", "-o", "p.csv"),
        ("export", "-f", "csv", "-o", "p.ics"),
    ],
)
def test_suffix_that_contradicts_format_is_a_usage_error(repo, cli, args):
    result = cli(*args, code=2)
    named = args[-1]
    assert f"'{named}' names" in result.stderr and f"--format is {args[2]}" in result.stderr
    assert not (repo / named).exists()


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--format", "html", "-o", "r.html"),
        ("report", "--format", "markdown", "-o", "notes.txt"),
        ("export", "--format", "csv", "-o", "p.csv"),
        ("export", "--format", "csv", "-o", "p.tsv"),
    ],
)
def test_format_that_agrees_or_an_unknown_suffix_is_fine(repo, cli, args):
    cli(*args)
    assert (repo / args[-1]).exists()
