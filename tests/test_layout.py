"""Tests mirror the modules: every core module has a test file of its own.

The rule: the core module `workplan_cli/<package>/<module>.py` (and `fileio.py`, `errors.py`, `fast.py`)
is tested in `tests/test_<module>.py`, or in the file that `ELSEWHERE` names for it
when the module's own name would be unclear or is taken (CONTRIBUTING.md, Tests). The CLI
modules (`cli/`) are tested by running the commands, in the files of CONTRIBUTING.md's table.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workplan_cli"
TESTS = ROOT / "tests"

# Modules whose tests live under another name: a name that says what is tested where the
# module's own is generic (status, plans, setup) or is used by another test file (reading).
ELSEWHERE = {
    "output/iatiresults.py": "test_export_iati.py",
    "diff/plans.py": "test_diff.py",
    "edit/rows.py": "test_importing.py",  # the rows read back, through `workplan import`
    "edit/schedule.py": "test_schedule_edit.py",  # plan/schedule.py is test_schedule.py
    "edit/status.py": "test_edit.py",
    "git/setup.py": "test_gitsetup.py",
    "output/exports.py": "test_export.py",
    "output/iati.py": "test_export_iati.py",
    "output/ics.py": "test_export_ics.py",
    "output/inert.py": "test_terminal.py",
    "plan/schemas.py": "test_schema.py",
    "plan/spec.py": "test_fields.py",  # the declarations, tested through the walks over them
    "yamlio/editing.py": "test_yamlio_splice.py",
    "yamlio/item.py": "test_yamlio_splice.py",  # the item splice agrees with the whole-file one
    # parsing (YAML 1.2 rules, limits, places) through load; test_reading.py tests the bounded
    # reads of fileio and gitio
    "yamlio/reading.py": "test_load.py",
}


# Test files that reach their module another way than by importing it.
INDIRECT = {
    "git/review.py": "test_review.py runs `workplan review` on real git histories",
    "yamlio/editing.py": "through the workplan_cli.yamlio package, which re-exports it",
}


def core_modules() -> list[str]:
    """The core modules, relative to the package: everything but cli/ and the __init__ files."""
    return sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py")
        and path.relative_to(PACKAGE).parts[0] != "cli"
    )


def file_of(module: str) -> str:
    return ELSEWHERE.get(module, f"test_{Path(module).stem}.py")


def test_every_core_module_has_its_test_file():
    missing = [
        f"{m} -> tests/{file_of(m)}" for m in core_modules() if not (TESTS / file_of(m)).is_file()
    ]
    assert missing == [], "write these test files (or name one in ELSEWHERE):\n" + "\n".join(
        missing
    )


def test_a_module_name_used_twice_is_mapped():
    # test_<module>.py must name one module: a second module of the same name needs ELSEWHERE
    stems = Counter(Path(m).stem for m in core_modules())
    unmapped = [m for m in core_modules() if stems[Path(m).stem] > 1 and m not in ELSEWHERE]
    assert len({file_of(m) for m in unmapped}) == len(unmapped), unmapped


def test_every_mapping_names_a_module_and_a_test_file_that_exist():
    modules = set(core_modules())
    assert [m for m in ELSEWHERE if m not in modules] == []
    assert [f for f in ELSEWHERE.values() if not (TESTS / f).is_file()] == []


def test_the_test_files_import_what_they_test():
    # a file is this module's test only if it reaches the module (directly or as a package name)
    unrelated = []
    for module in core_modules():
        text = (TESTS / file_of(module)).read_text(encoding="utf-8")
        dotted = "workplan_cli." + module.removesuffix(".py").replace("/", ".")
        package, _, name = dotted.rpartition(".")
        reaches = dotted in text or (f"from {package} import" in text and name in text)
        if not reaches and module not in INDIRECT:
            unrelated.append(module)
    assert unrelated == []


def test_slow_is_a_registered_marker_and_runs_by_default(pytestconfig):
    # --strict-markers refuses an unregistered (mistyped) marker; the default run selects all
    markers = pytestconfig.getini("markers")
    assert any(m.startswith("slow:") for m in markers)
    assert "--strict-markers" in pytestconfig.getini("addopts")
    assert "not slow" not in " ".join(pytestconfig.getini("addopts"))
