"""The command line: registers the commands and maps errors to exit codes."""

from __future__ import annotations

import gc
import importlib
import inspect
import os
import sys
from collections.abc import Iterator, Mapping

import typer
import typer.main
from typer._click.utils import make_default_short_help  # typer's own click
from typer.core import TyperGroup
from typer.models import CommandInfo

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
    "diff": ("diff", "diff", False),
    "revise": ("revise", "revise", False),
    "schema": ("schema", "schema", False),
    "export": ("export", "export", False),
    "report": ("report", "report", False),
    "review": ("review", "review", False),
    "log": ("log", "log", False),
    "git-setup": ("gitsetup", "git_setup", False),
    "textconv": ("gitsetup", "textconv", True),
    "init": ("init", "init", False),
    "cache": ("cache", "cache", False),
}


class _Commands(Mapping):
    """The commands by name, each built when it is first looked up.

    Typer reads a command's parameters from its function's signature; doing that for every
    command on every run took about 80 ms, so only the command that runs is imported and built
    (shell completion of command names builds them all; `--help` reads only their docstrings).
    """

    def __init__(self) -> None:
        self._built: dict[str, typer.core.TyperCommand] = {}

    @staticmethod
    def callback(name: str):
        """Returns the function of a command, importing its module."""
        module, function, _ = COMMANDS[name]
        return getattr(importlib.import_module(f"workplan_cli.cli.{module}"), function)

    def __getitem__(self, name: str):
        if name not in self._built:
            self._built[name] = typer.main.get_command_from_info(
                CommandInfo(name=name, callback=self.callback(name), hidden=COMMANDS[name][2]),
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


class _Group(TyperGroup):
    """The tool's commands (built as they are needed, see _Commands), each run inside the one
    error boundary of the tool."""

    def __init__(self, **attrs) -> None:
        super().__init__(**attrs)
        self.commands = _Commands()

    def format_commands(self, ctx, formatter) -> None:
        """Lists the commands as typer does, from their docstrings, without building them."""
        rows = [
            (name, inspect.getdoc(_Commands.callback(name)) or "")
            for name, (_, _, hidden) in COMMANDS.items()
            if not hidden
        ]
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl([(name, make_default_short_help(doc, limit)) for name, doc in rows])

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.exceptions.TyperException):
            raise  # exits and usage errors that a command raises on purpose (exit 2)
        except WorkplanError as e:
            _print_error(str(e))
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


def _print_error(message: str) -> None:
    lines = message.splitlines() or [""]
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
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Keep a government work plan as reviewed, versioned YAML data."""


def main() -> None:
    try:
        app(prog_name="workplan")
    finally:
        # Python's shutdown runs the cycle collector over every object still alive (a loaded
        # plan of 2,000 activities is 100,000 of them): that took 0.1 s of a 0.9 s `validate`.
        # Frozen objects are skipped; reference counting still frees them.
        gc.freeze()
