"""The project's own errors: each message is what the user reads."""

from __future__ import annotations

from dataclasses import dataclass


class WorkplanError(Exception):
    """Base of every error the tool reports to a user (exit code 1)."""


class RepoNotFoundError(WorkplanError):
    """No plan repository where one was looked for."""


class UnknownPlanError(WorkplanError):
    """A plan version that the repository does not hold."""


class UnknownActivityError(WorkplanError):
    """An activity id that the plan does not hold."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, at a place in it when there is one."""

    file: str
    message: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    path: str = ""  # place in the document, e.g. areas[0].topics[2].status
    subject: str = ""  # what the path is inside, by its id, e.g. "activity 1.3.2"
    # Nothing is wrong but that agreed content awaits approval: an amendment of a signed plan,
    # an approval of an earlier text (plan/agreed.py). `review` exits 5 for these, not 1.
    awaiting: bool = False

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.what()}"

    def what(self) -> str:
        """Returns the place in the document (with the id it is inside) and the message."""
        place = f"{self.path} ({self.subject})" if self.subject else self.path
        return f"{place}: {self.message}" if place else self.message

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "subject": self.subject,
            "message": self.message,
        }


class InvalidFileError(WorkplanError):
    """A plan or stakeholders file that cannot be read, parsed or validated."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
