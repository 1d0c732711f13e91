"""Shell completion through typer's own machinery: ids from the repository, never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from workplan_cli.cli import app
from workplan_cli.cli import complete as completion


def _complete(words: str, shell: str = "bash", **env: str) -> list[str]:
    """Returns what the shell would offer for the last word of `workplan WORDS`."""
    parts = words.split(" ")
    result = CliRunner().invoke(
        app,
        [],
        prog_name="workplan",
        env={
            "_WORKPLAN_COMPLETE": f"complete_{shell}",
            "COMP_WORDS": f"workplan {words}",
            "COMP_CWORD": str(len(parts)),
            "_TYPER_COMPLETE_ARGS": f"workplan {words}",
            **env,
        },
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return [line for line in result.stdout.splitlines() if line]


@pytest.fixture
def two_plans(repo):
    """Adds a 2025 draft in which activity 3.1.2 became 3.1.9."""
    text = (repo / "data" / "workplan-2024.yaml").read_text(encoding="utf-8")
    for old, new in (
        ('version: "2024"', 'version: "2025"'),
        ("status: signed", "status: draft"),
        ('- id: "3.1.2"', '- id: "3.1.9"'),
    ):
        assert text.count(old) == 1
        text = text.replace(old, new)
    (repo / "data" / "workplan-2025.yaml").write_text(text, encoding="utf-8")
    return repo


def test_show_completes_activity_topic_and_objective_ids(repo):
    # show takes an activity, a topic, an objective or an indicator (cli/show.py)
    assert _complete("show 1.3") == ["1.3", "1.3/1", "1.3.1", "1.3.2", "1.3.3"]
    assert _complete("show 1.3.") == ["1.3.1", "1.3.2", "1.3.3"]
    assert _complete("show 3") == ["3.1", "3.1/1", "3.1.1", "3.1.2"]  # not the area: show
    assert _complete("show 2.2/") == ["2.2/1", "2.2/2"]  # takes no area


def _results_plan(repo):
    from pathlib import Path

    fixture = Path(__file__).parent / "golden" / "results" / "plan.yaml"
    (repo / "data" / "workplan-2025.yaml").unlink()
    (repo / "data" / "workplan-2024.yaml").write_bytes(fixture.read_bytes())


def test_record_completes_indicator_ids(repo):
    _results_plan(repo)
    assert _complete("record 1.1-") == ["1.1-a", "1.1-b", "1.1-c"]
    assert _complete("record 1.1") == ["1.1-a", "1.1-b", "1.1-c"]  # indicators only


def test_show_completes_indicator_ids_with_their_texts(repo):
    _results_plan(repo)
    assert _complete("show 1.1") == [
        "1.1",
        "1.1/1",
        "1.1/2",
        "1.1-a",
        "1.1-b",
        "1.1-c",
        "1.1.1",
    ]
    assert _zsh_matches(_complete("show 1.1-a", shell="zsh")) == [
        '"1.1-a":"Expert exchanges held on internet governance"'
    ]
    assert _zsh_matches(_complete("show 1.1/1", shell="zsh")) == [
        '"1.1/1":"Both sides exchange on internet governance."'
    ]


def test_activity_ids_come_from_the_plan_named(two_plans):
    assert _complete("show 3.1.") == ["3.1.1", "3.1.2"]  # the newest plan that is not a draft
    assert _complete("show --plan 2025 3.1.") == ["3.1.1", "3.1.9"]


def test_plan_versions_newest_first(two_plans):
    assert _complete("status --plan ") == ["2025", "2024"]
    assert _complete("list -p 2024") == ["2024"]
    assert _complete("approve 202") == ["2025", "2024"]
    assert _complete("sign 2025") == ["2025"]


def _zsh_matches(out: list[str]) -> list[str]:
    """Returns the `"value":"description"` items of typer's zsh answer."""
    assert len(out) == 1 and out[0].startswith("_arguments '*: :((") and out[0].endswith("))'")
    return re.findall(r'"[^"]*":"[^"]*"|"[^"]*"', out[0][len("_arguments '*: :((") : -3])


