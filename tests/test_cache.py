"""The cache of validated models: used only for the same bytes, never when stale or corrupt."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT, STAKEHOLDER_IDS
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
    target = entry.parent / f"{other}.json"
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


@pytest.mark.parametrize(
    "xdg, home",
    [
        (None, "/home/ann"),
        ("/var/cache/ann", "/home/ann"),
        ("/var/cache/ann/", "/home/ann/"),
        ("relative/cache", "/home/ann"),
        ("", "/"),
        (None, "relative-home"),
        (None, None),
    ],
)
def test_the_default_folder_is_platformdirs_user_cache_dir(monkeypatch, xdg, home):
    import platformdirs

    monkeypatch.delenv("WORKPLAN_CACHE_DIR")
    for name, value in (("XDG_CACHE_HOME", xdg), ("HOME", home)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    expected = Path(platformdirs.user_cache_dir("workplan", appauthor=False)) / "workplan-cache"
    assert cache.cache_dir() == expected


# --- Only the user's own entries are read ------------------------------------------------------


def _forged() -> Path:
    """Writes the entry of HISTORY as a forger would: right key, right checksum, other content
    (1.3.2 cancelled, not completed); returns its path."""
    store.parse_plan(HISTORY, "p.yaml", IDS)
    [entry] = entries()
    head, _, payload = entry.read_bytes().partition(b"\n")
    payload = payload.replace(b'"completed"', b'"cancelled"')
    header = json.loads(head)
    header["sha256"] = cache.hashlib.sha256(payload).hexdigest()
    entry.write_bytes(json.dumps(header).encode() + b"\n" + payload)
    return entry


def _status_of_1_3_2(monkeypatch) -> str:
    monkeypatch.setattr(cache, "_memory", {})
    return store.parse_plan(HISTORY, "p.yaml", IDS).find("1.3.2").activity.status.value


def test_a_forged_entry_of_the_user_s_own_is_read(monkeypatch):
    # the control for the tests below: only owner and mode tell a forgery apart
    _forged()
    assert _status_of_1_3_2(monkeypatch) == "cancelled"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_an_entry_of_another_user_is_not_read(monkeypatch):
    entry = _forged()
    os.chown(entry, 4242, 4242)
    assert _status_of_1_3_2(monkeypatch) == "completed"


@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602])
def test_an_entry_others_may_write_is_not_read(monkeypatch, mode):
    entry = _forged()
    entry.chmod(mode)
    assert _status_of_1_3_2(monkeypatch) == "completed"


def test_a_linked_entry_is_not_read(monkeypatch, tmp_path):
    entry = _forged()
    elsewhere = tmp_path / "planted.json"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert _status_of_1_3_2(monkeypatch) == "completed"
    assert entry.is_symlink() and elsewhere.exists()  # neither followed nor replaced


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o707])
def test_a_folder_others_may_write_is_not_used(monkeypatch, mode):
    entry = _forged()
    entry.parent.chmod(mode)
    before = sorted(p.name for p in entry.parent.iterdir())
    assert _status_of_1_3_2(monkeypatch) == "completed"
    assert sorted(p.name for p in entry.parent.iterdir()) == before  # nor written
    assert "writable by group or others" in cache.info().problem


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_a_folder_of_another_user_is_not_used(monkeypatch):
    entry = _forged()
    os.chown(entry.parent, 4242, 4242)
    assert _status_of_1_3_2(monkeypatch) == "completed"
    assert "owned by another user" in cache.info().problem


def test_a_folder_without_workplan_s_marker_is_not_used(monkeypatch):
    entry = _forged()
    (entry.parent / "CACHEDIR.TAG").unlink()
    assert _status_of_1_3_2(monkeypatch) == "completed"
    assert "CACHEDIR.TAG" in cache.info().problem


def test_the_folder_is_made_private_and_marked(monkeypatch):
    monkeypatch.setattr(os, "umask", os.umask)  # whatever the umask, the folder is 0700
    old = os.umask(0)
    try:
        store.parse_plan(PLAN, "p.yaml", IDS)
    finally:
        os.umask(old)
    folder = cache.cache_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert (
        (folder / "CACHEDIR.TAG")
        .read_bytes()
        .startswith(b"Signature: 8a477f597d28d172789f06886806bc55\n")
    )
    [entry] = entries()
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


# --- An entry never outlives the code that made it -----------------------------------------------


def _validate_with(package_root: Path, repo: Path, cache_root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workplan_cli", "validate"],
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(package_root), "WORKPLAN_CACHE_DIR": str(cache_root)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_changed_rule_is_applied_with_a_warm_cache(tmp_path, repo):
    copy = tmp_path / "copy"
    shutil.copytree(
        ROOT / "workplan_cli", copy / "workplan_cli", ignore=shutil.ignore_patterns("__pycache__")
    )
    folder = tmp_path / "cache"
    warm = _validate_with(copy, repo, folder)
    assert warm.returncode == 0 and "3 files valid." in warm.stdout, warm.stderr
    assert len(list((folder / "workplan-cache").glob("*.json"))) == 3
    checks = copy / "workplan_cli" / "plan" / "checks.py"
    rule = (
        '    findings.append(Finding(("plan", "title"), "a rule added after the cache was warm"))\n'
    )
    checks.write_text(
        checks.read_text().replace(
            "    findings += _check_ids(plan)\n", "    findings += _check_ids(plan)\n" + rule, 1
        )
    )
    assert rule in checks.read_text()
    done = _validate_with(copy, repo, folder)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "a rule added after the cache was warm" in done.stderr


def test_the_key_covers_the_libraries_that_parse_and_validate(monkeypatch):
    from importlib import metadata

    versions = cache.dependency_versions()
    assert versions == {
        name: metadata.version(name)
        for name in ("pydantic", "pydantic_core", "ruamel_yaml", "ruamel_yaml_clib")
    }
    before = cache.key_of("plan", PLAN, IDS)
    real = cache.dependency_versions
    monkeypatch.setattr(cache, "dependency_versions", lambda: {**versions, "pydantic": "9.9"})
    assert cache.key_of("plan", PLAN, IDS) != before
    monkeypatch.setattr(cache, "dependency_versions", real)
    assert cache.key_of("plan", PLAN, IDS) == before
    monkeypatch.setattr(cache.sys, "version", "3.99.0 (another build)")
    assert cache.key_of("plan", PLAN, IDS) != before


def test_the_key_covers_every_file_of_the_package(monkeypatch):
    before = cache.key_of("plan", PLAN, IDS)
    monkeypatch.setattr(cache, "code_digest", lambda: "0" * 64)
    assert cache.key_of("plan", PLAN, IDS) != before


# --- Nothing that workplan did not write is deleted ----------------------------------------------

NAME = "0" * 63  # + a digit: names shaped like workplan's entries
LONG_AGO = 1_000_000  # 1970: older than any rule of age


def _foreign(folder: Path, workplan_s: bool = False) -> dict[str, bytes]:
    """Fills `folder` with things that are not workplan's; returns their paths and bytes.
    In workplan's own folder (`workplan_s`) a file of the user's with an entry's name is an entry."""
    made = {
        "venv/bin/python": b"#!",
        "videos/v1.mp4": b"film",
        "vacation-photos/beach.jpg": b"sand",
        "v2/aa/" + "a" * 64 + ".json": b"{}",
        "v1/pruned": b"",
        ".tmp-notes": b"draft",
        f".tmp-{'b' * 64}": b"not quite workplan's name",
        "notes.json": b"{}",
        f"{NAME}1.json": b"{}",  # workplan's name, but not in workplan's folder
        "pruned": b"",
        "workplan-cache.json": b"{}",
    }
    if workplan_s:
        del made[f"{NAME}1.json"]
    for name, data in made.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for path in folder.rglob("*"):
        os.utime(path, (LONG_AGO, LONG_AGO), follow_symlinks=False)
    return made


