"""`workplan revise OLD NEW`: start the next revision of a plan as a draft."""

from __future__ import annotations

from typing import Annotated

import typer

from workplan_cli.cli.common import RepoOption, open_repo
from workplan_cli.cli.output import echo


def revise(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The plan version to start from.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The new version, e.g. 2025.")],
    drop_completed: Annotated[
        bool,
        typer.Option("--drop-completed/--keep-completed", help="Leave completed activities out."),
    ] = False,
    drop_cancelled: Annotated[
        bool,
        typer.Option("--drop-cancelled/--keep-cancelled", help="Leave cancelled activities out."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace data/workplan-NEW.yaml if it exists.")
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Create data/workplan-NEW.yaml: a draft that supersedes OLD, with its activities.

    Status and history of every activity carried over are kept as they are; the old file's
    comments stay where their activity or key stays.

    Example: workplan revise 2024 2025 --drop-cancelled
    """
    from workplan_cli import fileio
    from workplan_cli.edit.revise import ReviseOptions, revise_text
    from workplan_cli.errors import WorkplanError
    from workplan_cli.plan import load
    from workplan_cli.plan.store import PLAN_FILE, display_path, read_bytes

    store = open_repo(repo)
    target = store.data_dir / f"workplan-{new}.yaml"
    if not PLAN_FILE.fullmatch(target.name):
        raise WorkplanError(f"{new!r} is not a plan version like '2025'")
    # What is there now (or that nothing is) is what may be replaced: a file that appears or
    # changes while the revision is made is someone else's, and stays.
    before = fileio.snapshot(target, read_bytes)
    if before.data is not None and not force:
        raise WorkplanError(f"{display_path(target)} already exists (use --force to replace it)")
    if before.data is not None:  # --force: a plan that is replaced may be a signed one
        from workplan_cli.cli.output import echo_plain
        from workplan_cli.edit.sign import amendment_notice

        try:
            replaced = load.parse_plan(before.data, display_path(target))
        except WorkplanError:
            replaced = None
        notice = amendment_notice(replaced) if replaced is not None else None
        if notice:
            echo_plain(f"Warning: {notice}", err=True)
    source = store.plan_path(old)
    ids = set(store.load_stakeholders().by_id())
    plan = store.load_plan_file(source, ids)
    text = load.decode(read_bytes(source), display_path(source))
    options = ReviseOptions(drop_completed=drop_completed, drop_cancelled=drop_cancelled)
    new_text, dropped = revise_text(text, plan, new, options)
    load.parse_plan(new_text.encode("utf-8"), display_path(target), ids)
    with fileio.locked(target, like=source):
        fileio.replace_if_unchanged(target, before, new_text.encode("utf-8"), like=source)
    kept = sum(1 for _ in plan.activities()) - len(dropped)
    echo(
        f"Wrote {display_path(target)}: draft {new}, superseding {plan.version}, {kept} activities."
    )
    if dropped:
        echo(f"Left out: {', '.join(dropped)}.")
