"""A large report printed as a pdf in parts and joined (output/pdfparts.py): how the report is
cut, and the joined pdf read back as a reader sees it, from both engines."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workplan_cli.errors import WorkplanError
from workplan_cli.output import pdfparts


def _context(*areas: list[int]) -> dict:
    """A report context with areas of topics of so many activities: _context([2, 0], [3])."""
    return {
        "title": "x",
        "part": None,
        "areas": [
            {
                "id": f"{a}",
                "topics": [
                    {
                        "id": f"{a}.{t}",
                        "activities": [{"id": f"{a}.{t}.{i}"} for i in range(1, n + 1)],
                    }
                    for t, n in enumerate(sizes, 1)
                ],
            }
            for a, sizes in enumerate(areas, 1)
        ],
    }


def _ids(part: dict) -> list[str]:
    return [
        a["id"] for area in part["part"]["areas"] for t in area["topics"] for a in t["activities"]
    ]


def test_a_small_report_is_one_part():
    [part] = pdfparts.split(_context([2, 3], [1]), 6)
    assert part["part"]["first"] and part["part"]["last"] and not part["part"]["continued"]
    assert _ids(part) == ["1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.2.3", "2.1.1"]


def test_topics_stay_whole_while_they_fit():
    parts = pdfparts.split(_context([2, 3], [1, 4]), 4)
    assert [_ids(p) for p in parts] == [
        ["1.1.1", "1.1.2"],
        ["1.2.1", "1.2.2", "1.2.3", "2.1.1"],
        ["2.2.1", "2.2.2", "2.2.3", "2.2.4"],
    ]
    # Area 1 goes on in the second part (no heading again), area 2 begins there.
    assert [p["part"]["continued"] for p in parts] == [set(), {"1"}, {"2"}]
    assert [(p["part"]["first"], p["part"]["last"]) for p in parts] == [
        (True, False),
        (False, False),
        (False, True),
    ]
    assert all(p["title"] == "x" and p["part"]["numbers"] == 0 for p in parts)


def test_a_topic_larger_than_a_part_is_cut_between_activities():
    parts = pdfparts.split(_context([1, 5]), 2)
    assert [_ids(p) for p in parts] == [
        ["1.1.1"],
        ["1.2.1", "1.2.2"],
        ["1.2.3", "1.2.4"],
        ["1.2.5"],
    ]
    assert [p["part"]["continued"] for p in parts] == [set(), {"1"}, {"1", "1.2"}, {"1", "1.2"}]


def test_a_topic_without_activities_keeps_its_place():
    parts = pdfparts.split(_context([2, 0, 1]), 2)
    assert [[t["id"] for a in p["part"]["areas"] for t in a["topics"]] for p in parts] == [
        ["1.1", "1.2"],
        ["1.3"],
    ]


@given(
    st.lists(st.lists(st.integers(0, 9), min_size=1, max_size=5), min_size=1, max_size=5),
    st.integers(1, 12),
)
def test_every_activity_is_in_one_part_in_order(areas, most):
    context = _context(*areas)
    parts = pdfparts.split(context, most)
    everything = [
        a["id"] for area in context["areas"] for t in area["topics"] for a in t["activities"]
    ]
    assert [i for p in parts for i in _ids(p)] == everything
    assert all(len(_ids(p)) <= most for p in parts)
    topics = [t["id"] for area in context["areas"] for t in area["topics"]]
    shown = [t["id"] for p in parts for area in p["part"]["areas"] for t in area["topics"]]
    assert list(dict.fromkeys(shown)) == topics  # every topic, in order, none lost when empty
    # A heading is printed once: in the first part that has its area or topic.
    seen: set[str] = set()
    for p in parts:
        for area in p["part"]["areas"]:
            assert (area["id"] in p["part"]["continued"]) == (area["id"] in seen)
            seen.add(area["id"])
            for t in area["topics"]:
                assert (t["id"] in p["part"]["continued"]) == (t["id"] in seen)
                seen.add(t["id"])


def test_links_to_another_part_use_an_address_drawn_for_the_report():
    # so that no link in a plan's text (evidence) can pass for one and be turned into another
    first, second = pdfparts.split(_context([2, 2]), 2), pdfparts.split(_context([2, 2]), 2)
    assert len({p["part"]["elsewhere"] for p in first}) == 1
    assert first[0]["part"]["elsewhere"] != second[0]["part"]["elsewhere"]
    assert first[0]["part"]["elsewhere"].endswith(".elsewhere.workplan.invalid/")


def test_the_page_number_layer():
    layer = pdfparts.numbers(_context([1]), 7)
    assert layer["part"]["numbers"] == 7 and layer["areas"]


def test_a_part_that_is_not_a_pdf_is_an_error():
    pytest.importorskip("pypdf")
    with pytest.raises(WorkplanError, match="a part of the pdf cannot be read back"):
        pdfparts.count_pages(b"not a pdf")


# --- The shipped plan printed in parts of 5 activities, by each engine --------------------------


def _engines() -> list:
    chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Chromium")
    return ["weasyprint", pytest.param("chromium", marks=chromium)]


def _pages(path: Path) -> list[str]:
    pypdf = pytest.importorskip("pypdf")
    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages]


def _headings(pages: list[str]) -> list[str]:
    found = re.findall(r"\b([123](?:\.[1-9])?) (?=[A-Z])", " ".join(pages))
    return list(dict.fromkeys(found))


@pytest.mark.slow
@pytest.mark.parametrize("engine", _engines())
def test_a_report_printed_in_parts_reads_as_one(repo, cli, monkeypatch, engine):
    if engine == "weasyprint":
        pytest.importorskip("weasyprint", exc_type=ImportError)
    args = ("report", "-f", "pdf", "--engine", engine, "--as-of", "2025-01-31")
    cli(*args, "-o", "whole.pdf")
    monkeypatch.setenv("WORKPLAN_PDF_PART_ACTIVITIES", "5")
    cli(*args, "-o", "parts.pdf")
    whole, parts = _pages(repo / "whole.pdf"), _pages(repo / "parts.pdf")
    assert len(parts) > len(whole)  # each of the 4 parts begins on a new page
    # "Page n of N" on every page, counted over the whole pdf, not per part.
    for n, text in enumerate(parts, 1):
        assert re.findall(r"Page \d+ of \d+", text) == [f"Page {n} of {len(parts)}"], n
    # The same headings in the same order; the title page and the list of stakeholders once.
    assert _headings(parts) == _headings(whole)
    text = " ".join(parts)
    assert text.count("Status as of") == len(parts) + 1  # every page's header, the title page
    for name in ("Federal Ministry for Digital and Transport", "Internet Governance Forum"):
        assert text.count(name) == " ".join(whole).count(name)  # title page, stakeholders
    assert "(continued)" in text  # a topic that goes on in the next part says so
    for activity in re.findall(r"\b\d\.\d\.\d\b", " ".join(whole)):
        assert activity in text
    assert "file://" not in text and "workplan-pdf-" not in text


@pytest.mark.slow
@pytest.mark.parametrize("engine", _engines())
def test_a_draft_printed_in_parts_is_marked_on_every_page(repo, cli, monkeypatch, engine):
    if engine == "weasyprint":
        pytest.importorskip("weasyprint", exc_type=ImportError)
    monkeypatch.setenv("WORKPLAN_PDF_PART_ACTIVITIES", "4")
    cli("report", "--plan", "2025", "-f", "pdf", "--engine", engine, "--lang", "de", "-o", "d.pdf")
    pages = _pages(repo / "d.pdf")
    assert len(pages) > 3
    for n, text in enumerate(pages, 1):
        assert "ENTWURF, nicht vereinbart" in text, n
        assert f"Seite {n} von {len(pages)}" in text, n


@pytest.mark.slow
def test_a_repositorys_own_template_is_printed_whole(repo, cli, monkeypatch):
    pytest.importorskip("weasyprint", exc_type=ImportError)
    template = repo / "templates" / "report.html.j2"
    template.parent.mkdir()
    template.write_text("<!DOCTYPE html><title>t</title><p>{{ areas|length }} areas</p>\n")
    monkeypatch.setenv("WORKPLAN_PDF_PART_ACTIVITIES", "1")
    cli("report", "-f", "pdf", "-o", "own.pdf")
    assert _pages(repo / "own.pdf") == ["3 areas"]


def test_the_part_size_must_be_a_number(repo, cli, monkeypatch):
    monkeypatch.setenv("WORKPLAN_PDF_PART_ACTIVITIES", "many")
    result = cli("report", "-f", "pdf", "-o", "r.pdf", code=1)
    assert "WORKPLAN_PDF_PART_ACTIVITIES='many': not a positive number" in result.stderr
    assert not (repo / "r.pdf").exists()


@pytest.mark.slow
@pytest.mark.parametrize("engine", _engines())
def test_links_between_parts_go_to_the_activitys_page(repo, cli, monkeypatch, engine):
    # The first page lists the overdue activities of the 2025 draft, each a link to its card,
    # which is in a later part: the joined pdf links straight to that card's page.
    if engine == "weasyprint":
        pytest.importorskip("weasyprint", exc_type=ImportError)
    pypdf = pytest.importorskip("pypdf")
    monkeypatch.setenv("WORKPLAN_PDF_PART_ACTIVITIES", "4")
    cli("report", "--plan", "2025", "--as-of", "2026-06-01", "-f", "pdf", "--engine", engine,
        "-o", "d.pdf")  # fmt: skip
    reader = pypdf.PdfReader(repo / "d.pdf")
    number = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    links = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            uri = action.get_object().get("/URI") if action else None
            assert uri is None or "invalid" not in uri  # no link to the placeholder is left
            if annotation.get("/Dest") is not None:
                links.append(annotation)
    first = [a for a in links if reader.pages[0]["/Annots"].count(a.indirect_reference)]
    overdue = re.findall(r"\b\d\.\d\.\d\b", reader.pages[0].extract_text().split("Overdue")[1])
    assert len(first) >= 3 and len(first) == len(set(overdue[: len(first)]))
    for annotation, activity in zip(first, overdue, strict=False):  # in the order of the list
        target = number[annotation["/Dest"][0].idnum]
        assert target > 0
        assert activity in reader.pages[target].extract_text(), (activity, target)


@pytest.mark.slow
def test_the_size_limit_counts_the_report_once_not_each_parts_head(repo, cli, monkeypatch):
    pytest.importorskip("weasyprint", exc_type=ImportError)
    cli("report", "-f", "html", "--as-of", "2025-01-31", "-o", "r.html")
    size = len((repo / "r.html").read_bytes())
    monkeypatch.setenv("WORKPLAN_PDF_PART_ACTIVITIES", "6")  # 4 parts, 4 heads of styles and fonts
    monkeypatch.setenv("WORKPLAN_PDF_HTML_MB", f"{size * 1.05 / 1e6}")  # parts: 3x as much
    cli("report", "-f", "pdf", "--as-of", "2025-01-31", "-o", "r.pdf")
    monkeypatch.setenv("WORKPLAN_PDF_HTML_MB", f"{size * 0.95 / 1e6}")
    result = cli("report", "-f", "pdf", "--as-of", "2025-01-31", "-o", "s.pdf", code=1)
    assert "too large to typeset as pdf" in result.stderr
    assert not (repo / "s.pdf").exists()


def _outline(path: Path) -> list[str]:
    """The pdf's bookmarks as indented titles."""
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.Pdf.open(path) as pdf, pdf.open_outline() as outline:

        def walk(items, depth: int) -> list[str]:
            return [
                line
                for item in items
                for line in ["  " * depth + item.title, *walk(item.children, depth + 1)]
            ]

        return walk(outline.root, 0)


