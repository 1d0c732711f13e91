"""Atomic writes: the old file or the new one, never a part, and no temporary file left."""

from __future__ import annotations

import os

import pytest

from workplan_cli import fileio as atomic
from workplan_cli.errors import WorkplanError


def test_a_failed_replace_keeps_the_old_file_and_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WorkplanError, match=r"out.csv: cannot write \(No space left on device\)"):
        atomic.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    def interrupt(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_atomic(tmp_path / "new.ics", b"data")
    assert list(tmp_path.iterdir()) == []


def test_a_new_file_gets_the_usual_mode(tmp_path):
    atomic.write_atomic(tmp_path / "new.json", b"{}")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o666 & ~umask
