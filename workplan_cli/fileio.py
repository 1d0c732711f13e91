"""Writing files so that they are always whole and never take what is not ours: atomic replace,
only over the very file that was read, keeping its owner, group and mode; and the lock that
serialises workplan's own read-modify-write cycles."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple, TypeVar

from workplan_cli.errors import WorkplanError

LOCK_TIMEOUT = 60.0  # seconds; an update holds the lock for a fraction of a second
TRIES = 3  # read-modify-write cycles before giving up on a file that others keep changing

T = TypeVar("T")


class FileChangedError(WorkplanError):
    """The file is no longer the one that was read: something else wrote it meanwhile."""


def shown(path: Path) -> str:
    """Returns the path as the user should read it: relative to the current folder if inside."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


# --- what a file was when it was read ----------------------------------------------------------


class Snapshot(NamedTuple):
    """A file's bytes and the identity (device, inode, size, mtime) they were read under;
    `data is None` for a file that did not exist. (A named tuple: every command imports this
    module, and a frozen dataclass took five times as long to define, about 0.5 ms.)"""

    data: bytes | None
    identity: tuple[int, int, int, int] | None
    mode: int | None = None  # permission bits
    owner: tuple[int, int] | None = None  # uid, gid

    @classmethod
    def absent(cls) -> Snapshot:
        return cls(None, None)


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _stat(path: Path) -> os.stat_result | None:
    """Returns the stat of what `path` names, following links; None if there is nothing."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def snapshot(path: Path, read: Callable[[Path], bytes] | None = None) -> Snapshot:
    """Returns the file's bytes as `read` gives them (default: `read_regular`, so a FIFO, device
    or oversized file is refused), with the identity the file had before and after the read; an
    absent file gives Snapshot.absent()."""
    read = read or (lambda p: read_regular(p, name=shown(p)))
    for _ in range(TRIES):
        before = _lstat(path)
        if before is None:
            return Snapshot.absent()
        data = read(path)
        after = _lstat(path)
        if after is not None and _identity(after) == _identity(before):
            return Snapshot(
                data, _identity(after), stat.S_IMODE(after.st_mode), (after.st_uid, after.st_gid)
            )
    raise FileChangedError(
        f"{shown(path)} kept changing while it was read (another program is writing it); "
        "nothing was written: try again when it is done"
    )


def is_unchanged(path: Path, expected: Snapshot) -> bool:
    """Whether `path` still is exactly the file of `expected` (the same inode, size, time and
    bytes), or is still absent if it was."""
    now = _lstat(path)
    if expected.identity is None or now is None:
        return expected.identity is None and now is None
    if _identity(now) != expected.identity or not stat.S_ISREG(now.st_mode):
        return False
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)  # never blocks on a FIFO swapped in meanwhile
    except OSError:
        return False
    try:
        if _identity(os.fstat(fd)) != expected.identity:
            return False
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read(expected.identity[2] + 1)
    except OSError:
        return False
    finally:
        os.close(fd)
    after = _lstat(path)
    return data == expected.data and after is not None and _identity(after) == expected.identity


# --- writing -------------------------------------------------------------------------------------


def check_writable(path: Path, st: os.stat_result | None = None) -> None:
    """Refuses a file without write permission for this user, and one with no write bit at all
    (root bypasses permission checks, so the bits are looked at explicitly)."""
    st = st if st is not None else _lstat(path)
    if st is None:
        return
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        mode = f"{stat.S_IMODE(st.st_mode):04o}"
        raise WorkplanError(
            f"{shown(path)} is read-only (mode {mode}); nothing was written "
            f"(make it writable first, e.g. chmod u+w {shown(path)}, if it should change)"
        )


def write_atomic(
    path: Path, data: bytes, replace: bool = True, like: Path | None = None
) -> Snapshot:
    """Writes `data` to `path` in one step: readers and crashes see the whole old file or the
    whole new one, never a part. Returns what was written (for a later is_unchanged check).

    The data goes to a temporary file in the same folder, is flushed to disk, then renamed over
    the file. An existing file keeps its mode, and its owner and group where this user may set
    them (root always); a read-only one is refused. A new file gets the mode, owner and group of
    `like` when given, else 0666 less the umask. A symlink's target is replaced, not the link.
    With `replace=False` an existing file is an error, even one that appears while writing (the
    temporary file is hard-linked, which fails if the name is taken).
    """
    path = Path(os.path.realpath(path))
    if not replace:
        return replace_if_unchanged(path, Snapshot.absent(), data, like=like)
    return _write(path, data, None, like)


def replace_if_unchanged(
    path: Path, expected: Snapshot, data: bytes, like: Path | None = None
) -> Snapshot:
    """Writes `data` over `path` (atomically, as write_atomic) only if `path` is still exactly
    the file of `expected` (or still absent if it was); raises FileChangedError, having written
    nothing, when something else changed, replaced or created the file meanwhile.

    The check runs after the new file is on disk, just before the rename, so the window left is
    the rename itself. Returns what was written.
    """
    return _write(Path(os.path.realpath(path)), data, expected, like)


def _write(path: Path, data: bytes, expected: Snapshot | None, like: Path | None) -> Snapshot:
    if not path.parent.is_dir():
        raise WorkplanError(f"{shown(path)}: cannot write, no folder {shown(path.parent)}")
    current = _lstat(path)
    if expected is not None and expected.identity is None and current is not None:
        raise _exists(path)
    if current is not None:
        check_writable(path, current)
    source = current if current is not None else _stat(Path(like)) if like else None
    try:
        import tempfile  # only writers pay for it (random, shutil): every reader imports fileio

        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise _cannot_write(path, e) from None
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
            _take_owner_and_mode(file.fileno(), source)
            written = os.fstat(file.fileno())
        if (
            expected is not None
            and expected.identity is not None
            and not is_unchanged(path, expected)
        ):
            raise _changed(path)
        if expected is not None and expected.identity is None:
            os.link(temp, path)  # fails if the name was taken meanwhile
        else:
            os.replace(temp, path)
    except FileExistsError:
        raise _exists(path) from None
    except OSError as e:
        raise _cannot_write(path, e) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)  # after a rename or a link the name is gone or redundant
    _fsync_folder(path.parent)
    return Snapshot(
        data, _identity(written), stat.S_IMODE(written.st_mode), (written.st_uid, written.st_gid)
    )


def _cannot_write(path: Path, error: OSError) -> WorkplanError:
    return WorkplanError(f"{shown(path)}: cannot write ({error.strerror}); nothing was written")


def _exists(path: Path) -> WorkplanError:
    return FileChangedError(f"{shown(path)} already exists; nothing was written")


def _changed(path: Path) -> FileChangedError:
    return FileChangedError(
        f"{shown(path)} was changed by another program while workplan was working; "
        "nothing was written, the other change is kept"
    )


def _euid() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else -1


def _take_owner_and_mode(fd: int, source: os.stat_result | None) -> None:
    """Gives the new file the owner, group and mode of `source` (else 0666 less the umask).
    Owner and group first: changing them clears set-id bits, which chmod then restores."""
    if source is None:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp creates 0600
        return
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) != (source.st_uid, source.st_gid):
        uid = source.st_uid if _euid() == 0 else -1  # only root may give a file away
        with contextlib.suppress(OSError):  # not a member of the group: it stays ours
            os.fchown(fd, uid, source.st_gid)
    os.fchmod(fd, stat.S_IMODE(source.st_mode))


def rewrite(
    path: Path,
    change: Callable[[bytes], tuple[bytes, T]],
    read: Callable[[Path], bytes] | None = None,
    tries: int = TRIES,
) -> tuple[T, Snapshot, Snapshot]:
    """Runs a read-modify-write of `path` that never loses another program's change.

    `change(old_bytes)` returns the new bytes and a value for the caller. The new bytes replace
    the file only if it is still the one read; when something else wrote it meanwhile, the
    change is made again on the new content, up to `tries` times, then FileChangedError (nothing
    written). Returns the last value of `change`, the snapshot it was made from and what was
    written. Hold `locked(path)` around it so that workplan's own writers wait for each other.
    """

    def changed(data: list[bytes]) -> tuple[list[bytes | None], T]:
        new, value = change(data[0])
        return [new], value

    value, (old,), (written,) = rewrite_all([path], changed, read, tries)
    assert written is not None  # `changed` always gives new bytes
    return value, old, written


def rewrite_all(
    paths: Sequence[Path],
    change: Callable[[list[bytes]], tuple[Sequence[bytes | None], T]],
    read: Callable[[Path], bytes] | None = None,
    tries: int = TRIES,
) -> tuple[T, list[Snapshot], list[Snapshot | None]]:
    """Runs one read-modify-write of several files (as `rewrite` does of one): all or nothing.

    `change(old bytes of each file)` returns the new bytes of each (None: that file stays as it
    is) and a value for the caller. The files are replaced one after the other, each only if it
    is still the one read; when one was written by something else meanwhile, those already
    replaced are put back and the change is made again on the new content of all, up to `tries`
    times, then FileChangedError (nothing written). Returns the last value of `change`, the
    snapshots it was made from and what was written (None for a file left as it was). Hold
    `locked` of every path around it.
    """
    paths = [Path(os.path.realpath(p)) for p in paths]
    for attempt in range(tries):
        olds = [snapshot(p, read) for p in paths]
        data: list[bytes] = []
        for p, old in zip(paths, olds, strict=True):
            if old.data is None:
                raise WorkplanError(f"{shown(p)}: no such file")
            data.append(old.data)
        news, value = change(data)
        written: list[Snapshot | None] = []
        try:
            for p, old, new in zip(paths, olds, news, strict=True):
                written.append(None if new is None else replace_if_unchanged(p, old, new))
            return value, olds, written
        except WorkplanError as e:
            failed = paths[len(written)]  # the one that could not be replaced
            _put_back(failed, list(zip(paths, olds, written, strict=False)))  # those written
            if not isinstance(e, FileChangedError):
                raise
            if attempt == tries - 1:
                raise FileChangedError(
                    f"{shown(failed)} was changed by another program {tries} times while "
                    "workplan was working; nothing was written, the other changes are kept: "
                    "try again when it is done"
                ) from None
    raise AssertionError("unreachable")


def _put_back(failed: Path, done: list[tuple[Path, Snapshot, Snapshot | None]]) -> None:
    """Puts back the files that a rewrite of several replaced before `failed` could not be."""
    for path, old, written in reversed(done):
        if written is None or old.data is None:
            continue
        try:
            replace_if_unchanged(path, written, old.data)
        except WorkplanError as e:
            raise WorkplanError(
                f"{shown(failed)} could not be written, and {shown(path)}, written just before "
                f"it, could not be put back ({e}); {shown(path)} is left as it is now"
            ) from None


def remove_if_unchanged(path: Path, expected: Snapshot) -> None:
    """Deletes `path` only if it is still exactly the file of `expected`."""
    path = Path(os.path.realpath(path))
    check_writable(path)
    if not is_unchanged(path, expected):
        raise _changed(path)
    try:
        os.unlink(path)
    except OSError as e:
        raise WorkplanError(f"{shown(path)}: cannot remove ({e.strerror})") from None


# --- locking -------------------------------------------------------------------------------------


def lock_path(path: Path) -> Path:
    """Returns the lock file of `path`: a separate file, as the file itself is replaced."""
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def locked(path: Path, timeout: float | None = None, like: Path | None = None) -> Iterator[None]:
    """Holds the lock of `path` (waiting up to `timeout` seconds) while the block runs.

    The lock file gets the mode bits and, when this user may set them, the owner and group of
    `path` (of `like` while `path` does not exist yet), so that whoever may write the file may
    also take its lock later.
    """
    from filelock import FileLock, Timeout

    timeout = LOCK_TIMEOUT if timeout is None else timeout
    target = _stat(path)
    if target is None and like is not None:
        target = _stat(like)
    lock_file = lock_path(path)
    mode = stat.S_IMODE(target.st_mode) & 0o666 | 0o600 if target is not None else None
    if mode is None:
        lock = FileLock(str(lock_file), timeout=timeout)
    else:
        lock = FileLock(str(lock_file), timeout=timeout, mode=mode)
    try:
        lock.acquire()
    except Timeout:
        raise WorkplanError(
            f"another workplan command has held the lock on {path.name} for {timeout:g} s "
            f"({shown(lock_file)}); try again, or remove it ({_rm(lock_file)}) "
            "if no workplan command is running"
        ) from None
    except OSError as e:
        raise WorkplanError(_lock_failure(path, lock_file, e)) from None
    try:
        _share_lock_file(lock_file, target, mode)
        yield
    finally:
        lock.release()


def _share_lock_file(lock_file: Path, target: os.stat_result | None, mode: int | None) -> None:
    """Gives a lock file the owner, group and mode of its plan file, where this user may."""
    if target is None:
        return
    st = _lstat(lock_file)
    if st is None or not stat.S_ISREG(st.st_mode):
        return
    root = _euid() == 0
    with contextlib.suppress(OSError):
        if (st.st_uid, st.st_gid) != (target.st_uid, target.st_gid) and (
            root or st.st_uid == _euid()
        ):
            uid = target.st_uid if root else -1
            os.chown(lock_file, uid, target.st_gid, follow_symlinks=False)
        if mode is not None and stat.S_IMODE(st.st_mode) != mode:
            os.chmod(lock_file, mode)


def _rm(lock_file: Path) -> str:
    """Returns the shell command that removes a stale lock file."""
    import shlex  # here: every command imports this module, few print this

    return f"rm {shlex.quote(shown(lock_file))}"


def _lock_failure(path: Path, lock_file: Path, error: OSError) -> str:
    """Returns what to tell the user when the lock file cannot be opened or made."""
    st = _lstat(lock_file)
    if st is None:
        return (
            f"cannot lock {shown(path)}: cannot create {shown(lock_file)} "
            f"({error.strerror}); nothing was written (the folder {shown(lock_file.parent)} must "
            "be writable by whoever updates the plan)"
        )
    owner = _user_name(st.st_uid)
    return (
        f"cannot lock {shown(path)}: {shown(lock_file)} ({error.strerror}; owned by {owner}, "
        f"mode {stat.S_IMODE(st.st_mode):04o}); nothing was written. If no workplan command is "
        f"running, remove it ({_rm(lock_file)}) and try again"
    )


def _user_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"uid {uid}"


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