def _unchanged(folder: Path, made: dict[str, bytes]) -> None:
    for name, data in made.items():
        assert (folder / name).read_bytes() == data, name


def test_nothing_foreign_is_deleted_from_the_folder_given(monkeypatch, tmp_path, repo, cli):
    given = tmp_path / "given"
    made = _foreign(given)
    monkeypatch.setenv("WORKPLAN_CACHE_DIR", str(given))
    monkeypatch.setattr(cache, "MAX_BYTES", 20_000)  # room for one plan: writes prune
    cli("status")
    cli("validate")
    cli("cache", "clear")
    _unchanged(given, made)


def test_nothing_foreign_is_deleted_from_workplan_s_folder(monkeypatch, repo, cli):
    store.parse_plan(PLAN, "p.yaml", IDS)
    folder = cache.cache_dir()
    made = _foreign(folder, workplan_s=True)  # put there by the user, or before it was private
    os.utime(folder / "state", (LONG_AGO, LONG_AGO))
    (folder / "state").write_bytes(b"garbage")  # recount now
    monkeypatch.setattr(cache, "MAX_BYTES", 20_000)
    fresh_process(monkeypatch)
    store.parse_plan(HISTORY, "p.yaml", IDS)
    cli("cache", "clear")
    _unchanged(folder, made)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_an_entry_of_another_user_is_not_deleted(monkeypatch, cli):
    store.parse_plan(PLAN, "p.yaml", IDS)
    [entry] = entries()
    os.chown(entry, 4242, 4242)
    os.utime(entry, (LONG_AGO, LONG_AGO))
    monkeypatch.setattr(cache, "MAX_BYTES", 20_000)  # writes prune
    fresh_process(monkeypatch)
    store.parse_plan(HISTORY, "p.yaml", IDS)
    fresh_process(monkeypatch)
    store.parse_plan(PLAN, "p.yaml", IDS)  # a miss (not the user's entry), not written over
    cli("cache", "clear")
    assert entry.exists() and entry.stat().st_uid == 4242


