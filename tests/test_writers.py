"""Every writer keeps what is not its own: another program's change made while a command runs,
the file's owner, group and mode, read-only files, plan files under -o, and a failed commit."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import DATA, git
from workplan_cli import fileio
from workplan_cli.edit import status as edit
from workplan_cli.errors import WorkplanError
from workplan_cli.plan.store import find_repo

PLAN = Path("data") / "workplan-2024.yaml"
NOBODY = 65534

# Another program (an editor that saves by rename, `git checkout`, `git stash`): a separate
# process that puts new bytes in place with a rename, without any workplan lock.
RENAME = (
    "import os, sys, tempfile\n"
    "path = sys.argv[1]\n"
    "fd, temp = tempfile.mkstemp(dir=os.path.dirname(path))\n"
    "os.write(fd, sys.stdin.buffer.read())\n"
    "os.close(fd)\n"
    "os.chmod(temp, 0o644)\n"
    "os.rename(temp, path)\n"
)


def other_program_writes(path: Path, data: bytes) -> None:
    subprocess.run([sys.executable, "-c", RENAME, str(path)], input=data, check=True, timeout=60)


def between_read_and_replace(monkeypatch, writes):
    """Makes `writes(call)` run (as another program) each time set-status has read the plan and
    made its edit, i.e. after the read and before the replace; returns the list of calls."""
    calls = []
    real = edit.set_status

    def patched(data, *args, **kwargs):
        made = real(data, *args, **kwargs)
        calls.append(data)
        writes(len(calls))
        return made

    monkeypatch.setattr(edit, "set_status", patched)
    return calls


def _activity(repo: Path, ident: str):
    return find_repo(repo).load_plan("2024").find(ident).activity


# --- 1. lost update ------------------------------------------------------------------------------


def test_set_status_redoes_its_edit_on_top_of_a_change_made_meanwhile(repo, cli, monkeypatch):
    plan = repo / PLAN
    theirs = plan.read_bytes() + b"# a reviewer's note, saved by an editor\n"
    calls = between_read_and_replace(
        monkeypatch, lambda n: other_program_writes(plan, theirs) if n == 1 else None
    )
    cli("set-status", "1.3.2", "completed", "--on", "2024-10-12", "--by", "X")
    assert len(calls) == 2 and calls[1] == theirs  # the edit was made again, on their bytes
    text = plan.read_bytes()
    assert text.endswith(b"# a reviewer's note, saved by an editor\n")
    assert _activity(repo, "1.3.2").status.value == "completed"


def test_set_status_stops_when_the_file_keeps_changing_and_keeps_the_last_change(
    repo, cli, monkeypatch
):
    plan = repo / PLAN
    original = plan.read_bytes()
    between_read_and_replace(
        monkeypatch, lambda n: other_program_writes(plan, original + b"# edit %d\n" % n)
    )
    result = cli("set-status", "1.3.2", "completed", "--by", "X", code=1)
    assert result.stderr == (
        "Error: data/workplan-2024.yaml was changed by another program 3 times while workplan "
        "was working; nothing was written, the other changes are kept: try again when it is "
        "done\n"
    )
    assert plan.read_bytes() == original + b"# edit 3\n"
    assert not [p for p in plan.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_change_meanwhile_that_makes_the_edit_wrong_is_kept_and_reported(repo, cli, monkeypatch):
    plan = repo / PLAN
    cli("set-status", "1.3.2", "in-progress", "--on", "2024-05-01", "--by", "X")
    mine = plan.read_bytes()
    cli("set-status", "1.3.2", "completed", "--on", "2024-06-01", "--by", "Other")
    theirs = plan.read_bytes()  # as if `git checkout` brought this version meanwhile
    plan.write_bytes(mine)
    between_read_and_replace(
        monkeypatch, lambda n: other_program_writes(plan, theirs) if n == 1 else None
    )
    result = cli("set-status", "1.3.2", "completed", "--on", "2024-06-02", "--by", "X", code=1)
    assert result.stderr.startswith("Error: 1.3.2 is already completed")
    assert plan.read_bytes() == theirs


def test_replace_if_unchanged_refuses_after_a_rename_and_after_an_in_place_write(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"old\n")
    seen = fileio.snapshot(path)
    other_program_writes(path, b"theirs\n")
    with pytest.raises(fileio.FileChangedError, match="changed by another program"):
        fileio.replace_if_unchanged(path, seen, b"mine\n")
    assert path.read_bytes() == b"theirs\n"
    seen = fileio.snapshot(path)
    with open(path, "r+b") as file:  # same inode, same size: only the bytes and time differ
        file.write(b"THEIRS\n")
    with pytest.raises(fileio.FileChangedError):
        fileio.replace_if_unchanged(path, seen, b"mine\n")
    assert path.read_bytes() == b"THEIRS\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]
    fileio.replace_if_unchanged(path, fileio.snapshot(path), b"mine\n")
    assert path.read_bytes() == b"mine\n"


def test_a_new_file_is_not_written_over_one_that_appeared(tmp_path):
    path = tmp_path / "new.yaml"
    seen = fileio.snapshot(path)
    assert seen.data is None
    other_program_writes(path, b"theirs\n")
    with pytest.raises(fileio.FileChangedError, match=r"new\.yaml already exists"):
        fileio.replace_if_unchanged(path, seen, b"mine\n")
    assert path.read_bytes() == b"theirs\n"


def test_rewrite_redoes_the_change_on_the_new_content(tmp_path):
    path = tmp_path / "list.txt"
    path.write_bytes(b"a\n")
    seen = []

    def append(data: bytes) -> tuple[bytes, int]:
        seen.append(data)
        if len(seen) == 1:
            other_program_writes(path, data + b"theirs\n")
        return data + b"mine\n", len(seen)

    value, old, written = fileio.rewrite(path, append)
    assert (value, old.data) == (2, b"a\ntheirs\n")
    assert path.read_bytes() == b"a\ntheirs\nmine\n" == written.data


def test_rewrite_all_puts_back_what_it_replaced_when_a_later_file_changed(tmp_path):
    first, second, third = (tmp_path / n for n in ("a.txt", "b.txt", "c.txt"))
    for path in (first, second, third):
        path.write_bytes(b"old\n")
    seen = []

    def change(data: list[bytes]) -> tuple[list[bytes | None], int]:
        seen.append(data)
        other_program_writes(second, b"theirs %d\n" % len(seen))  # after the read, each time
        return [b"mine\n", b"mine\n", None], len(seen)

    with pytest.raises(fileio.FileChangedError, match=r"b\.txt was changed by another program 3"):
        fileio.rewrite_all([first, second, third], change)
    assert [d[1] for d in seen] == [b"old\n", b"theirs 1\n", b"theirs 2\n"]
    assert [p.read_bytes() for p in (first, second, third)] == [b"old\n", b"theirs 3\n", b"old\n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "c.txt"]
    third.chmod(0o444)
    with pytest.raises(WorkplanError, match=r"c\.txt is read-only"):
        fileio.rewrite_all([first, third], lambda d: ([b"mine\n", b"mine\n"], 0))
    assert (first.read_bytes(), third.read_bytes()) == (b"old\n", b"old\n")
    third.chmod(0o644)
    value, olds, written = fileio.rewrite_all([first, third], lambda d: ([None, d[1] + b"x\n"], 7))
    assert (value, olds[0].data, written[0]) == (7, b"old\n", None)
    assert third.read_bytes() == b"old\nx\n" == written[1].data


def test_rewrite_all_says_which_file_it_could_not_put_back(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    for path in (first, second):
        path.write_bytes(b"old\n")
    real = fileio.replace_if_unchanged

    def replace(path, expected, data, like=None):
        if path == second.resolve():  # another program writes both while the second is written
            other_program_writes(first, b"theirs\n")
            raise fileio.FileChangedError("b.txt changed")
        return real(path, expected, data, like)

    monkeypatch.setattr(fileio, "replace_if_unchanged", replace)
    with pytest.raises(WorkplanError) as raised:
        fileio.rewrite_all([first, second], lambda d: ([b"mine\n", b"mine\n"], 0))
    assert str(raised.value) == (
        "b.txt could not be written, and a.txt, written just before it, could not be put back "
        "(a.txt was changed by another program while workplan was working; nothing was written, "
        "the other change is kept); a.txt is left as it is now"
    )
    assert (first.read_bytes(), second.read_bytes()) == (b"theirs\n", b"old\n")


@pytest.fixture
def revise_repo(repo):
    (repo / "data/workplan-2025.yaml").unlink()
    return repo


def _while_revising(monkeypatch, act):
    from workplan_cli.edit import revise

    real = revise.revise_text

    def patched(*args, **kwargs):
        made = real(*args, **kwargs)
        act()
        return made

    monkeypatch.setattr(revise, "revise_text", patched)


def test_revise_refuses_a_target_that_appeared_meanwhile(revise_repo, cli, monkeypatch):
    target = revise_repo / "data/workplan-2025.yaml"
    _while_revising(monkeypatch, lambda: other_program_writes(target, b"# theirs\n"))
    result = cli("revise", "2024", "2025", code=1)
    assert result.stderr == "Error: data/workplan-2025.yaml already exists; nothing was written\n"
    assert target.read_bytes() == b"# theirs\n"


def test_revise_force_replaces_only_the_file_it_saw(revise_repo, cli, monkeypatch):
    target = revise_repo / "data/workplan-2025.yaml"
    target.write_bytes(b"# an old draft\n")
    _while_revising(monkeypatch, lambda: other_program_writes(target, b"# a newer draft\n"))
    result = cli("revise", "2024", "2025", "--force", code=1)
    assert "workplan-2025.yaml was changed by another program" in result.stderr
    assert target.read_bytes() == b"# a newer draft\n"


def test_git_setup_keeps_a_gitattributes_line_added_meanwhile(git_repo, cli, monkeypatch):
    attributes = git_repo / ".gitattributes"
    attributes.write_text("*.png binary\n")
    real = fileio.snapshot
    count = []

    def patched(path, read=None):
        seen = real(path, read)
        if Path(path).name == ".gitattributes" and not count:
            count.append(1)
            other_program_writes(Path(path), b"*.png binary\n*.pdf binary\n")
        return seen

    monkeypatch.setattr(fileio, "snapshot", patched)
    cli("git-setup")
    lines = attributes.read_text().splitlines()
    assert lines[:2] == ["*.png binary", "*.pdf binary"]
    assert "data/workplan-*.yaml diff=workplan" in lines


# --- 2. owner, group and mode; the lock file -----------------------------------------------------

needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing owners needs root"
)


@pytest.fixture
def shared_repo():
    """A plan repository owned by uid/gid 65534 where that user can reach it (not under
    pytest's private tmp folder)."""
    root = Path(tempfile.mkdtemp(prefix="workplan-owner-"))
    try:
        shutil.copytree(DATA, root / "data")
        for path in [root, *root.rglob("*")]:
            os.chown(path, NOBODY, NOBODY)
        root.chmod(0o755)
        yield root
    finally:
        shutil.rmtree(root)


def _python_for_others() -> tuple[list[str], dict] | None:
    """Returns a Python command (and environment) that uid 65534 can run with workplan on its
    path: this interpreter if it can, else the system's with this one's packages; or None."""
    import site

    path = os.pathsep.join([str(Path(__file__).resolve().parent.parent), *site.getsitepackages()])
    for exe, env in [(sys.executable, {}), ("/usr/bin/python3", {"PYTHONPATH": path})]:
        try:
            done = subprocess.run(
                [exe, "-c", "import workplan_cli.cli"],
                env={**os.environ, **env},
                cwd="/",
                user=NOBODY,
                group=NOBODY,
                extra_groups=[],
                capture_output=True,
                timeout=60,
            )
        except OSError:
            continue
        if done.returncode == 0:
            return [exe], env
    return None


def _run_as(uid: int, repo: Path, *args: str) -> subprocess.CompletedProcess:
    python = _python_for_others()
    if python is None:
        pytest.skip("no Python interpreter that uid 65534 may run")
    command, extra = python
    env = {**os.environ, **extra, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    env["WORKPLAN_CACHE_DIR"] = str(repo / ".cache")
    env["HOME"] = str(repo)
    return subprocess.run(
        [*command, "-m", "workplan_cli", *args, "--repo", str(repo)],
        cwd=repo,
        env=env,
        user=uid,
        group=uid,
        extra_groups=[],
        capture_output=True,
        text=True,
        timeout=120,
    )


@needs_root
def test_root_keeps_the_owner_group_and_mode_and_the_owner_can_still_update(shared_repo):
    plan = shared_repo / PLAN
    plan.chmod(0o664)
    done = _run_as(0, shared_repo, "set-status", "1.3.2", "in-progress", "--by", "CI")
    assert done.returncode == 0, done.stderr
    st = plan.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (NOBODY, NOBODY, 0o664)
    lock = fileio.lock_path(plan).stat()
    assert (lock.st_uid, lock.st_gid) == (NOBODY, NOBODY)
    done = _run_as(NOBODY, shared_repo, "set-status", "1.3.2", "completed", "--by", "Owner")
    assert done.returncode == 0, done.stderr
    assert [h.by for h in _activity(shared_repo, "1.3.2").history] == ["CI", "Owner"]


@needs_root
def test_a_lock_file_the_user_cannot_open_is_explained(shared_repo):
    plan = shared_repo / PLAN
    lock = fileio.lock_path(plan)
    lock.write_bytes(b"")
    lock.chmod(0o644)  # root's, as an older workplan run by root left it
    before = plan.read_bytes()
    done = _run_as(NOBODY, shared_repo, "set-status", "1.3.2", "completed", "--by", "Owner")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr == (
        "Error: cannot lock data/workplan-2024.yaml: data/workplan-2024.yaml.lock (Permission "
        "denied; owned by root, mode 0644); nothing was written. If no workplan command is "
        "running, remove it (rm data/workplan-2024.yaml.lock) and try again\n"
    )
    assert plan.read_bytes() == before


@needs_root
def test_revise_as_root_gives_the_new_plan_the_old_ones_owner(shared_repo):
    (shared_repo / "data/workplan-2025.yaml").unlink()
    done = _run_as(0, shared_repo, "revise", "2024", "2025")
    assert done.returncode == 0, done.stderr
    new = (shared_repo / "data/workplan-2025.yaml").stat()
    old = (shared_repo / PLAN).stat()
    assert (new.st_uid, new.st_gid, new.st_mode) == (old.st_uid, old.st_gid, old.st_mode)


def test_the_group_and_set_group_id_bit_are_kept(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"old\n")
    others = [g for g in os.getgroups() if g != os.getegid()]
    group = NOBODY if os.geteuid() == 0 else others[0] if others else None
    if group is None:
        pytest.skip("this user is in no other group")
    os.chown(path, -1, group)
    path.chmod(0o2664)
    fileio.write_atomic(path, b"new\n")
    after = path.stat()
    assert (after.st_gid, stat.S_IMODE(after.st_mode)) == (group, 0o2664)


def test_a_new_lock_file_gets_the_plan_files_mode(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"x")
    path.chmod(0o664)
    with fileio.locked(path):
        pass
    assert stat.S_IMODE(fileio.lock_path(path).stat().st_mode) == 0o664


# --- 3. read-only ------------------------------------------------------------------------------


def test_a_read_only_plan_is_not_rewritten(repo, cli):
    plan = repo / PLAN
    plan.chmod(0o444)
    before = plan.read_bytes()
    result = cli("set-status", "1.3.2", "completed", "--by", "X", code=1)
    assert result.stderr.startswith(
        "Error: data/workplan-2024.yaml is read-only (mode 0444); nothing was written"
    )
    assert plan.read_bytes() == before
    assert stat.S_IMODE(plan.stat().st_mode) == 0o444


def test_a_read_only_output_file_is_not_replaced(repo, cli, tmp_path):
    out = tmp_path / "out.json"
    out.write_text("kept\n")
    out.chmod(0o444)
    result = cli("export", "-o", str(out), code=1)
    assert "is read-only (mode 0444); nothing was written" in result.stderr
    assert out.read_text() == "kept\n"


# --- 4. output over a plan file ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("export", "-f", "json"),
        ("export", "-f", "csv"),
        ("report",),
        ("schema",),
        ("schema", "--stakeholders"),
    ],
)
@pytest.mark.parametrize("target", ["data/workplan-2024.yaml", "data/stakeholders.yaml"])
def test_no_output_is_written_over_a_plan_or_stakeholders_file(repo, cli, args, target):
    before = {p.name: p.read_bytes() for p in (repo / "data").iterdir()}
    result = cli(*args, "-o", target, code=1)
    assert result.stderr.startswith(f"Error: {target} is the repository's {target}; refusing")
    assert {p.name: p.read_bytes() for p in (repo / "data").iterdir()} == before


