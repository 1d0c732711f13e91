"""The pdf of a large plan, side by side: WeasyPrint, Chromium through workplan, bare Chromium.

    python benchmarks/run.py --only pdf [--pdf-size 2000] [--runs 5]

Four commands on the same synthetic plan, run in turn (one round a run, so that a round's
four share the speed of this shared machine): `workplan report -f pdf --engine weasyprint`,
`workplan report -f pdf --engine chromium`, the same printed whole instead of in parts
(`WORKPLAN_PDF_PART_ACTIVITIES` larger than the plan: what printing in parts buys), and
headless Chromium printing the html that `workplan report -f html` wrote of the same plan (the
reference of the issue: what a browser does with the same html). Each prints medians of
seconds and of two peaks of memory: the largest resident set of one process (what the kernel
reports for the waited-for tree, as the other benchmarks do) and the largest sum of the
proportional sets of the whole process tree, sampled every 20 ms (Chromium runs several
processes). Ratios are medians of the rounds' ratios to bare Chromium; each row says which of
the targets (time, the largest process, all processes) it meets.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_plan import make_repo

# The figure must be at most this many seconds per second of bare Chromium, and this many MB.
TIME_TARGET = 1.0
MEMORY_TARGET = 400


def _tree_pss(root: int) -> int:
    """Returns the summed proportional set in kB of `root` and all its descendants, from /proc.

    (The proportional set counts a page shared by n processes as 1/n in each: summing resident
    sets would count Chromium's shared libraries and forked memory once per process.)
    """
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for pid in tree - {os.getpid()}:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total


def measure(cmd: list[str], cwd: Path) -> tuple[float, float, int, int]:
    """Returns (seconds, CPU seconds, largest process in MB, largest sum over the tree in MB).

    The CPU time (user and system, of every process of the tree) is what the work costs
    whatever else the machine does; the seconds are what a user waits.
    """
    # This process adopts the command's orphans (Chromium's processes may outlive their
    # parent) and waits for them, so that their CPU time and memory count in RUSAGE_CHILDREN.
    import ctypes

    ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    started = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_tree = 0
    while child.poll() is None:
        peak_tree = max(peak_tree, _tree_pss(os.getpid()))
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    while True:  # the orphans
        try:
            os.wait()
        except ChildProcessError:
            break
    stderr = child.stderr.read() if child.stderr else b""
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{stderr.decode()[-3000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, peak_tree // 1024


def bench_pdf(runs: int, work: Path, size: int, workplan: list[str]) -> None:
    chromium = shutil.which("chromium") or shutil.which("google-chrome")
    if chromium is None:
        print(f"{size} activities, pdf: chromium is not installed; skipped")
        return
    repo = make_repo(work / f"pdf-{size}", size)
    subprocess.run([*workplan, "report", "-f", "html", "-o", "report.html"], cwd=repo, check=True)
    profile = work / f"pdf-profile-{size}"
    bare = [
        chromium,
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={repo / 'bare.pdf'}",
        (repo / "report.html").as_uri(),
    ]
    if os.geteuid() == 0:
        bare.insert(1, "--no-sandbox")
    commands = {
        "workplan report -f pdf --engine weasyprint": [
            *workplan,
            *("report", "-f", "pdf", "--engine", "weasyprint", "-o", "w.pdf"),
        ],
        "workplan report -f pdf --engine chromium": [
            *workplan,
            *("report", "-f", "pdf", "--engine", "chromium", "-o", "c.pdf"),
        ],
        "  the same, printed whole (not in parts)": [
            "env",
            f"WORKPLAN_PDF_PART_ACTIVITIES={size + 1}",
            *workplan,
            *("report", "-f", "pdf", "--engine", "chromium", "-o", "c1.pdf"),
        ],
        "chromium --headless --print-to-pdf (the same html)": bare,
    }
    # Each measurement runs in a fresh process so that RUSAGE_CHILDREN's maximum is its own.
    results: dict[str, list[tuple[float, float, int, int]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            results[name].append(_isolated(cmd, repo))
    bases = [f[0] for f in results["chromium --headless --print-to-pdf (the same html)"]]
    print(f"{size} activities, pdf (medians of {runs}; ratios of the seconds to bare Chromium):")
    for name, figures in results.items():
        seconds, cpu, largest, tree = (statistics.median(f[i] for f in figures) for i in range(4))
        r = statistics.median(f[0] / b for f, b in zip(figures, bases, strict=True))
        verdicts = [
            f"{what} {'ok' if ok else 'MISSED'}"
            for what, ok in (
                ("time", r <= TIME_TARGET),
                ("largest", largest <= MEMORY_TARGET),
                ("all", tree <= MEMORY_TARGET),
            )
        ]
        print(
            f"  {name:<52} {seconds:6.1f} s = {r:4.2f}x, CPU {cpu:5.1f} s, {largest:4.0f} MB "
            f"largest process, {tree:4.0f} MB all (PSS) "
            f"(target <= {TIME_TARGET}x, <= {MEMORY_TARGET} MB: "
            f"{', '.join(verdicts)})",
            flush=True,
        )


def _isolated(cmd: list[str], cwd: Path) -> tuple[float, float, int, int]:
    """Runs `measure` in a child Python, whose RUSAGE_CHILDREN then holds only this command."""
    done = subprocess.run(
        [sys.executable, __file__, str(cwd), json.dumps(cmd)], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    seconds, cpu, largest, tree = json.loads(done.stdout)
    return seconds, cpu, largest, tree


if __name__ == "__main__":  # the child of _isolated: python pdf.py CWD JSON-COMMAND
    print(json.dumps(measure(json.loads(sys.argv[2]), Path(sys.argv[1]))))
