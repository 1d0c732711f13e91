"""`workplan sign VERSION`: sign a draft that every party approved."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from workplan_cli.cli.common import (
    DryRunOption,
    OnOption,
    RepoOption,
    VersionArgument,
    open_repo,
    refuse_dry_run_commit,
)
from workplan_cli.cli.output import echo, write


def sign(
    version: VersionArgument,
    on: OnOption = None,
    dry_run: DryRunOption = False,
    commit: Annotated[
        bool, typer.Option("--commit", help="Commit the plan files (only them) with git.")
    ] = False,
    tag: Annotated[
        bool,
        typer.Option(
            "--tag", help="Make the annotated tag workplan-VERSION-signed (needs --commit)."
        ),
    ] = False,
    sign_tag: Annotated[
        bool,
        typer.Option(
            "--sign-tag", help="Sign the tag with your own key (git tag -s); implies --tag."
        ),
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Sign a draft plan that every party approved as it is now.

    The plan becomes signed, with the date, its parties and the digest of the agreed content;
    the plan it supersedes becomes superseded. When a party's approval is missing or is of an
    earlier text, nothing is written and the refusal names the party (exit 1).

    Example: workplan sign 2025 --on 2025-02-20 --commit --tag
    """
    from workplan_cli.edit import sign as core
    from workplan_cli.edit.status import parse_date, unified_diff

    refuse_dry_run_commit(dry_run, commit)
    store = open_repo(repo)
    day = parse_date(on) if on is not None else dt.date.today()
    try:
        done = core.sign_plan(store, version, day, dry_run, commit, tag or sign_tag, sign_tag)
    except core.NotAgreedError as e:
        from workplan_cli.cli.output import echo_plain

        echo_plain(f"Error: {e}", err=True)
        for line in refusal_lines(store, version, e.standing):
            echo_plain(line, err=True)
        raise typer.Exit(1) from None
    if dry_run:
        write(unified_diff(done.edit, done.name))
        if done.old and done.old_name:
            write(unified_diff(done.old, done.old_name))
        return
    echo(f"{version}: signed {day} ({done.name})")
    if done.old is not None:
        echo(f"{done.old.version}: superseded ({done.old_name})")
    if done.commit:
        echo(f"committed {done.commit[:12]}")
    if done.tag:
        echo(f"tagged {done.tag}")


def refusal_lines(store, version: str, standing) -> list[str]:
    """Returns, for each approval of an earlier text, the difference since (diff's text)."""
    from types import SimpleNamespace

    from workplan_cli.git.agreement import refusal_diffs
    from workplan_cli.output import diffrender
    from workplan_cli.plan import agreed

    lines: list[str] = []
    for approval, diff in refusal_diffs(store, version, standing):
        was = f"{approval.party}'s approved text ({agreed.short(approval.digest)})"
        if diff is None:
            lines.append(f"{was} is not in the plan file's git history: compare by hand")
            continue
        old = SimpleNamespace(name=f"as {approval.party} approved it", source=was)
        new = SimpleNamespace(name=version, source="the agreed content now")
        lines += ["", *diffrender.to_text(diff, old, new).rstrip("\n").splitlines()]
    return lines
