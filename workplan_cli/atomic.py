"""Writing a whole file atomically: readers see the old file or the new one, never a part."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from workplan_cli.errors import WorkplanError


def write_atomic(path: Path, data: bytes) -> None:
    """Writes `data` to `path` atomically: a synced temporary file, then a rename.

    An existing file keeps its permissions; a new one gets the usual 0666 less the umask.
    """
    path = Path(os.path.realpath(path))  # through a symlink to its target, as `>` would
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WorkplanError(f"{path}: cannot write, no folder {folder}")
    mode = _mode_of(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise WorkplanError(f"{path}: cannot write ({e.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WorkplanError(f"{path}: cannot write ({e.strerror})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(folder)


def _mode_of(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
    except OSError:
        return 0o644


def _sync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not every platform or file system allows it.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
