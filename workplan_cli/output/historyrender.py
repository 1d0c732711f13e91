"""An activity's life as plain text, Markdown or JSON (pure functions returning values)."""

from __future__ import annotations

from typing import Any

from workplan_cli.git.history import (
    APPROVAL,
    COMMIT,
    CREATED,
    MOVED_TOPIC,
    RENAMED,
    RENUMBERED,
    SIGNED,
    ActivityLog,
    Event,
)
from workplan_cli.output import diffrender
from workplan_cli.output.diffrender import field_node
from workplan_cli.output.inert import one_line
from workplan_cli.output.markdown import md_inline as md_escape

JSON_FORMAT = 1


def _what(event: Event) -> str:
    """Returns what a commit did, in words."""
    if event.change in (RENUMBERED, MOVED_TOPIC):
        text = f"{event.change} from {event.old_id}"
    elif event.change == CREATED and event.old_path is None and not event.fields:
        text = "added"
    else:
        text = event.change or ""
    if event.old_path and event.change != RENAMED:
        text += f"; file renamed from {event.old_path}"
    elif event.change == RENAMED:
        text += f" from {event.old_path}"
    if event.problem:
        text += f": {event.problem} (skipped)"
    return text


def _status_text(event: Event) -> str:
    """Returns a history entry without its date: 'planned → completed by X: note'."""
    return diffrender.entry_text(event.entry or {})


def agreement_text(event: Any) -> str:
    """Returns the signing or an approval in words: "signed 2024-02-13 by MICDE and BMDV",
    "approved by MICDE (Jane Doe) on 2024-11-20: note"."""
    from workplan_cli.plan.agreed import and_list

    entry = event.entry or {}
    earlier = "" if entry.get("current", True) else " (of an earlier text)"
    if event.kind == SIGNED:
        text = f"signed {entry.get('date')}"
        if entry.get("names"):
            text += f" by {and_list(entry['names'])}"
        if entry.get("occasion"):
            text += f" at the {entry['occasion']}"
        if entry.get("status") == "superseded":
            text += ", since superseded"
        current = entry.get("current", True)
        return text + ("" if current else " (its agreed content changed since)")
    text = f"approved by {entry.get('name')}"
    if entry.get("by"):
        text += f" ({entry['by']})"
    text += f" on {entry.get('date')}{earlier}"
    return text + (f": {entry['note']}" if entry.get("note") else "")


def _plain_lines(node, depth: int) -> list[str]:
    lines = ["    " + "  " * depth + diffrender.plain_label(node)]
    for child in node.children:
        lines += _plain_lines(child, depth + 1)
    return lines


def to_text(log: ActivityLog) -> str:
    """Returns the life as plain text, one block an event; plan text and commit messages
    as inert lines (one_line)."""
    lines = [one_line(f"Activity {log.id}  {log.title}  ({log.path})"), ""]
    if not log.events:
        lines.append("No commits changed it and it has no status history.")
    for event in log.events:
        if event.kind == COMMIT:
            commit = (event.commit or "")[:10]  # a commit event has one
            head = f"{event.date[:10]}  commit {commit}  {event.author}  {event.subject}"
            lines.append(one_line(head))
            lines.append(f"    {one_line(_what(event))}")
            for f in event.fields:
                lines += _plain_lines(field_node(f), 0)
        elif event.kind in (SIGNED, APPROVAL):
            lines.append(one_line(f"{event.date}  agreement  {agreement_text(event)}"))
        else:
            lines.append(one_line(f"{event.date}  status  {_status_text(event)}"))
    return "\n".join(lines) + "\n"


def to_markdown(log: ActivityLog) -> str:
    """Returns the life as a Markdown list, plan text escaped."""
    lines = [f"## Activity {log.id}: {md_escape(log.title)}", "", f"In {md_escape(log.path)}.", ""]
    if not log.events:
        lines.append("No commits changed it and it has no status history.")
    for event in log.events:
        if event.kind == COMMIT:
            commit = (event.commit or "")[:10]  # a commit event has one
            lines.append(
                f"- {event.date[:10]} commit `{commit}` by {md_escape(event.author)}: "
                f"{md_escape(event.subject)}; {md_escape(_what(event))}"
            )
            lines += [
                "  " + line
                for line in diffrender.markdown_list([field_node(f) for f in event.fields])
            ]
        elif event.kind in (SIGNED, APPROVAL):
            lines.append(f"- {event.date} agreement: {md_escape(agreement_text(event))}")
        else:
            lines.append(f"- {event.date} status: {md_escape(_status_text(event))}")
    return "\n".join(lines) + "\n"


