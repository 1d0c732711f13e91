"""Writing a file so that it is always whole, and locking it around read-modify-write."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from workplan_cli.errors import WorkplanError

LOCK_TIMEOUT = 60.0  # seconds; an update holds the lock for a fraction of a second


def lock_path(path: Path) -> Path:
    """Returns the lock file of `path`: a separate file, as the file itself is replaced."""
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Holds the lock of `path` (waiting up to `timeout` seconds) while the block runs."""
    from filelock import FileLock, Timeout

    timeout = LOCK_TIMEOUT if timeout is None else timeout
    lock = FileLock(str(lock_path(path)), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise WorkplanError(
            f"another workplan command has held the lock on {path.name} for {timeout:g} s "
            f"({lock_path(path)}); try again"
        ) from None
    except OSError as e:
        raise WorkplanError(f"cannot lock {path.name} ({lock_path(path)}: {e.strerror})") from None
    try:
        yield
    finally:
        lock.release()


def write_atomic(path: Path, data: bytes) -> None:
    """Replaces the file's content by `data` in one step, keeping its mode.

    Readers and crashes see the whole old file or the whole new one, never a mix: the data
    goes to a temporary file in the same folder, is flushed to disk, then renamed over the file.
    """
    path = Path(os.path.realpath(path))  # replace a symlink's target, not the symlink
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, mode)  # mkstemp creates 0600
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Makes the rename itself durable (it lives in the folder's entry)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the rename has still happened
    finally:
        os.close(fd)
