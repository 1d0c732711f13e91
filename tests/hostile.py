"""Helpers for the hostile-input tests: the corpus, tree snapshots, and measuring a child."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.testing

from workplan_cli import yamlio

CORPUS = Path(__file__).resolve().parent / "corpus"
TARGETS = {"plan": "workplan-2024.yaml", "stakeholders": "stakeholders.yaml"}


def expected() -> dict[str, dict]:
    """Returns the corpus manifest: case name -> {file, stderr or exit}."""
    return yamlio.parse((CORPUS / "expected.yaml").read_text(encoding="utf-8"))


def place(repo: Path, name: str, case: dict) -> Path:
    """Writes the case's bytes over the repository file it stands for; returns that path."""
    path = repo / "data" / TARGETS[case["file"]]
    path.write_bytes((CORPUS / f"{name}.yaml").read_bytes())
    return path


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Returns every file under `root` with its bytes and modification time."""
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# Run in a small launcher so that the child's peak memory is its own: a child forked from the
# test process would start with the test process's resident set as its high-water mark.
_LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump({"code": os.waitstatus_to_exitcode(status),
               "seconds": time.perf_counter() - started,
               "peak_mb": usage.ru_maxrss / 1024}, out)
"""


# A guard against a hang, far above any run's time (about 5 s on a loaded two-core machine):
# not a speed check (benchmarks/hostile.py prints the figures).
HANG_SECONDS = 300


@dataclass(frozen=True)
class Measured:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


def measure(repo: Path, *args: str, cache: Path) -> Measured:
    """Runs `python -m workplan_cli ARGS` in `repo` as a child; returns its outcome, wall time
    and peak resident memory (ru_maxrss from os.wait4)."""
    result = repo.parent / "measured.json"
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, str(result), sys.executable, "-m", "workplan_cli", *args],
        cwd=repo,
        capture_output=True,
        env={**os.environ, "WORKPLAN_CACHE_DIR": str(cache), "NO_COLOR": "1"},
        check=False,
        timeout=HANG_SECONDS,
    )
    figures = json.loads(result.read_text())
    return Measured(
        figures["code"],
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
        figures["seconds"],
        figures["peak_mb"],
    )


def command_built_once():
    """Makes typer build the click command once (use as a module-scoped fixture): it rebuilt it
    from the functions' signatures on every invocation, most of the time of a corpus case."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", functools.cache(typer.testing._get_command))
        yield
