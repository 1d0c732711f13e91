"""A cache of validated models, keyed by everything that decides them.

An entry holds the model as plain JSON (see snapshot.py), never pickled code. Its key covers the
file's bytes, the code of this package (every file but report templates and starter files, hashed
once a process), the versions of pydantic, pydantic-core, ruamel.yaml and Python, and, for plans,
the stakeholder ids references were checked against: an entry never outlives the code that made
it. A payload checksum catches torn entries.

Entries live in a folder of workplan's own, `workplan-cache`, inside the platform's cache folder
(platformdirs) or inside WORKPLAN_CACHE_DIR. workplan makes it with mode 0700 and a CACHEDIR.TAG
marker; a folder without the marker, owned by someone else or writable by group or others is not
used at all. An entry is read only if it is a regular file owned by the user and not writable by
group or others (a checksum alone proves nothing: anyone can compute one), and only files with
workplan's own names in that folder, owned by the user, are ever deleted.

The entries stay within MAX_BYTES at all times: the `state` file holds their total size, updated
under a lock at each write; a write that would pass the cap first deletes the least recently used
entries (a read marks an entry used). At most once a day a write also recounts the folder and
deletes entries unused for 30 days and the leftovers of interrupted writes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import NamedTuple, TypeVar

from workplan_cli.errors import WorkplanError
from workplan_cli.plan.fields import to_plain
from workplan_cli.plan.model import SCHEMA_VERSION
from workplan_cli.plan.snapshot import from_plain

T = TypeVar("T")
_memory: dict[str, object] = {}  # this process's models by key: a file read twice parses once
MAX_BYTES = 256 * 1024 * 1024  # of entries: about 40 states of a plan of 10,000 activities
MAX_AGE = 30 * 24 * 3600  # seconds since an entry was last used
RECOUNT_EVERY = 24 * 3600  # seconds between two walks over the folder
LOW_WATER = 3 / 4  # a write that needs room frees a quarter of the cap, not just its own size
FOLDER = "workplan-cache"
MARKER = "CACHEDIR.TAG"
MARKER_TEXT = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This file is a cache directory tag created by workplan.\n"
    b"# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
STATE, LOCK = "state", "lock"
ENTRY = re.compile(r"[0-9a-f]{64}\.json")
TEMP = re.compile(r"\.tmp-[0-9a-f]{64}-[0-9a-f]{16}")  # an entry being written
NOT_CODE = {"templates", "starter"}  # the package's folders that no model depends on
DEPENDENCIES = ("pydantic", "pydantic_core", "ruamel_yaml", "ruamel_yaml_clib")
_POSIX = hasattr(os, "geteuid") and {os.open, os.stat, os.unlink} <= os.supports_dir_fd
_OPEN = os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK if _POSIX else 0  # no links, no FIFO waits


class Unusable(Exception):
    """The cache folder is not used; the message says why."""


def cache_dir() -> Path | None:
    """Returns workplan's cache folder, or None when caching is off (WORKPLAN_NO_CACHE)."""
    if os.environ.get("WORKPLAN_NO_CACHE"):
        return None
    base = os.environ.get("WORKPLAN_CACHE_DIR") or _platform_cache_dir()
    return Path(base) / FOLDER  # a folder of its own: the one given may hold anything


def _platform_cache_dir() -> str:
    """Returns platformdirs' user_cache_dir("workplan"); on Linux, when XDG_CACHE_HOME or HOME
    is an absolute path, computed as it does without importing it (that cost 3-10 ms a run,
    as it imports tempfile and random; tests check both agree)."""
    if sys.platform.startswith("linux"):
        xdg, home = os.environ.get("XDG_CACHE_HOME", ""), os.environ.get("HOME", "")
        if os.path.isabs(xdg):
            return os.path.join(xdg, "workplan")
        if os.path.isabs(home):
            return home.rstrip("/") + "/.cache/workplan"
    from platformdirs import user_cache_dir

    return user_cache_dir("workplan", appauthor=False)


