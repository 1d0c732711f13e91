"""Parts of a report: which evidence is a link, the timeline, the font, CSS strings."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from workplan_cli.output import i18n
from workplan_cli.output.reportparts import TIMELINE_MAX, css_string, fonts, link, timeline


@pytest.mark.parametrize(
    "text, url",
    [
        ("https://example.org/a?b=1#c", "https://example.org/a?b=1#c"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ('https://example.org/"onmouseover="alert(1)', None),
        ("https://example.org/a b", None),
        ("see https://example.org", None),
        ("file:///etc/passwd", None),
        ("https://", None),
        ("https://[::1", None),
        ("//example.org/x", None),
    ],
)
def test_only_whole_http_urls_are_links(text, url):
    assert link(text) == url


def test_a_timeline_of_the_dated_activities():
    def activity(i, start, end):
        return {
            "id": f"1.1.{i}",
            "title": "t",
            "status": "planned",
            "status_label": "Planned",
            "start": start,
            "end": end,
            "facts_dates": f"{start} to {end}",
        }

    areas = [
        {
            "topics": [
                {
                    "activities": [
                        activity(1, "2025-01-01", "2025-12-31"),
                        activity(2, "2025-07-01", None),  # a start alone: a point
                    ]
                }
            ]
        }
    ]
    found = timeline(areas, i18n.language("en"))
    first, second = found["rows"]
    assert (first["x"], first["w"]) == (0.0, 1.0)
    assert second["w"] == 0 and 0.49 < second["x"] < 0.5
    assert [t["label"] for t in found["ticks"]] == ["Jan 2025", "Apr 2025", "Jul 2025", "Oct 2025"]
    assert found["today"] is None  # no day given
    marked = timeline(areas, i18n.language("en"), dt.date(2025, 7, 1))["today"]
    assert marked["label"] == "1 July 2025" and 0.49 < marked["x"] < 0.5
    assert timeline(areas, i18n.language("en"), dt.date(2027, 1, 1))["today"] is None  # off axis
    many = [
        {
            "topics": [
                {"activities": [activity(i, "2025-01-01", None) for i in range(TIMELINE_MAX + 1)]}
            ]
        }
    ]
    assert timeline(many, i18n.language("en")) == {
        "count": TIMELINE_MAX + 1,
        "rows": [],
        "ticks": [],
        "today": None,
    }


@pytest.mark.parametrize(
    "text", ['x"; } </style><script>alert(1)</script>', "a\\22 b", "line\nbreak", "ü ✓ \x00"]
)
def test_a_css_string_holds_only_letters_digits_spaces_and_escapes(text):
    out = css_string(text)
    assert out.startswith('"') and out.endswith('"')
    assert re.fullmatch(r'"(?:[A-Za-z0-9 ]|\\[0-9a-f]+ )*"', out), out


def test_the_font_is_embedded_as_woff2_data():
    found = fonts()
    assert [(f["family"], f["weight"]) for f in found] == [("Inter", 400), ("Inter", 600)]
    assert all(f["url"].startswith("data:font/woff2;base64,d09GMk") for f in found)  # wOF2