def test_no_output_over_a_plan_through_a_symlink_a_hard_link_or_another_path(
    repo, cli, tmp_path, monkeypatch
):
    plan = repo / PLAN
    before = plan.read_bytes()
    (tmp_path / "link.json").symlink_to(plan)
    os.link(plan, tmp_path / "hard.json")
    for target in [tmp_path / "link.json", tmp_path / "hard.json", repo / "data/../" / PLAN]:
        result = cli("export", "-o", str(target), code=1)
        assert "refusing to write output over a plan or stakeholders file" in result.stderr
    monkeypatch.chdir(tmp_path)  # no repository here: the one around the output still counts
    result = cli("schema", "-o", str(plan), code=1)
    assert "refusing to write output over a plan" in result.stderr
    result = cli("export", "--repo", str(repo), "-o", str(repo / "data/workplan-2031.yaml"), code=1)
    assert "would be read as a plan or stakeholders file" in result.stderr
    assert plan.read_bytes() == before
    assert not (repo / "data/workplan-2031.yaml").exists()


# --- 5. a failed commit ------------------------------------------------------------------------


def _hook(repo: Path, script: str) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\n" + script)
    hook.chmod(0o755)


@pytest.fixture
def committing(git_repo):
    git(git_repo, "config", "user.name", "Test Author")
    git(git_repo, "config", "user.email", "author@example.org")
    return git_repo


