"""`workplan record` across processes, beside set-status: no concurrent update is lost, and a
killed `record` leaves the old file or the new one (tests/test_set_status_processes.py holds the
same for set-status)."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from workplan_cli.edit import record as edit
from workplan_cli.plan import load
from workplan_cli.plan.store import find_repo

FIXTURE = Path(__file__).parent / "golden" / "results" / "plan.yaml"
UPDATES = 10


def _fixture_repo(repo: Path) -> Path:
    """Makes the results fixture the repository's only plan; returns its path."""
    for other in (repo / "data").glob("workplan-*.yaml"):
        other.unlink()
    plan = repo / "data" / "workplan-2024.yaml"
    plan.write_bytes(FIXTURE.read_bytes())
    return plan


def _env() -> dict:
    return {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


WORKER = textwrap.dedent(
    """
    import sys
    from workplan_cli.cli import app
    repo, name, what, count = sys.argv[1:]
    for k in range(int(count)):
        if what == "1.1.1":
            status = "in-progress" if k % 2 == 0 else "postponed"
            args = ["set-status", what, status, "--on", "2024-10-12", "--note", f"{name} #{k}"]
        else:
            args = ["record", what, str(k), "--period", "2024", "--on", "2024-10-12",
                    "--note", f"{name} #{k}"]
        code = app([*args, "--by", name, "--repo", repo], prog_name="workplan",
                   standalone_mode=False)
        if code:
            sys.exit(code)
    """
)


@pytest.mark.slow
def test_concurrent_records_and_status_changes_are_never_lost(repo):
    _fixture_repo(repo)
    workers = {"w0": "1.1-a", "w1": "1.1-b", "w2": "1.1.1"}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(repo), name, what, str(UPDATES)],
            env=_env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, what in workers.items()
    ]
    errors = [child.communicate()[1] for child in children]
    assert [child.returncode for child in children] == [0] * len(workers), errors
    plan = find_repo(repo).load_plan("2024")
    found = {ref.indicator.id: ref.indicator for ref in plan.indicators()}
    assert [a.note for a in found["1.1-a"].actuals][1:] == [f"w0 #{k}" for k in range(UPDATES)]
    assert [a.value for a in found["1.1-b"].actuals] == list(range(UPDATES))
    activity = plan.find("1.1.1").activity
    assert [h.note for h in activity.history] == [f"w2 #{k}" for k in range(UPDATES)]


@pytest.mark.slow
def test_record_killed_at_any_moment_leaves_old_or_new(repo):
    plan = _fixture_repo(repo)
    old = plan.read_bytes()
    args = ["1.1-a", "3", "--period", "2024", "--on", "2024-10-12", "--by", "X", "--note", "Held"]
    command = [sys.executable, "-m", "workplan_cli", "record", *args, "--repo", str(repo)]
    request = edit.Request("1.1-a", "3", "2024", dt.date(2024, 10, 12), "Held", "X")
    new = edit.record(old, "x", request).new
    start = time.monotonic()
    subprocess.run(command, check=True, env=_env(), capture_output=True)
    took = time.monotonic() - start
    assert plan.read_bytes() == new
    rng = random.Random(11)
    for _ in range(6):
        plan.write_bytes(old)
        child = subprocess.Popen(command, env=_env(), stdout=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 1.1) * took)
        child.send_signal(signal.SIGKILL)
        child.wait()
        found = plan.read_bytes()
        assert found in (old, new)
        load.parse_plan(found, "x")
