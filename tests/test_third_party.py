"""The files workplan ships and writes, read by the common third-party tools: PyYAML's
safe_load with jsonschema (a YAML 1.1 reader, as js-yaml with ajv is), and yamllint."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.conftest import DATA, ROOT
from workplan_cli.git import setup as gitsetup

STARTER = ROOT / "workplan_cli" / "starter"
SCHEMAS = {
    name: json.loads((ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    for name in ("workplan", "stakeholders")
}


def _schema_problems(path: Path) -> list[str]:
    """Returns what jsonschema says of the file as PyYAML's safe_load reads it."""
    schema = SCHEMAS["stakeholders" if path.name == "stakeholders.yaml" else "workplan"]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"{path.name}: {list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)
    ]


def _yamllint(*paths: Path, config: Path = ROOT / ".yamllint", strict: bool = True) -> str:
    """Runs yamllint with the repository's configuration; returns its report ('' when clean)."""
    args = [sys.executable, "-m", "yamllint", "-f", "parsable", "-c", str(config)]
    done = subprocess.run(
        [*args, *(["--strict"] if strict else []), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1, 2), done.stderr
    return done.stdout + (f"exit {done.returncode}" if done.returncode else "")


SHIPPED = sorted(DATA.glob("*.yaml")) + sorted(STARTER.glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_files_pass_the_schema_as_pyyaml_reads_them(path):
    assert _schema_problems(path) == []


def test_the_shipped_schemas_are_what_workplan_schema_prints(cli, repo):
    for name, schema in SCHEMAS.items():
        args = ["--stakeholders"] if name == "stakeholders" else []
        assert json.loads(cli("schema", *args).stdout) == schema


@pytest.fixture
def edited(git_repo, cli):
    """The shipped repository after set-status (new history entries) and revise."""
    cli(
        "set-status",
        "1.3.2",
        "in-progress",
        "--on",
        "2024-05-02",
        "--note",
        "Call out",
        "--by",
        "giz",
    )
    cli(
        "set-status",
        "1.3.2",
        "completed",
        "--on",
        "2024-10-12",
        "--by",
        "giz",
        "--note",
        "Held with three teams; " + "a long report of what happened " * 5,
    )
    cli("revise", "2024", "2026")
    return git_repo


def test_files_written_by_set_status_and_revise_pass_the_schema(edited):
    assert 'date: "2024-10-12"' in (edited / "data" / "workplan-2024.yaml").read_text()
    for path in sorted((edited / "data").glob("*.yaml")):
        assert _schema_problems(path) == []


@pytest.mark.slow
def test_yamllint_passes_the_shipped_files():
    assert _yamllint(DATA, STARTER, ROOT / ".github", ROOT / ".yamllint") == ""


@pytest.mark.slow
def test_yamllint_passes_the_files_set_status_and_revise_write(edited):
    # A long note stays on one line: a warning of line-length, which does not fail yamllint.
    report = _yamllint(edited / "data", strict=False)
    assert "error" not in report and "exit" not in report, report
    assert "(line-length)" in report


@pytest.mark.slow
def test_init_writes_the_yamllint_configuration_and_its_files_pass(tmp_path, cli):
    target = tmp_path / "new"
    cli("init", str(target))
    config = target / ".yamllint"
    assert config.read_text(encoding="utf-8") == gitsetup.YAMLLINT_CONFIG
    written = [
        p
        for p in target.rglob("*")
        if (p.suffix in (".yaml", ".yml") or p.name == ".yamllint")
        and ".git" not in p.relative_to(target).parts
    ]
    assert config in written and len(written) >= 5
    assert _yamllint(*written, config=config) == ""
    for path in sorted((target / "data").glob("*.yaml")):
        assert _schema_problems(path) == []


def test_the_repositorys_yamllint_has_the_rules_that_init_writes():
    ours = yaml.safe_load((ROOT / ".yamllint").read_text(encoding="utf-8"))
    written = yaml.safe_load(gitsetup.YAMLLINT_CONFIG)
    assert {k: v for k, v in ours.items() if k != "ignore"} == {
        k: v for k, v in written.items() if k != "ignore"
    }
