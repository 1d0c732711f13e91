"""`workplan export --format iati` against IATI's own rules: the Standard Ruleset and codelists
(vendored in tests/iati-rules/, checked by tests/iati_rules.py), beside the XSD."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from tests.exporting import add_dates, iati_xsd
from tests.iati_rules import check, check_codes

REF = "XI-IATI-EXAMPLE"  # made up, for the tests only; XI-IATI is an approved agency prefix
TODAY = dt.date(2024, 10, 1)
XSD = iati_xsd()


def _export(cli, tmp_path, *args, as_of: dt.date = TODAY) -> etree._Element:
    target = tmp_path / "plan.xml"
    cli("export", "-f", "iati", "--as-of", as_of.isoformat(), "-o", str(target), *args)
    return etree.parse(str(target)).getroot()


def _clean(root, now: dt.date = TODAY) -> None:
    found = check(root, now) + check_codes(root)
    assert found == [], "\n".join(f"{f.rule} {f.severity} {f.where}: {f.message}" for f in found)
    if XSD is not None:
        schema = etree.XMLSchema(etree.parse(str(XSD)))
        assert schema.validate(root), schema.error_log


def _activity(root, ident: str):
    (found,) = root.xpath(f"iati-activity[iati-identifier='{REF}-ke-de-digital-dialogue-{ident}']")
    return found


def _dates(activity) -> dict[str, str]:
    return {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}


@pytest.mark.parametrize("version", ["2024", "2025"])
def test_shipped_plans_pass_the_rules(cli, repo, tmp_path, version):
    root = _export(cli, tmp_path, "--iati-ref", REF, "--plan", version)
    _clean(root)
    first = root.find("iati-activity")
    assert first.find("recipient-country").get("code") == "KE"
    assert [(s.get("vocabulary"), s.get("code")) for s in first.findall("sector")] == [
        ("1", "22040")
    ]
    # the signing date; a draft has none, and the reference date stands in
    updated = {"2024": "2024-02-13", "2025": TODAY.isoformat()}[version]
    assert first.get("last-updated-datetime") == f"{updated}T00:00:00Z"


def test_completed_and_future_dated_activities_pass_the_rules(cli, repo, tmp_path):
    add_dates(repo)
    # planned -> completed at once: the day it left planned is both its actual start and end
    cli("set-status", "1.1.1", "completed", "--on", "2024-06-05")
    # in progress now, completed on a day after the export's reference date
    cli("set-status", "1.1.2", "in-progress", "--on", "2024-09-01")
    cli("set-status", "1.1.2", "completed", "--on", "2024-12-01")
    # started on a day after the reference date: no actual date at all
    cli("set-status", "1.2.1", "in-progress", "--on", "2025-01-15")
    root = _export(cli, tmp_path, "--iati-ref", REF)
    _clean(root)
    assert _dates(_activity(root, "1.1.1")) == {"2": "2024-06-05", "4": "2024-06-05"}
    assert _dates(_activity(root, "1.1.2")) == {"2": "2024-09-01"}
    assert _dates(_activity(root, "1.2.1")) == {"1": "2024-02-13"}  # the signing date, said so
    assert _activity(root, "1.1.2").get("last-updated-datetime") == "2024-09-01T00:00:00Z"
    # a later reference date: the same history gives the actual end
    later = _export(cli, tmp_path, "--iati-ref", REF, as_of=dt.date(2025, 2, 1))
    _clean(later, dt.date(2025, 2, 1))
    assert _dates(_activity(later, "1.1.2"))["4"] == "2024-12-01"
    assert _dates(_activity(later, "1.2.1"))["2"] == "2025-01-15"


def _settings(repo, extra: str, version: str = "2024") -> None:
    path = repo / "data" / f"workplan-{version}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    language: en\n", f"    language: en\n{extra}"), "utf-8")


def test_the_publisher_identifier_and_own_vocabulary_come_from_the_data(cli, repo, tmp_path):
    _settings(
        repo,
        f"    reporting_org_ref: {REF}\n    vocabulary_uri: https://example.org/workplan-codes\n",
    )
    path = repo / "data" / "stakeholders.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "    short_name: GIZ\n", "    short_name: GIZ\n    iati_ref: XM-DAC-00-TEST\n"
        ),
        "utf-8",
    )
    root = _export(cli, tmp_path)  # no --iati-ref
    _clean(root)
    hackathon = _activity(root, "1.3.2")
    assert hackathon.find("reporting-org").get("ref") == REF
    sectors = [
        (s.get("vocabulary"), s.get("code"), s.get("vocabulary-uri"))
        for s in hackathon.findall("sector")
    ]
    assert sectors == [("1", "22040", None), ("99", "1.3", "https://example.org/workplan-codes")]
    assert hackathon.find("tag").get("vocabulary-uri") == "https://example.org/workplan-codes"
    refs = {o.findtext("narrative"): o.get("ref") for o in hackathon.findall("participating-org")}
    assert refs["Deutsche Gesellschaft für Internationale Zusammenarbeit (GIZ) GmbH"] == (
        "XM-DAC-00-TEST"
    )
    assert refs["Federal Ministry for Digital and Transport"] is None  # none known: none made up
    # --iati-ref overrides the data
    assert (
        _export(cli, tmp_path, "--iati-ref", "XI-IATI-OTHER")
        .find("iati-activity/reporting-org")
        .get("ref")
        == "XI-IATI-OTHER"
    )


def test_without_the_settings_iati_refuses_naming_what_to_add(cli, repo):
    out = cli("export", "-f", "iati", code=1)
    assert "reporting_org_ref" in out.stderr and "--iati-ref" in out.stderr
    for name in ("recipient_country: KE\n", 'sectors: ["22040"]\n'):
        path = repo / "data" / "workplan-2024.yaml"
        path.write_text(path.read_text("utf-8").replace(f"    {name}", ""), "utf-8")
        out = cli("export", "-f", "iati", "--iati-ref", REF, code=1)
        assert name.split(":")[0] in out.stderr, out.stderr
    out = cli("export", "-f", "iati", "--iati-ref", REF, "--as-of", "2024-13-01", code=2)
    assert "is not a date" in out.stderr


# --- the checker: each rule kind catches a violation ----------------------------------------

NOW = dt.date(2024, 6, 1)


def _doc(body: str) -> etree._Element:
    return etree.fromstring(
        f'<iati-activities version="2.03"><iati-activity>{body}</iati-activity></iati-activities>'
    )


def _rule(kind: str, **case) -> dict:
    info = {"id": f"t.{kind}", "severity": "error", "message": kind}
    return {"/iati-activities/iati-activity": {kind: {"cases": [{**case, "ruleInfo": info}]}}}


KINDS = [
    ("atleast_one", {"paths": ["sector"]}, "<sector/>", "<tag/>"),
    (
        "atleast_one",
        {"condition": "count(tag) > 1", "paths": ["sector"]},
        "<tag/>",
        "<tag/><tag/>",
    ),
    ("no_more_than_one", {"paths": ["sector"]}, "<sector/>", "<sector/><sector/>"),
    (
        "unique",
        {"paths": ["reporting-org/@ref", "iati-identifier"]},
        '<iati-identifier>A-1</iati-identifier><reporting-org ref="A"/>',
        '<iati-identifier>A</iati-identifier><reporting-org ref="A"/>',
    ),
    (
        "no_spaces",
        {"paths": ["iati-identifier"]},
        "<iati-identifier>A-1</iati-identifier>",
        "<iati-identifier> A-1</iati-identifier>",
    ),
    (
        "regex_matches",
        {"regex": "^[^\\/\\&\\|\\?]+$", "paths": ["iati-identifier"]},
        "<iati-identifier>A-1</iati-identifier>",
        "<iati-identifier>A/1</iati-identifier>",
    ),
    (
        "startswith",
        {"prefix": ["reporting-org/@ref"], "separator": "-", "paths": ["iati-identifier"]},
        '<iati-identifier>A-1</iati-identifier><reporting-org ref="A"/>',
        '<iati-identifier>B-1</iati-identifier><reporting-org ref="A"/>',
    ),
    (
        "startswith",
        {"prefix": ["ORG-ID-PREFIX"], "paths": ["reporting-org/@ref"]},
        '<reporting-org ref="XM-DAC-5-7"/>',
        '<reporting-org ref="XX-TEST-1"/>',
    ),
    (
        "one_or_all",
        {"one": "@xml:lang", "all": "lang"},
        '<title><narrative xml:lang="en">x</narrative></title>',
        "<title><narrative>x</narrative></title>",
    ),
    (
        "date_now",
        {"date": "@last-updated-datetime"},
        '<x last-updated-datetime="2024-06-01T00:00:00Z"/>',
        None,  # built below: the attribute is the activity's own
    ),
    (
        "date_order",
        {"less": "activity-date[@type='2']/@iso-date", "more": "NOW"},
        '<activity-date type="2" iso-date="2024-06-01"/>',
        '<activity-date type="2" iso-date="2024-06-02"/>',
    ),
    (
        "date_order",
        {
            "less": "activity-date[@type='2']/@iso-date",
            "more": "activity-date[@type='4']/@iso-date",
        },
        '<activity-date type="2" iso-date="2024-05-01"/><activity-date type="4" iso-date="2024-05-01"/>',
        '<activity-date type="2" iso-date="2024-05-02"/><activity-date type="4" iso-date="2024-05-01"/>',
    ),
    (
        "strict_sum",
        {"condition": "count(sector) > 1", "paths": ["sector/@percentage"], "sum": 100},
        '<sector percentage="60"/><sector percentage="40"/>',
        '<sector percentage="60"/><sector percentage="50"/>',
    ),
    (
        "range",
        {"paths": ["sector/@percentage"], "min": 0.0, "max": 100.0},
        '<sector percentage="100"/>',
        '<sector percentage="100.5"/>',
    ),
    (
        "if_then",
        {"if": "not(recipient-country)", "then": "transaction[recipient-country]"},
        '<recipient-country code="KE"/>',
        "<sector/>",
    ),
    (
        "loop",
        {
            "foreach": "sector/@vocabulary",
            "do": {
                "if_then": {
                    "cases": [
                        {
                            "if": "count(sector[@vocabulary = '$1']) = 1",
                            "then": "sector[@vocabulary = '$1']/narrative",
                            "ruleInfo": {"id": "t.loop", "severity": "error", "message": "x"},
                        }
                    ]
                }
            },
        },
        '<sector vocabulary="99"><narrative>n</narrative></sector><sector vocabulary="1"/>'
        '<sector vocabulary="1"/>',
        '<sector vocabulary="99"><narrative>n</narrative></sector><sector vocabulary="98"/>',
    ),
]


@pytest.mark.parametrize("kind, case, good, bad", KINDS, ids=[k[0] for k in KINDS])
def test_each_rule_kind_catches_a_violation(kind, case, good, bad):
    rules = _rule(kind, **case)
    if kind == "date_now":
        ok = etree.fromstring(
            '<iati-activities><iati-activity last-updated-datetime="2024-06-01T10:00:00Z"/>'
            "</iati-activities>"
        )
        late = etree.fromstring(
            '<iati-activities><iati-activity last-updated-datetime="2024-06-02T00:00:00Z"/>'
            "</iati-activities>"
        )
        assert check(ok, NOW, rules) == []
        assert [f.rule for f in check(late, NOW, rules)] == ["t.date_now"]
        return
    assert check(_doc(good), NOW, rules) == []
    (finding,) = check(_doc(bad), NOW, rules)
    assert finding.rule in (f"t.{kind}", "t.loop")


def test_an_unimplemented_rule_kind_that_applies_is_refused():
    rules = _rule("time_limit", paths=["sector"])
    with pytest.raises(AssertionError, match="time_limit"):
        check(_doc("<sector/>"), NOW, rules)


def test_codes_outside_their_codelist_are_caught():
    root = _doc('<sector vocabulary="1" code="99999"/><recipient-country code="QQ"/>')
    assert sorted(f.message for f in check_codes(root)) == [
        "'99999' is not in Sector",
        "'QQ' is not in Country",
    ]
    assert check_codes(_doc('<sector vocabulary="1" code="22040"/>')) == []


def test_the_shipped_plan_breaks_the_rules_the_old_export_broke(cli, repo, tmp_path):
    # what the 2.03 XSD let through: rule 3.7.1 (no recipient country) and 102.1.1 (no DAC
    # sector) fire on an export of a plan without the iati settings' codes
    root = _export(cli, tmp_path, "--iati-ref", REF)
    for node in root.xpath("//recipient-country | //sector[@vocabulary='1']"):
        node.getparent().remove(node)
    assert {"3.7.1", "6.2.2"} <= {f.rule for f in check(root, TODAY)}


# --- results: indicators of the fixture plan (output/iatiresults.py) -----------------------

RESULTS_FIXTURE = (
    __import__("pathlib").Path(__file__).parent / "golden" / "results" / "plan.yaml"
).read_text()
IATI_BLOCK = """  facilitator: giz
  iati:
    recipient_country: KE
    sectors: ["22040"]
