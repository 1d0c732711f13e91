"""`workplan record` adds only the new lines of an indicator's actuals: whole files, byte for
byte, on hand-edited variants of the fixture plan (tests/golden/results/plan.yaml).

Each folder under tests/golden/record/ holds before.yaml, command.txt (one `workplan ...`
command a line, run in order) and after.yaml. `UPDATE_GOLDEN=1 pytest` rewrites after.yaml;
the committed files are the checked truth.
"""

from __future__ import annotations

import difflib
import os
import shlex
from pathlib import Path

import pytest

from workplan_cli.plan.store import find_repo

GOLDEN = Path(__file__).parent / "golden" / "record"
CASES = sorted(p for p in GOLDEN.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden(case: Path, repo: Path, cli):
    plan = repo / "data" / "workplan-2024.yaml"
    for other in (repo / "data").glob("workplan-*.yaml"):
        if other != plan:
            other.unlink()
    before = (case / "before.yaml").read_bytes()
    plan.write_bytes(before)
    for line in (case / "command.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            cli(*shlex.split(line))
    after = plan.read_bytes()
    if os.environ.get("UPDATE_GOLDEN"):
        (case / "after.yaml").write_bytes(after)
    assert after == (case / "after.yaml").read_bytes()
    assert find_repo(repo).validate() == []
    # only lines are added: no line of the old file is removed or replaced
    old, new = before.split(b"\n"), after.split(b"\n")
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            assert all(
                line.strip(b"\r\xef\xbb\xbf") in (b"", b"            actuals: []")
                or b"actuals: [" in line
                for line in old[i1:i2]
            ), old[i1:i2]
    assert after.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
    assert (b"\r\n" in after) == (b"\r\n" in before)
