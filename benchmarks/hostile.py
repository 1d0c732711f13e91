"""The hostile-input figures: wall time and peak memory of `validate` and `set-status --dry-run`
on each generated nasty file of tests/test_hostile.py, and of `import --dry-run` on each hostile
workbook and CSV file of tests/hostile_books.py, against the bounds that docs/security.md
promises (10 s and 200 MB on a loaded two-core machine).

    python benchmarks/hostile.py            (or: python benchmarks/run.py --only hostile)

The test checks what each run does (exit 1, the message, no file touched); this prints how long
it took and how much memory it used. Needs the test extra (`pip install -e '.[test]'`): the cases
are built by the test module.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS, PEAK_MB = 10, 200


def bench_hostile(work: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.hostile import measure
    from tests.test_hostile import GENERATED

    for name in sorted(GENERATED):
        data = GENERATED[name][0]
        repo = work / f"hostile-{name}" / "plans"
        shutil.copytree(ROOT / "data", repo / "data")
        (repo / "data" / "workplan-2024.yaml").write_bytes(data)
        for args in (["validate"], ["set-status", "1.1.1", "completed", "--dry-run"]):
            got = measure(repo, *args, cache=work / f"cache-hostile-{name}")
            verdict = "ok" if got.seconds <= SECONDS and got.peak_mb <= PEAK_MB else "MISSED"
            print(
                f"{f'hostile {name}: {args[0]}':<58} {got.seconds:7.3f} s {got.peak_mb:5.0f} MB "
                f"exit {got.code} (target <= {SECONDS} s, <= {PEAK_MB} MB) {verdict}",
                flush=True,
            )


def bench_hostile_imports(work: Path) -> None:
    """`import FILE --dry-run` of each hostile workbook and CSV file (tests/hostile_books.py)."""
    sys.path.insert(0, str(ROOT))
    from tests.hostile import measure
    from tests.hostile_books import generated

    repo = work / "hostile-imports" / "plans"
    shutil.copytree(ROOT / "data", repo / "data")
    for name, (file, data, _) in sorted(generated().items()):
        (repo / file).write_bytes(data)
        got = measure(repo, "import", file, "--dry-run", cache=work / "cache-hostile-imports")
        verdict = "ok" if got.seconds <= SECONDS and got.peak_mb <= PEAK_MB else "MISSED"
        print(
            f"{f'hostile import {name}':<58} {got.seconds:7.3f} s {got.peak_mb:5.0f} MB "
            f"exit {got.code} (target <= {SECONDS} s, <= {PEAK_MB} MB) {verdict}",
            flush=True,
        )


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        bench_hostile(Path(tmp))
        bench_hostile_imports(Path(tmp))
