"""Runs every speed measurement of the "Fast at every size" issue and prints figure, ratio, target.

    python benchmarks/run.py [--runs 7] [--sizes 2000,10000] [--diff-sizes 500,10000]
                             [--commits 500] [--pdf-size 2000] [--only NAME...]

Each ratio compares two commands run side by side, alternating, in this one run: it is the median
of the ratios of the pairs (each pair's two runs back to back, so that they share the speed of this
shared machine, which drifts by a third within minutes). Figures are medians of `--runs` runs.
Peak memory is the largest resident set of the child process.
Needs PyYAML for the reference parser (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from hostile import bench_hostile  # noqa: E402
from log_history import make_history  # noqa: E402
from make_plan import make_repo  # noqa: E402
from pdf import bench_pdf  # noqa: E402

PY = sys.executable
WORKPLAN = [PY, "-m", "workplan_cli"]
STACK = "import typer, pydantic, ruamel.yaml, rich.console, rich.table"


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int]:
    """Returns (seconds, peak resident memory in MB) of one run; stops if the command fails."""
    started = time.perf_counter()
    child = subprocess.Popen(
        cmd,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{stderr.decode()}")
    return elapsed, usage.ru_maxrss // 1024


def compare(
    runs: int, cwd: Path, a: list[str], b: list[str], env_a=None, env_b=None, prepare=None
) -> tuple[list[float], list[float]]:
    """Returns the times of commands a and b, run alternately (a pair a run)."""
    times_a, times_b = [], []
    for _ in range(runs):
        if prepare:
            prepare()
        times_a.append(run(a, cwd, env_a)[0])
        if prepare:
            prepare()
        times_b.append(run(b, cwd, env_b)[0])
    return times_a, times_b


def ratio(times: list[float], bases: list[float]) -> float:
    """Returns the median of the pairs' ratios."""
    return statistics.median(t / b for t, b in zip(times, bases, strict=True))


def report(name: str, times: list[float], bases: list[float], target: float) -> None:
    """Prints the median times, the median ratio of the pairs and the verdict."""
    value, base, r = statistics.median(times), statistics.median(bases), ratio(times, bases)
    verdict = "ok" if r <= target else "MISSED"
    print(
        f"{name:<58} {value:7.3f} s / {base:7.3f} s = {r:5.2f}x (target <= {target}x) {verdict}",
        flush=True,
    )


def bench_startup(runs: int, work: Path) -> None:
    repo = work / "shipped"
    shutil.copytree(ROOT / "data", repo / "data")
    cache = {"WORKPLAN_CACHE_DIR": str(work / "cache-shipped")}
    help_, typer_ = compare(runs, repo, [*WORKPLAN, "--help"], [PY, "-c", "import typer"])
    report("workplan --help vs import typer", help_, typer_, 1.5)
    run([*WORKPLAN, "status"], repo, cache)  # the first run fills the cache
    for args in (["status"], ["diff", "2024", "2025"]):
        mine, stack = compare(runs, repo, WORKPLAN + args, [PY, "-c", STACK], env_a=cache)
        report(f"workplan {' '.join(args)} (shipped data) vs import stack", mine, stack, 1.25)
        cold, stack = compare(
            runs, repo, WORKPLAN + args, [PY, "-c", STACK], env_a={"WORKPLAN_NO_CACHE": "1"}
        )
        print(
            f"{'  the same without the cache':<58} {statistics.median(cold):7.3f} s "
            f"({ratio(cold, stack):4.2f}x)"
        )


