"""Models are built with the cycle collector paused (see gcpause.py), and it is left as it was."""

from __future__ import annotations

import gc
import sys

import pytest

from tests.conftest import DATA, STAKEHOLDER_IDS
from workplan_cli import yamlio
from workplan_cli.gcpause import paused_gc
from workplan_cli.plan import cache, load, store
from workplan_cli.yamlio import reading

PLAN = (DATA / "workplan-2024.yaml").read_bytes()


# The functions that build models; each is decorated with paused_gc().
BUILDERS = [reading.parse, reading._compose, load.parse_plan, load.parse_stakeholders, cache._read]
CODE = {f.__wrapped__.__code__: f.__qualname__ for f in BUILDERS}


@pytest.fixture
def collections():
    """Lists the builders inside which the collector ran, while it runs after every 10 new
    objects."""
    runs: list[str] = []

    def count(phase: str, info: dict) -> None:
        frame = sys._getframe(1)
        while frame and phase == "start":
            if frame.f_code in CODE:
                runs.append(CODE[frame.f_code])
                return
            frame = frame.f_back

    threshold = gc.get_threshold()
    gc.set_threshold(10)
    gc.callbacks.append(count)
    yield runs
    gc.callbacks.remove(count)
    gc.set_threshold(*threshold)


def test_the_counter_sees_a_builder_that_does_not_pause(collections):
    reading.parse.__wrapped__(PLAN.decode())
    assert "parse" in collections


def from_the_cache() -> None:
    store.parse_plan(PLAN, "p.yaml", STAKEHOLDER_IDS)  # written to the cache on the first call
    cache._memory.clear()
    store.parse_plan(PLAN, "p.yaml", STAKEHOLDER_IDS)


@pytest.mark.parametrize(
    "build",
    [
        lambda: yamlio.parse(PLAN.decode()),
        lambda: yamlio.Locator(PLAN.decode()),
        lambda: load.parse_plan(PLAN, "p.yaml", STAKEHOLDER_IDS),
        from_the_cache,
    ],
    ids=["parse", "compose", "validate", "cache"],
)
def test_no_collection_while_a_model_is_built(collections, build):
    build()  # imports, pydantic's validator and the cache entry are made once a process
    cache._memory.clear()
    collections.clear()
    build()
    assert collections == []
    assert gc.isenabled()


def test_the_collector_is_back_on_after_an_error():
    with pytest.raises(yamlio.YamlSyntaxError):
        yamlio.parse("a: [")
    assert gc.isenabled()


def test_a_collector_switched_off_elsewhere_stays_off():
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