def test_a_folder_without_the_marker_is_left_alone(monkeypatch, cli):
    folder = cache.cache_dir()
    made = _foreign(folder)  # a folder that happens to have workplan's folder's name
    folder.chmod(0o700)
    name = f"{'c' * 64}.json"
    (folder / name).write_bytes(b"{}")
    store.parse_plan(PLAN, "p.yaml", IDS)
    assert "CACHEDIR.TAG" in cli("cache", "clear", code=1).stderr
    _unchanged(folder, {**made, name: b"{}"})
    assert not (folder / "CACHEDIR.TAG").exists()


# --- Pruning: the folder stays within its cap at all times ---------------------------------------

DAY = 24 * 3600


def _entry(folder: Path, n: int, size: int, used: float) -> Path:
    path = folder / f"{n:064x}.json"
    path.write_bytes(b"x" * size)
    os.utime(path, (used, used))
    return path


@pytest.fixture
def root():
    """The cache folder, made as workplan makes it, opened."""
    fd = cache.open_folder(cache.cache_dir(), create=True)
    yield cache.cache_dir()
    os.close(fd)


def _prune(folder: Path, now: float, budget: int) -> int:
    fd = cache.open_folder(folder)
    try:
        return cache._prune(fd, now, budget)
    finally:
        os.close(fd)


def test_prune_drops_unused_entries_then_the_least_recently_used(root):
    now = 1_000 * DAY
    fresh = _entry(root, 1, 100, now - 1)
    recent = _entry(root, 2, 100, now - 2 * DAY)
    older = _entry(root, 3, 100, now - 3 * DAY)  # past the 250 bytes
    unused = _entry(root, 4, 10, now - 31 * DAY)
    leftover = root / f".tmp-{'d' * 64}-{'e' * 16}"
    leftover.write_bytes(b"half")
    os.utime(leftover, (now - 2 * DAY, now - 2 * DAY))
    assert _prune(root, now, 250) == 200
    assert fresh.exists() and recent.exists()
    assert not older.exists() and not unused.exists() and not leftover.exists()


