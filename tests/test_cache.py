"""The cache of validated models: used only for the same bytes, never when stale or corrupt."""

from __future__ import annotations

import json
import os
import time

import pytest

from tests.conftest import DATA, STAKEHOLDER_IDS
from workplan_cli.errors import InvalidFileError
from workplan_cli.plan import cache, load, store
from workplan_cli.plan.fields import to_plain
from workplan_cli.plan.model import Plan
from workplan_cli.plan.snapshot import from_plain

PLAN = (DATA / "workplan-2024.yaml").read_bytes()
IDS = STAKEHOLDER_IDS
HISTORY = PLAN.replace(
    b"            status: planned\n            lead: [micde, bmdv]\n            stakeholders: [giz, students]\n            history: []",
    b"            status: completed\n            lead: [micde, bmdv]\n            stakeholders: [giz, students]\n"
    b"            start: 2024-10-01\n"
    b"            history:\n              - {date: 2024-10-12, from: planned, to: completed, note: 'x: y', evidence: [a]}",
    1,
)


def entries() -> list:
    return sorted(cache.cache_dir().rglob("*.json"))


def fresh_process(monkeypatch):
    monkeypatch.setattr(cache, "_memory", {})


@pytest.mark.parametrize("data", [PLAN, HISTORY], ids=["shipped", "with-history"])
def test_snapshot_round_trip_is_exact(data):
    plan = load.parse_plan(data, "p.yaml", IDS)
    assert from_plain(Plan, json.loads(json.dumps(to_plain(plan)))) == plan


def _damaged(change) -> dict:
    plain = to_plain(load.parse_plan(HISTORY, "p.yaml", IDS))
    change(plain["areas"][0]["topics"][2]["activities"][1])  # 1.3.2, with a history entry
    return plain


@pytest.mark.parametrize(
    "change",
    [
        lambda a: a.update(title=42),  # text
        lambda a: a.update(lead=["micde", 7]),  # a list of text
        lambda a: a.update(lead="micde"),
        lambda a: a.update(status="done"),  # an enum
        lambda a: a.update(start="12 May"),  # a date
        lambda a: a.update(history=[{"to": "completed"}]),  # a model missing a field
        lambda a: a.update(history="none"),
        lambda a: a.update(colour="red"),  # a field the model lacks
    ],
    ids=["text", "text-list", "not-a-list", "enum", "date", "missing", "list", "unknown"],
)
def test_from_plain_refuses_what_to_plain_never_writes(change):
    assert from_plain(Plan, _damaged(lambda a: None)) == load.parse_plan(HISTORY, "p.yaml", IDS)
    with pytest.raises((TypeError, ValueError, KeyError)):
        from_plain(Plan, _damaged(change))


def test_second_read_comes_from_the_cache(monkeypatch):
    first = store.parse_plan(HISTORY, "p.yaml", IDS)
    assert len(entries()) == 1
    fresh_process(monkeypatch)
    monkeypatch.setattr(load, "parse_plan", lambda *a: pytest.fail("parsed again"))
    assert store.parse_plan(HISTORY, "p.yaml", IDS) == first


def test_changed_bytes_are_parsed_again(monkeypatch):
    store.parse_plan(PLAN, "p.yaml", IDS)
    fresh_process(monkeypatch)
    changed = store.parse_plan(HISTORY, "p.yaml", IDS)
    assert changed.find("1.3.2").activity.status.value == "completed"
    assert len(entries()) == 2


