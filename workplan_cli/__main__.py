"""Run the command line as `python -m workplan_cli`."""

from workplan_cli.cli import main

main()
