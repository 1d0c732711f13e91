"""Turns the bytes of a plan or stakeholders file into a validated model, or located problems."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, TypeVar

from workplan_cli import yamlio
from workplan_cli.errors import InvalidFileError, Problem
from workplan_cli.fileio import MAX_READ_BYTES
from workplan_cli.plan.checks import (
    Finding,
    check_future,
    check_plan,
    check_stakeholders,
    render_loc,
    subject_of,
)
from workplan_cli.plan.model import Plan, StakeholderFile

if TYPE_CHECKING:
    from pydantic import TypeAdapter
    from pydantic_core import ErrorDetails

MAX_BYTES = MAX_READ_BYTES  # the one limit: files are read with it (fileio.read_regular)

MAX_PROBLEMS = 20  # per file: past that, more lines help nobody find the first mistake

M = TypeVar("M")

_BOM = "byte order mark"
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")

_TOP_KEYS = {
    Plan: "schema_version, plan and areas",
    StakeholderFile: "schema_version and stakeholders",
}


def decode(data: bytes, name: str) -> str:
    """Returns the text of a UTF-8 file (a BOM is allowed), or raises with the bad byte's place."""
    if len(data) > MAX_BYTES:
        raise InvalidFileError(
            [Problem(name, f"file is too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})")]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if data.startswith(_WIDE_BOMS):
            message = f"not UTF-8 text: it starts with a UTF-16 or UTF-32 {_BOM}; save it as UTF-8"
            raise InvalidFileError([Problem(name, message)]) from None
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        byte = data[e.start : e.start + 1].hex()
        raise InvalidFileError(
            [
                Problem(
                    name,
                    f"not UTF-8 text: byte 0x{byte} at offset {e.start} cannot be decoded",
                    line,
                    column,
                )
            ]
        ) from None


def parse_plan(data: bytes, name: str, stakeholder_ids=None) -> Plan:
    """Returns the validated plan; references are checked when stakeholder ids are given."""
    text = decode(data, name)
    plan = _validate(Plan, _parse(text, name), text, name)
    _raise_findings(check_plan(plan, stakeholder_ids), text, name, plan)
    return plan


def future_problems(plan: Plan, data: bytes, name: str, today) -> list[Problem]:
    """Returns a located problem for each history entry of the valid `plan` (parsed from `data`)
    dated after `today`."""
    findings = check_future(plan, today)
    if not findings:
        return []
    return _locate([(f.loc, False, f.message) for f in findings], decode(data, name), name, plan)


def agreement_problems(plan: Plan, data: bytes, name: str, explain=None) -> list[Problem]:
    """Returns a located problem for each approval of an earlier text of the valid `plan`, and
    for a signed plan whose agreed content differs from its signature's without every party's
    approval (plan/agreed.py)."""
    from workplan_cli.plan import agreed

    hand, waiting = agreed.signed_by_hand(plan), agreed.awaiting(plan, explain)
    if not hand and not waiting:
        return []
    text = decode(data, name)
    out = _locate([(f.loc, False, f.message) for f in hand], text, name, plan)
    located = _locate([(f.loc, False, f.message) for f in waiting], text, name, plan)
    return out + [dataclasses.replace(p, awaiting=True) for p in located]


def parse_stakeholders(data: bytes, name: str) -> StakeholderFile:
    """Returns the validated stakeholders file."""
    text = decode(data, name)
    file = _validate(StakeholderFile, _parse(text, name), text, name)
    _raise_findings(check_stakeholders(file), text, name, file)
    return file


def parse_raw(data: bytes, name: str) -> Any:
    """Returns the plain data of a file, unvalidated."""
    return _parse(decode(data, name), name)


def _parse(text: str, name: str) -> Any:
    try:
        return yamlio.parse(text)
    except yamlio.YamlSyntaxError as e:
        raise InvalidFileError([Problem(name, e.message, e.line, e.column)]) from None


def _validate(model: type[M], data: Any, text: str, name: str) -> M:
    if not isinstance(data, dict):
        line: int | None
        col: int | None
        found, (line, col) = f"a {_kind(data)}", (1, 1)
        if data is None:
            place = _first_content(text)
            found, (line, col) = ("null", place) if place else ("an empty file", (None, None))
        raise InvalidFileError(
            [
                Problem(
                    name,
                    f"expected a mapping with keys {_TOP_KEYS[model]}, found {found}",
                    line,
                    col,
                )
            ]
        )
    from pydantic import ValidationError

    try:
        return _adapter(model).validate_python(data)
    except ValidationError as e:
        # Only the first few are explained and located (a junk list can give 300,000 errors,
        # which are let go before the document is composed again to find the places).
        total = e.error_count()
        errors = e.errors(include_url=False) if total <= 1000 else _first_errors(model, data)
        problems = [_problem_of(err) for err in errors[:MAX_PROBLEMS]]
    raise InvalidFileError(_locate(problems, text, name, data, total))


def _first_errors(model: type, data: Any) -> list[ErrorDetails]:
    """Returns the first validation errors of `data`, found on a copy with every list cut short:
    pydantic hands out all errors or none, and 300,000 of them took 300 MB."""
    from pydantic import ValidationError

    try:
        _adapter(model).validate_python(_cut(data))
    except ValidationError as e:
        return e.errors(include_url=False)
    return []


def _cut(value: Any) -> Any:
    if isinstance(value, list):
        return [_cut(item) for item in value[:MAX_PROBLEMS]]
    if isinstance(value, dict):
        return {key: _cut(item) for key, item in value.items()}
    return value


_adapters: dict[type, Any] = {}  # a model class's pydantic TypeAdapter


def _adapter(model: type[M]) -> TypeAdapter[M]:
    """Returns pydantic's validator for a model class, built once per process."""
    adapter = _adapters.get(model)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _adapters[model] = TypeAdapter(model)
    return adapter


def _raise_findings(findings: list[Finding], text: str, name: str, root: object) -> None:
    if findings:
        problems = [(f.loc, False, f.message) for f in findings]
        raise InvalidFileError(_locate(problems, text, name, root))


def _problem_of(err: ErrorDetails) -> tuple[tuple, bool, str]:
    """Returns (loc, point at the key?, message) for one pydantic error."""
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return loc, True, f"unknown key {_show(loc[-1])}"
    if kind in ("missing", "missing_keyword_argument"):
        return loc[:-1], False, f"missing required key {loc[-1]!r}"
    if kind == "enum":
        expected = ", ".join(_enum_values(err))
        return loc, False, f"{_show(value)} is not one of {expected}"
    if kind == "string_type" and loc and loc[-1] == "id" and isinstance(value, (int, float)):
        return (
            loc,
            False,
            f'ids must be quoted strings: write "{value}" (unquoted, 1.10 reads as the number 1.1)',
        )
    message = err["msg"].removeprefix("Value error, ")
    if kind.endswith("_type") or kind.startswith(("date", "int")):
        message = f"{message}, found {_show(value)}"
    return loc, False, message


def _enum_values(err: ErrorDetails) -> list[str]:
    expected = (err.get("ctx") or {}).get("expected", "")
    return [v.strip().strip("'") for v in expected.replace(" or ", ", ").split(",") if v.strip()]


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return f"a {_kind(value)}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: Any) -> str:
    kinds = {dict: "mapping", list: "list", str: "string", bool: "true/false value"}
    return kinds.get(type(value), "number" if isinstance(value, (int, float)) else "value")


def _first_content(text: str) -> tuple[int, int] | None:
    """Returns the place of the first character that is not blank or in a comment, if any."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if stripped and not stripped.startswith("#"):
            return number, len(line) - len(stripped) + 1
    return None


def _locate(
    problems: list[tuple[tuple, bool, str]], text: str, name: str, root: object, total: int = 0
) -> list[Problem]:
    """Returns the problems with their places in the text; `root` (the data or the model) gives
    the ids of the areas, topics, activities and stakeholders they are inside."""
    shown = problems[:MAX_PROBLEMS]
    hidden = max(total, len(problems)) - len(shown)
    places = yamlio.find_all(text, [(loc, at_key) for loc, at_key, _ in shown])
    out = []
    for (loc, _, message), place in zip(shown, places, strict=False):
        line, column = place or (None, None)
        path = _short_path(render_loc(loc))
        out.append(Problem(name, message, line, column, path, subject_of(loc, root)))
    if hidden > 0:
        out.append(
            Problem(name, f"and {hidden:,} more problems (fix the first ones, then look again)")
        )
    return out


def _short_path(path: str) -> str:
    """Returns a path cut to a readable length (a key may be thousands of characters long)."""
    return path if len(path) <= 120 else path[:117] + "..."
