"""The bounded child process: what it sees, how its failures come back."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from workplan_cli.errors import WorkplanError
from workplan_cli.output import sandbox

LIMITS = sandbox.Limits(memory_mb=256, seconds=60, output_bytes=1_000_000)


def _environment_and_path(payload) -> bytes:
    return json.dumps({"env": dict(os.environ), "path": sys.path}).encode()


def _fails(payload) -> bytes:
    raise WorkplanError(f"failed: {payload}")


def _allocates(payload) -> bytes:
    return b"x" * payload


def _bug(payload) -> bytes:
    raise KeyError(payload)


def _run(target: str, payload=None, limits=LIMITS) -> bytes:
    return sandbox.run(f"tests.test_sandbox:{target}", payload, limits, "the work", {"A": "1"})


def test_the_child_sees_only_the_environment_it_is_given(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKPLAN_TEST_SECRET", "s3cr3t")
    monkeypatch.chdir(tmp_path)
    seen = json.loads(_run("_environment_and_path"))
    assert set(seen["env"]) <= {"A", "LC_CTYPE"}  # Python may add LC_CTYPE (PEP 538)
    assert "" not in seen["path"] and str(tmp_path) not in seen["path"]


def test_a_module_in_the_current_folder_is_not_imported(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", ["", *sys.path])  # as under `python -m`
    (tmp_path / "pickle.py").write_text("import pathlib; pathlib.Path('ran').write_text('')\n")
    (tmp_path / "json.py").write_text("import pathlib; pathlib.Path('ran').write_text('')\n")
    _run("_environment_and_path")
    assert not (tmp_path / "ran").exists()


def test_an_error_comes_back_with_its_message():
    with pytest.raises(WorkplanError, match=r"^failed: 7$") as caught:
        _run("_fails", 7)
    assert not isinstance(caught.value, sandbox.LimitError)


def test_the_memory_limit_is_hard():
    assert _run("_allocates", 10) == b"x" * 10
    with pytest.raises(sandbox.LimitError, match=r"^the work used more than 256 MB of memory"):
        _run("_allocates", 10**9)


def test_the_output_limit():
    with pytest.raises(sandbox.LimitError, match="the result is larger than 1000000 bytes"):
        _run("_allocates", 1_000_001)


def test_a_bug_in_the_child_is_a_bug():
    with pytest.raises(RuntimeError, match=r"the sandbox process failed \(exit 1\): KeyError: 3"):
        _run("_bug", 3)


def _alive(pid: int) -> bool:
    """Whether the process is still alive a moment after it was killed: SIGKILL is delivered
    asynchronously, so it is given up to 5 s to die."""
    import time

    for _ in range(100):
        if not _running(pid):
            return False
        time.sleep(0.05)
    return True


def _running(pid: int) -> bool:
    # Killed, it is gone or a zombie (its parent was killed too, and PID 1 may not reap it).
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


# --- A program talked to over its descriptors 3 and 4 (Chromium's --remote-debugging-pipe) ----


def _piped(script: str, tmp_path: Path, limits=LIMITS, argv=None) -> sandbox.Piped:
    stderr = open(tmp_path / "stderr", "w+b")  # noqa: SIM115  # closed with tmp_path
    argv = argv or ["/bin/sh", "-c", script]
    return sandbox.Piped(argv, limits, "the program", {}, stderr)


def test_a_piped_program_reads_3_and_writes_4(tmp_path):
    program = _piped('read -r line <&3; echo "got $line" >&4', tmp_path)
    program.send(b"hello\n")
    assert program.receive() == b"got hello\n"
    program.close()


def test_a_piped_program_that_ends_says_so(tmp_path):
    program = _piped("echo 'it broke' >&2; exit 3", tmp_path)
    assert program.receive() == b""  # its end of the pipe closed
    assert program.close() == 3
    assert program.stderr_tail() == "it broke"


def test_a_piped_program_that_is_not_there(tmp_path):
    program = _piped("", tmp_path, argv=["/nonexistent/program"])
    assert program.receive() == b""
    assert program.close() == 1
    assert program.stderr_tail() == "cannot run /nonexistent/program: No such file or directory"


def test_a_piped_program_gets_the_limits(tmp_path):
    code = "import resource; print(resource.getrlimit(resource.RLIMIT_DATA)[0] >> 20)"
    program = _piped(f"{sys.executable} -c '{code}' >&4", tmp_path)
    assert program.receive() == b"256\n"
    program.close()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_a_piped_program_that_does_not_answer_is_killed_at_the_deadline(tmp_path):
    pid_file = tmp_path / "pid"
    limits = sandbox.Limits(memory_mb=256, seconds=0.5, output_bytes=1000)
    program = _piped(f"sleep 60 & echo $! > {pid_file}; wait", tmp_path, limits)
    with pytest.raises(sandbox.LimitError, match=r"^the program took more than 1.5 seconds"):
        program.receive()
    assert not _alive(int(pid_file.read_text()))


def test_a_piped_program_sees_none_of_the_parents_other_descriptors(tmp_path):
    with open(tmp_path / "parent-only", "w") as keep:
        os.set_inheritable(keep.fileno(), True)  # even one that a child could inherit
        program = _piped("ls /proc/self/fd >&4", tmp_path)
        seen = {int(fd) for fd in program.receive().split()}
        program.close()
        assert keep.fileno() not in seen
    assert seen <= {0, 1, 2, 3, 4, 5}  # 5: ls's own reading of the folder