def _total(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.json"))


def _plans(count: int) -> list[bytes]:
    return [PLAN.replace(b"Digital Dialogue", b"Digital Dialogue %d" % i, 1) for i in range(count)]


def test_the_cap_holds_after_every_write(monkeypatch):
    store.parse_plan(PLAN, "p.yaml", IDS)
    [entry] = entries()
    monkeypatch.setattr(cache, "MAX_BYTES", 5 * entry.stat().st_size)
    for data in _plans(30):
        fresh_process(monkeypatch)
        store.parse_plan(data, "p.yaml", IDS)
        assert _total(cache.cache_dir()) <= cache.MAX_BYTES
    assert 3 <= len(entries()) <= 5


def test_the_recorded_size_is_the_size_of_the_entries(monkeypatch, cli):
    for data in _plans(4):
        store.parse_plan(data, "p.yaml", IDS)
    folder = cache.cache_dir()
    total, _ = (folder / "state").read_bytes().split()
    assert int(total) == _total(folder) > 0
    cli("cache", "clear")
    assert entries() == []
    assert (folder / "state").read_bytes().split()[0] == b"0"


def test_a_write_within_the_cap_does_not_walk_the_folder(monkeypatch):
    store.parse_plan(PLAN, "p.yaml", IDS)  # counts once
    monkeypatch.setattr(cache, "_prune", lambda *a: pytest.fail("walked the folder"))
    for data in _plans(5):
        store.parse_plan(data, "p.yaml", IDS)
    assert len(entries()) == 6


def test_a_run_killed_mid_write_never_leaves_the_count_too_low(monkeypatch):
    store.parse_plan(PLAN, "p.yaml", IDS)
    real = os.replace

    def replace_then_die(*args, **kwargs):
        real(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(cache.os, "replace", replace_then_die)
    fresh_process(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        store.parse_plan(HISTORY, "p.yaml", IDS)
    monkeypatch.setattr(cache.os, "replace", real)
    folder = cache.cache_dir()
    assert len(entries()) == 2
    assert int((folder / "state").read_bytes().split()[0]) == _total(folder)


def test_a_write_recounts_at_most_once_a_day(monkeypatch):
    store.parse_plan(PLAN, "p.yaml", IDS)
    folder = cache.cache_dir()
    unused = _entry(folder, 4, 10, time.time() - 40 * DAY)  # e.g. left by a killed run
    fresh_process(monkeypatch)
    store.parse_plan(HISTORY, "p.yaml", IDS)
    assert unused.exists()  # counted less than a day ago
    total, counted = (folder / "state").read_bytes().split()
    (folder / "state").write_bytes(b"%s %f" % (total, float(counted) - DAY - 1))
    store.parse_plan(PLAN.replace(b"Digital", b"Digitl", 1), "p.yaml", IDS)
    assert not unused.exists()
    assert int((folder / "state").read_bytes().split()[0]) == _total(folder)


def test_a_read_marks_an_entry_used(monkeypatch):
    store.parse_plan(PLAN, "p.yaml", IDS)
    [entry] = entries()
    os.utime(entry, (1, 1))
    fresh_process(monkeypatch)
    store.parse_plan(PLAN, "p.yaml", IDS)
    assert time.time() - entry.stat().st_mtime < 60


def test_an_entry_larger_than_the_cap_is_not_written(monkeypatch):
    monkeypatch.setattr(cache, "MAX_BYTES", 100)
    store.parse_plan(PLAN, "p.yaml", IDS)
    assert entries() == []


# --- workplan cache info|clear -------------------------------------------------------------------


def test_cache_info_and_clear(repo, cli):
    folder = cache.cache_dir()
    assert cli("cache").stdout.splitlines() == [
        f"location  {folder}",
        "state     not used: not made yet",
        "entries   0",
        "size      0 bytes",
        "cap       256.0 MiB",
    ]
    cli("validate")
    size = _total(folder)
    lines = cli("cache", "info").stdout.splitlines()
    assert lines[:2] == [f"location  {folder}", "entries   3"]
    assert lines[2] == f"size      {size / 1024:.1f} KiB"
    assert (
        cli("cache", "clear").stdout
        == f"Deleted 3 entries ({size / 1024:.1f} KiB) from {folder}.\n"
    )
    assert entries() == []
    assert (folder / "CACHEDIR.TAG").exists()  # still workplan's folder
    assert cli("cache", "clear").stdout == f"Deleted 0 entries (0 bytes) from {folder}.\n"


def test_cache_when_off(monkeypatch, cli):
    monkeypatch.setenv("WORKPLAN_NO_CACHE", "1")
    assert cli("cache").stdout.startswith("location  off (WORKPLAN_NO_CACHE is set)\n")
    assert (
        cli("cache", "clear").stdout
        == "Caching is off (WORKPLAN_NO_CACHE is set): nothing deleted.\n"
    )


def test_cache_clear_refuses_a_folder_others_may_write(cli):
    store.parse_plan(PLAN, "p.yaml", IDS)
    folder = cache.cache_dir()
    folder.chmod(0o777)
    err = cli("cache", "clear", code=1).stderr
    assert "writable by group or others" in err and "nothing deleted" in err
    assert len(entries()) == 1


def test_cache_rejects_an_unknown_action(cli):
    assert "clear" in cli("cache", "purge", code=2).stderr
