"""The error boundary lets a command's own exit code and usage errors through."""

from __future__ import annotations


def test_validate_with_problems_exits_1_not_as_an_internal_error(cli, repo):
    path = repo / "data" / "workplan-2024.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: signed", "status: x"))
    out = cli("validate", code=1)
    assert "internal error" not in out.output
    assert "plan.status: 'x' is not one of draft, signed, superseded" in out.stderr


def test_a_usage_error_raised_by_a_command_exits_2(cli, repo):
    # (export --format iati without --iati-ref was the example; the identifier may now come from
    # the plan's iati settings, and its absence is a data error, exit 1)
    out = cli("set-status", "1.1.1", "completed", "--dry-run", "--commit", code=2)
    assert "internal error" not in out.output