@pytest.mark.slow
@pytest.mark.parametrize("most", ["2", "5"])
def test_the_bookmarks_of_a_report_in_parts_are_those_of_the_whole(repo, cli, monkeypatch, most):
    # WeasyPrint makes bookmarks of the headings; a part's are hung where they belong, also
    # when a topic goes on from one part into the next (parts of 2: 1.1.3 alone).
    pytest.importorskip("weasyprint", exc_type=ImportError)
    args = ("report", "--plan", "2025", "-f", "pdf", "--as-of", "2025-06-01")
    cli(*args, "-o", "whole.pdf")
    monkeypatch.setenv("WORKPLAN_PDF_PART_ACTIVITIES", most)
    cli(*args, "-o", "parts.pdf")
    whole = _outline(repo / "whole.pdf")
    assert len(whole) > 25 and "      1.1.3 " in "\n".join(whole)
    assert _outline(repo / "parts.pdf") == whole


def test_the_outline_levels_of_a_parts_top_headings():
    parts = pdfparts.split({**_context([1, 3], [2]), "stakeholders": [{"id": "giz"}]}, 2)
    # The title (1.1.1 below it); topic 1.2 (area 1 goes on); 1.2.3 alone (topic 1.2 goes on);
    # area 2 (2.1 below it) and the stakeholders.
    assert [_ids(p) for p in parts] == [
        ["1.1.1"],
        ["1.2.1", "1.2.2"],
        ["1.2.3"],
        ["2.1.1", "2.1.2"],
    ]
    assert [pdfparts.outline_levels(p) for p in parts] == [[1], [3], [4], [2, 2]]


def test_a_continued_heading_keeps_plan_text_inert(repo):
    # Plan text reaches a new place in a part: the "(continued)" line, through a translated
    # message with the heading as its argument (never as the format).
    import datetime as dt

    from workplan_cli.output import report, reportdata
    from workplan_cli.plan import query
    from workplan_cli.plan.store import find_repo

    store = find_repo(repo)
    plan, people = store.load_plan(None), store.load_stakeholders()
    filters = query.resolve_filters(query.Filters(), plan, people)
    context = reportdata.build_context(plan, people, filters, as_of=dt.date(2025, 1, 31))
    context["areas"][0]["title"] = "<script>x</script> %(heading)s %s {{ 7*7 }}"
    choice = report.choose_template("pdf", None, None)
    html = "".join(report.render(choice, part, "pdf") for part in pdfparts.split(context, 2))
    line = "&lt;script&gt;x&lt;/script&gt; %(heading)s %s {{ 7*7 }} (continued)</p>"
    assert f'<p class="continued">1 {line}' in html
    assert "<script>" not in html
