"""Writes an output file atomically: a temporary file beside it, then os.replace."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from workplan_cli.errors import WorkplanError


def write_atomic(path: Path, data: bytes) -> None:
    """Writes `data` to `path` so that readers see the old file or the whole new one, never
    a part; raises WorkplanError naming the file when it cannot be written."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else _default_mode()
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise WorkplanError(f"{path}: cannot be written ({e.strerror or e})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, mode)  # mkstemp makes 0600; a report is as readable as any new file
        os.replace(temp, path)
        _fsync_folder(folder)
    except OSError as e:
        Path(temp).unlink(missing_ok=True)
        raise WorkplanError(f"{path}: cannot be written ({e.strerror or e})") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder itself is on disk (RELIABILITY.md).
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