def key_of(kind: str, data: bytes, context: Collection[str] | None = None) -> str:
    """Returns the key of a model of `kind` parsed from `data` (checked against `context`)."""
    digest = hashlib.sha256()
    header = {
        "code": code_digest(),
        "dependencies": dependency_versions(),
        "python": f"{sys.implementation.name} {sys.version}",
        "schema": SCHEMA_VERSION,
        "kind": kind,
        "context": None if context is None else sorted(context),
    }
    digest.update(json.dumps(header, sort_keys=True).encode())
    digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


@cache
def code_digest() -> str:
    """Returns a digest of the files of this package (names and bytes) but report templates and
    `init`'s starter files, which no model depends on; once a process (0.8 ms)."""
    digest = hashlib.sha256()
    package = os.path.dirname(os.path.abspath(__file__))
    files = []
    for folder, subfolders, names in os.walk(package):
        skip = NOT_CODE if folder == package else set()
        subfolders[:] = [s for s in subfolders if s != "__pycache__" and s not in skip]
        files += [os.path.join(folder, n) for n in names if not n.endswith((".pyc", ".pyo"))]
    for path in sorted(files):
        with open(path, "rb") as f:
            content = f.read()
        name = os.path.relpath(path, package).encode()
        digest.update(b"%d:%s%d:" % (len(name), name, len(content)) + content)
    return digest.hexdigest()


@cache
def dependency_versions() -> dict[str, str]:
    """Returns the installed versions of the libraries that parse and validate, read from the
    names of their metadata folders (importlib.metadata and importing them cost 40 ms)."""
    from importlib.util import find_spec

    places = []
    for top in ("pydantic", "pydantic_core", "ruamel"):
        with suppress(ImportError, ValueError):
            spec = find_spec(top)
            for location in (spec and spec.submodule_search_locations) or ():
                places.append(os.path.dirname(location))
    found: dict[str, str] = {}
    for place in dict.fromkeys(places):
        with suppress(OSError):
            for name in sorted(os.listdir(place)):
                stem, _, suffix = name.rpartition(".")
                project, _, version = stem.partition("-")
                project = re.sub(r"[-_.]+", "_", project).lower()
                if suffix in ("dist-info", "egg-info") and project in DEPENDENCIES and version:
                    found.setdefault(project, version.partition("-")[0])
    for project in DEPENDENCIES:
        if project not in found:  # installed some other way: ask the slow, sure way
            from importlib import metadata

            try:
                found[project] = metadata.version(project)
            except metadata.PackageNotFoundError:
                found[project] = "absent"
    return found


def cached(cls: type[T], key: str, parse: Callable[[], T]) -> T:
    """Returns the model stored under `key`, or parses it (and stores it when that succeeds)."""
    if key in _memory:
        return _memory[key]  # type: ignore[return-value]
    folder = cache_dir()
    try:
        root = None if folder is None else open_folder(folder, create=True)
    except Unusable:
        root = None  # a cache that cannot be used only costs time
    try:
        model = None if root is None else _read(cls, root, key)
        if model is None:
            model = parse()
            if root is not None:
                _write(root, key, to_plain(model))
    finally:
        if root is not None:
            os.close(root)
    _memory[key] = model
    return model


# --- The folder: only the user's own, only workplan's ---------------------------------------------


def open_folder(folder: Path, create: bool = False) -> int:
    """Returns an open descriptor of the cache folder, made with mode 0700 and the marker when
    `create` asks and it is absent; raises Unusable unless it is the user's own and workplan's."""
    if not _POSIX:
        raise Unusable("the cache needs a system with file owners and modes")
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | _OPEN)
    except FileNotFoundError:
        if not create:
            raise Unusable("not made yet") from None
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass  # made by another run meanwhile: checked below like any other
        except OSError as e:
            raise Unusable(f"cannot be made ({e.strerror})") from None
        return open_folder(folder)
    except OSError as e:
        raise Unusable(f"cannot be opened ({e.strerror})") from None
    try:
        _check_folder(fd)
    except OSError as e:
        os.close(fd)
        raise Unusable(f"cannot be read ({e.strerror})") from None
    except BaseException:
        os.close(fd)
        raise
    return fd


