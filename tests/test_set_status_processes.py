"""set-status across processes: no concurrent update is lost, no killed writer breaks the file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from workplan_cli.edit import status as edit
from workplan_cli.plan import load
from workplan_cli.plan.store import find_repo
from workplan_cli.plan.vocab import Status

PLAN = Path("data") / "workplan-2024.yaml"
WORKERS = {"w0": "1.1.1", "w1": "1.3.2", "w2": "2.2.3", "w3": "3.1.2"}
UPDATES = 10


def _command(repo: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "workplan_cli", "set-status", *args, "--repo", str(repo)]


def _env() -> dict:
    return {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


WORKER = textwrap.dedent(
    """
    import sys
    from workplan_cli.cli import app
    repo, name, activity, count = sys.argv[1:]
    for k in range(int(count)):
        status = "in-progress" if k % 2 == 0 else "postponed"
        args = ["set-status", activity, status, "--on", "2024-10-12", "--by", name,
                "--note", f"{name} #{k}", "--repo", repo]
        code = app(args, prog_name="workplan", standalone_mode=False)
        if code:
            sys.exit(code)
    """
)


@pytest.mark.slow
def test_concurrent_updates_are_never_lost(repo):
    # Each process runs the real command UPDATES times, so that the processes overlap for
    # many read-modify-write cycles without paying Python's start-up for each update.
    children = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(repo), name, ident, str(UPDATES)],
            env=_env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, ident in WORKERS.items()
    ]
    errors = [child.communicate()[1] for child in children]
    assert [child.returncode for child in children] == [0] * len(WORKERS), errors
    plan = find_repo(repo).load_plan("2024")
    for name, ident in WORKERS.items():
        activity = plan.find(ident).activity
        assert [h.note for h in activity.history] == [f"{name} #{k}" for k in range(UPDATES)]
        assert activity.status.value == "postponed"


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from workplan_cli.fileio import locked, write_atomic
    path, a, b = Path(sys.argv[1]), Path(sys.argv[2]).read_bytes(), Path(sys.argv[3]).read_bytes()
    print("ready", flush=True)
    while True:
        for data in (a, b):
            with locked(path):
                write_atomic(path, data)
    """
)


@pytest.mark.slow
def test_a_writer_killed_at_any_moment_leaves_a_whole_file(tmp_path):
    # Large versions make the writes long, so that most kills land in the middle of one.
    a = (PLAN_TEXT := (Path(__file__).parent.parent / PLAN).read_bytes()) * 200
    b = PLAN_TEXT.replace(b"status: planned", b"status: completed") * 200
    (tmp_path / "a").write_bytes(a)
    (tmp_path / "b").write_bytes(b)
    target = tmp_path / "plan.yaml"
    target.write_bytes(a)
    rng = random.Random(3)
    for _ in range(25):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target), str(tmp_path / "a"), str(tmp_path / "b")],
            stdout=subprocess.PIPE,
        )
        assert child.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0, 0.05))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        assert target.read_bytes() in (a, b)


@pytest.mark.slow
def test_set_status_killed_at_any_moment_leaves_old_or_new(repo):
    plan = repo / PLAN
    old = plan.read_bytes()
    args = ("1.3.2", "completed", "--on", "2024-10-12", "--by", "X", "--note", "Held")
    request = edit.Request("1.3.2", Status.COMPLETED, edit.parse_date("2024-10-12"), "Held", "X")
    new = edit.set_status(old, "x", request).new
    start = time.monotonic()
    subprocess.run(_command(repo, *args), check=True, env=_env(), capture_output=True)
    took = time.monotonic() - start
    assert plan.read_bytes() == new
    rng = random.Random(7)
    for _ in range(6):
        plan.write_bytes(old)
        child = subprocess.Popen(_command(repo, *args), env=_env(), stdout=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 1.1) * took)
        child.send_signal(signal.SIGKILL)
        child.wait()
        found = plan.read_bytes()
        assert found in (old, new)
        load.parse_plan(found, "x")
