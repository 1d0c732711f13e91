"""`workplan export --format iati`: IATI 2.03 activity XML, valid against the official XSD."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from tests.exporting import add_dates, check_golden, iati_xsd
from workplan_cli.output.iati import iati_export
from workplan_cli.output.iatiresults import xml_number
from workplan_cli.plan.store import find_repo

REF = "XX-TEST-1"  # a made-up organisation identifier, for the tests only
XSD = iati_xsd()
CODELISTS = XSD.parent / "codelists"


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(XSD)))


@pytest.fixture
def dated(repo):
    add_dates(repo)
    return repo


def _export(cli, tmp_path, *args) -> etree._Element:
    target = tmp_path / "plan.xml"
    cli("export", "--format", "iati", "--iati-ref", REF, "-o", str(target), *args)
    return etree.parse(str(target)).getroot()


def _activity(root, ident: str):
    (found,) = root.xpath(f"iati-activity[iati-identifier='{REF}-ke-de-digital-dialogue-{ident}']")
    return found


def test_shipped_plan_is_valid_iati(cli, repo, tmp_path, schema):
    root = _export(cli, tmp_path)
    assert schema.validate(root), schema.error_log
    assert root.get("version") == "2.03"
    assert len(root.findall("iati-activity")) == 17


def test_dated_plan_is_valid_iati(cli, dated, tmp_path, schema):
    root = _export(cli, tmp_path)
    assert schema.validate(root), schema.error_log


def _codes(name: str) -> set[str]:
    """Returns the codes of an IATI 2.03 codelist kept in docs/standards/iati-2.03/codelists/."""
    return {c.text for c in etree.parse(str(CODELISTS / f"{name}.xml")).iterfind(".//code")}


def test_every_code_the_export_writes_is_in_its_codelist(cli, dated, tmp_path):
    # with a vocabulary-uri, the plan's own codes are written too (sector and tag vocabulary 99)
    path = dated / "data" / "workplan-2024.yaml"
    text = path.read_text("utf-8")
    uri = "    vocabulary_uri: https://example.org/codes\n"
    path.write_text(text.replace("    language: en\n", "    language: en\n" + uri), "utf-8")
    root = _export(cli, tmp_path)
    used = {
        "Language": "//@xml:lang",
        "OrganisationType": ".//reporting-org/@type | .//participating-org/@type",
        "OrganisationRole": ".//participating-org/@role",
        "ActivityStatus": ".//activity-status/@code",
        "ActivityDateType": ".//activity-date/@type",
        "SectorVocabulary": ".//sector/@vocabulary",
        "TagVocabulary": ".//tag/@vocabulary",
    }
    for codelist, xpath in used.items():
        written = set(root.xpath(xpath))
        assert written, codelist
        assert written <= _codes(codelist), (codelist, written - _codes(codelist))


def test_activity_carries_status_organisations_areas_and_objectives(cli, dated, tmp_path):
    root = _export(cli, tmp_path)
    hackathon = _activity(root, "1.3.2")
    assert hackathon.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert hackathon.findtext("title/narrative") == (
        "1.3.2 Cyber security innovation challenge or hackathon"
    )
    reporter = hackathon.find("reporting-org")
    assert (reporter.get("ref"), reporter.get("type")) == (REF, "15")  # GIZ, the facilitator
    assert hackathon.find("activity-status").get("code") == "3"  # completed -> Finalisation
    orgs = [
        (o.get("role"), o.get("type"), o.findtext("narrative"))
        for o in hackathon.findall("participating-org")
    ]
    assert [o[:2] for o in orgs] == [("2", "10"), ("2", "10"), ("4", "15"), ("4", "80")]
    assert orgs[1][2] == "Federal Ministry for Digital and Transport"
    descriptions = {
        d.get("type"): d.findtext("narrative") for d in hackathon.findall("description")
    }
    assert descriptions["1"].startswith("Pilot an innovation challenge")
    plan = find_repo(dated).load_plan()
    assert descriptions["2"] == "\n".join(plan.find("1.3.2").topic.objectives)
    dates = [(d.get("type"), d.get("iso-date")) for d in hackathon.findall("activity-date")]
    assert dates == [
        ("1", "2024-09-16"),
        ("2", "2024-05-02"),
        ("3", "2024-09-18"),
        ("4", "2024-09-18"),
    ]
    sectors = [(s.get("vocabulary"), s.get("code")) for s in hackathon.findall("sector")]
    assert sectors == [("1", "22040")]  # the plan's iati settings; no vocabulary-uri: no own codes
    assert hackathon.find("tag") is None
    assert hackathon.find("recipient-country").get("code") == "KE"


def test_statuses_map_to_the_activity_status_codelist(cli, dated, tmp_path):
    root = _export(cli, tmp_path)
    assert _activity(root, "2.2.1").find("activity-status").get("code") == "5"  # cancelled
    assert _activity(root, "1.1.1").find("activity-status").get("code") == "1"  # pipeline


def test_an_undated_activity_takes_the_signing_date_and_says_so(cli, repo, tmp_path):
    (date,) = _activity(_export(cli, tmp_path), "1.1.1").findall("activity-date")
    assert (date.get("type"), date.get("iso-date")) == ("1", "2024-02-13")
    assert "no date" in date.findtext("narrative")


def test_filters_and_reporting_org(cli, repo, tmp_path):
    root = _export(cli, tmp_path, "--area", "3", "--reporting-org", "bmdv")
    assert len(root.findall("iati-activity")) == 2
    reporter = root.find("iati-activity/reporting-org")
    assert reporter.get("type") == "10"
    assert reporter.findtext("narrative") == "Federal Ministry for Digital and Transport"


def test_iati_errors(cli, repo):
    out = cli("export", "--format", "iati", code=1)
    assert "add `iati: {reporting_org_ref: REF}`" in out.stderr and "--iati-ref REF" in out.stderr
    out = cli("export", "-f", "iati", "--iati-ref", "has space", code=1)
    assert out.stderr.startswith("Error: 'has space' is not an IATI organisation identifier")
    out = cli("export", "-f", "iati", "--iati-ref", REF, "--reporting-org", "nobody", code=1)
    assert out.stderr == "Error: no stakeholder 'nobody' in stakeholders.yaml\n"
    out = cli("export", "-f", "iati", "--iati-ref", REF, "--status", "completed", code=1)
    assert out.stderr == "Error: no activities to export: IATI needs at least one\n"


def test_iati_golden(dated):
    store = find_repo(dated)
    plan = store.load_plan()
    people = store.load_stakeholders()
    data = iati_export(
        plan, list(plan.activities()), people, "giz", REF, as_of=dt.date(2024, 12, 31)
    )
    check_golden("dated-iati.xml", data)


@pytest.mark.parametrize(
    "value, text", [(3, "3"), (2.5, "2.5"), (1e20, "100000000000000000000"), (1e-7, "0.0000001")]
)
def test_numbers_in_iati_read_back_by_xpath(value, text):
    assert xml_number(value) == text