def _check_folder(fd: int) -> None:
    info = os.fstat(fd)
    if info.st_uid != os.geteuid():
        raise Unusable(f"owned by another user (uid {info.st_uid})")
    if info.st_mode & 0o022:
        raise Unusable(f"writable by group or others (mode {stat.S_IMODE(info.st_mode):o})")
    if _read_own(fd, MARKER, 4096) == MARKER_TEXT:
        return
    if os.listdir(fd):
        raise Unusable(f"holds files but no {MARKER} that workplan wrote")
    # empty and the user's own: workplan made it (the marker is written right after) or may
    # claim it, as nothing in it can be lost
    with suppress(FileExistsError):
        _write_new(fd, MARKER, MARKER_TEXT)


def _own(info: os.stat_result) -> bool:
    """Whether a file is a regular file of the user's, writable by nobody else."""
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022


def _read_own(root: int, name: str, limit: int, touch: bool = False) -> bytes | None:
    """Returns the bytes of a file in the folder if it is the user's own and under `limit`
    (marking it used when `touch` asks)."""
    try:
        fd = os.open(name, os.O_RDONLY | _OPEN, dir_fd=root)
    except OSError:
        return None
    with open(fd, "rb") as f:
        info = os.fstat(fd)
        if not _own(info) or info.st_size > limit:
            return None
        data = f.read(info.st_size + 1)  # read(limit) would reserve `limit` bytes at once
        if len(data) > limit:
            return None
        if touch:
            with suppress(OSError):
                os.utime(fd)  # used now: the least recently used go first
        return data


def _write_new(root: int, name: str, data: bytes) -> None:
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _OPEN, 0o600, dir_fd=root)
    with open(fd, "wb") as f:
        f.write(data)


def _ours(root: int) -> Iterator[tuple[str, os.stat_result]]:
    """Yields the entries and leftover writes in the folder: workplan's names, the user's files."""
    with os.scandir(root) as found:
        for item in found:
            if ENTRY.fullmatch(item.name) or TEMP.fullmatch(item.name):
                with suppress(OSError):
                    info = item.stat(follow_symlinks=False)
                    if _own(info):
                        yield item.name, info


# --- Entries ---------------------------------------------------------------------------------


def _read(cls: type[T], root: int, key: str) -> T | None:
    try:
        raw = _read_own(root, f"{key}.json", MAX_BYTES, touch=True)
        if raw is None:
            return None  # absent, or not provably the user's own
        head, _, payload = raw.partition(b"\n")
        header = json.loads(head)
        if header != {"key": key, "sha256": hashlib.sha256(payload).hexdigest()}:
            return None
        return from_plain(cls, json.loads(payload))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # unreadable, corrupt or of another model: parse again


def _write(root: int, key: str, plain: object) -> None:
    payload = json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()
    head = json.dumps({"key": key, "sha256": hashlib.sha256(payload).hexdigest()}).encode()
    data = head + b"\n" + payload
    if len(data) > MAX_BYTES:
        return
    name, temp = f"{key}.json", f".tmp-{key}-{os.urandom(8).hex()}"
    with suppress(OSError, TimeoutError), _locked(root):
        now = time.time()
        total, counted = _load_state(root)
        if total is None or not 0 <= now - counted < RECOUNT_EVERY:
            total, counted = _prune(root, now, MAX_BYTES), now
        old = _size_of(root, name)
        if old is not None and total - old + len(data) > MAX_BYTES:
            total = _prune(root, now, max(0, int(MAX_BYTES * LOW_WATER) - len(data)))
            old = _size_of(root, name)
        if old is None:
            return  # the name holds something workplan did not write: leave it be
        # counted first: a run killed before the rename leaves the count too high, never too low
        _save_state(root, total - old + len(data), counted)
        try:
            _write_new(root, temp, data)
            os.replace(temp, name, src_dir_fd=root, dst_dir_fd=root)
        except BaseException:
            with suppress(OSError):
                os.unlink(temp, dir_fd=root)
            raise


