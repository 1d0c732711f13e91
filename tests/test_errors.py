"""errors.py: every error the user reads is a WorkplanError; a Problem says where."""

from __future__ import annotations

import pytest

from workplan_cli.errors import (
    InvalidFileError,
    Problem,
    RepoNotFoundError,
    UnknownActivityError,
    UnknownPlanError,
    WorkplanError,
)


@pytest.mark.parametrize(
    "error", [RepoNotFoundError, UnknownPlanError, UnknownActivityError, InvalidFileError]
)
def test_every_error_is_a_workplan_error(error):
    # The CLI's one error boundary catches WorkplanError: anything else is an internal error.
    assert issubclass(error, WorkplanError)


def test_a_problem_names_file_line_column_and_path():
    problem = Problem("data/workplan-2025.yaml", "unknown status 'done'", 12, 7, "areas[0].status")
    assert str(problem) == "data/workplan-2025.yaml:12:7: areas[0].status: unknown status 'done'"


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (Problem("f.yaml", "empty"), "f.yaml: empty"),
        (Problem("f.yaml", "bad", 3), "f.yaml:3: bad"),
        (Problem("f.yaml", "bad", None, 4), "f.yaml: bad"),  # a column without a line: no place
        (Problem("f.yaml", "bad", path="plan.version"), "f.yaml: plan.version: bad"),
    ],
)
def test_a_problem_leaves_out_what_it_does_not_know(problem, text):
    assert str(problem) == text


def test_a_problem_names_the_item_its_path_is_in():
    problem = Problem("f.yaml", "bad", 3, 5, "areas[0].topics[1].title", "topic 1.2")
    assert str(problem) == "f.yaml:3:5: areas[0].topics[1].title (topic 1.2): bad"
    assert problem.as_dict()["subject"] == "topic 1.2"


def test_a_problem_as_a_dict_has_every_key():
    assert Problem("f.yaml", "bad", 1, 2, "x").as_dict() == {
        "file": "f.yaml",
        "line": 1,
        "column": 2,
        "path": "x",
        "subject": "",
        "message": "bad",
    }
    assert Problem("f.yaml", "bad").as_dict()["line"] is None


def test_an_invalid_file_error_keeps_its_problems_and_says_each_on_a_line():
    problems = [Problem("a.yaml", "one", 1, 1), Problem("a.yaml", "two", 2)]
    error = InvalidFileError(problems)
    assert error.problems == problems
    assert str(error) == "a.yaml:1:1: one\na.yaml:2: two"
