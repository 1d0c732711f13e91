"""Atomic writes keep the mode and leave nothing behind; a held lock makes others wait."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from workplan_cli import fileio
from workplan_cli.errors import WorkplanError


def test_write_keeps_the_mode_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"old\n")
    path.chmod(0o664)
    fileio.write_atomic(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_write_through_a_symlink_replaces_its_target(tmp_path):
    target = tmp_path / "real.yaml"
    target.write_bytes(b"old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    fileio.write_atomic(link, b"new\n")
    assert link.is_symlink()
    assert target.read_bytes() == b"new\n"


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary_one(tmp_path, monkeypatch):
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"old\n")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(WorkplanError, match=r"plan.yaml: cannot write \(No space left on device\)"):
        fileio.write_atomic(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


HOLDER = textwrap.dedent(
    """
    import sys, time
    from filelock import FileLock
    with FileLock(sys.argv[1]):
        print("locked", flush=True)
        time.sleep(30)
    """
)


@contextlib.contextmanager
def lock_held(path: Path) -> Iterator[None]:
    """Holds the lock of `path` in another process while the block runs."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(fileio.lock_path(path))], stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        yield
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


def test_a_held_lock_times_out_with_a_clear_message(repo, cli, monkeypatch):
    plan = repo / "data" / "workplan-2024.yaml"
    with lock_held(plan.resolve()):
        monkeypatch.setattr(fileio, "LOCK_TIMEOUT", 0.3)
        before = plan.read_bytes()
        result = cli("set-status", "1.3.2", "completed", "--by", "X", code=1)
        assert result.stderr.startswith(
            "Error: another workplan command has held the lock on workplan-2024.yaml for 0.3 s"
        )
        assert plan.read_bytes() == before


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    def interrupt(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        fileio.write_atomic(tmp_path / "new.ics", b"data")
    assert list(tmp_path.iterdir()) == []


def test_a_new_file_gets_the_usual_mode(tmp_path):
    fileio.write_atomic(tmp_path / "new.json", b"{}")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o666 & ~umask
