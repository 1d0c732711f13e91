"""The spreadsheet figures: `export --format xlsx` and `import` of a synthetic plan, each against
`validate` of the same plan (run side by side, pairs alternating; see run.py), and peak memory.

    python benchmarks/xlsx.py [--size 2000] [--runs 5] [--changes 200] [--indicators 3]

The import reads back the exported workbook with `--changes` rows changed as a partner would
(a new status and a note; every other one a planned end moved too) and, with `--indicators N`
(N indicators per objective, so an Indicators sheet), up to `--changes` new actuals, as a dry run
and for real (the plan restored after each run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_plan import make_repo  # noqa: E402
from run import WORKPLAN, ratio, run  # noqa: E402


def fill(book: Path, out: Path, changes: int) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(book)
    ws = wb["Activities"]
    header = {c.value: c.column for c in ws[1]}
    step = max((ws.max_row - 1) // changes, 1)
    for n, row in enumerate(range(2, ws.max_row + 1, step)):
        if n == changes:
            break
        current = ws.cell(row=row, column=header["Status"]).value
        new = "completed" if current != "completed" else "postponed"
        if current in ("completed", "cancelled"):
            new = current  # reopening is refused: a note alone
        ws.cell(row=row, column=header["Status"]).value = new
        ws.cell(row=row, column=header["Update: Note"]).value = f"Benchmark update {n}"
        ws.cell(row=row, column=header["Update: Date"]).value = "2024-12-01"
        if n % 2:
            ws.cell(row=row, column=header["End"]).value = "2024-12-20"
    if "Indicators" in wb.sheetnames:
        ws = wb["Indicators"]
        header = {c.value: c.column for c in ws[1]}
        for n, row in enumerate(range(2, min(ws.max_row, changes + 1) + 1)):
            measure = ws.cell(row=row, column=header["Measure"]).value
            value = "Benchmark narrative" if measure == "qualitative" else 30
            for label, cell in (("Period", "2024"), ("Value", value), ("Date", "2024-12-01")):
                ws.cell(row=row, column=header["New actual: " + label]).value = cell
            ws.cell(row=row, column=header["New actual: Note"]).value = f"Benchmark {n}"
    wb.save(out)


def bench_xlsx(runs: int, work: Path, size: int, changes: int, indicators: int) -> None:
    repo = make_repo(work / f"plan-{size}", size, dates=True, indicators=indicators)
    plan = repo / "data" / "workplan-2024.yaml"
    original = plan.read_bytes()
    env = {"WORKPLAN_CACHE_DIR": str(work / "cache")}
    run([*WORKPLAN, "status"], repo, env)  # the plan was read before: its cache entry is warm
    export = [*WORKPLAN, "export", "--format", "xlsx", "-o", "plan.xlsx", "--as-of", "2024-10-01"]
    validate = [*WORKPLAN, "validate"]
    times, bases, peaks = [], [], []
    for _ in range(runs):
        seconds, peak = run(export, repo, env)
        times.append(seconds)
        peaks.append(peak)
        bases.append(run(validate, repo, env)[0])
    kb = (repo / "plan.xlsx").stat().st_size // 1024
    what = f"{size} activities, {indicators}/objective indicators"
    _print(f"{what}: export --format xlsx ({kb} kB) vs validate", times, bases, max(peaks))
    fill(repo / "plan.xlsx", repo / "filled.xlsx", changes)
    for label, args in (
        ("import --dry-run", ["import", "filled.xlsx", "--dry-run", "--by", "B"]),
        ("import", ["import", "filled.xlsx", "--by", "B"]),
    ):
        times, bases, peaks = [], [], []
        for _ in range(runs):
            plan.write_bytes(original)
            seconds, peak = run([*WORKPLAN, *args], repo, env)
            times.append(seconds)
            peaks.append(peak)
            plan.write_bytes(original)
            bases.append(run(validate, repo, env)[0])
        name = f"{what}: {label} ({changes} rows a sheet) vs validate"
        _print(name, times, bases, max(peaks))
    plan.write_bytes(original)


def _print(name: str, times: list[float], bases: list[float], peak: int) -> None:
    print(
        f"{name:<66} {statistics.median(times):7.3f} s ({ratio(times, bases):4.2f}x), "
        f"peak {peak} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--indicators", type=int, default=0, help="indicators per objective")
    args = parser.parse_args()
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.2f}, {time.strftime('%Y-%m-%d %H:%M')}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        bench_xlsx(args.runs, Path(tmp), args.size, args.changes, args.indicators)


if __name__ == "__main__":
    main()