def test_references_are_checked_again_when_stakeholders_change(monkeypatch):
    store.parse_plan(PLAN, "p.yaml", IDS)
    fresh_process(monkeypatch)
    with pytest.raises(InvalidFileError, match="unknown stakeholder 'igf'"):
        store.parse_plan(PLAN, "p.yaml", IDS - {"igf"})


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # cut short
        lambda raw: raw.replace(b'"completed"', b'"cancelled"', 1),  # payload changed
        lambda raw: b"not json\n" + raw.partition(b"\n")[2],  # header broken
        lambda raw: b"",
    ],
    ids=["truncated", "tampered", "bad-header", "empty"],
)
def test_corrupt_entries_are_never_used(monkeypatch, damage):
    store.parse_plan(HISTORY, "p.yaml", IDS)
    [entry] = entries()
    entry.write_bytes(damage(entry.read_bytes()))
    fresh_process(monkeypatch)
    plan = store.parse_plan(HISTORY, "p.yaml", IDS)
    assert plan.find("1.3.2").activity.status.value == "completed"
    assert plan == load.parse_plan(HISTORY, "p.yaml", IDS)
    # and the entry was written anew
    fresh_process(monkeypatch)
    monkeypatch.setattr(load, "parse_plan", lambda *a: pytest.fail("parsed again"))
    assert store.parse_plan(HISTORY, "p.yaml", IDS) == plan


def test_a_foreign_entry_is_not_used(monkeypatch):
    store.parse_plan(PLAN, "p.yaml", IDS)
    [entry] = entries()
    other = cache.key_of("plan", HISTORY, IDS)
    target = entry.parent.parent / other[:2] / f"{other}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(entry.read_bytes())  # the 2024 plan's entry under the other file's key
    fresh_process(monkeypatch)
    plan = store.parse_plan(HISTORY, "p.yaml", IDS)
    assert plan.find("1.3.2").activity.status.value == "completed"


def test_invalid_files_are_not_cached():
    with pytest.raises(InvalidFileError):
        store.parse_plan(PLAN.replace(b"kind: workshop", b"kind: meeting"), "p.yaml", IDS)
    assert entries() == []


def test_cache_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("WORKPLAN_NO_CACHE", "1")
    assert cache.cache_dir() is None
    store.parse_plan(PLAN, "p.yaml", IDS)
    monkeypatch.delenv("WORKPLAN_NO_CACHE")
    assert entries() == []


def test_unwritable_cache_only_costs_time(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("WORKPLAN_CACHE_DIR", str(blocker / "cache"))
    assert store.parse_plan(PLAN, "p.yaml", IDS).version == "2024"


# --- Pruning: the folder stays small -------------------------------------------------------------

DAY = 24 * 3600


def _entry(folder, name: str, size: int, used: float, fmt: int = cache.FORMAT):
    path = folder / f"v{fmt}" / name[:2] / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    os.utime(path, (used, used))
    return path


def test_prune_drops_unused_entries_then_the_least_recently_used(monkeypatch, tmp_path):
    monkeypatch.setattr(cache, "MAX_BYTES", 250)
    now = 1_000 * DAY
    fresh = _entry(tmp_path, "aa1", 100, now - 1)
    recent = _entry(tmp_path, "bb2", 100, now - 2 * DAY)
    older = _entry(tmp_path, "cc3", 100, now - 3 * DAY)  # past the 250 bytes
    unused = _entry(tmp_path, "dd4", 10, now - 31 * DAY)
    other_format = _entry(tmp_path, "ee5", 10, now, fmt=cache.FORMAT - 1)
    cache._prune(tmp_path, now)
    assert fresh.exists() and recent.exists()
    assert not older.exists() and not unused.exists()
    assert not other_format.parent.parent.exists()


def test_prune_looks_at_most_once_a_day(tmp_path):
    now = 1_000 * DAY
    cache._prune(tmp_path, now)
    unused = _entry(tmp_path, "dd4", 10, now - 40 * DAY)
    cache._prune(tmp_path, now + DAY - 1)
    assert unused.exists()
    cache._prune(tmp_path, now + DAY + 1)
    assert not unused.exists()


def test_a_read_marks_an_entry_used(monkeypatch):
    store.parse_plan(PLAN, "p.yaml", IDS)
    [entry] = entries()
    os.utime(entry, (1, 1))
    fresh_process(monkeypatch)
    store.parse_plan(PLAN, "p.yaml", IDS)
    assert time.time() - entry.stat().st_mtime < 60


def test_a_write_prunes_the_folder(monkeypatch):
    folder = cache.cache_dir()
    unused = _entry(folder, "dd4", 10, time.time() - 40 * DAY)
    store.parse_plan(PLAN, "p.yaml", IDS)
    assert not unused.exists()
    assert len(entries()) == 1
