"""The garbage-collector policy is set in one place, the command's entry point (cli.main): a run
of the command goes without the cycle collector; library use of the core keeps Python's
default, and main leaves the collector as it found it."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref

import pytest

import workplan_cli.cli as cli
from tests.conftest import DATA, STAKEHOLDER_IDS
from workplan_cli import yamlio
from workplan_cli.plan import cache, load, store
from workplan_cli.yamlio import reading

PLAN = (DATA / "workplan-2024.yaml").read_bytes()


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()  # main freezes every live object at exit; the test process goes on


def test_a_run_of_the_command_goes_without_the_collector(repo):
    code = (
        "import gc, sys; from workplan_cli.cli import main\n"
        "runs = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and runs.append(info))\n"
        "gc.set_threshold(10)\n"  # without the policy, it would run every 10 new objects
        "sys.argv = ['workplan', 'validate']\n"
        "try:\n    main()\n"
        "except SystemExit as e:\n    print(e.code, len(runs), gc.isenabled(), gc.get_threshold())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=repo
    )
    assert done.stdout.splitlines()[-1] == "0 0 True (10, 10, 10)", done.stderr


@pytest.mark.usefixtures("unfrozen")
@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("ends", [None, SystemExit(1), KeyboardInterrupt()])
def test_main_leaves_the_collector_as_it_found_it(monkeypatch, ends, enabled):
    seen = []

    def app(**kwargs):
        seen.append(gc.isenabled())
        if ends:
            raise ends

    monkeypatch.setattr(cli, "app", app)
    before = gc.get_threshold()
    if not enabled:
        gc.disable()
    try:
        with pytest.raises(type(ends)) if ends else _nothing():
            cli.main()
        assert seen == [False]
        assert gc.isenabled() is enabled
        assert gc.get_threshold() == before
    finally:
        gc.enable()


def test_a_parse_lets_its_text_go_at_once():
    """ruamel's loader refers to itself, so whatever it holds stays until the cycle collector
    runs, which a command never does: the YAML text must not be among it."""

    class Text(str):
        pass  # a str that weak references can point to

    for read in (yamlio.parse, reading._compose, reading._first_alias):
        text = Text("a: &x [1]\nb: *x\n" if read is reading._first_alias else "a: [1, 2]\n")
        gone = weakref.ref(text)
        gc.disable()
        try:
            read(text)
            del text
            assert gone() is None, read.__name__
        finally:
            gc.enable()


def from_the_cache() -> None:
    store.parse_plan(PLAN, "p.yaml", STAKEHOLDER_IDS)  # written to the cache on the first call
    cache._memory.clear()
    store.parse_plan(PLAN, "p.yaml", STAKEHOLDER_IDS)


@pytest.mark.parametrize(
    "build",
    [
        lambda: yamlio.parse(PLAN.decode()),
        lambda: load.parse_plan(PLAN, "p.yaml", STAKEHOLDER_IDS),
        from_the_cache,
    ],
    ids=["parse", "validate", "cache"],
)
def test_library_use_of_the_core_keeps_the_default(monkeypatch, build):
    seen = []
    for module, name in [(reading, "_construct"), (load, "_validate"), (cache, "from_plain")]:
        real = getattr(module, name)
        monkeypatch.setattr(
            module, name, lambda *a, real=real: seen.append(gc.isenabled()) or real(*a)
        )
    build()
    assert seen and all(seen)  # nothing in the core pauses the collector
    assert gc.isenabled()


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
