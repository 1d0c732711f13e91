"""The command line: registers the commands and maps errors to exit codes."""

from __future__ import annotations

import os
import sys

import typer
from typer.core import TyperGroup

from workplan_cli import __version__
from workplan_cli.errors import WorkplanError

EXIT_ERROR = 1
EXIT_INTERNAL = 3


class _Group(TyperGroup):
    """Runs a command inside the one error boundary of the tool."""

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


def _register() -> None:
    from workplan_cli.cli import (
        diff,
        export,
        gitsetup,
        init,
        listing,
        log,
        report,
        review,
        revise,
        schema,
        set_status,
        show,
        stakeholders,
        status,
        validate,
    )

    for module in (
        status,
        listing,
        show,
        stakeholders,
        validate,
        set_status,
        diff,
        revise,
        schema,
        export,
        report,
        review,
        log,
        gitsetup,
        init,
    ):
        module.register(app)


_register()


def main() -> None:
    app(prog_name="workplan")