"""


def _results_repo(repo) -> None:
    for other in (repo / "data").glob("workplan-*.yaml"):
        other.unlink()
    text = RESULTS_FIXTURE.replace("  facilitator: giz\n", IATI_BLOCK, 1)
    (repo / "data" / "workplan-2024.yaml").write_text(text, encoding="utf-8")


def test_result_labels_come_from_the_declarations(monkeypatch):
    from tests.conftest import STAKEHOLDER_IDS
    from workplan_cli.output.iatiresults import results
    from workplan_cli.plan import fields, load
    from workplan_cli.plan.model import Actual, Indicator

    for model, key, label in ((Indicator, "unit", "Counted in"), (Actual, "evidence", "Proof")):
        declared = next(f for f in fields.declared(model) if f.key == key)
        monkeypatch.setattr(declared.spec, "label", label)
    by = "                by: tester\n"
    assert RESULTS_FIXTURE.count(by) == 1
    text = RESULTS_FIXTURE.replace(by, by + "                evidence: [minutes]\n")
    plan = load.parse_plan(text.encode(), "plan.yaml", STAKEHOLDER_IDS)
    [first, _] = results(plan.areas[0].topics[0], dt.date(2030, 1, 1))
    number = first.findall("indicator")[0]
    assert number.findtext("description/narrative") == "Counted in: exchanges"
    assert number.findtext("period/actual/comment/narrative") == (
        "One exchange in Nairobi (Proof: minutes)"
    )


def test_indicators_are_valid_iati_results(cli, repo, tmp_path):
    _results_repo(repo)
    cli(
        "record",
        "1.1-a",
        "2.5",
        "--period",
        "2024",
        "--on",
        "2024-09-01",
        "--by",
        "T",
        "--note",
        "Two and a half",
        "-e",
        "minutes",
    )
    cli("record", "1.1-c", "A draft exists", "--period", "2025", "--on", "2024-09-02")
    root = _export(cli, tmp_path, "--iati-ref", REF)
    _clean(root)
    activity = _activity(root, "1.1.1")
    first, second = activity.findall("result")
    assert (first.get("type"), first.get("aggregation-status")) == ("2", "0")
    assert first.findtext("title/narrative") == "Both sides exchange on internet governance."
    number, percent = first.findall("indicator")
    assert (number.get("measure"), number.get("ascending")) == ("1", "1")
    assert number.findtext("title/narrative") == (
        "1.1-a Expert exchanges held on internet governance"
    )
    assert number.find("baseline").attrib == {
        "year": "2024",
        "iso-date": "2024-01-15",
        "value": "0",
    }
    periods = number.findall("period")
    assert [
        (p.find("period-start").get("iso-date"), p.find("target").get("value")) for p in periods
    ] == [
        ("2024-01-01", "4"),
        ("2025-01-01", "8"),
    ]
    actual = periods[0].find("actual")
    assert actual.get("value") == "2.5"  # the latest of the period
    assert actual.findtext("comment/narrative") == "Two and a half (Evidence: minutes)"
    assert percent.get("measure") == "2"
    [qualitative] = second.findall("indicator")
    assert qualitative.get("measure") == "5" and qualitative.get("ascending") is None
    assert qualitative.find("baseline").get("value") is None
    assert qualitative.findtext("baseline/comment/narrative") == "No joint position exists."
    [period] = qualitative.findall("period")
    assert period.find("target").get("value") is None
    assert period.findtext("actual/comment/narrative") == "A draft exists"
    # the topic without indicators gives its activities no result
    assert _activity(root, "1.2.1").find("result") is None


def test_an_actual_after_the_reference_date_is_left_out(cli, repo, tmp_path):
    _results_repo(repo)
    root = _export(cli, tmp_path, "--iati-ref", REF, as_of=dt.date(2024, 6, 1))
    _clean(root, dt.date(2024, 6, 1))
    number = _activity(root, "1.1.1").find("result/indicator")
    assert [p.find("actual") for p in number.findall("period")] == [None, None]
