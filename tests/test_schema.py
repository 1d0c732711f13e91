"""`workplan schema`: generated from the models, committed fresh, and valid for the shipped data."""

from __future__ import annotations

import json
import os

import jsonschema
import pytest

from tests.conftest import DATA, ROOT
from workplan_cli import yamlio
from workplan_cli.plan import schemas

SCHEMA_DIR = ROOT / "schema"
SCHEMAS = {
    "workplan": (schemas.plan_schema, schemas.PLAN_SCHEMA_FILE),
    "stakeholders": (schemas.stakeholders_schema, schemas.STAKEHOLDERS_SCHEMA_FILE),
}
DATA_FILES = {
    "workplan-2024.yaml": schemas.PLAN_SCHEMA_FILE,
    "stakeholders.yaml": schemas.STAKEHOLDERS_SCHEMA_FILE,
}


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _errors(schema_file: str, data) -> list[str]:
    found = _validator(schema_file).iter_errors(data)
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found)


@pytest.mark.parametrize("kind", SCHEMAS)
def test_committed_schema_is_up_to_date(kind):
    make, file_name = SCHEMAS[kind]
    fresh = schemas.render(make())
    path = SCHEMA_DIR / file_name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(fresh, encoding="utf-8")
    flag = " --stakeholders" if kind == "stakeholders" else ""
    assert path.read_text(encoding="utf-8") == fresh, (
        f"{path.name} is out of date: run `workplan schema{flag} -o schema/{file_name}`"
    )


@pytest.mark.parametrize("data_file", DATA_FILES)
def test_shipped_data_is_valid_for_an_independent_validator(data_file):
    data = yamlio.parse((DATA / data_file).read_text(encoding="utf-8"))
    assert _errors(DATA_FILES[data_file], data) == []


@pytest.mark.parametrize("data_file", DATA_FILES)
def test_data_files_name_their_schema_on_the_first_line(data_file):
    first = (DATA / data_file).read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../schema/{DATA_FILES[data_file]}"
    assert (DATA / ".." / "schema" / DATA_FILES[data_file]).is_file()


def _plan() -> dict:
    return yamlio.parse((DATA / "workplan-2024.yaml").read_text(encoding="utf-8"))


def _first_activity(plan: dict) -> dict:
    return plan["areas"][0]["topics"][0]["activities"][0]


def test_schema_catches_what_the_models_catch():
    plan = _plan()
    activity = _first_activity(plan)
    activity["status"] = "complted"
    activity["id"] = "1.1"
    activity["titel"] = "typo"
    activity["start"] = "2024-02-30"
    plan["plan"]["version"] = "24"
    errors = "\n".join(_errors(schemas.PLAN_SCHEMA_FILE, plan))
    assert "areas/0/topics/0/activities/0/status: 'complted' is not one of" in errors
    assert "areas/0/topics/0/activities/0/id: '1.1' does not match" in errors
    assert "'titel' was unexpected" in errors
    # optional values are `anyOf [..., null]`, so the validator names no single reason
    assert "areas/0/topics/0/activities/0/start: '2024-02-30' is not valid under any" in errors
    assert "plan/version: '24' is not valid" in errors


def test_history_uses_the_yaml_key_names():
    plan = _plan()
    _first_activity(plan)["history"] = [
        {"date": "2024-03-01", "from": "planned", "to": "in-progress", "note": "kick-off"}
    ]
    assert _errors(schemas.PLAN_SCHEMA_FILE, plan) == []
    _first_activity(plan)["history"][0]["from_"] = "planned"
    assert any("'from_' was unexpected" in e for e in _errors(schemas.PLAN_SCHEMA_FILE, plan))


def test_schema_checks_real_dates():
    plan = _plan()
    _first_activity(plan)["history"] = [{"date": "2024-02-30", "to": "planned"}]
    errors = _errors(schemas.PLAN_SCHEMA_FILE, plan)
    assert errors == ["areas/0/topics/0/activities/0/history/0/date: '2024-02-30' is not a 'date'"]


def test_an_unquoted_year_is_a_version_for_the_schema_as_for_the_models():
    plan = _plan()
    plan["plan"]["version"] = 2024
    assert _errors(schemas.PLAN_SCHEMA_FILE, plan) == []


def test_stakeholder_schema_checks_country_codes():
    data = yamlio.parse((DATA / "stakeholders.yaml").read_text(encoding="utf-8"))
    data["stakeholders"][0]["country"] = "Kenya"
    errors = _errors(schemas.STAKEHOLDERS_SCHEMA_FILE, data)
    assert errors == ["stakeholders/0/country: 'Kenya' is not valid under any of the given schemas"]
    data["stakeholders"][0]["country"] = None
    assert _errors(schemas.STAKEHOLDERS_SCHEMA_FILE, data) == []


def test_schema_command_prints_the_plan_schema(cli):
    out = cli("schema").stdout
    assert json.loads(out) == schemas.plan_schema()
    assert out == (SCHEMA_DIR / schemas.PLAN_SCHEMA_FILE).read_text(encoding="utf-8")


def test_schema_command_writes_a_file(cli, tmp_path):
    target = tmp_path / "s.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    cli("schema", "--stakeholders", "-o", str(target))
    assert target.read_text(encoding="utf-8") == schemas.render(schemas.stakeholders_schema())
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def test_schema_command_into_a_missing_folder_is_an_error(cli, tmp_path):
    out = cli("schema", "-o", str(tmp_path / "nope" / "s.json"), code=1)
    assert out.stderr.startswith("Error: ")
    assert "no folder" in out.stderr
