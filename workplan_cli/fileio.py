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


def write_atomic(path: Path, data: bytes, replace: bool = True) -> None:
    """Writes `data` to `path` in one step: readers and crashes see the whole old file or the
    whole new one, never a part.

    The data goes to a temporary file in the same folder, is flushed to disk, then renamed over
    the file (an existing file keeps its mode; a new one gets 0666 less the umask). A symlink's
    target is replaced, not the link. With `replace=False` an existing file is an error, even
    one that appears while writing (the temporary file is hard-linked, which fails if the name
    is taken).
    """
    path = Path(os.path.realpath(path))
    if not path.parent.is_dir():
        raise WorkplanError(f"{path}: cannot write, no folder {path.parent}")
    if not replace and path.exists():
        raise WorkplanError(f"{path.name} already exists (use --force to replace it)")
    mode = _mode_of(path)
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise WorkplanError(f"{path}: cannot write ({e.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, mode)  # mkstemp creates 0600
        if replace:
            os.replace(temp, path)
        else:
            os.link(temp, path)
    except FileExistsError:
        raise WorkplanError(f"{path.name} already exists (use --force to replace it)") from None
    except OSError as e:
        raise WorkplanError(f"{path}: cannot write ({e.strerror})") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)  # after a rename or a link the name is gone or redundant
    _fsync_folder(path.parent)


def _mode_of(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


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


# --- Reading: regular files only, the size bounded while reading ---------------------------------

MAX_READ_BYTES = 16 * 1024 * 1024  # twice a plan of 10,000 activities; every file the tool reads

_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


class FileMissingError(WorkplanError):
    """A file that is not there."""


def read_regular(path: os.PathLike | str, limit: int = MAX_READ_BYTES, name: str = "") -> bytes:
    """Returns the bytes of the regular file at `path`, reading at most `limit` bytes.

    A FIFO, device, socket or folder is refused without reading (opening does not wait for a
    FIFO's writer), and so is a file that holds more than `limit` bytes: the limit holds while
    reading, whatever the file said its size was. Errors name the file as `name` (default:
    `path`): FileMissingError when it is absent, InvalidFileError otherwise.
    """
    from workplan_cli.errors import InvalidFileError, Problem

    shown = name or str(path)

    def refuse(message: str) -> InvalidFileError:
        return InvalidFileError([Problem(shown, message)])

    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileMissingError(f"{shown}: no such file") from None
    except OSError as e:
        raise refuse(f"cannot be read ({e.strerror})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise refuse("is a folder, not a file")
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
            raise refuse(f"is {kind}, not a regular file; only regular files are read")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            size = max(os.fstat(fd).st_size, limit + 1)
            raise refuse(f"file is too large ({size:,} bytes; the limit is {limit:,})")
        return b"".join(chunks)
    except OSError as e:
        raise refuse(f"cannot be read ({e.strerror})") from None
    finally:
        os.close(fd)
