"""Times `workplan log` over a synthetic history: `python benchmarks/log_history.py 500 DIR`.

Makes a git repository of the shipped data (or, with --activities N, of a synthetic plan of N
activities) with N commits, each retitling one activity (every tenth one 1.3.2), then runs
`workplan log 1.3.2` with an empty cache (the first run parses every blob), again (the second
finds them all in the cache), then once more after one new commit.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def git(cwd: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "b@example.org",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "b@example.org",
    }
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def make_history(target: Path, commits: int, activities: int | None = None) -> None:
    if activities:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from make_plan import make_repo

        make_repo(target, activities)
    else:
        shutil.copytree(ROOT / "data", target / "data")
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "start")
    path = target / "data" / "workplan-2024.yaml"
    ids = re.findall(r'- id: "(\d+\.\d+\.\d+)"', path.read_text())
    for n in range(commits):
        retitle(target, ids, n)


def retitle(target: Path, ids: list[str], n: int) -> None:
    """Commits the n-th change: a new title for one activity (every tenth one 1.3.2)."""
    path = target / "data" / "workplan-2024.yaml"
    ident = "1.3.2" if n % 10 == 0 else ids[n % len(ids)]
    text = path.read_text()
    start = text.index(f'- id: "{ident}"')
    block = re.sub(r"title: .*", f"title: Take {n} of {ident}", text[start:], count=1)
    path.write_text(text[:start] + block)
    git(target, "commit", "-q", "-am", f"retitle {ident} ({n})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("commits", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--activities", type=int, help="a synthetic plan of this many")
    args = parser.parse_args()
    make_history(args.folder, args.commits, args.activities)
    env = {**os.environ, "WORKPLAN_CACHE_DIR": tempfile.mkdtemp(prefix="wp-cache-")}
    command = [sys.executable, "-m", "workplan_cli", "log", "1.3.2", "--format", "json"]
    path = args.folder / "data" / "workplan-2024.yaml"
    ids = re.findall(r'- id: "(\d+\.\d+\.\d+)"', path.read_text())
    for run in ("first run (empty cache)", "second run (cache filled)", "after a new commit"):
        if run == "after a new commit":
            retitle(args.folder, ids, 1)
        started = time.perf_counter()
        subprocess.run(command, cwd=args.folder, env=env, check=True, capture_output=True)
        print(f"{run}: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
