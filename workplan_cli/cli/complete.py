"""Shell completion of plan versions, activity, indicator, area, topic, objective and stakeholder
ids, and of a plan's parties.

Each function returns [] on any error (a completion must never print a traceback into the
user's shell) and reads the YAML without validating it, so that it also works on a file in the
middle of an edit. The imports happen inside the functions: `workplan --help` stays light.

Plan text is hostile, and typer's own completion scripts hand what we answer to the shell:
zsh's (`eval $(...)`, then `_arguments '*: :(("value":"help" ...))'`, which zsh evaluates again
inside double quotes) escapes `$` and backticks but not the backslash, so a title with `\\$(cmd)`
ran `cmd` on TAB. So a value is offered only when it is a plain id (letters, digits, `.`, `_`,
`-`; an objective's `/` before its number), and a description keeps only letters, digits, space
and `.,;/&+-`: no quote, backslash, `$`, backtick, `:` (zsh's value:description separator), `[`
(rich markup, which typer renders), glob or control character reaches any shell. Everything else
becomes a space; a description is one line of at most DESCRIPTION_MAX characters.

Every command imports this module (its options name these functions), so its patterns are
compiled, and unicodedata imported, only when a completion runs (they cost every command about
0.3 ms).
"""

from __future__ import annotations

import functools
import os
import re
from typing import Any

Choice = tuple[str, str]  # (value, help text shown by zsh and fish)

DESCRIPTION_MAX = 100  # characters; the longest title of the shipped plans has 80
_PLAIN_VALUE = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}(/[1-9][0-9]{0,3})?"  # 1.3/2: an objective
_ESCAPE_SEQUENCE = r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-_])"
_DESCRIPTION_PUNCTUATION = frozenset(" .,;/&+-")  # no glob character, not even ( )


def plain_value(value: object) -> str | None:
    """Returns `value` as text when it is a plain id that any shell takes as one word, else None."""
    text = str(value)
    return text if re.fullmatch(_PLAIN_VALUE, text) else None


def plain_description(text: object) -> str:
    """Returns `text` on one line of at most DESCRIPTION_MAX characters that are letters,
    digits (any script's), spaces or `.,;/&+-`; escape sequences and every other character
    become spaces, runs of spaces one space."""
    import unicodedata

    text = re.sub(_ESCAPE_SEQUENCE, " ", str(text)[: DESCRIPTION_MAX * 20])
    text = unicodedata.normalize("NFC", text)  # a letter with a combining accent stays a letter
    text = "".join(c if c.isalnum() or c in _DESCRIPTION_PUNCTUATION else " " for c in text)
    text = " ".join(text.split())
    if len(text) > DESCRIPTION_MAX:
        text = text[: DESCRIPTION_MAX - 3].rstrip() + "..."
    return text


def _offer(pairs) -> list[Choice]:
    """Returns the pairs whose value is a plain id, with plain descriptions."""
    return [
        (value, plain_description(help))
        for raw, help in pairs
        if (value := plain_value(raw)) is not None
    ]


def _inert(complete):
    """Makes a completion function's choices inert, whatever it returns: plain ids with plain
    descriptions (typer renders a help text as rich markup, where an unbalanced `[/b]` raised a
    traceback into the shell, and the shell evaluates or shows what typer hands it)."""

    @functools.wraps(complete)
    def wrapper(ctx: Any, incomplete: str) -> list[Choice]:
        return _offer(complete(ctx, incomplete))

    return wrapper


@_inert
def plan_versions(ctx: Any, incomplete: str) -> list[Choice]:
    """Returns the repository's plan versions that start with `incomplete`, newest first."""
    try:
        repo = _repo(ctx)
        paths = repo.plan_paths()
        return _offer(
            (version, f"plan {version}{_status_of(repo, paths[version])}")
            for version in reversed(paths)
            if version.startswith(incomplete)
        )
    except Exception:
        return []


def _status_of(repo, path) -> str:
    try:
        return f", {_raw(repo, path)['plan']['status']}"
    except Exception:  # a file in the middle of an edit still has a version in its name
        return ""


@_inert
def activity_ids(ctx: Any, incomplete: str) -> list[Choice]:
    """Returns the ids (and titles) of the chosen plan's activities that start with `incomplete`."""
    try:
        return _offer(
            (str(a["id"]), str(a.get("title", "")))
            for topic in _topics(ctx)
            for a in topic.get("activities") or []
            if str(a["id"]).startswith(incomplete)
        )
    except Exception:
        return []


