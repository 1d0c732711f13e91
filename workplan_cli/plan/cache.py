"""A cache of validated models, keyed by the exact bytes they came from.

An entry holds the model as plain JSON (see snapshot.py), never pickled code. It is used only
when its recorded key matches the key asked for (file bytes, tool version, schema version and,
for plans, the stakeholder ids references were checked against) and the payload's checksum
matches; anything else counts as a miss and the entry is rewritten.

The folder is kept small: after a write, at most once a day, entries not used for 30 days go,
then the least recently used ones past 256 MiB (a read marks an entry used), and the folders of
other entry formats.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TypeVar

from workplan_cli import __version__
from workplan_cli.gcpause import paused_gc
from workplan_cli.plan.fields import to_plain
from workplan_cli.plan.model import SCHEMA_VERSION
from workplan_cli.plan.snapshot import from_plain

T = TypeVar("T")
FORMAT = 2  # of the entries, and of the loader's rules: an entry a laxer loader wrote is a miss
_memory: dict[str, object] = {}  # this process's models by key: a file read twice parses once
MAX_BYTES = 256 * 1024 * 1024  # of entries: about 40 states of a plan of 10,000 activities
MAX_AGE = 30 * 24 * 3600  # seconds since an entry was last used
PRUNE_EVERY = 24 * 3600  # seconds between two looks over the folder


def cache_dir() -> Path | None:
    """Returns the folder for entries, or None when caching is off (WORKPLAN_NO_CACHE)."""
    if os.environ.get("WORKPLAN_NO_CACHE"):
        return None
    if os.environ.get("WORKPLAN_CACHE_DIR"):
        return Path(os.environ["WORKPLAN_CACHE_DIR"])
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    elif os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home()))
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "workplan"


def key_of(kind: str, data: bytes, context: Collection[str] | None = None) -> str:
    """Returns the key of a model of `kind` parsed from `data` (checked against `context`)."""
    digest = hashlib.sha256()
    header = {
        "format": FORMAT,
        "tool": __version__,
        "schema": SCHEMA_VERSION,
        "kind": kind,
        "context": None if context is None else sorted(context),
    }
    digest.update(json.dumps(header, sort_keys=True).encode())
    digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def cached(cls: type[T], key: str, parse: Callable[[], T]) -> T:
    """Returns the model stored under `key`, or parses it (and stores it when that succeeds)."""
    if key in _memory:
        return _memory[key]  # type: ignore[return-value]
    folder = cache_dir()
    path = None if folder is None else folder / f"v{FORMAT}" / key[:2] / f"{key}.json"
    model = _read(cls, path, key) if path else None
    if model is None:
        model = parse()
        if path:
            _write(path, key, to_plain(model))
            _prune(folder)
    _memory[key] = model
    return model


@paused_gc()
def _read(cls: type[T], path: Path, key: str) -> T | None:
    try:
        raw = path.read_bytes()
        head, _, payload = raw.partition(b"\n")
        header = json.loads(head)
        if header != {"key": key, "sha256": hashlib.sha256(payload).hexdigest()}:
            return None
        model = from_plain(cls, json.loads(payload))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # absent, unreadable, corrupt or foreign: parse again
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: pruning keeps the entries in use
    return model


@paused_gc()
def _write(path: Path, key: str, plain: object) -> None:
    import tempfile  # only a miss writes: a hit does not pay for the import

    payload = json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()
    head = json.dumps({"key": key, "sha256": hashlib.sha256(payload).hexdigest()}).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(head + b"\n" + payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a cache that cannot be written only costs time


def _prune(folder: Path, now: float | None = None) -> None:
    """Deletes entries not used for MAX_AGE, then the least recently used past MAX_BYTES, the
    folders of other formats and leftovers of interrupted writes; at most once a PRUNE_EVERY."""
    now = time.time() if now is None else now
    stamp = folder / "pruned"
    try:
        if now - stamp.stat().st_mtime < PRUNE_EVERY:
            return
    except FileNotFoundError:
        pass
    except OSError:
        return
    try:
        stamp.touch()
        os.utime(stamp, (now, now))
        _delete_old(folder, now)
    except OSError:
        pass  # a cache that cannot be pruned only costs room


def _delete_old(folder: Path, now: float) -> None:
    import shutil

    current = f"v{FORMAT}"
    for other in folder.glob("v*"):
        if other.is_dir() and other.name != current:
            shutil.rmtree(other, ignore_errors=True)
    for leftover in folder.glob(f"{current}/*/.tmp-*"):
        if now - leftover.stat().st_mtime > PRUNE_EVERY:
            leftover.unlink(missing_ok=True)
    entries = []
    for path in folder.glob(f"{current}/*/*.json"):
        info = path.stat()
        entries.append((info.st_mtime, info.st_size, path))
    kept = 0
    for used, size, path in sorted(entries, reverse=True):  # the most recently used first
        if now - used > MAX_AGE or kept + size > MAX_BYTES:
            path.unlink(missing_ok=True)
        else:
            kept += size