def _size_of(root: int, name: str) -> int | None:
    """Returns the size of the user's own file `name`, 0 if there is none, None if the name
    holds something else (a link, a file of another user's)."""
    try:
        info = os.stat(name, dir_fd=root, follow_symlinks=False)
    except FileNotFoundError:
        return 0
    return info.st_size if _own(info) else None


def _prune(root: int, now: float, budget: int) -> int:
    """Deletes entries unused for MAX_AGE, leftovers of writes older than a day, then the least
    recently used entries until the rest fit `budget`; returns the size of the rest."""
    entries = []
    for name, info in _ours(root):
        if name.endswith(".json") and now - info.st_mtime <= MAX_AGE:
            entries.append((info.st_mtime, info.st_size, name))
        elif name.endswith(".json") or now - info.st_mtime > RECOUNT_EVERY:
            with suppress(OSError):
                os.unlink(name, dir_fd=root)
    kept = 0
    for _, size, name in sorted(entries, reverse=True):  # the most recently used first
        if kept + size > budget:
            with suppress(OSError):
                os.unlink(name, dir_fd=root)
        else:
            kept += size
    return kept


def _load_state(root: int) -> tuple[int | None, float]:
    """Returns the recorded total size of the entries and when it was last counted."""
    try:
        total, counted = (_read_own(root, STATE, 100) or b"").split()
        return int(total), float(counted)
    except ValueError:
        return None, 0.0  # absent or torn: count again


def _save_state(root: int, total: int, counted: float) -> None:
    fd = os.open(STATE, os.O_WRONLY | os.O_CREAT | _OPEN, 0o600, dir_fd=root)
    with open(fd, "wb") as f:
        if _own(os.fstat(fd)):  # never truncate what is not the user's own
            f.truncate()
            f.write(b"%d %f\n" % (total, counted))


@contextmanager
def _locked(root: int, wait: float = 5.0) -> Iterator[None]:
    """Holds the folder's lock (one writer at a time); raises TimeoutError after `wait` s."""
    import fcntl

    fd = os.open(LOCK, os.O_RDWR | os.O_CREAT | _OPEN, 0o600, dir_fd=root)
    with open(fd, "rb") as lock:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError("the cache is locked") from None
                time.sleep(0.01)
        yield  # the lock goes with the file's closing


# --- `workplan cache info|clear` ------------------------------------------------------------


class Info(NamedTuple):
    """What `workplan cache info` shows (a named tuple: a dataclass took every command about
    0.5 ms to define)."""

    folder: Path | None  # None: caching is off
    problem: str | None  # why the folder is not used, or None
    entries: int
    size: int  # bytes
    cap: int  # bytes


def info() -> Info:
    """Returns where the cache is, whether it is used, and how many entries of what size."""
    folder = cache_dir()
    if folder is None:
        return Info(None, "caching is off (WORKPLAN_NO_CACHE is set)", 0, 0, MAX_BYTES)
    try:
        root = open_folder(folder)
    except Unusable as e:
        return Info(folder, str(e), 0, 0, MAX_BYTES)
    try:
        sizes = [i.st_size for name, i in _ours(root) if name.endswith(".json")]
    except OSError as e:
        return Info(folder, f"cannot be read ({e.strerror})", 0, 0, MAX_BYTES)
    finally:
        os.close(root)
    return Info(folder, None, len(sizes), sum(sizes), MAX_BYTES)


def clear() -> tuple[int, int]:
    """Deletes workplan's own entries (and nothing else); returns how many and their size."""
    folder = cache_dir()
    if folder is None:
        return 0, 0
    try:
        root = open_folder(folder)
    except Unusable as e:
        if not os.path.lexists(folder):
            return 0, 0
        raise WorkplanError(f"{folder}: not used as workplan's cache: {e}; nothing deleted") from e
    count = size = 0
    try:
        with _locked(root):
            for name, item in list(_ours(root)):
                with suppress(FileNotFoundError):
                    os.unlink(name, dir_fd=root)
                    if name.endswith(".json"):
                        count, size = count + 1, size + item.st_size
            _save_state(root, 0, time.time())
    except (OSError, TimeoutError) as e:
        raise WorkplanError(f"{folder}: cannot be cleared ({e})") from e
    finally:
        os.close(root)
    return count, size
