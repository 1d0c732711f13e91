"""The filter options of status, list, export and report (declared once, in cli/common.py), and
--repo before the command."""

from __future__ import annotations

import json

import pytest

FILTERING = ["status", "list", "export", "report"]


def _ids(cli, *args: str) -> list[str]:
    return [a["id"] for a in json.loads(cli("list", "-f", "json", *args).stdout)["activities"]]


@pytest.fixture
def moved(repo, cli):
    """The shipped plan with 1.1.1 completed and 1.3.2 in progress (the rest planned)."""
    cli("set-status", "1.1.1", "completed", "--on", "2024-10-01")
    cli("set-status", "1.3.2", "in-progress", "--on", "2024-10-02")
    return repo


def test_a_repeated_status_keeps_any_of_its_values(moved, cli):
    assert _ids(cli, "-s", "completed", "-s", "in-progress") == ["1.1.1", "1.3.2"]
    assert _ids(cli, "--status", "in-progress") == ["1.3.2"]


def test_repeated_areas_and_topics_keep_any_and_different_filters_all_apply(moved, cli):
    areas = _ids(cli, "--area", "1", "--area", "3")
    assert {i.split(".")[0] for i in areas} == {"1", "3"}
    assert _ids(cli, "-t", "1.1", "-t", "1.3") == [
        "1.1.1",
        "1.1.2",
        "1.1.3",
        "1.3.1",
        "1.3.2",
        "1.3.3",
    ]
    assert _ids(cli, "-t", "1.1", "-t", "1.3", "-s", "in-progress", "-s", "postponed") == ["1.3.2"]


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("status", ["-f", "json"]),
        ("list", ["-f", "json"]),
        ("export", ["-f", "csv"]),
        ("report", []),
    ],
)
def test_every_filtering_command_keeps_every_repeated_value(repo, cli, command, options):
    out = cli(command, *options, "-t", "1.1", "-t", "3.1").stdout
    if command == "status":
        topics = [t["id"] for a in json.loads(out)["areas"] for t in a["topics"]]
        assert topics == ["1.1", "3.1"]
    else:
        assert "1.1.1" in out and "3.1.2" in out and "1.2.1" not in out and "2.1.1" not in out


@pytest.mark.parametrize("command", FILTERING)
def test_help_says_filters_repeat(cli, command):
    out = " ".join(cli(command, "--help").stdout.split())
    assert "Only this area, e.g. 2; repeat for several" in out
    assert "Only activities with this status; repeat for several" in out
    assert "Different filters all apply." in out


def test_json_filters_show_one_value_as_is_and_several_as_a_list(repo, cli):
    one = json.loads(cli("list", "-f", "json", "-a", "1").stdout)["filters"]
    assert one == {"area": "1", "topic": None, "status": None, "lead": None, "stakeholder": None}
    several = json.loads(cli("status", "-f", "json", "-a", "1", "-a", "2", "-a", "1").stdout)
    assert several["filters"]["area"] == ["1", "2"]  # in the order given, each once
    exported = json.loads(cli("export", "-s", "planned", "-s", "cancelled").stdout)
    assert exported["filters"]["status"] == ["planned", "cancelled"]


def test_report_names_several_values_in_words(repo, cli):
    out = cli("report", "-a", "1", "-a", "3", "--lead", "BMDV").stdout
    assert "- **Selection:** Area: 1 or 3; Lead: BMDV\n" in out


@pytest.mark.parametrize("command", FILTERING)
def test_a_stakeholder_is_matched_by_short_name_in_any_case(repo, cli, command):
    by_id = cli(command, "--lead", "bmdv", "--stakeholder", "giz").stdout
    assert cli(command, "--lead", "BMDV", "--stakeholder", "Giz").stdout == by_id


def test_a_short_name_that_differs_from_the_id_names_it(repo, cli):
    people = repo / "data" / "stakeholders.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace("short_name: GIZ", "short_name: GIZ-KE"),
        encoding="utf-8",
    )
    assert _ids(cli, "--stakeholder", "giz-ke") == _ids(cli, "--stakeholder", "giz")
    assert json.loads(cli("list", "-f", "json", "--lead", "MICDE").stdout)["filters"]["lead"] == (
        "micde"
    )


def test_an_unknown_stakeholder_suggests_the_id(repo, cli):
    err = cli("list", "--lead", "BMD", code=1).stderr
    assert err.startswith("Error: no stakeholder 'BMD' in stakeholders.yaml; did you mean")
    assert "bmdv" in err


def test_repo_before_the_command(repo, cli, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert "Version 2024" in cli("--repo", str(repo), "status").stdout
    # the one after the command wins over the one before, and either over the environment
    missing = str(tmp_path / "nowhere")
    assert "1.3.2" in cli("--repo", missing, "list", "--repo", str(repo)).stdout
    monkeypatch.setenv("WORKPLAN_REPO", missing)
    assert "1.3.2" in cli("--repo", str(repo), "list").stdout
    assert "1.3.2" in cli("show", "1.3.2", "--repo", str(repo)).stdout
    monkeypatch.setenv("WORKPLAN_REPO", str(repo))
    assert "1.3.2" in cli("list").stdout


def test_the_filter_options_are_one_declaration():
    import typer.main

    from workplan_cli.cli import app

    names = {"area", "topic", "status", "lead", "stakeholder"}
    group = typer.main.get_command(app)
    with typer.Context(group) as ctx:
        seen = {
            command: [
                (p.name, tuple(p.opts), p.multiple, p.help)
                for p in group.get_command(ctx, command).params
                if p.name in names
            ]
            for command in FILTERING
        }
    assert len(seen["status"]) == 5 and all(p[2] for p in seen["status"])
    assert all(options == seen["status"] for options in seen.values())


def test_diff_keeps_every_repeated_area(repo, cli, tmp_path):
    titles = {
        a["id"]: a["title"] for a in json.loads(cli("list", "-f", "json").stdout)["activities"]
    }
    text = (repo / "data" / "workplan-2024.yaml").read_text(encoding="utf-8")
    for ident in ("1.1.1", "2.1.1", "3.1.1"):
        text = text.replace(titles[ident], titles[ident] + " (changed)", 1)
    (tmp_path / "new.yaml").write_text(text, encoding="utf-8")
    args = ["diff", "data/workplan-2024.yaml", str(tmp_path / "new.yaml")]
    data = json.loads(cli(*args, "-a", "1", "-a", "3", "-f", "json").stdout)
    assert [a["id"] for a in data["activities"]] == ["1.1.1", "3.1.1"]
    assert data["filters"] == {"area": ["1", "3"], "topic": None}
    assert ", only area 1 or 3\n" in cli(*args, "-a", "1", "-a", "3", "-f", "text").stdout
    one = json.loads(cli(*args, "-t", "2.1", "-f", "json").stdout)
    assert one["filters"] == {"area": None, "topic": "2.1"}
