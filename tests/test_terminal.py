"""Plan text is inert in a terminal: every command run on a real pseudo-terminal and piped."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from tests.terminal import (
    HOSTILE_TEXT,
    hostile_repo,
    inert_problems,
    run_on_pty,
    terminal_bytes,
)
from workplan_cli.output.inert import json_inert, one_line, visible

CLI = Path(__file__).resolve().parent.parent / "workplan_cli" / "cli"

# Every command that prints plan text, in each of its text formats.
COMMANDS = [
    ["list"],
    ["list", "-f", "markdown"],
    ["status"],
    ["status", "-f", "markdown"],
    ["show", "1.1.2"],
    ["show", "1.1.2", "-f", "markdown"],
    ["stakeholders"],
    ["stakeholders", "-f", "markdown"],
    ["diff", "main:2024", "2024"],
    ["diff", "main:2024", "2024", "-f", "text"],
    ["diff", "main:2024", "2024", "-f", "markdown"],
    ["review", "main"],
    ["log", "1.1.2"],
    ["log", "1.1.2", "-f", "markdown"],
    ["report"],
    ["report", "-f", "html"],
    ["validate"],
    ["export", "-f", "csv"],
    ["set-status", "1.1.2", "completed", "--dry-run", "--by", "x", "--note", HOSTILE_TEXT],
    ["due"],
    ["due", "-f", "markdown"],
    ["schedule", "1.1.2", "--end", "2024-07-31", "--dry-run"],
    ["textconv", "data/workplan-2024.yaml"],
]
JSON_COMMANDS = [
    ["list", "-f", "json"],
    ["show", "1.1.2", "-f", "json"],
    ["stakeholders", "-f", "json"],
    ["diff", "main:2024", "2024", "-f", "json"],
    ["review", "main", "-f", "json"],
    ["log", "1.1.2", "-f", "json"],
    ["due", "-f", "json"],
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return hostile_repo(tmp_path_factory.mktemp("hostile") / "plans")


def _is_data(args: list[str]) -> bool:
    """Whether the command writes a data format, where a newline in a value is data (a quoted
    CSV field, HTML text, textconv's quoted value), not a line of its own."""
    return args[0] in ("export", "textconv") or args[-2:] == ["-f", "html"]


def _fake_row(text: str) -> bool:
    """Whether a newline in a title made a line of its own (a fake table row); the text has
    two spaces where whitespace-collapsing outputs (and rich's wrapping of a long line) have
    one."""
    return re.search(r"^\W*1\.1\.3  completed  fake row", text, re.MULTILINE) is not None


@pytest.mark.parametrize("args", COMMANDS + JSON_COMMANDS, ids=" ".join)
def test_nothing_from_plan_text_acts_on_a_terminal(hostile, args, monkeypatch):
    monkeypatch.delenv("NO_COLOR")  # the tool's own colours on: they must stay its own
    code, raw = run_on_pty(args, hostile, {"WORKPLAN_CACHE_DIR": str(hostile.parent / "c")})
    out = terminal_bytes(raw)
    assert code == 0, raw.decode(errors="replace")
    assert inert_problems(out) == [], raw
    text = out.decode("utf-8")
    if args[0] != "validate":
        assert "pwned" in text  # the text is shown, made visible, not dropped
    assert _is_data(args) or not _fake_row(text)
    if args[0] in ("list", "status", "show", "stakeholders") and "-f" not in args:
        # rich printed it: markup and emoji codes are text, not styles, links or emoji.
        assert "[red]x[/red] [/b] [link=https://evil]y[/link] :smile:" in text


@pytest.mark.parametrize("args", COMMANDS + JSON_COMMANDS, ids=" ".join)
def test_nothing_from_plan_text_acts_on_a_terminal_when_piped(hostile, args, cli, monkeypatch):
    monkeypatch.chdir(hostile)
    monkeypatch.setenv("WORKPLAN_CACHE_DIR", str(hostile.parent / "c"))
    out = cli(*args).stdout.encode("utf-8")
    if args[0] == "textconv":  # git's view of the file: byte for byte when piped
        assert b"\x1b[2J" in out
        return
    if args[0] == "export":  # a data format: control characters replaced (U+FFFD), kept nowhere
        assert b"\x1b" not in out and "\ufffd[2J".encode() in out
        return
    assert inert_problems(out.replace(b"\r\n", b"\n")) == [], out
    assert _is_data(args) or not _fake_row(out.decode())


def test_json_output_escapes_every_control_character(hostile, cli, monkeypatch):
    monkeypatch.chdir(hostile)
    out = cli("show", "1.1.2", "-f", "json").stdout
    assert inert_problems(out.encode()) == []
    # JSON escapes, the same value: json.loads gives the plan text back exactly.
    title = json.loads(out)["activity"]["title"]
    assert title == HOSTILE_TEXT


def test_errors_quoting_file_content_are_inert_one_line_a_problem(hostile, cli, monkeypatch):
    monkeypatch.chdir(hostile)
    plan = hostile / "data" / "workplan-2024.yaml"
    before = plan.read_text(encoding="utf-8")
    bad_key = '"bad\\e[2J\\n3 files valid.\\rkey[/b]": 1\n'
    bad_value = 'status: "in-progress\\e]0;t\\a\\u009b[/b]"'
    try:
        text = before.replace("schema_version: 1\n", "schema_version: 1\n" + bad_key, 1)
        text = text.replace("status: in-progress", bad_value, 1)
        plan.write_text(text, encoding="utf-8")
        for args in (["validate"], ["list"], ["status"], ["validate", "-f", "github"]):
            result = cli(*args, code=1)
            out = result.output
            assert inert_problems(out.encode()) == [], out
            assert "3 files valid." not in out.splitlines()
            assert not any(line.lstrip().startswith("3 files valid.") for line in out.splitlines())
            assert "bad\\x1b[2J\\n3 files valid.\\rkey[/b]" in out
    finally:
        plan.write_text(before, encoding="utf-8")


def test_an_error_quoting_the_command_line_is_inert(hostile, cli, monkeypatch):
    monkeypatch.chdir(hostile)
    out = cli("show", "9.9\x1b[2J\u009b[/b]", code=1).stderr
    assert inert_problems(out.encode()) == [], out
    assert out.startswith("Error: ")


def test_inert_shows_control_and_bidi_characters():
    assert one_line("a\x1b[2J\n\tb\r\u009b\u0085\x7f\u202e\u2066c") == (
        "a\\x1b[2J\\n\\tb\\r\\x9b\\x85\\x7f\\u202e\\u2066c"
    )
    assert visible("a\x1b\n\tb\r\x00") == "a\\x1b\n\tb\\r\\x00"
    assert one_line("Grüße, 東京 — ok") == "Grüße, 東京 — ok"


def test_json_inert_is_the_same_json_value():
    value = {"t": "a\x7f\u009b\u0085\u202e\x1b"}
    text = json_inert(json.dumps(value, ensure_ascii=False))
    assert re.search("[\x7f-\x9f\u202e]", text) is None
    assert json.loads(text) == value


# Printing that bypasses the output module (and so the escaping) is allowed only here: the
# error boundary and --version in cli/__init__.py (each escapes or prints no plan text).
ALLOWED = {("__init__.py", "_print_error"), ("__init__.py", "_version")}
PRINTERS = {"echo", "secho", "write", "print", "print_json"}


def _printing_calls(function: ast.FunctionDef) -> list[str]:
    """Returns the calls in a function that print other than through `output`."""
    found = []
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id == "print":
            found.append("print")
        elif isinstance(node.func, ast.Attribute) and node.func.attr in PRINTERS:
            found += [ast.unparse(node.func)] * (ast.unparse(node.func.value) != "output")
    return found


def test_every_print_site_goes_through_the_output_module():
    found = []
    for path in sorted(CLI.glob("*.py")):
        if path.name == "output.py":
            continue
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(function, ast.FunctionDef) and (path.name, function.name) not in ALLOWED:
                found += [(path.name, function.name, c) for c in _printing_calls(function)]
    assert found == []


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_completion_help_texts_are_inert(hostile, shell, monkeypatch):
    from typer.testing import CliRunner

    from workplan_cli.cli import app

    monkeypatch.chdir(hostile)
    words = "show 1.1"
    result = CliRunner().invoke(
        app,
        [],
        prog_name="workplan",
        env={
            "_WORKPLAN_COMPLETE": f"complete_{shell}",
            "COMP_WORDS": f"workplan {words}",
            "COMP_CWORD": "2",
            "_TYPER_COMPLETE_ARGS": f"workplan {words}",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        },
    )
    assert result.exit_code == 0, result.output  # an unbalanced [/b] raised MarkupError
    assert "1.1.2" in result.stdout
    assert inert_problems(result.stdout.encode()) == [], result.stdout
    assert " /b " in result.stdout and "[" not in result.stdout.split("((", 1)[-1]  # no markup
