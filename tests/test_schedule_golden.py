"""`schedule` changes only the planned dates: whole files, byte for byte.

Each folder under tests/golden/schedule/ is named after a hand-edited variant under
tests/golden/set_status/ and holds command.txt (one `workplan ...` command a line, run in order
on that variant's before.yaml) and after.yaml. `UPDATE_GOLDEN=1 pytest` rewrites after.yaml;
the committed files are the checked truth.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
from pathlib import Path

import pytest

from workplan_cli.plan.store import find_repo

GOLDEN = Path(__file__).parent / "golden" / "schedule"
VARIANTS = Path(__file__).parent / "golden" / "set_status"
CASES = sorted(p for p in GOLDEN.iterdir() if p.is_dir())
# The only lines of the old file that a date change may touch.
TOUCHABLE = re.compile(r" *(start|end): .*")


def test_every_hand_edited_variant_has_a_case():
    assert [c.name for c in CASES] == sorted(p.name for p in VARIANTS.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden(case: Path, repo: Path, cli):
    plan = repo / "data" / "workplan-2024.yaml"
    for other in (repo / "data").glob("workplan-*.yaml"):
        if other != plan:
            other.unlink()  # the variants are drafts: the only plan is the current one
    before = (VARIANTS / case.name / "before.yaml").read_bytes()
    plan.write_bytes(before)
    for line in (case / "command.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            cli(*shlex.split(line))
    after = plan.read_bytes()
    if os.environ.get("UPDATE_GOLDEN"):
        (case / "after.yaml").write_bytes(after)
    assert after == (case / "after.yaml").read_bytes()
    assert find_repo(repo).validate() == []
    # lines without their ends: a last line without one gains one when a line follows it
    old, new = ([line.rstrip(b"\r") for line in b.split(b"\n")] for b in (before, after))
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for line in old[i1:i2] + new[j1:j2] if tag != "equal" else []:
            text = line.decode("utf-8-sig").rstrip("\r")
            assert TOUCHABLE.fullmatch(text), text
    assert after.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
    assert (b"\r\n" in after) == (b"\r\n" in before)
    assert after.count(b"\n") - after.count(b"\r\n") in (0, after.count(b"\n"))
