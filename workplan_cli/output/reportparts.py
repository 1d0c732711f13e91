"""Parts of a report beside its context's plain data: the timeline of dated activities, which
evidence is a link, the embedded font, and plan text made safe inside a CSS string (pure)."""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:  # babel is not imported where report.py is (the pdf's small child process)
    from workplan_cli.output import i18n

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"

TIMELINE_MAX = 60  # dated activities drawn on the first pages' timeline; more: a sentence only


def timeline(areas: list[dict], tr: i18n.Language, as_of: dt.date | None = None) -> dict | None:
    """Returns the dated activities on one time axis (None when none has a date): `rows` [id,
    title, status, status_label, x and w as shares of the axis (a start or an end alone is a
    point: w 0)], `ticks` [x, label] at the months (or quarters, or years) the axis spans, and
    `count`; past TIMELINE_MAX dated activities, `rows` is empty and only `count` is given.
    `today` is {x, label} of `as_of` (the report's "status as of") when it falls on the axis,
    else None."""
    dated = [
        a
        for area in areas
        for t in area["topics"]
        for a in t["activities"]
        if a.get("start") or a.get("end")
    ]
    if not dated:
        return None
    if len(dated) > TIMELINE_MAX:
        return {"count": len(dated), "rows": [], "ticks": [], "today": None}
    days = [dt.date.fromisoformat(d) for a in dated for d in (a.get("start"), a.get("end")) if d]
    first, last = min(days).replace(day=1), max(days)
    last = _add_months(last.replace(day=1), 1)
    span = (last - first).days or 1

    def x(day: dt.date) -> float:
        return round((day - first).days / span, 4)

    rows = []
    for a in dated:
        start = dt.date.fromisoformat(a.get("start") or a["end"])
        end = dt.date.fromisoformat(a.get("end") or a["start"])
        rows.append(
            {
                "id": a["id"],
                "title": a["title"],
                "status": a["status"],
                "status_label": a["status_label"],
                "dates": a["facts_dates"],
                "x": x(start),
                "w": round(max(x(end + dt.timedelta(days=1)) - x(start), 0), 4)
                if a.get("start") and a.get("end")
                else 0,
            }
        )
    months = (last.year - first.year) * 12 + last.month - first.month
    step = 1 if months <= 6 else 3 if months <= 24 else 12  # ticks that fit their labels
    ticks, day = [], first
    while day < last:
        ticks.append({"x": x(day), "label": tr.month(day)})
        day = _add_months(day, step)
    today = None
    if as_of is not None and first <= as_of < last:
        today = {"x": x(as_of), "label": tr.date(as_of)}
    return {"count": len(dated), "rows": rows, "ticks": ticks, "today": today}


def _add_months(day: dt.date, n: int) -> dt.date:
    months = day.year * 12 + day.month - 1 + n
    return dt.date(months // 12, months % 12 + 1, 1)


_URL = re.compile(r"https?://[^\s\"'<>\\^`{|}\x00-\x1f\x7f]+", re.IGNORECASE)


def link(text: str) -> str | None:
    """Returns the text as a link target when it is one whole http or https URL with a host and
    only the characters a URL may hold unescaped; None for anything else (javascript:, data:,
    file:, a URL with quotes or spaces, a text with a URL in it), which is shown as text."""
    text = text.strip()
    if not _URL.fullmatch(text):
        return None
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018  # raises for a port out of range
    except ValueError:  # a malformed host ('https://[::1')
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return text


def fonts() -> list[dict]:
    """Returns the report's bundled font (Inter, SIL OFL 1.1: fonts/OFL.txt) as data: URLs
    for @font-face, so that every machine and browser shows the same letters."""
    out = []
    for weight, name in ((400, "Inter-Regular.woff2"), (600, "Inter-SemiBold.woff2")):
        data = (FONT_DIR / name).read_bytes()
        out.append(
            {
                "family": "Inter",
                "weight": weight,
                "url": "data:font/woff2;base64," + base64.b64encode(data).decode("ascii"),
            }
        )
    return out


def css_string(value) -> str:
    """Returns text as a quoted CSS string with every character but letters, digits and spaces
    escaped (`\\3c ` for '<'), so that plan text in a stylesheet (the running header) can end
    neither the string nor the style element."""
    out = []
    for ch in str(value):
        if ch.isascii() and (ch.isalnum() or ch == " "):
            out.append(ch)
        elif ch in "\r\n\0" or not ch.isprintable():
            out.append(" ")
        else:
            out.append(f"\\{ord(ch):x} ")
    return '"' + "".join(out) + '"'