def test_a_commit_refused_by_a_hook_puts_everything_back(committing, cli):
    plan = committing / PLAN
    before = plan.read_bytes()
    head = git(committing, "rev-parse", "HEAD")
    _hook(committing, "echo 'validation failed' >&2\nexit 1\n")
    result = cli("set-status", "1.3.2", "completed", "--by", "X", "--commit", code=1)
    assert result.stderr == (
        "Error: data/workplan-2024.yaml was not committed (git commit failed: validation "
        "failed); the update was undone: the file is as it was before, and nothing is staged\n"
    )
    assert plan.read_bytes() == before
    assert git(committing, "status", "--porcelain", "--untracked-files=no") == ""
    assert git(committing, "rev-parse", "HEAD") == head


def test_a_hook_that_changed_the_file_keeps_its_change(committing, cli):
    plan = committing / PLAN
    _hook(committing, "echo '# fixed by the hook' >> data/workplan-2024.yaml\nexit 1\n")
    result = cli("set-status", "1.3.2", "completed", "--by", "X", "--commit", code=1)
    assert "the file was changed after the update was written" in result.stderr
    assert plan.read_bytes().endswith(b"# fixed by the hook\n")
    assert _activity(committing, "1.3.2").status.value == "completed"
    assert git(committing, "diff", "--cached", "--name-only") == ""


def test_review_output_is_not_written_over_a_plan_either(git_repo, cli):
    plan = git_repo / PLAN
    before = plan.read_bytes()
    result = cli("review", "main", "-o", str(PLAN), code=1)
    assert "refusing to write output over a plan or stakeholders file" in result.stderr
    assert plan.read_bytes() == before
