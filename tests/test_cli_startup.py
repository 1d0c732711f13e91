"""Startup: only the command that runs is imported and built; every listed command builds."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main
from typer.core import TyperGroup

from workplan_cli.cli import COMMANDS, app

RUN_AND_LIST_MODULES = (
    "import sys; from workplan_cli.cli import main\n"
    "sys.argv = ['workplan', *sys.argv[1:]]\n"
    "try:\n    main()\n"
    "finally:\n"
    "    print(' '.join(m for m in sys.modules if m.startswith('workplan_cli.cli.')))\n"
)


def test_only_the_command_that_runs_is_built(repo):
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, "status"],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = set(done.stdout.splitlines()[-1].split())
    assert "workplan_cli.cli.status" in loaded
    others = {f"workplan_cli.cli.{module}" for module, _, _ in COMMANDS.values()} - {
        "workplan_cli.cli.status"
    }
    assert not loaded & others


def test_every_listed_command_builds_under_its_name():
    group = typer.main.get_command(app)
    with typer.Context(group) as ctx:
        assert group.list_commands(ctx) == list(COMMANDS)
        for name, (_, function, hidden) in COMMANDS.items():
            command = group.get_command(ctx, name)
            assert (command.name, command.hidden) == (name, hidden)
            assert command.callback.__wrapped__.__name__ == function
        assert group.get_command(ctx, "nope") is None


def test_help_lists_the_commands_in_order(cli):
    out = cli("--help").stdout
    listed = [line.split()[0] for line in out.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == [name for name, (_, _, hidden) in COMMANDS.items() if not hidden]


def test_the_collector_skips_everything_at_exit():
    code = (
        "import gc, sys; from workplan_cli.cli import main\n"
        "sys.argv = ['workplan', '--version']\n"
        "try:\n    main()\n"
        "except SystemExit:\n    print(gc.get_freeze_count() > 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "True"


@pytest.mark.parametrize("width", [60, 80, 200])
def test_help_lists_commands_as_typer_would(width):
    group = typer.main.get_command(app)
    with typer.Context(group, terminal_width=width) as ctx:
        ours, typers = ctx.make_formatter(), ctx.make_formatter()
        group.format_commands(ctx, ours)
        TyperGroup.format_commands(group, ctx, typers)  # builds every command
    assert ours.getvalue() == typers.getvalue()


def test_help_builds_no_command():
    group = typer.main.get_command(app)
    with typer.Context(group) as ctx:
        assert "set-status" in group.get_help(ctx)
    assert group.built == {}


def test_status_on_a_warm_cache_imports_no_pydantic(repo):
    """The reason typer is pinned below 0.29 (pyproject.toml): its command building imports
    pydantic, about 95 ms of every run. A cached plan needs no pydantic either."""
    code = (
        "import sys; from workplan_cli.cli import main\n"
        "sys.argv = ['workplan', 'status']\n"
        "try:\n    main()\n"
        "finally:\n    print('pydantic' in sys.modules)\n"
    )
    for _ in range(2):  # the first run fills the cache
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=repo
        )
    assert done.stdout.splitlines()[-1] == "False"
