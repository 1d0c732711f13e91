"""Reading files and git blobs: regular files only, the size bounded while reading."""

from __future__ import annotations

import os
import threading

import pytest

from workplan_cli import fileio
from workplan_cli.errors import InvalidFileError
from workplan_cli.git import gitio


def test_reads_a_regular_file_and_a_link_to_one(tmp_path):
    (tmp_path / "a.yaml").write_bytes(b"x: 1\n")
    (tmp_path / "b.yaml").symlink_to("a.yaml")
    assert fileio.read_regular(tmp_path / "a.yaml") == b"x: 1\n"
    assert fileio.read_regular(tmp_path / "b.yaml") == b"x: 1\n"


def test_the_limit_holds_to_the_byte(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 100)
    assert fileio.read_regular(path, limit=100) == b"x" * 100
    with pytest.raises(InvalidFileError) as e:
        fileio.read_regular(path, limit=99, name="data/a.yaml")
    assert str(e.value) == "data/a.yaml: file is too large (100 bytes; the limit is 99)"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    path = tmp_path / "plan.yaml"
    os.mkfifo(path)
    done = []
    thread = threading.Thread(target=lambda: done.append(_error(path)), daemon=True)
    thread.start()
    thread.join(10)  # a hang guard: without O_NONBLOCK the open waits for a writer forever
    assert done == [
        f"{path}: is a FIFO (named pipe), not a regular file; only regular files are read"
    ]


def test_devices_folders_and_missing_files(tmp_path):
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "dir.yaml").mkdir()
    assert _error(tmp_path / "zero.yaml").endswith(
        "is a character device, not a regular file; only regular files are read"
    )
    assert _error(tmp_path / "dir.yaml").endswith("is a folder, not a file")
    with pytest.raises(fileio.FileMissingError, match="no such file"):
        fileio.read_regular(tmp_path / "nope.yaml")


def test_load_uses_the_same_limit():
    from workplan_cli.plan import load

    assert load.MAX_BYTES == fileio.MAX_READ_BYTES


def test_git_blobs_over_the_limit_are_refused_unread(git_repo):
    commit = gitio.resolve("HEAD", git_repo)
    path = "data/workplan-2024.yaml"
    size = len((git_repo / path).read_bytes())
    assert gitio.read_blob(commit, path, git_repo, limit=size) == (git_repo / path).read_bytes()
    with pytest.raises(InvalidFileError, match=f"file is too large .{size:,} bytes; the limit"):
        gitio.read_blob(commit, path, git_repo, limit=size - 1)
    with pytest.raises(gitio.FileAbsentError):
        gitio.read_blob(commit, "data/nope.yaml", git_repo)


def test_the_blob_reader_skips_a_large_blob_and_stays_in_step(git_repo):
    commit = gitio.resolve("HEAD", git_repo)
    small = (git_repo / "data" / "stakeholders.yaml").read_bytes()
    with gitio.BlobReader(git_repo, limit=len(small)) as reader:
        with pytest.raises(InvalidFileError, match="file is too large"):
            reader.read(f"{commit}:data/workplan-2024.yaml")
        assert reader.read(f"{commit}:data/stakeholders.yaml") == small


def _error(path) -> str:
    try:
        fileio.read_regular(path)
    except InvalidFileError as e:
        return str(e)
    return "read"
