"""Shell completion of plan versions, activity, area, topic and stakeholder ids.

Each function returns [] on any error (a completion must never print a traceback into the
user's shell) and reads the YAML without validating it, so that it also works on a file in the
middle of an edit. The imports happen inside the functions: `workplan --help` stays light.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from workplan_cli.output.inert import one_line

Choice = tuple[str, str]  # (value, help text shown by zsh and fish)


def _inert(complete):
    """Makes a completion function's choices inert: typer renders a help text as rich markup
    (an unbalanced `[/b]` in a title raised a traceback into the shell) and the shell shows it
    as it is (an escape sequence acted on the terminal)."""

    @functools.wraps(complete)
    def wrapper(ctx: Any, incomplete: str) -> list[Choice]:
        from rich.markup import escape

        return [
            (one_line(value), escape(one_line(text))) for value, text in complete(ctx, incomplete)
        ]

    return wrapper


@_inert
def plan_versions(ctx: Any, incomplete: str) -> list[Choice]:
    """Returns the repository's plan versions that start with `incomplete`, newest first."""
    try:
        paths = _repo(ctx).plan_paths()
        return [
            (version, f"plan {version}{_status_of(paths[version])}")
            for version in reversed(paths)
            if version.startswith(incomplete)
        ]
    except Exception:
        return []


def _status_of(path) -> str:
    try:
        return f", {_raw(path)['plan']['status']}"
    except Exception:  # a file in the middle of an edit still has a version in its name
        return ""


@_inert
def activity_ids(ctx: Any, incomplete: str) -> list[Choice]:
    """Returns the ids (and titles) of the chosen plan's activities that start with `incomplete`."""
    try:
        return [
            (str(a["id"]), str(a.get("title", "")))
            for topic in _topics(ctx)
            for a in topic.get("activities") or []
            if str(a["id"]).startswith(incomplete)
        ]
    except Exception:
        return []


@_inert
def area_ids(ctx: Any, incomplete: str) -> list[Choice]:
    """Returns the ids (and titles) of the chosen plan's areas that start with `incomplete`."""
    try:
        areas = _plan(ctx).get("areas") or []
        return [
            (str(a["id"]), str(a.get("title", "")))
            for a in areas
            if str(a["id"]).startswith(incomplete)
        ]
    except Exception:
        return []


@_inert
def topic_ids(ctx: Any, incomplete: str) -> list[Choice]:
    """Returns the ids (and titles) of the chosen plan's topics that start with `incomplete`."""
    try:
        return [
            (str(t["id"]), str(t.get("title", "")))
            for t in _topics(ctx)
            if str(t["id"]).startswith(incomplete)
        ]
    except Exception:
        return []


@_inert
def stakeholder_ids(ctx: Any, incomplete: str) -> list[Choice]:
    """Returns the stakeholder ids (and names) that start with `incomplete`."""
    try:
        people = _raw(_repo(ctx).stakeholders_path).get("stakeholders") or []
        return [
            (str(s["id"]), str(s.get("short_name") or s.get("name") or ""))
            for s in people
            if str(s["id"]).startswith(incomplete)
        ]
    except Exception:
        return []


def _repo(ctx: Any):
    from workplan_cli.plan.store import find_repo

    params = getattr(ctx, "params", None) or {}
    return find_repo(params.get("repo") or os.environ.get("WORKPLAN_REPO") or None)


def _plan(ctx: Any) -> dict:
    repo = _repo(ctx)
    params = getattr(ctx, "params", None) or {}
    name = params.get("plan")
    return _raw(repo.plan_path(name) if name else repo.current_plan_path())


def _topics(ctx: Any) -> list[dict]:
    return [t for area in _plan(ctx).get("areas") or [] for t in area.get("topics") or []]


def _raw(path) -> dict:
    from workplan_cli import yamlio

    data = yamlio.parse(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}