def to_json(log: ActivityLog) -> dict:
    """Returns the documented JSON shape (see docs/git-review.md, `workplan log`)."""
    return {
        "format": JSON_FORMAT,
        "id": log.id,
        "version": log.version,
        "path": log.path,
        "title": log.title,
        "commits_scanned": log.commits_scanned,
        "events": [_event(e) for e in log.events],
    }


def _event(event: Event) -> dict:
    if event.kind in (SIGNED, APPROVAL):
        return {
            "kind": event.kind,
            "date": event.date,
            "id": event.id,
            "entry": event.entry,
            "text": agreement_text(event),
        }
    if event.kind != COMMIT:
        return {"kind": event.kind, "date": event.date, "id": event.id, "entry": event.entry}
    return {
        "kind": event.kind,
        "date": event.date,
        "id": event.id,
        "commit": event.commit,
        "author": event.author,
        "subject": event.subject,
        "change": event.change,
        "old_id": event.old_id,
        "path": event.path,
        "old_path": event.old_path,
        "problem": event.problem,
        "fields": [diffrender.field_json(f) for f in event.fields],
    }


# --- an indicator's life (git/indicatorlog.py) ------------------------------------------------


def _indicator_lines(event) -> list[tuple[str, str]]:
    from workplan_cli.output.resultwords import entry_lines

    return entry_lines(event.change or "", event.fields) if event.fields else []


def _actual_text(entry: dict) -> str:
    from workplan_cli.output.resultwords import value

    text = f"for {entry.get('period')}: {value(entry.get('value'))}"
    if entry.get("by"):
        text += f" by {value(entry['by'])}"
    if entry.get("note"):
        text += f": {value(entry['note'])}"
    return text


def _indicator_what(event) -> str:
    text = event.change or ""
    return f"{text}: {event.problem} (skipped)" if event.problem else text


def indicator_text(log) -> str:
    """Returns an indicator's life as plain text: commits with their changes in words, and the
    recorded actuals; every line inert."""
    lines = [one_line(f"Indicator {log.id}  {log.title}  ({log.path})"), ""]
    if not log.events:
        lines.append("No commits changed it and it has no actuals.")
    for event in log.events:
        if event.kind == COMMIT:
            head = f"{event.date[:10]}  commit {(event.commit or '')[:10]}  {event.author}"
            lines.append(one_line(f"{head}  {event.subject}"))
            lines.append(f"    {one_line(_indicator_what(event))}")
            lines += [f"      {one_line(f'{m} {t}')}" for m, t in _indicator_lines(event)]
        elif event.kind in (SIGNED, APPROVAL):
            lines.append(one_line(f"{event.date}  agreement  {agreement_text(event)}"))
        else:
            lines.append(one_line(f"{event.date}  actual  {_actual_text(event.entry or {})}"))
    return "\n".join(lines) + "\n"


def indicator_markdown(log) -> str:
    """Returns an indicator's life as a Markdown list, plan text escaped."""
    lines = [f"## Indicator {log.id}: {md_escape(log.title)}", "", f"In {md_escape(log.path)}.", ""]
    if not log.events:
        lines.append("No commits changed it and it has no actuals.")
    for event in log.events:
        if event.kind == COMMIT:
            lines.append(
                f"- {event.date[:10]} commit `{(event.commit or '')[:10]}` by "
                f"{md_escape(event.author)}: {md_escape(event.subject)}; "
                f"{md_escape(_indicator_what(event))}"
            )
            lines += [f"  - {md_escape(t)}" for _, t in _indicator_lines(event)]
        elif event.kind in (SIGNED, APPROVAL):
            lines.append(f"- {event.date} agreement: {md_escape(agreement_text(event))}")
        else:
            lines.append(f"- {event.date} actual {md_escape(_actual_text(event.entry or {}))}")
    return "\n".join(lines) + "\n"


def indicator_json(log) -> dict:
    """Returns an indicator's life as JSON: the shape of an activity's, with `actual` events."""
    events = []
    for e in log.events:
        if e.kind in (SIGNED, APPROVAL):
            events.append(
                {
                    "kind": e.kind,
                    "date": e.date,
                    "id": log.id,
                    "entry": e.entry,
                    "text": agreement_text(e),
                }
            )
            continue
        if e.kind != COMMIT:
            events.append({"kind": e.kind, "date": e.date, "id": log.id, "entry": e.entry})
            continue
        events.append(
            {
                "kind": e.kind,
                "date": e.date,
                "id": log.id,
                "commit": e.commit,
                "author": e.author,
                "subject": e.subject,
                "change": e.change,
                "problem": e.problem,
                "fields": [diffrender.field_json(f) for f in e.fields],
                "words": [t for _, t in _indicator_lines(e)],
            }
        )
    return {
        "format": JSON_FORMAT,
        "id": log.id,
        "version": log.version,
        "path": log.path,
        "title": log.title,
        "commits_scanned": log.commits_scanned,
        "events": events,
    }