def test_zsh_shows_titles_and_plan_status(two_plans):
    # typer's own answer: zsh evaluates it twice, so descriptions hold no quote, `$`, backtick,
    # backslash or `:` (cli/complete.py); `plan 2025, draft` keeps its comma.
    assert _zsh_matches(_complete("status --plan 2025", shell="zsh")) == [
        '"2025":"plan 2025, draft"'
    ]
    assert _zsh_matches(_complete("show 1.3.2", shell="zsh")) == [
        '"1.3.2":"Cyber security innovation challenge or hackathon"'
    ]


def test_set_status_completes_activity_ids(repo):
    assert _complete("set-status 1.3") == ["1.3.1", "1.3.2", "1.3.3"]  # activities only
    assert _complete("set-status 1.3.1 c") == ["completed", "cancelled"]


def test_approve_party_completes_the_plans_parties(two_plans):
    assert _complete("approve 2025 --party ") == ["micde", "bmdv"]
    assert _complete("approve 2025 --party m") == ["micde"]
    path = two_plans / "data" / "workplan-2025.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("parties: [micde, bmdv]") == 1
    path.write_text(text.replace("parties: [micde, bmdv]", "parties: [bmdv, giz]"))
    assert _complete("approve 2025 --party ") == ["bmdv", "giz"]  # from the plan named
    assert _complete("approve 2024 --party ") == ["micde", "bmdv"]
    assert _complete("approve --by x 2025 --party ") == ["bmdv", "giz"]
    assert _complete("approve --party ") == ["micde", "bmdv"]  # no version yet: the current
    assert _zsh_matches(_complete("approve 2025 --party g", shell="zsh")) == ['"giz":"GIZ"']


def test_stakeholder_ids_for_lead_and_stakeholder(repo):
    assert _complete("status --lead b") == ["bmdv", "business"]
    assert _complete("list --stakeholder s") == ["students"]
    assert _complete("export --reporting-org g") == ["giz"]


def test_areas_and_topics(repo):
    assert _complete("status --area ") == ["1", "2", "3"]
    assert _complete("list --topic 2.") == ["2.1", "2.2"]


def test_repo_option_and_environment_name_the_repository(repo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # outside the repository
    assert _complete("show 1.1.") == []
    assert _complete(f"show --repo {repo} 1.1.") == ["1.1.1", "1.1.2", "1.1.3"]
    assert _complete("show 1.1.", WORKPLAN_REPO=str(repo)) == ["1.1.1", "1.1.2", "1.1.3"]


def test_completion_never_raises(repo):
    (repo / "data" / "stakeholders.yaml").write_text("stakeholders: [unclosed\n", encoding="utf-8")
    assert _complete("status --lead ") == []
    assert _complete("show --plan 2099 1.") == []
    (repo / "data" / "workplan-2024.yaml").write_bytes(b"\xff\xfe not yaml")
    assert _complete("show 1.") == []
    assert _complete("status --plan ") == ["2025", "2024"]  # from file names alone
    for function in (
        completion.plan_versions,
        completion.activity_ids,
        completion.indicator_ids,
        completion.area_ids,
        completion.topic_ids,
        completion.stakeholder_ids,
        completion.shown_ids,
        completion.party_ids,
    ):
        assert function(SimpleNamespace(params={"repo": 42}), "") == []  # a TypeError inside


def test_an_invalid_plan_still_completes(repo):
    path = repo / "data" / "workplan-2024.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: planned", "status: x", 1))
    assert _complete("show 1.1.") == ["1.1.1", "1.1.2", "1.1.3"]
    assert _complete("approve 2024 --party ") == ["micde", "bmdv"]


def test_importing_the_command_line_stays_light():
    code = (  # every command module, as `workplan --help` imports them
        "import importlib, sys, workplan_cli.cli as c; "
        "[importlib.import_module(f'workplan_cli.cli.{m}') for m, _, _ in c.COMMANDS.values()]; "
        "heavy = ('pydantic', 'ruamel.yaml', 'icalendar', 'lxml', 'rich', 'workplan_cli.plan.store'); "
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_install_completion_is_offered(cli):
    out = cli("--help").stdout
    assert "--install-completion" in out and "--show-completion" in out
