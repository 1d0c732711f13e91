"""`workplan schema`: the JSON Schema of plan files or of stakeholders.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

OutputOption = Annotated[
    Optional[Path],
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (atomically) instead of printing; - prints.",
        dir_okay=False,
    ),
]


def schema(
    stakeholders: Annotated[
        bool,
        typer.Option("--stakeholders", help="The schema of stakeholders.yaml, not of plan files."),
    ] = False,
    output: OutputOption = None,
) -> None:
    """Print the JSON Schema of plan files (or of stakeholders.yaml), for editors and CI.

    Editors with the YAML language server validate and complete a file whose first line is
    `# yaml-language-server: $schema=../schema/workplan.schema.json`.

    Example: workplan schema -o schema/workplan.schema.json
    """
    from workplan_cli.plan import schemas

    made = schemas.stakeholders_schema() if stakeholders else schemas.plan_schema()
    write_or_print(schemas.render(made), output)


def write_or_print(text: str, output: Optional[Path]) -> None:
    """Writes the text to `output` atomically, or prints it when no file is named."""
    if output is None or str(output) == "-":
        from workplan_cli.cli.output import write

        write(text)  # as is: a rich console would wrap long lines
        return
    from workplan_cli.plan.store import write_output

    write_output(output, text.encode("utf-8"))
