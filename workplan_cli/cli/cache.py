"""`workplan cache`: where the cache of parsed plans is, how big, and clearing it."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from workplan_cli.cli.output import echo


class Action(StrEnum):
    INFO = "info"
    CLEAR = "clear"


def cache(
    action: Annotated[
        Action,
        typer.Argument(
            metavar="ACTION",
            help="info: where the cache is and how big; clear: delete its entries.",
        ),
    ] = Action.INFO,
) -> None:
    """Show the cache of parsed plans (info) or delete its entries (clear).

    workplan keeps each validated plan it reads so that the next run skips parsing. The cache
    is a folder of its own, `workplan-cache`, inside the platform's cache folder or inside
    WORKPLAN_CACHE_DIR; WORKPLAN_NO_CACHE=1 turns it off. `clear` deletes only the entries
    workplan wrote, nothing else in the folder.

    Example: workplan cache clear
    """
    from workplan_cli.plan import cache as store

    if action is Action.CLEAR:
        folder = store.cache_dir()
        if folder is None:
            echo("Caching is off (WORKPLAN_NO_CACHE is set): nothing deleted.")
            return
        count, size = store.clear()
        entries = "entry" if count == 1 else "entries"
        echo(f"Deleted {count} {entries} ({_size(size)}) from {folder}.")
        return
    info = store.info()
    rows = [
        ("location", "off (WORKPLAN_NO_CACHE is set)" if info.folder is None else str(info.folder)),
        ("entries", str(info.entries)),
        ("size", _size(info.size)),
        ("cap", _size(info.cap)),
    ]
    if info.folder is not None and info.problem:
        rows.insert(1, ("state", f"not used: {info.problem}"))
    for name, value in rows:
        echo(f"{name:<9} {value}")


def _size(count: int) -> str:
    """Returns a byte count as people read it: 512 bytes, 3.4 KiB, 256.0 MiB."""
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count / 1024 / 1024:.1f} MiB"
