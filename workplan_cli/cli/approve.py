"""`workplan approve VERSION --party P --by NAME`: record a party's approval of a plan."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

import typer

from workplan_cli.cli import complete
from workplan_cli.cli.common import (
    CommitOption,
    DryRunOption,
    OnOption,
    RepoOption,
    VersionArgument,
    open_repo,
    refuse_dry_run_commit,
)
from workplan_cli.cli.output import echo, write


def approve(
    version: VersionArgument,
    party: Annotated[
        str,
        typer.Option(
            "--party",
            help="The approving party's id (one of plan.parties).",
            autocompletion=complete.party_ids,
        ),
    ],
    by: Annotated[str, typer.Option("--by", help="Who approves for the party.")],
    on: OnOption = None,
    note: Annotated[
        Optional[str], typer.Option("--note", "-n", help="A note on the approval.")
    ] = None,
    dry_run: DryRunOption = False,
    commit: CommitOption = False,
    repo: RepoOption = None,
) -> None:
    """Record that a party approves the plan's agreed content as it is now.

    The approval pins a digest of the agreed content (not of the file: comments and progress
    updates do not void it) and replaces the party's approval of an earlier text. Only the
    approval's lines of the file change.

    Example: workplan approve 2025 --party micde --by "Head of Digital Policy" --on 2024-11-20
    """
    from workplan_cli.edit import approve as edit
    from workplan_cli.edit import progress
    from workplan_cli.edit.status import parse_date, unified_diff
    from workplan_cli.plan.store import display_path, parse_plan, read_bytes

    refuse_dry_run_commit(dry_run, commit)
    store = open_repo(repo)
    request = edit.Request(
        version=version,
        party=party,
        by=by,
        on=parse_date(on) if on is not None else dt.date.today(),
        note=note,
    )
    path = progress.plan_file(store, version)
    name = display_path(path)
    ids = set(store.load_stakeholders().by_id())

    def make(data: bytes) -> edit.Edit:
        return edit.approve(data, name, request, ids, parse_plan)

    if dry_run:
        write(unified_diff(make(read_bytes(path)), name))
        return
    made = progress.rewrite(path, make, edit.commit_message if commit else None)
    shown = made.edit.approval
    replaced = " (replaces its approval of an earlier text)" if made.edit.replaced else ""
    echo(f"{version}: approved by {shown.party} on {shown.date}{replaced} ({name})")
    from workplan_cli.plan import agreed

    echo(f"agreed content {agreed.short(shown.digest)}")
    if made.commit:
        echo(f"committed {made.commit[:12]}")
