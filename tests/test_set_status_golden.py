"""set-status changes only the status value and adds history lines: whole files, byte for byte.

Each folder under tests/golden/set_status/ holds before.yaml, command.txt (one `workplan ...`
command a line, run in order) and after.yaml. `UPDATE_GOLDEN=1 pytest` rewrites after.yaml;
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

GOLDEN = Path(__file__).parent / "golden" / "set_status"
CASES = sorted(p for p in GOLDEN.iterdir() if p.is_dir())
# The only lines of the old file that an update may touch.
TOUCHABLE = re.compile(r".*\b(status|history): .*")


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden(case: Path, repo: Path, cli):
    plan = repo / "data" / "workplan-2024.yaml"
    for other in (repo / "data").glob("workplan-*.yaml"):
        if other != plan:
            other.unlink()  # the variants are drafts: the only plan is the current one
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
    _assert_only_intended_lines(before, after)


def _assert_only_intended_lines(before: bytes, after: bytes) -> None:
    """Removed or replaced lines must be status or history lines; everything else is kept."""
    old = before.split(b"\n")
    new = after.split(b"\n")
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            for line in old[i1:i2]:
                text = line.decode("utf-8-sig").rstrip("\r")
                assert TOUCHABLE.fullmatch(text) or text.strip() == "", text
    # a BOM and the line ending style are kept
    assert after.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
    assert (b"\r\n" in after) == (b"\r\n" in before)
    assert after.count(b"\n") - after.count(b"\r\n") in (0, after.count(b"\n"))