@_inert
def indicator_ids(ctx: Any, incomplete: str) -> list[Choice]:
    """Returns the ids (and texts) of the chosen plan's indicators that start with `incomplete`."""
    try:
        return _offer(
            (str(i["id"]), str(i.get("text", "")))
            for topic in _topics(ctx)
            for i in topic.get("indicators") or []
            if str(i["id"]).startswith(incomplete)
        )
    except Exception:
        return []


@_inert
def shown_ids(ctx: Any, incomplete: str) -> list[Choice]:
    """Returns what `show` takes that starts with `incomplete`, topic by topic: the topic's id,
    its objectives' (1.3/2), its indicators' and its activities', each with its text."""
    try:
        return _offer(
            (ident, text)
            for topic in _topics(ctx)
            for ident, text in _topic_ids(topic)
            if ident.startswith(incomplete)
        )
    except Exception:
        return []


def _topic_ids(topic: dict):
    """Yields (id, text) of a topic, its objectives, indicators and activities (raw YAML)."""
    yield str(topic["id"]), str(topic.get("title", ""))
    for number, objective in enumerate(topic.get("objectives") or [], 1):
        yield f"{topic['id']}/{number}", str(objective)
    for i in topic.get("indicators") or []:
        yield str(i["id"]), str(i.get("text", ""))
    for a in topic.get("activities") or []:
        yield str(a["id"]), str(a.get("title", ""))


@_inert
def area_ids(ctx: Any, incomplete: str) -> list[Choice]:
    """Returns the ids (and titles) of the chosen plan's areas that start with `incomplete`."""
    try:
        areas = _plan(ctx).get("areas") or []
        return _offer(
            (str(a["id"]), str(a.get("title", "")))
            for a in areas
            if str(a["id"]).startswith(incomplete)
        )
    except Exception:
        return []


@_inert
def topic_ids(ctx: Any, incomplete: str) -> list[Choice]:
    """Returns the ids (and titles) of the chosen plan's topics that start with `incomplete`."""
    try:
        return _offer(
            (str(t["id"]), str(t.get("title", "")))
            for t in _topics(ctx)
            if str(t["id"]).startswith(incomplete)
        )
    except Exception:
        return []


@_inert
def stakeholder_ids(ctx: Any, incomplete: str) -> list[Choice]:
    """Returns the stakeholder ids (and names) that start with `incomplete`."""
    try:
        names = _stakeholder_names(_repo(ctx))
        return _offer(
            (ident, name) for ident, name in names.items() if ident.startswith(incomplete)
        )
    except Exception:
        return []


@_inert
def party_ids(ctx: Any, incomplete: str) -> list[Choice]:
    """Returns the ids (and names) of the parties of the plan named by the command's VERSION
    (else the current plan) that start with `incomplete`."""
    try:
        repo = _repo(ctx)
        parties = _plan(ctx, "version")["plan"]["parties"] or []
        try:
            names = _stakeholder_names(repo)
        except Exception:  # the parties' ids still come from the plan
            names = {}
        return _offer(
            (str(p), names.get(str(p), "")) for p in parties if str(p).startswith(incomplete)
        )
    except Exception:
        return []


def _stakeholder_names(repo) -> dict[str, str]:
    """Returns stakeholder id -> its short name, else its name (raw YAML)."""
    people = _raw(repo, repo.stakeholders_path).get("stakeholders") or []
    return {str(s["id"]): str(s.get("short_name") or s.get("name") or "") for s in people}


def _repo(ctx: Any):
    from workplan_cli.plan.store import find_repo

    params = getattr(ctx, "params", None) or {}
    return find_repo(params.get("repo") or os.environ.get("WORKPLAN_REPO") or None)


def _plan(ctx: Any, param: str = "plan") -> dict:
    """Returns the raw YAML of the plan the command's `param` names, else the current plan.

    An argument (approve's VERSION) given before an option that waits for its value is left
    unparsed in `ctx.args` (click stops parsing there): the first of those is taken for it."""
    repo = _repo(ctx)
    params = getattr(ctx, "params", None) or {}
    name = params.get(param)
    if name is None and param != "plan":
        rest = [a for a in getattr(ctx, "args", None) or [] if not str(a).startswith("-")]
        name = rest[0] if rest else None
    return _raw(repo, repo.plan_path(name) if name else repo.current_plan_path())


def _topics(ctx: Any) -> list[dict]:
    return [t for area in _plan(ctx).get("areas") or [] for t in area.get("topics") or []]


def _raw(repo, path) -> dict:
    """Returns the file's YAML, unvalidated; read as every file is (regular files only, the size
    bounded, no link out of the repository), so that a FIFO or /dev/zero cannot hang a TAB."""
    from workplan_cli import yamlio

    data = yamlio.parse(repo.read(path).decode("utf-8-sig"))
    return data if isinstance(data, dict) else {}
