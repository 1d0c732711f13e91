"""Broken and hostile input never wins: every command that reads plan files answers each file of
tests/corpus/ with one clear message and exit 1 (or simply works), runs nothing, changes nothing."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import DATA, git
from tests.hostile import CORPUS, command_built_once, expected, measure, place, snapshot
from workplan_cli.cli import app

CASES = expected()
_command_built_once = pytest.fixture(autouse=True, scope="module")(command_built_once)
OK = sorted(name for name, case in CASES.items() if case.get("exit") == 0)

# The commands that read plan files, as a user would type them, run on every case; the diff
# reads the broken file as the working copy of 2024.
CORE = [
    ["validate"],
    ["status"],
    ["list"],
    ["show", "1.1.1"],
    ["diff", "2025", "2024"],
    ["report"],
    ["export", "--format", "json"],
    ["set-status", "1.1.1", "completed", "--dry-run"],
    ["schedule", "1.1.1", "--end", "2024-12-31", "--dry-run"],
    ["due"],
]
# The other ways in, on one case of each kind (every command costs ~40 ms in-process): other
# formats, and git's views (review and log read the broken working copy through git).
MORE = [
    ["validate", "--format", "json"],
    ["validate", "--format", "github"],
    ["status", "--format", "json"],
    ["due", "--format", "markdown"],
    ["show", "1.1.1", "--format", "json"],
    ["stakeholders"],
    ["diff", "2025", "2024", "--format", "json"],
    ["diff", "HEAD:2024", "2024"],
    ["report", "--format", "html"],
    ["export", "--format", "ics"],
    ["review", "HEAD", "--worktree"],
    ["log", "1.1.1"],
]
ONE_OF_EACH_KIND = {
    "syntax-unclosed-flow-sequence",
    "tab-indentation",
    "duplicate-key",
    "alias-bomb",
    "deep-nesting-flow",
    "latin-1",
    "python-object-apply",
    "wrong-type-list-for-text",
    "unknown-key",
    "dangling-reference",
    "date-february-30",
    "only-list",
    "surrogate-escape",
    "merge-key",
    "stakeholders-syntax-error",
    "stakeholders-python-tag",
    *OK,
}
# A file with old Mac line endings (CR only) reads fine, but set-status cannot splice it.
REFUSED = {
    ("cr-only", "set-status"): "cannot update 1.1.1 in place",
    ("cr-only", "schedule"): "cannot set the dates of 1.1.1 in place",
}


def test_the_manifest_names_every_file_of_the_corpus():
    files = {p.stem for p in CORPUS.glob("*.yaml")} - {"expected"}
    assert files == set(CASES)
    assert all(case["file"] in ("plan", "stakeholders") for case in CASES.values())
    assert OK == [
        "bom-crlf",
        "cr-only",
        "line-separator-plain",
        "next-line-quoted",
        "number-underscore-crash",
        "template-syntax",
    ]


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> Path:
    """One git repository of the shipped data for the whole module (a case restores it)."""
    root = tmp_path_factory.mktemp("hostile") / "plans"
    shutil.copytree(DATA, root / "data")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Signed plan")
    return root


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), prog_name="workplan")
    out, err = result.stdout, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.exception,
    )
    assert "Traceback" not in out + err and "internal error" not in out + err, (args, out, err)
    return result.exit_code, out, err


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_case(name, plans, monkeypatch):
    case = CASES[name]
    monkeypatch.chdir(plans)
    target = place(plans, name, case)
    try:
        before = snapshot(plans / "data")
        git_before = {p: v for p, v in snapshot(plans / ".git").items() if p != "index"}
        code, _, err = run("validate")
        if case.get("exit") == 0:
            assert code == 0, err
        else:
            assert (code, err.splitlines()[0]) == (1, case["stderr"])
        for args in CORE[1:] + (MORE if name in ONE_OF_EACH_KIND else []):
            code, out, err = run(*args)
            if (name, args[0]) in REFUSED:
                assert code == 1 and REFUSED[name, args[0]] in err, err
            elif case.get("exit") == 0:
                # review exits 5 when a valid hostile file changes agreed content (issue 17)
                assert code == 0 or (args[0] == "review" and code == 5), (args, out, err)
            elif args[0] != "validate" and args[0] not in ("review", "log"):
                assert code == 1, (args, out, err)
                # One message, the same that validate gives, after "Error:".
                assert case["stderr"] in err and err.startswith("Error:"), (args, err)
            else:
                assert code in (0, 1), (args, out, err)
        # Nothing written: not the plan files, not git's objects or refs; and no tag ran.
        assert snapshot(plans / "data") == before
        assert {p: v for p, v in snapshot(plans / ".git").items() if p != "index"} == git_before
        assert not list(plans.rglob("python-tag-ran"))
    finally:
        shutil.copy(DATA / target.name, target)


@pytest.mark.parametrize("name", sorted(ONE_OF_EACH_KIND - set(OK)))
def test_revise_from_a_broken_plan_writes_nothing(name, repo, cli):
    place(repo, name, CASES[name])
    before = snapshot(repo)
    err = cli("revise", "2024", "2031", code=1).stderr
    assert err.startswith("Error:") and CASES[name]["stderr"] in err
    assert snapshot(repo) == before


@pytest.mark.parametrize("name", sorted(CASES))
def test_completion_never_raises(name, plans, monkeypatch):
    from types import SimpleNamespace

    from workplan_cli.cli import complete

    monkeypatch.chdir(plans)
    target = place(plans, name, CASES[name])
    try:
        for function in (
            complete.plan_versions,
            complete.activity_ids,
            complete.area_ids,
            complete.topic_ids,
            complete.stakeholder_ids,
        ):
            assert isinstance(function(SimpleNamespace(params={}), ""), list)
    finally:
        shutil.copy(DATA / target.name, target)


def test_review_and_log_read_broken_files_from_history(plans, monkeypatch):
    # A broken plan committed to history: review (HEAD) and log read it from git objects.
    monkeypatch.chdir(plans)
    place(plans, "python-object-apply", CASES["python-object-apply"])
    git(plans, "commit", "-q", "-am", "A hostile commit")
    try:
        code, out, err = run("review", "HEAD~1")
        assert code == 1 and "tags such as" in out + err
        assert run("log", "1.1.1")[0] in (0, 1)
        code, _, err = run("diff", "HEAD:2024", "HEAD~1:2024")
        assert code == 1 and "tags such as 'tag:yaml.org,2002:python/object/apply:os.system'" in err
        assert not list(plans.rglob("python-tag-ran"))
    finally:
        git(plans, "reset", "-q", "--hard", "HEAD~1")


@pytest.mark.parametrize("name", sorted(CASES))
def test_textconv_shows_any_file_as_it_is(name, cli, repo):
    # git runs it on every version of a plan file: an invalid one is shown unchanged, exit 0.
    path = CORPUS / f"{name}.yaml"
    result = CliRunner().invoke(app, ["textconv", str(path)], prog_name="workplan")
    assert result.exit_code == 0, result.output
    if name not in OK and "unknown stakeholder" not in CASES[name]["stderr"]:
        assert result.stdout_bytes == path.read_bytes()


def test_surrogate_escapes_are_refused_by_the_pure_parser_too(repo, cli, monkeypatch):
    # Without ruamel.yaml.clib the pure-Python parser turns "\ud800" into a lone surrogate,
    # which json.dumps and every terminal print would choke on: refused at load, with a place.
    import functools

    from workplan_cli.yamlio import reading

    monkeypatch.setattr(reading, "_safe_yaml", functools.partial(reading._safe_yaml, pure=True))
    place(repo, "surrogate-escape", CASES["surrogate-escape"])
    for args in (["validate"], ["show", "1.1.1", "-f", "json"], ["status"], ["report"]):
        err = cli(*args, code=1).stderr
        assert "data/workplan-2024.yaml:22:20: areas[0].topics[0].activities[0].title: " not in err
        assert "'Joint \\ud800 position' is not valid Unicode (it holds half of a surrogate " in err
        assert "data/workplan-2024.yaml:22:20:" in err


def test_crlf_and_bom_files_can_be_edited(repo, cli):
    # They must simply work, and an edit keeps the BOM and every CRLF.
    path = place(repo, "bom-crlf", CASES["bom-crlf"])
    cli("set-status", "1.1.1", "completed", "--on", "2024-05-01")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert "completed" in cli("show", "1.1.1").stdout


# --- Report templates: plan text is data, never template code ------------------------------------


def test_template_syntax_in_plan_text_is_printed_as_written(repo, cli):
    place(repo, "template-syntax", CASES["template-syntax"])
    literal = "{{ 7*7 }} {% for x in y %} {# c"
    markdown = cli("report").stdout
    assert "#### 1.1.1 \\{\\{ 7\\*7 \\}\\} \\{% for x in y %\\} \\{# c\n" in markdown  # escaped
    html = cli("report", "--format", "html").stdout
    assert literal in html
    html = re.sub(r"base64,[A-Za-z0-9+/=]+", "", html)  # the embedded font's bytes
    assert "49" not in markdown + html
    assert literal in cli("show", "1.1.1").stdout
    assert json.loads(cli("show", "1.1.1", "-f", "json").stdout)["activity"]["title"] == literal


# --- Git inputs: revision names and paths are data, never options or shell ------------------------


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("--output={out}:2024", "Error: '--output={out}' is not a valid git revision\n"),
        ("-n:2024", "Error: '-n' is not a valid git revision\n"),
        ("HEAD;touch {out}:2024", "Error: unknown git revision 'HEAD;touch {out}'\n"),
        ("$(touch {out}):2024", "Error: unknown git revision '$(touch {out})'\n"),
        ("`touch {out}`:2024", "Error: unknown git revision '`touch {out}`'\n"),
        ("a\nb:2024", "Error: 'a\\nb' is not a valid git revision\n"),
        ("HEAD 'q' \"d\":2024", "Error: unknown git revision 'HEAD \\'q\\' \"d\"'\n"),
        ("HEAD --output={out}:2024", "Error: unknown git revision 'HEAD --output={out}'\n"),
        (
            "HEAD:2024;touch {out}",
            "Error: 'HEAD:2024;touch {out}': '2024;touch {out}' is not a plan version "
            "(write GITREV:VERSION, e.g. HEAD~1:2024)\n",
        ),
        ("-{out}.yaml", "Error: -{out}.yaml: no such file\n"),
        ("$(touch {out}).yaml", "Error: $(touch {out}).yaml: no such file\n"),
    ],
)
def test_git_inputs_are_data(git_repo, cli, tmp_path, spec, message):
    out = tmp_path / "created"
    spec, message = spec.format(out=out), message.format(out=out)
    before = snapshot(git_repo)
    assert cli("diff", "--", spec, "2024", code=1).stderr == message
    assert cli("report", "--since", spec, code=1).stderr == message
    assert not out.exists()
    assert snapshot(git_repo) == before


def test_an_option_as_revision_is_a_usage_error_not_an_option_to_git(git_repo, cli, tmp_path):
    out = tmp_path / "created"
    assert cli("diff", f"--output={out}", "2024", code=2).exit_code == 2
    assert not out.exists()


def test_paths_with_spaces_quotes_and_dashes_are_plain_files(git_repo, cli):
    for name in ("a b.yaml", 'it\'s "q".yaml', "-lead.yaml", "$(x);y.yaml"):
        shutil.copy(git_repo / "data" / "workplan-2024.yaml", git_repo / name)
        out = cli("diff", "--", name, "2024").stdout
        assert out.startswith(f"Comparing {name} ") and "No differences." in out


# --- Bounded time and memory, measured in a child process ----------------------------------------

MB = 1024 * 1024
BASE = (CORPUS / "bom-crlf.yaml").read_bytes()[3:].replace(b"\r\n", b"\n")


def _generated() -> dict[str, tuple[bytes, int, str]]:
    """Returns the generated cases: bytes, expected exit code, expected start of stderr."""
    from workplan_cli.plan.load import MAX_BYTES

    size = f"{MAX_BYTES + 1:,}"
    return {
        "tens-of-megabytes": (
            b"a: " + b"x" * (40 * MB),
            1,
            f"data/workplan-2024.yaml: file is too large ({40 * MB + 3:,} bytes; the limit is ",
        ),
        "just-over-the-limit": (
            b"#" * MAX_BYTES + b"\n",
            1,
            f"data/workplan-2024.yaml: file is too large ({size} bytes",
        ),
        "huge-single-line": (
            BASE.replace(b"title: Joint position", b'title: "' + b"x" * (MAX_BYTES - 2000) + b'"'),
            1,
            "data/workplan-2024.yaml:23:20: a value of more than 100,000 characters; ",
        ),
        "long-texts": (
            BASE.replace(b"title: Joint position", b'title: "' + b"x" * 99_000 + b'"'),
            0,
            "",
        ),
        "huge-comment": (BASE + b"# " + b"junk " * ((MAX_BYTES - 2000) // 5) + b"\n", 0, ""),
        "huge-text-junk": (
            b"schema_version: 1\nplan:\n  title: >\n" + b"    junk text\n" * (MAX_BYTES // 20),
            1,
            "data/workplan-2024.yaml: too many values for a plan file (",
        ),
        "many-values": (
            b"areas: [" + b"x, " * 60_000 + b"]\n",
            1,
            "data/workplan-2024.yaml:1:1: missing required key 'schema_version'",
        ),
        "deep-block-nesting": (  # refused before it is composed (see reading.py)
            b"".join(b" " * i + b"k:\n" for i in range(1400)),
            1,
            "data/workplan-2024.yaml:101:101: nesting is too deep (values start at more than 100 ",
        ),
        "deep-compact-nesting": (  # crashed libyaml's composer (exit 139)
            b"? " * 2_000_000 + b"x\n",
            1,
            "data/workplan-2024.yaml:1:201: nesting is too deep (values start at more than 100 ",
        ),
        "long-number": (
            b"schema_version: " + b"9" * MB + b"\n",
            1,
            "data/workplan-2024.yaml:1:17: a value of more than 100,000 characters",
        ),
        "alias-bomb": ((CORPUS / "alias-bomb.yaml").read_bytes(), 1, ""),
        "deep-nesting-flow": ((CORPUS / "deep-nesting-flow.yaml").read_bytes(), 1, ""),
        "random-binary-megabyte": (os.urandom(MB), 1, "data/workplan-2024.yaml:"),
    }


GENERATED = _generated()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(GENERATED))
def test_nasty_cases_in_bounded_time_and_memory(name, tmp_path):
    data, code, stderr = GENERATED[name]
    repo = tmp_path / "plans"
    shutil.copytree(DATA, repo / "data")
    (repo / "data" / "workplan-2024.yaml").write_bytes(data)
    before = snapshot(repo)
    for args in (["validate"], ["set-status", "1.1.1", "completed", "--dry-run"]):
        got = measure(repo, *args, cache=tmp_path / "cache")  # a hang fails at its timeout
        assert "Traceback" not in got.stderr and "internal error" not in got.stderr
        assert got.code == code, got.stderr[:500]
        if args == ["validate"]:
            assert got.stderr.startswith(stderr), got.stderr[:500]
        # The time and peak memory of each run are measured by benchmarks/hostile.py.
    assert snapshot(repo) == before


# --- Files that are not regular files, or leave the repository (issue 13) -----------------------


def _not_regular(repo: Path, kind: str) -> str:
    """Puts a hostile object at data/workplan-2024.yaml; returns the start of the message."""
    path = repo / "data" / "workplan-2024.yaml"
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
        return "is a FIFO (named pipe), not a regular file"
    if kind in ("dev-zero", "dev-urandom"):
        path.symlink_to("/dev/" + kind.removeprefix("dev-"))  # refused as a link out, first
        return "is a link to a file outside the repository"
    if kind == "folder":
        path.mkdir()
        return "is a folder, not a file"
    if kind == "link-out":
        outside = repo.parent / "elsewhere.yaml"
        shutil.copy(DATA / "workplan-2024.yaml", outside)
        path.symlink_to(outside)
        return "is a link to a file outside the repository"
    from workplan_cli.fileio import MAX_READ_BYTES

    path.write_bytes(b"#" * (MAX_READ_BYTES + 1))
    return f"file is too large ({MAX_READ_BYTES + 1:,} bytes; the limit is {MAX_READ_BYTES:,})"


NOT_REGULAR = ["fifo", "dev-zero", "dev-urandom", "folder", "link-out", "over-the-limit"]


def _run(repo: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    # The timeout is the hang guard: before, a FIFO waited for a writer forever and /dev/zero
    # ran to MemoryError.
    return subprocess.run(
        [sys.executable, "-m", "workplan_cli", *args],
        cwd=repo,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("kind", NOT_REGULAR)
def test_only_regular_files_inside_the_repository_are_read(kind, repo):
    message = f"data/workplan-2024.yaml: {_not_regular(repo, kind)}"
    for args in (["status"], ["validate"], ["show", "1.1.1"]):
        done = _run(repo, *args)
        assert done.returncode == 1, (args, done.stderr)
        assert message in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("kind", NOT_REGULAR)
def test_completion_answers_nothing_at_once_for_such_files(kind, repo):
    _not_regular(repo, kind)
    for words in ("show 1.", "status --area ", "status --plan "):
        done = _run(
            repo,
            _WORKPLAN_COMPLETE="complete_bash",
            COMP_WORDS=f"workplan {words}",
            COMP_CWORD=str(len(words.split(" "))),
        )
        assert done.returncode == 0 and done.stderr == "", done.stderr
        expected = "2025\n2024" if words == "status --plan " else ""  # names alone
        assert done.stdout.strip() == expected, (words, done.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_stakeholders_file_and_textconv_read_only_regular_files(kind, repo):
    people = repo / "data" / "stakeholders.yaml"
    people.unlink()
    people.symlink_to(repo / "data" / "workplan-2024.yaml")  # a link inside the repository is fine
    assert _run(repo, "stakeholders").returncode == 1  # read, but it is not a stakeholders file
    message = _not_regular(repo, kind)  # a link out of the repository for /dev/zero
    done = _run(repo, "status", "--lead", "x")
    assert done.returncode == 1 and f"data/stakeholders.yaml: {message}" in done.stderr
    if kind == "dev-zero":
        message = "is a character device, not a regular file"  # textconv reads any path git gives
    done = _run(repo, "textconv", "data/workplan-2024.yaml")
    assert done.returncode == 1 and message in done.stderr, done.stderr


def test_set_status_never_edits_a_file_that_a_link_leads_to_outside(repo):
    message = _not_regular(repo, "link-out")
    outside = repo.parent / "elsewhere.yaml"
    before = outside.read_bytes()
    for plan in ([], ["--plan", "2024"]):
        done = _run(repo, "set-status", "1.1.1", "completed", *plan)
        assert done.returncode == 1 and f"data/workplan-2024.yaml: {message}" in done.stderr
    assert outside.read_bytes() == before


# --- Deep block nesting: refused before libyaml's composer recurses (it crashed, exit 139) ------

DEEP_BLOCKS = {
    "compact-sequences": "- " * 50_000 + "x\n",
    "complex-keys": "? " * 50_000 + "x\n",
    "mixed-compact": "- ? : " * 20_000 + "x\n",
    "indented-sequences": "".join(" " * i + "-\n" for i in range(2500)),
    "indented-mappings": "".join(" " * i + "k:\n" for i in range(2500)),
    "indentless-mixed": "a:\n" + "".join(" " * i + "- b:\n" for i in range(0, 5000, 2)),
}


def _workplan(repo: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "workplan_cli", *args],
        cwd=repo,
        capture_output=True,
        env={**os.environ, "WORKPLAN_CACHE_DIR": str(repo.parent / "cache"), "NO_COLOR": "1"},
        timeout=60,
        check=False,
    )
    assert done.returncode in (0, 1), (args, done.returncode, done.stderr[-2000:])
    assert b"Traceback" not in done.stderr and b"internal error" not in done.stderr
    return done


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(DEEP_BLOCKS))
def test_deep_block_nesting_is_refused_by_every_path_that_parses(kind, tmp_path, monkeypatch):
    repo = tmp_path / "plans"
    shutil.copytree(DATA, repo / "data")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Signed plan")
    git(repo, "config", "diff.workplan.textconv", f"{sys.executable} -m workplan_cli textconv")
    (repo / ".gitattributes").write_text("*.yaml diff=workplan\n")
    path = repo / "data" / "workplan-2024.yaml"
    data = DEEP_BLOCKS[kind].encode()
    path.write_bytes(data)
    git(repo, "commit", "-q", "-am", "A deep plan")
    message = "nesting is too deep (values start at more than 100 different columns"

    done = _workplan(repo, "validate")
    assert done.returncode == 1 and message in done.stderr.decode()
    assert done.stderr.decode().startswith("data/workplan-2024.yaml:")
    if kind not in ("compact-sequences", "indented-mappings"):
        return  # the other ways in, on one case of each kind (each costs seconds)
    for args in (["set-status", "1.1.1", "completed", "--dry-run"], ["revise", "2024", "2031"]):
        done = _workplan(repo, *args)
        assert done.returncode == 1 and message in done.stderr.decode(), args
    from types import SimpleNamespace

    from workplan_cli.cli import complete

    monkeypatch.chdir(repo)  # completion reads the plan's raw data, in this process
    assert complete.activity_ids(SimpleNamespace(params={}), "") == []
    # git's textconv shows a file it cannot read as it is
    assert _workplan(repo, "textconv", "data/workplan-2024.yaml").stdout == data
    # log reads the deep commit from history, says where it is invalid, and goes on
    git(repo, "checkout", "-q", "HEAD~1", "--", "data/workplan-2024.yaml")
    done = _workplan(repo, "log", "1.1.1")
    assert done.returncode == 0 and message in done.stdout.decode()
    # and plain git log -p runs workplan's textconv on both versions
    shown = git(repo, "log", "-p")
    assert shown.count("A deep plan") == 1 and "+1.1.1 status: planned" in shown
