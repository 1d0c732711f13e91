"""git/indicatorlog.py and `workplan log INDICATOR`: the commits that changed an indicator, in
words, merged by date with its actuals; in a temporary git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import git

FIXTURE = Path(__file__).parent / "golden" / "results" / "plan.yaml"


@pytest.fixture
def history(repo: Path) -> Path:
    """The results fixture committed, its 2025 target raised in a second commit, and an actual
    recorded and committed with `record --commit`."""
    for other in (repo / "data").glob("workplan-*.yaml"):
        other.unlink()
    plan = repo / "data" / "workplan-2024.yaml"
    plan.write_bytes(FIXTURE.read_bytes())
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "fixture")
    plan.write_text(
        plan.read_text().replace("                value: 8", "                value: 10")
    )
    git(repo, "commit", "-q", "-am", "Raise the 2025 target")
    return repo


def test_log_of_an_indicator(history, cli):
    cli("record", "1.1-a", "3", "--period", "2024", "--on", "2024-10-01", "--by", "X", "--commit")
    out = cli("log", "1.1-a").stdout.splitlines()
    assert (
        out[0]
        == "Indicator 1.1-a  Expert exchanges held on internet governance  (data/workplan-2024.yaml)"
    )
    assert out[2] == "2024-06-30  actual  for 2024: 1 by tester: One exchange in Nairobi"
    assert out[3] == "2024-10-01  actual  for 2024: 3 by X"
    assert out[4].endswith("Test Author  fixture") and out[5] == "    added"
    assert out[6].endswith("Raise the 2025 target") and out[7:9] == [
        "    changed",
        "      ~ target for 2025 raised from 8 to 10",
    ]
    assert out[10:] == ["    changed", "      + actual for 2024 recorded: 3 on 2024-10-01 by X"]


def test_log_of_an_indicator_as_json_and_markdown(history, cli):
    data = json.loads(cli("log", "1.1-a", "-f", "json").stdout)
    assert [e["kind"] for e in data["events"]] == ["actual", "commit", "commit"]
    assert data["events"][2]["words"] == ["target for 2025 raised from 8 to 10"]
    assert "  - target for 2025 raised from 8 to 10" in cli("log", "1.1-a", "-f", "markdown").stdout


def test_a_version_that_does_not_validate_is_reported_and_skipped(history, cli):
    plan = history / "data" / "workplan-2024.yaml"
    plan.write_text(plan.read_text().replace("value: 60", "value: 160"))
    git(history, "commit", "-q", "-am", "Broken")
    plan.write_text(plan.read_text().replace("value: 160", "value: 70"))
    git(history, "commit", "-q", "-am", "Fixed")
    out = cli("log", "1.1-b").stdout
    assert "160 is not a percentage" in out and "(skipped)" in out


def test_each_version_of_the_plan_is_parsed_once(history, cli, monkeypatch):
    from workplan_cli.plan import load

    real, names = load.parse_plan, []

    def counted(data, name, *args, **kwargs):
        names.append(name)
        return real(data, name, *args, **kwargs)

    monkeypatch.setattr(load, "parse_plan", counted)
    cli("log", "1.1-a")
    blobs = [n for n in names if n.startswith("blob ")]
    assert len(blobs) == 2 and len(set(blobs)) == 2, names  # two commits, two versions


def test_an_unknown_indicator(history, cli):
    assert "did you mean 1.1-a, 1.1-b, 1.1-c?" in cli("log", "1.1-z", code=1).stderr


def test_an_indicator_id_is_told_from_an_activity_id():
    from workplan_cli.git.indicatorlog import is_indicator_id

    assert is_indicator_id("1.3-a") and not is_indicator_id("1.3.2")
