"""The command line: registers the commands and maps errors to exit codes."""

from __future__ import annotations

import gc
import importlib
import inspect
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperCommand, TyperGroup

from workplan_cli import __version__
from workplan_cli.errors import WorkplanError

EXIT_ERROR = 1
EXIT_INTERNAL = 3


# The commands, in the order --help lists them: (module in workplan_cli/cli, function, hidden).
COMMANDS = {
    "status": ("status", "status", False),
    "list": ("listing", "list_activities", False),
    "show": ("show", "show", False),
    "stakeholders": ("stakeholders", "stakeholders", False),
    "validate": ("validate", "validate", False),
    "set-status": ("set_status", "set_status", False),
    "schedule": ("schedule", "schedule", False),
    "due": ("due", "due", False),
    "record": ("record", "record", False),
    "indicators": ("indicators", "indicators", False),
    "diff": ("diff", "diff", False),
    "revise": ("revise", "revise", False),
    "approve": ("approve", "approve", False),
    "sign": ("sign", "sign", False),
    "codeowners": ("codeowners", "codeowners", False),
    "schema": ("schema", "schema", False),
    "export": ("export", "export", False),
    "import": ("importing", "import_updates", False),
    "report": ("report", "report", False),
    "review": ("review", "review", False),
    "log": ("log", "log", False),
    "git-setup": ("gitsetup", "git_setup", False),
    "textconv": ("gitsetup", "textconv", True),
    "init": ("init", "init", False),
    "cache": ("cache", "cache", False),
}


def _callback(name: str):
    """Returns the function of a command, importing its module."""
    module, function, _ = COMMANDS[name]
    return getattr(importlib.import_module(f"workplan_cli.cli.{module}"), function)


class _Group(TyperGroup):
    """The tool's commands, each built when it is first looked up, and run inside the one error
    boundary of the tool.

    Typer reads a command's parameters from its function's signature; doing that for every
    command on every run took about 80 ms, so only the command that runs is imported and built,
    through click's documented seam for lazy subcommands (`list_commands` and `get_command`).
    `--help` reads only the commands' docstrings.
    """

    def __init__(self, **attrs) -> None:
        super().__init__(**attrs)
        self.built: dict[str, TyperCommand] = {}

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self.built:
            one = typer.Typer(
                rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False
            )
            one.command(name=cmd_name, hidden=COMMANDS[cmd_name][2])(_callback(cmd_name))
            command = typer.main.get_command(one)  # an app of one command is that command
            if not isinstance(command, TyperCommand):
                raise TypeError(f"typer built {type(command).__name__} for {cmd_name}")
            command.name = cmd_name
            self.built[cmd_name] = command
        return self.built[cmd_name]

    def format_commands(self, ctx, formatter) -> None:
        """Lists the commands as typer does, from their docstrings, without building them."""
        rows = [
            (name, inspect.getdoc(_callback(name)) or "")
            for name, (_, _, hidden) in COMMANDS.items()
            if not hidden
        ]
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            # a bare command shortens the help exactly as typer's own would
            short = [(n, TyperCommand(n, help=doc).get_short_help_str(limit)) for n, doc in rows]
            formatter.write_dl(short)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.exceptions.TyperException):
            raise  # exits and usage errors that a command raises on purpose (exit 2)
        except WorkplanError as e:
            _print_error(e)
            ctx.exit(EXIT_ERROR)
        except (KeyboardInterrupt, BrokenPipeError):
            ctx.exit(130 if sys.exc_info()[0] is KeyboardInterrupt else EXIT_ERROR)
        except Exception as e:
            if os.environ.get("WORKPLAN_DEBUG"):
                raise
            _print_error(
                f"internal error ({type(e).__name__}: {e}); this is a bug in workplan, "
                "please report it (WORKPLAN_DEBUG=1 shows the traceback)"
            )
            ctx.exit(EXIT_INTERNAL)


def _print_error(error: str | WorkplanError) -> None:
    """Prints the message, a line a problem; each line inert (it may quote file content)."""
    from workplan_cli.output.inert import one_line

    # InvalidFileError: one line a problem, whatever a quoted key or value in it holds (its
    # newline would otherwise fake a line of its own).
    problems = getattr(error, "problems", None)
    if problems:
        lines = [one_line(problem) for problem in problems]
    else:
        # Only "\n" separates lines: splitlines() would also split at the FS, GS, RS, NEL and
        # LINE SEPARATOR characters that a quoted value may hold, and so fake a line.
        lines = [one_line(line) for line in str(error).rstrip("\n").split("\n")]
    if len(lines) == 1:
        typer.echo(f"Error: {lines[0]}", err=True)
    else:
        typer.echo("Error:", err=True)
        for line in lines:
            typer.echo(f"  {line}", err=True)


app = typer.Typer(
    cls=_Group,
    name="workplan",
    help="Keep a government work plan as reviewed, versioned YAML data.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion; ids come from cli/complete.py
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"workplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    repo: Optional[Path] = typer.Option(
        None,
        "--repo",
        envvar="WORKPLAN_REPO",
        help="The plan repository, for the command that follows (a --repo after it wins).",
        show_default=False,
    ),
) -> None:
    """Keep a government work plan as reviewed, versioned YAML data."""
    if repo is not None:
        # click's default_map: the value becomes the default of each command's own --repo.
        ctx.default_map = {name: {"repo": str(repo)} for name in COMMANDS}


def main() -> None:
    """Runs the command, with the process's garbage-collector policy set here and only here: the
    cycle collector is off for the run.

    A command builds one large set of objects that all stay alive until it exits: a plan of
    2,000 activities is about 250,000 of them, and composing its YAML makes as many more that
    live a moment. Every collection walks the young ones again; measured on `validate` against
    the collector off, Python's default took 1.24x the CPU time (2.2x at 10,000 activities) and
    the thresholds 700, 10, 1000 that this policy had before 1.04x (1.10x). What the
    core builds holds no reference cycles, so reference counting frees it; the few cycles other
    code makes are small (about 1,500 objects in a whole `validate`), and the one that held much
    memory, ruamel's loader keeping its input, is handed a stream that is closed once read
    (yamlio/reading.py). Library callers of the core keep Python's default (correct, only
    slower), and the collector is as it was when this returns.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        app(prog_name="workplan")
    finally:
        # Python's shutdown runs the cycle collector over every object still alive (a loaded
        # plan of 2,000 activities is 100,000 of them): that took 0.1 s of a 0.9 s `validate`.
        # Frozen objects are skipped; reference counting still frees them.
        gc.freeze()
        if enabled:
            gc.enable()