def bench_size(runs: int, work: Path, size: int, indicators: int = 0) -> None:
    repo = make_repo(work / f"plan-{size}", size, indicators=indicators)
    if indicators:
        print(f"(every objective with {indicators} indicators)")
    plan = repo / "data" / "workplan-2024.yaml"
    parse = [
        PY,
        "-c",
        "import sys, yaml; yaml.load(open(sys.argv[1], encoding='utf-8').read(), "
        "Loader=yaml.CSafeLoader)",
        str(plan),
    ]
    nocache = {"WORKPLAN_NO_CACHE": "1"}
    validate, pyyaml = compare(runs, repo, [*WORKPLAN, "validate"], parse, env_a=nocache)
    report(f"{size} activities: validate vs PyYAML CSafeLoader", validate, pyyaml, 1.3)

    cache_dir = work / f"cache-{size}"
    cache = {"WORKPLAN_CACHE_DIR": str(cache_dir)}
    firsts, seconds = [], []
    for _ in range(runs):
        shutil.rmtree(cache_dir, ignore_errors=True)
        firsts.append(run([*WORKPLAN, "status"], repo, cache)[0])
        seconds.append(run([*WORKPLAN, "status"], repo, cache)[0])
    report(f"{size} activities: status, second run vs first", seconds, firsts, 0.3)

    original = plan.read_bytes()
    ids = [
        line.split('"')[1]
        for line in original.decode().splitlines()
        if line.startswith('          - id: "')
    ]
    target = ids[len(ids) // 2]

    def restore() -> None:
        plan.write_bytes(original)

    # set-status as a coordinator runs it: the plan was read before (its cache entry is warm),
    # the edited text is new (a new note each run). Also cold, with the cache off.
    warm_cache = {"WORKPLAN_CACHE_DIR": str(work / f"cache-set-{size}")}
    restore()
    run([*WORKPLAN, "status"], repo, warm_cache)
    warm, cold, validate = [], [], []
    for i in range(runs):
        setter = [
            *WORKPLAN,
            "set-status",
            target,
            "completed",
            "--on",
            "2024-12-01",
            "--by",
            "B",
            "--note",
            f"run {i} {time.time()}",
        ]
        restore()
        warm.append(run(setter, repo, warm_cache)[0])
        restore()
        cold.append(run(setter, repo, nocache)[0])
        restore()
        validate.append(run([*WORKPLAN, "validate"], repo, nocache)[0])
    report(f"{size} activities: set-status vs validate", warm, validate, 2.0)
    print(
        f"{'  set-status with the cache off':<58} {statistics.median(cold):7.3f} s "
        f"({ratio(cold, validate):4.2f}x)"
    )
    restore()
    _, peak = run([*WORKPLAN, "status"], repo, nocache)
    _, peak_validate = run([*WORKPLAN, "validate"], repo, nocache)
    print(
        f"{f'{size} activities: peak memory of status / validate':<58} {peak} MB / "
        f"{peak_validate} MB (target <= 300 MB)"
    )


def bench_schedule(runs: int, work: Path, size: int) -> None:
    """`status` (with its colour columns) and `due` on a plan whose every activity has dates."""
    repo = make_repo(work / f"dated-{size}", size, dates=True)
    cache_dir = work / f"cache-dated-{size}"
    cache = {"WORKPLAN_CACHE_DIR": str(cache_dir)}
    as_of = ["--as-of", "2024-06-15"]
    for name, args in (("status", ["status", *as_of]), ("due", ["due", *as_of])):
        firsts, seconds = [], []
        for _ in range(runs):
            shutil.rmtree(cache_dir, ignore_errors=True)
            firsts.append(run([*WORKPLAN, *args], repo, cache)[0])
            seconds.append(run([*WORKPLAN, *args], repo, cache)[0])
        report(f"{size} dated activities: {name}, second run vs first", seconds, firsts, 0.3)
    due, status = compare(
        runs, repo, [*WORKPLAN, "due", *as_of], [*WORKPLAN, "status", *as_of], cache, cache
    )
    print(
        f"{f'{size} dated activities: due vs status, warm':<58} {statistics.median(due):7.3f} s "
        f"({ratio(due, status):4.2f}x)"
    )
    nocache = {"WORKPLAN_NO_CACHE": "1"}
    peaks = [run([*WORKPLAN, cmd, *as_of], repo, nocache)[1] for cmd in ("status", "due")]
    print(
        f"{f'{size} dated activities: peak memory of status / due':<58} {peaks[0]} MB / "
        f"{peaks[1]} MB (target <= 300 MB)"
    )


def reworded_revision(repo: Path) -> Path:
    """Writes data/workplan-2025.yaml: every activity renumbered (a.t.i becomes a.t.i+1000)
    and its text reworded (one word added); returns its path."""
    text = (repo / "data" / "workplan-2024.yaml").read_text(encoding="utf-8")
    text = re.sub(r'(- id: "\d+\.\d+\.)(\d+)"', lambda m: f'{m[1]}{int(m[2]) + 1000}"', text)
    text = re.sub(r"(            text: >-\n              )(\S+)", r"\1\2 revised", text)
    path = repo / "data" / "workplan-2025.yaml"
    path.write_text(text.replace('version: "2024"', 'version: "2025"'), encoding="utf-8")
    return path


def bench_diff(runs: int, work: Path, size: int) -> None:
    repo = make_repo(work / f"diff-{size}", size)
    reworded_revision(repo)
    nocache = {"WORKPLAN_NO_CACHE": "1"}
    times = [run([*WORKPLAN, "diff", "2024", "2025"], repo, nocache)[0] for _ in range(runs)]
    validate = [run([*WORKPLAN, "validate"], repo, nocache)[0] for _ in range(runs)]
    report(f"{size} activities renumbered+reworded: diff vs validate", times, validate, 3.0)


def bench_log(runs: int, work: Path, commits: int) -> None:
    repo = work / f"history-{commits}"
    make_history(repo, commits)
    nocache = {"WORKPLAN_NO_CACHE": "1"}
    validate = statistics.median(
        run([*WORKPLAN, "validate"], repo, nocache)[0] for _ in range(runs)
    )
    log = [*WORKPLAN, "log", "1.3.2"]
    cold, warm = [], []
    for i in range(max(3, runs // 2)):
        cache = {"WORKPLAN_CACHE_DIR": str(work / f"cache-log-{i}")}
        cold.append(run(log, repo, cache)[0])
        warm.append(run(log, repo, cache)[0])
    report(
        f"log over {commits} commits, cold vs {commits} x validate",
        cold,
        [commits * validate] * len(cold),
        1.5,
    )
    print(
        f"{f'log over {commits} commits, warm (second run)':<58} "
        f"{statistics.median(warm):7.3f} s (target <= 1 s) "
        f"{'ok' if statistics.median(warm) <= 1 else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--diff-sizes", default="500,10000")
    parser.add_argument("--indicators", type=int, default=0, help="size: indicators per objective")
    parser.add_argument("--pdf-size", type=int, default=2000)
    parser.add_argument(  # pdf (minutes) only when asked: --only pdf
        "--only", nargs="*", default=["startup", "size", "schedule", "diff", "log", "hostile"]
    )
    args = parser.parse_args()
    # The package's bytecode first, as pip leaves it at install: with PYTHONDONTWRITEBYTECODE=1
    # (set on some machines) every run would otherwise compile the whole package again, and the
    # start-up figures would measure the compiler (status on the shipped data: 1.15x against
    # 1.03x of 5aedd58's with bytecode, measured for issue 14).
    compileall.compile_dir(ROOT / "workplan_cli", quiet=1)
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.2f}, {time.strftime('%Y-%m-%d %H:%M')}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "startup" in args.only:
            bench_startup(args.runs, work)
        if "size" in args.only:
            for size in (int(s) for s in args.sizes.split(",")):
                bench_size(args.runs, work, size, args.indicators)
        if "schedule" in args.only:
            for size in (int(s) for s in args.sizes.split(",")):
                bench_schedule(args.runs, work, size)
        if "diff" in args.only:
            for size in (int(s) for s in args.diff_sizes.split(",")):
                bench_diff(args.runs, work, size)
        if "log" in args.only:
            bench_log(args.runs, work, args.commits)
        if "hostile" in args.only:
            bench_hostile(work)  # benchmarks/hostile.py: the hostile-input bounds
        if "pdf" in args.only:
            # benchmarks/pdf.py: WeasyPrint, Chromium and bare Chromium side by side (slow:
            # about 2 minutes a run on 2 cores); at most 5 runs unless --runs says fewer
            bench_pdf(min(args.runs, 5), work, args.pdf_size, WORKPLAN)


if __name__ == "__main__":
    main()
