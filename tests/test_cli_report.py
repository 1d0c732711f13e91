"""`workplan report` run for real: golden files, hostile text, filters, as-of, output files."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.conftest import git
from tests.reportplans import ACTIVITY_111, add_history, edit_plan, make_hostile

GOLDEN = Path(__file__).resolve().parent / "golden" / "report"


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


# A fixed "status as of" date, so that the golden files do not change with the day they run.
DAY = ("--as-of", "2025-01-31")
FONT = re.compile(r"data:font/woff2;base64,[A-Za-z0-9+/=]+")


def _html(text: str) -> str:
    # The embedded font (60 KB of base64) is checked once, not in every golden file.
    return FONT.sub("data:font/woff2;base64,...", text)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_markdown_golden(repo, cli, lang):
    _golden(f"report.{lang}.md", cli("report", "--lang", lang, *DAY).stdout)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_html_golden(repo, cli, lang):
    _golden(f"report.{lang}.html", _html(cli("report", "-f", "html", "--lang", lang, *DAY).stdout))


@pytest.mark.parametrize("lang", ["en", "de"])
def test_draft_with_changes_golden(repo, cli, lang):
    args = ("--plan", "2025", "--since", "2024", "--lang", lang, *DAY)
    _golden(f"draft-since.{lang}.md", cli("report", *args).stdout)
    _golden(f"draft-since.{lang}.html", _html(cli("report", "-f", "html", *args).stdout))


# The results fixture (tests/golden/report/results/): dates and indicators, as of 2026-03-01.
RESULTS_DAY = ("--as-of", "2026-03-01")


@pytest.mark.parametrize("lang", ["en", "de"])
def test_results_golden(tmp_path, cli, lang):
    from tests.test_reportresults import results_repo

    root = results_repo(tmp_path / "results")
    args = ("--repo", str(root), "--lang", lang, *RESULTS_DAY)
    _golden(f"results/report.{lang}.md", cli("report", *args).stdout)
    _golden(f"results/report.{lang}.html", _html(cli("report", "-f", "html", *args).stdout))


def test_results_show_colours_in_words_and_overdue_on_the_first_page(tmp_path, cli):
    from tests.test_reportresults import results_repo

    root = results_repo(tmp_path / "results")
    html = cli("report", "--repo", str(root), "-f", "html", *RESULTS_DAY).stdout
    summary = html[html.index('<section id="overview">') : html.index("</section>")]
    assert "4 indicators: 1 on track (green), 1 behind (amber), 2 not judged (grey)." in summary
    assert 'swatch rag-red"></span>Red: 2 overdue; 1 due soon; 1 indicator behind' in summary
    assert "1.1.1</a> Overdue workshop: due 20 February 2026, 9 days overdue" in summary
    table = html[html.index('<table class="indicators">') :]
    assert "<caption" in table and "Indicators of objective 1" in table
    # Earlier, nothing is overdue; area 1 is red for its postponed activity alone.
    before = cli("report", "--repo", str(root), "--as-of", "2026-01-15").stdout
    assert "**Overdue**" not in before
    assert "1 Digital policy — Red: 1 postponed; 1 indicator behind" in before


def test_html_is_self_contained(repo, cli):
    html = cli("report", "-f", "html").stdout
    assert "<script" not in html
    # The only url() is the embedded font; no src, no href (the plan has no http evidence).
    assert re.findall(r"url\((.{23})", html) == ["data:font/woff2;base64,"] * 2
    assert not re.search(r"""(src|href)\s*=|@import""", html)
    assert "Content-Security-Policy" in html and "font-src data:" in html
    assert "@page { size: A4" in html
    assert "<svg" in html


def test_the_embedded_font_is_the_bundled_one(repo, cli):
    import base64

    html = cli("report", "-f", "html").stdout
    fonts = Path(__file__).resolve().parent.parent / "workplan_cli" / "fonts"
    for name in ("Inter-Regular.woff2", "Inter-SemiBold.woff2"):
        assert base64.b64encode((fonts / name).read_bytes()).decode() in html
    assert "SIL Open Font License" in (fonts / "OFL.txt").read_text()


def test_a_draft_is_marked_at_the_top_and_on_every_printed_page(repo, cli):
    html = cli("report", "-f", "html", "--plan", "2025").stdout
    body = html.split("<body>", 1)[1]
    assert body.lstrip().startswith('<header id="title-page">\n<p class="draft-mark"')
    assert "DRAFT, not agreed: this plan has not been signed by the parties." in body
    assert "@bottom-left { content: " in html  # the mark in every page's margin
    signed = cli("report", "-f", "html").stdout
    assert "draft-mark" not in signed.split("<body>", 1)[1] and "@bottom-left" not in signed
    assert "Signed on 13 February 2024" in signed


def test_evidence_links_only_for_http_and_https(repo, cli):
    edit_plan(
        repo,
        ACTIVITY_111,
        ACTIVITY_111.replace(
            "history: []",
            "evidence:\n"
            '              - "https://example.org/report.pdf"\n'
            '              - "javascript:alert(1)"\n'
            '              - "data:text/html,<script>alert(1)</script>"\n'
            "              - 'https://example.org/\"onmouseover=\"alert(1)'\n"
            "            history: []",
        ),
    )
    html = cli("report", "-f", "html").stdout
    assert re.findall(r"<a [^>]*>", html) == [
        '<a href="https://example.org/report.pdf" rel="noreferrer">'
    ]
    assert "<li>javascript:alert(1)</li>" in html
    assert "<li>data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;</li>" in html
    assert "<li>https://example.org/&#34;onmouseover=&#34;alert(1)</li>" in html


@pytest.mark.slow
def test_evidence_links_in_the_pdf_only_for_http_and_https(repo, cli):
    pytest.importorskip("weasyprint", exc_type=ImportError)
    pytest.importorskip("pypdf")
    edit_plan(
        repo,
        ACTIVITY_111,
        ACTIVITY_111.replace(
            "history: []",
            'evidence: ["https://example.org/report.pdf", "javascript:alert(1)", "file:///etc/x"]\n'
            "            history: []",
        ),
    )
    cli("report", "-f", "pdf", "-o", "r.pdf", "--topic", "1.1")
    uris = [
        a.get_object()["/A"]["/URI"]
        for page in _pdf_pages(Path("r.pdf").read_bytes())
        for a in page.get("/Annots", []) or []
        if a.get_object().get("/A", {}).get("/URI")
    ]
    assert uris == ["https://example.org/report.pdf"]


def test_cards_show_only_what_there_is(repo, cli):
    out = cli("report").stdout
    assert "none recorded" not in out and "none named" not in out
    assert "- **Lead:** MICDE, BMDV\n" in out
    # The full names are written once, in the list of stakeholders (and the parties).
    assert out.count("Federal Ministry for Digital and Transport") == 2


def test_plan_text_in_the_running_header_cannot_leave_its_string(repo, cli):
    make_hostile(repo)
    edit_plan(
        repo,
        "title: Work Plan of the Kenyan-German Digital Dialogue",
        "title: 'x\"; } </style><script>alert(1)</script> \\'",
    )
    html = cli("report", "-f", "html").stdout
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<" not in style and "}" not in style.split("@top-left { content: ", 1)[1].split(";")[0]


def test_an_unknown_language_is_a_usage_error(repo, cli):
    result = cli("report", "--lang", "xx", code=2)
    assert "'xx' is not a report language: de, en" in result.stderr


def test_markdown_tables_are_well_formed(repo, cli):
    html = MarkdownIt("commonmark").enable("table").render(cli("report").stdout)
    assert html.count("<table>") == 2  # by area (with the total by status), stakeholders
    assert html.count("<h4>") == 17  # every activity


def test_hostile_text_shows_literally_in_markdown(repo, cli):
    make_hostile(repo)
    out = cli("report").stdout
    assert "\\{\\{ 7\\*7 \\}\\}" in out  # escaped, never evaluated
    html = MarkdownIt("commonmark").enable("table").render(out)
    assert "<script" not in html and "<em>" not in html and "<a " not in html
    literal = "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% if x %} a|b *bold* _under_"
    assert html.count(literal) == 6  # objective, heading, text, history by and note, evidence
    assert "49" not in html
    assert "second line" in html and "<h1># not" not in html
    assert html.count("<table>") == 2


def test_hostile_text_shows_literally_in_html(repo, cli):
    make_hostile(repo)
    out = cli("report", "-f", "html").stdout
    assert "<script>" not in out and "alert(1)</script>" not in out
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% if x %} a|b *bold*"
    assert out.count(escaped) == 6
    assert "&amp;amp;" in out  # '&amp;' in the plan is shown as written


@pytest.mark.slow
def test_pdf_has_the_headings_and_shows_hostile_text_literally(repo, cli):
    pytest.importorskip("weasyprint", exc_type=ImportError)
    pypdf = pytest.importorskip("pypdf")
    make_hostile(repo)
    cli("report", "-f", "pdf", "-o", "report.pdf")
    data = Path("report.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    # Where a line breaks depends on the fonts installed: a heading may wrap, so the text is
    # compared with its whitespace (line breaks included) made single spaces.
    text = " ".join(text.split())
    for heading in (
        "Work Plan of the Kenyan-German Digital Dialogue",
        "Summary",
        "1 Internet Governance, Data Policy and Cybersecurity",
        "2 Digital Innovation and Sustainable Growth",
        "3 Digital Public Infrastructure and Services",
        "Stakeholders",
    ):
        assert heading in text, heading
    assert "<script>alert(1)</script> {{ 7*7 }}" in text
    assert "second line" in text


def _pdf_pages(data: bytes):
    import pypdf

    return pypdf.PdfReader(io.BytesIO(data)).pages


def _fonts(pages) -> set[str]:
    found = set()
    for page in pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            found.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    return found


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_pdf_of_a_draft_has_every_heading_in_order_and_the_mark_on_every_page(repo, cli, lang):
    pytest.importorskip("weasyprint", exc_type=ImportError)
    pytest.importorskip("pypdf")
    args = ("--plan", "2025", "--since", "2024", "--lang", lang)
    cli("report", "-f", "pdf", "-o", "draft.pdf", *args)
    pages = _pdf_pages(Path("draft.pdf").read_bytes())
    texts = [" ".join(page.extract_text().split()) for page in pages]
    mark = {"en": "DRAFT, not agreed", "de": "ENTWURF, nicht vereinbart"}[lang]
    assert len(pages) > 3 and all(mark in t for t in texts)
    assert all(
        re.search(rf"(Page|Seite) {i + 1} (of|von) {len(pages)}", t) for i, t in enumerate(texts)
    )
    html = cli("report", "-f", "html", *args).stdout
    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html)]
    headings = [
        h.replace("&amp;", "&").replace("&#34;", '"').replace("&#39;", "'") for h in headings
    ]
    text, at = " ".join(texts), 0
    for heading in headings:  # every heading of the html, in its order
        found = text.find(heading, at)
        assert found >= 0, heading
        at = found + len(heading)
    # One font family throughout: the bundled Inter, whatever the machine has installed.
    assert {f.split("-")[0] for f in _fonts(pages)} == {"Inter"}


def test_pdf_needs_an_output_file(repo, cli):
    result = cli("report", "-f", "pdf", code=2)
    assert "pdf output needs a file" in result.stderr


def test_pdf_without_weasyprint(repo, cli, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)
    result = cli("report", "-f", "pdf", "-o", "report.pdf", code=1)
    assert "pip install 'workplan[pdf]'" in result.stderr
    assert not Path("report.pdf").exists()


def test_output_file_is_written_whole(repo, cli):
    Path("out").mkdir()
    Path("out/report.md").write_text("old\n")
    assert cli("report", "-o", "out/report.md").stdout == ""
    assert Path("out/report.md").read_text(encoding="utf-8") == cli("report").stdout
    assert os.listdir("out") == ["report.md"]  # no temporary file left behind


def test_output_into_a_missing_folder_is_an_error(repo, cli):
    result = cli("report", "-o", "nowhere/report.md", code=1)
    assert result.stderr.startswith("Error: ")
    assert "nowhere/report.md: cannot write, no folder" in result.stderr


def test_filters_narrow_the_report(repo, cli):
    out = cli("report", "--area", "2", "--topic", "2.2").stdout
    assert "## 2 Digital Innovation" in out
    assert "### 2.2 " in out and "### 2.1 " not in out and "## 1 " not in out
    assert "- **Selection:** Area: 2; Topic: 2.2" in out
    out = cli("report", "--stakeholder", "igf").stdout
    assert re.findall(r"^#### (\S+)", out, re.M) == ["1.1.1"]
    assert "- **Selection:** Stakeholder: IGF" in out
    assert "No activity matches the selection." in cli("report", "--status", "completed").stdout


def test_unknown_area_is_an_error(repo, cli):
    result = cli("report", "--area", "9", code=1)
    assert result.stderr == "Error: no area '9' in plan 2024 (areas: 1, 2, 3)\n"


def test_as_of_reports_the_state_on_that_date(repo, cli):
    add_history(repo)
    now = cli("report", "--topic", "1.1").stdout
    assert "- **Status:** Completed" in now
    then = cli("report", "--topic", "1.1", "--as-of", "2024-07-01").stdout
    assert "- **Status as of:** 1 July 2024 (from the status histories)" in then
    assert "- **Status:** Postponed" in then and "- **Status:** Completed" not in then
    assert "**History (newest first)**" in then
    assert "- 15 June 2024: In progress → Postponed: test entry two" in then
    assert "test evidence B" not in then  # recorded by a later entry
    assert "3 activities: 2 planned; 1 postponed." in then
    before = cli("report", "--as-of", "2024-01-01", "--status", "planned").stdout
    assert "| **All areas shown** | 17 | 0 | 0 | 0 | 0 | 17 | 0% |" in before


def test_as_of_must_be_a_date(repo, cli):
    result = cli("report", "--as-of", "2024-13-01", code=2)
    assert "'2024-13-01' is not a date like 2024-10-31" in result.stderr


def test_the_repository_template_overrides_the_default(repo, cli):
    (repo / "templates").mkdir()
    (repo / "templates" / "report.md.j2").write_text("Own: {{ plan.title }}\n")
    assert cli("report").stdout == "Own: Work Plan of the Kenyan-German Digital Dialogue\n"
    assert cli("report", "-f", "html").stdout.startswith("<!DOCTYPE html>")  # no html override
    (repo / "mine.j2").write_text("Mine: {{ plan.version }}\n")
    assert cli("report", "--template", "mine.j2").stdout == "Mine: 2024\n"


def test_a_template_typo_fails_with_its_place(repo, cli):
    Path("typo.j2").write_text("{{ plan.title }}\n{{ plan.titel }}\n")
    result = cli("report", "--template", "typo.j2", code=1)
    assert result.stderr == "Error: typo.j2:2: undefined: 'dict object' has no attribute 'titel'\n"
    assert result.stdout == ""


def test_a_hostile_template_fails_cleanly(repo, cli):
    Path("evil.j2").write_text("{{ ().__class__.__bases__ }}\n{{ 'a' * 10**9 }}\n")
    result = cli("report", "--template", "evil.j2", "-o", "out.md", code=1)
    assert result.stderr.startswith("Error: evil.j2:1: access to attribute '__class__'")
    assert not Path("out.md").exists()


def test_usage_errors_of_any_command_exit_2(repo, cli):
    result = cli("status", "--status", "bogus", code=2)
    assert "internal error" not in result.stderr


def test_since_adds_what_changed(repo, cli):
    out = cli("report", "--plan", "2025", "--since", "2024").stdout
    section = out.split("## Changes since 2024\n", 1)[1].split("\n## 1 ", 1)[0]
    assert "Compared with 2024 (data/workplan-2024.yaml)." in section
    assert "- Activities: 1 added, 1 removed, 4 moved, 6 changed\n" in section
    assert (
        "- Activity 2.2.3 “International conference on data-driven urban development” is now "
        "2.2.2.\n" in section
    )
    assert "- Status of 1.3.2 changed from planned to postponed.\n" in section
    assert "- Lead of 1.1.2 now MICDE alone (was MICDE and BMDV).\n" in section
    assert "- Review moved from 2024-Q4 to 2025-Q4.\n" in section
    assert "Changed" not in section and "review.due" not in section and "-bmdv" not in section
    html = MarkdownIt("commonmark").enable("table").render(section)
    assert html.count("<h3>") == 4  # the plan, areas 1, 2 and 3; nothing else became a heading
    assert "<del>" not in html and "<s>" not in html  # ~~ is GFM; commonmark leaves it as text


def test_since_a_git_revision_in_html(git_repo, cli):
    add_history(git_repo)
    git(git_repo, "commit", "-qam", "1.1.1 completed")
    out = cli("report", "-f", "html", "--since", "HEAD~1:2024", "--area", "1").stdout
    section = out.split('<section id="changes">', 1)[1].split("</section>", 1)[0]
    assert "<h2>Changes since HEAD~1:2024</h2>" in section
    assert "<li>Status of 1.1.1 changed from planned to completed.</li>" in section
    assert "<li>History of 1.1.1 changed.</li>" in section


def test_since_the_same_plan_shows_no_differences(repo, cli):
    out = cli("report", "--since", "2024").stdout
    assert "## Changes since 2024\n\nCompared with 2024 (data/workplan-2024.yaml).\n" in out
    assert "\nNothing has changed.\n" in out


def test_since_an_unknown_revision_is_an_error(git_repo, cli):
    result = cli("report", "--since", "nosuch:2024", code=1)
    assert result.stderr.startswith("Error: ")


def test_output_keeps_the_mode_of_the_file_it_replaces(repo, cli):
    Path("report.md").write_text("old\n")
    os.chmod("report.md", 0o640)
    cli("report", "-o", "report.md")
    assert os.stat("report.md").st_mode & 0o777 == 0o640


# --- A repository's templates: confined to the repository, bounded in a child process ----------

SECRET = "s3cr3t-b1b2a9"


def _secret_outside(repo: Path) -> Path:
    """A file outside the repository that a hostile template would like to publish."""
    secret = repo.parent / "secret.txt"
    secret.write_text(f"{SECRET}\n")
    return secret


def _own_template(repo: Path, source: str, name: str = "report.md.j2") -> Path:
    path = repo / "templates" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(source)
    return path


def _refused(cli, message: str, *args: str) -> None:
    result = cli("report", *args, code=1)
    assert SECRET not in result.output and "root:" not in result.output
    assert result.stderr.startswith("Error: ") and message in result.stderr, result.stderr


def test_a_template_linked_to_a_file_outside_is_refused(repo, cli):
    (repo / "templates").mkdir()
    (repo / "templates" / "report.md.j2").symlink_to(_secret_outside(repo))
    _refused(
        cli,
        "templates/report.md.j2: is a link that leads outside templates/; "
        "templates are read only from inside it",
    )


def test_a_templates_folder_linked_outside_is_refused(repo, cli):
    outside = repo.parent / "elsewhere"
    outside.mkdir()
    (outside / "report.md.j2").write_text("{{ plan.title }}\n")
    (repo / "templates").symlink_to(outside)
    _refused(cli, "templates: is a link that leads outside the repository")


@pytest.mark.parametrize(
    "name", ["../../secret.txt", "../../../../../../../../etc/passwd", "sub/../../../secret.txt"]
)
def test_an_include_with_dots_is_refused(repo, cli, name):
    _secret_outside(repo)
    _own_template(repo, f"{{% include {name!r} %}}\n")
    _refused(cli, f"templates/report.md.j2:1: refused: the template name {name!r} must be")


@pytest.mark.parametrize("tag", ["include", "import", "extends", "from"])
def test_an_absolute_include_is_refused(repo, cli, tag):
    secret = _secret_outside(repo)
    suffix = {"from": " import x", "import": " as x"}.get(tag, "")
    _own_template(repo, f"{{% {tag} {str(secret)!r}{suffix} %}}\n")
    _refused(cli, f"refused: the template name {str(secret)!r} must be a relative path")


def test_an_include_through_a_link_out_is_refused(repo, cli):
    secret = _secret_outside(repo)
    _own_template(repo, "{% include 'sub/secret.txt' %}\n{% include 'file.txt' %}\n")
    (repo / "templates" / "sub").symlink_to(secret.parent)  # a linked folder
    _refused(cli, "templates/report.md.j2:1: refused: the template 'sub/secret.txt' is a link")
    _own_template(repo, "{% include 'file.txt' %}\n")
    (repo / "templates" / "file.txt").symlink_to(secret)  # a linked file
    _refused(cli, "templates/report.md.j2:1: refused: the template 'file.txt' is a link that")


def test_includes_inside_the_repository_work(repo, cli):
    _own_template(repo, "{% include 'part.j2' %}|{% include 'sub/x.j2' %}\n")
    _own_template(repo, "P{{ plan.version }}", "part.j2")
    (repo / "templates" / "sub").mkdir()
    (repo / "templates" / "sub" / "x.j2").write_text("X")
    assert cli("report").stdout == "P2024|X"  # trim_blocks takes the last newline


def test_a_template_the_user_names_is_trusted_but_not_its_includes(repo, cli):
    secret = _secret_outside(repo)
    (repo / "mine.j2").symlink_to(repo.parent / "mine.j2")
    (repo.parent / "mine.j2").write_text("Mine {{ plan.version }}\n")
    assert cli("report", "--template", "mine.j2").stdout == "Mine 2024\n"
    (repo / "mine.j2").unlink()
    (repo / "mine.j2").write_text("{% include '../secret.txt' %}\n")
    _refused(cli, "mine.j2:1: refused: the template name '../secret.txt'", "--template", "mine.j2")
    (repo / "link.txt").symlink_to(secret)
    (repo / "mine.j2").write_text("{% include 'link.txt' %}\n")
    _refused(cli, "mine.j2:1: refused: the template 'link.txt' is a link", "--template", "mine.j2")


@pytest.mark.parametrize(
    "source",
    [
        "{{ cycler.__init__.__globals__.os.environ }}",
        "{{ lipsum.__globals__['os'].environ }}",
        "{{ joiner.__init__.__globals__ }}",
        "{{ namespace.__init__.__globals__ }}",
        "{{ self._TemplateReference__context }}",
        "{{ self.__dict__ }}",
        "{{ range.__self__ }}",
        "{{ plan|attr('__class__') }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ ''.format.__globals__ }}",
        "{{ plan.title.__class__.__base__.__subclasses__() }}",
        "{% for k, v in plan.items() %}{{ v }}{% endfor %}{{ environ }}{{ os }}",
        "{{ config }}{{ request }}",
    ],
)
def test_a_template_cannot_read_the_environment(repo, cli, monkeypatch, source):
    monkeypatch.setenv("WORKPLAN_TEST_SECRET", SECRET)
    _own_template(repo, source + "\n")
    result = cli("report", code=None)
    assert SECRET not in result.output
    assert result.exit_code in (0, 1), result.output


def _run(repo: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Runs `workplan ARGS` as a real process, bounded in time (a hang fails, not a figure)."""
    return subprocess.run(
        [sys.executable, "-m", "workplan_cli", *args],
        cwd=repo,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=180,
    )


MEMORY_ATTACKS = {
    "doubling": "{% set ns = namespace(s='a') %}{% for i in range(40) %}"
    "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
    "replace-filter": "{{ ('a' * 999999)|replace('a', 'b' * 999999) }}",
    "replace-method": "{{ ('a' * 999999).replace('a', 'b' * 999999) }}",
    "indent": "{{ ('x\\n' * 499999)|indent(999999) }}",
    "format": "{{ ('{:>999999}' * 90000).format(*range(90000)) }}",
    "format-filter": "{{ ('%999999s' * 90000)|format(*range(90000)) }}",
    "center": "{% for i in range(99999) %}{{ ('a' * 999999)|center(999999) }}{% endfor %}",
    "append": "{% set ns = namespace(l=[]) %}{% for i in range(99999) %}"
    "{% set _ = ns.l.append('a' * 999999) %}{% endfor %}{{ ns.l|length }}",
    "join": "{{ range(99999)|join('b' * 999999) }}",
}


@pytest.mark.parametrize("attack", list(MEMORY_ATTACKS))
def test_a_template_cannot_take_all_memory(repo, attack):
    _own_template(repo, MEMORY_ATTACKS[attack])
    done = _run(repo, "report", "-o", "out.md", WORKPLAN_TEMPLATE_MEMORY_MB="256")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: templates/report.md.j2"), done.stderr
    assert (
        "the template used more than 256 MB of memory (WORKPLAN_TEMPLATE_MEMORY_MB); stopped"
        in done.stderr
        or "the template took more than 20 seconds (WORKPLAN_TEMPLATE_SECONDS); stopped"
        in done.stderr
        or "characters; stopped" in done.stderr  # the report grew beyond the output cap
    ), done.stderr
    assert not (repo / "out.md").exists()


def test_the_default_memory_limit(repo):
    _own_template(repo, MEMORY_ATTACKS["doubling"])
    done = _run(repo, "report")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (
        "Error: templates/report.md.j2: the template used more than 512 MB of memory "
        "(WORKPLAN_TEMPLATE_MEMORY_MB); stopped\n"
    )


@pytest.mark.slow
def test_a_template_that_runs_forever_is_stopped(repo):
    _own_template(repo, "{% for i in range(99999) %}{{ ('a' * 999999)|wordwrap(1) }}{% endfor %}")
    done = _run(repo, "report", WORKPLAN_TEMPLATE_SECONDS="2")
    assert done.returncode == 1
    assert done.stderr in (
        "Error: templates/report.md.j2: the template used more than 2 seconds of CPU time "
        "(WORKPLAN_TEMPLATE_SECONDS); stopped\n",
        # on a busy machine the wall clock may stop it first
        "Error: templates/report.md.j2: the template took more than 6 seconds "
        "(WORKPLAN_TEMPLATE_SECONDS × 3); stopped\n",
    )


def test_a_limit_must_be_a_positive_number(repo, cli, monkeypatch):
    _own_template(repo, "x\n")
    monkeypatch.setenv("WORKPLAN_TEMPLATE_MEMORY_MB", "lots")
    assert cli("report", code=1).stderr == (
        "Error: WORKPLAN_TEMPLATE_MEMORY_MB='lots': not a positive number\n"
    )


def test_the_pdf_of_html_too_large_is_refused_at_once(repo, cli, monkeypatch):
    pytest.importorskip("weasyprint", exc_type=ImportError)
    monkeypatch.setenv("WORKPLAN_PDF_HTML_MB", "0.01")
    result = cli("report", "-f", "pdf", "-o", "report.pdf", code=1)
    # shipped report: 110 KB, of which the embedded font is 60 KB
    assert result.stderr.startswith("Error: the report is 0.1 MB of html")
    assert (
        "too large to typeset as pdf (at most 0.01 MB, WORKPLAN_PDF_HTML_MB); use --format html"
        in result.stderr
    )
    assert not Path("report.pdf").exists()


def test_the_pdf_has_a_time_limit(repo, cli, monkeypatch):
    pytest.importorskip("weasyprint", exc_type=ImportError)
    monkeypatch.setenv("WORKPLAN_PDF_SECONDS", "0.2")
    result = cli("report", "-f", "pdf", "-o", "report.pdf", code=1)
    assert result.stderr in (
        "Error: typesetting the pdf took more than 0.6 seconds (WORKPLAN_PDF_SECONDS × 3); "
        "stopped; use --format html and print it from a browser, or narrow the report with "
        "--area or --topic\n",
        "Error: typesetting the pdf used more than 1 seconds of CPU time (WORKPLAN_PDF_SECONDS); "
        "stopped; use --format html and print it from a browser, or narrow the report with "
        "--area or --topic\n",
    )
    assert not Path("report.pdf").exists()


def test_the_pdf_has_a_memory_limit(repo, cli, monkeypatch):
    pytest.importorskip("weasyprint", exc_type=ImportError)
    monkeypatch.setenv("WORKPLAN_PDF_MEMORY_MB", "60")
    result = cli("report", "-f", "pdf", "-o", "report.pdf", code=1)
    assert result.stderr.startswith(
        "Error: typesetting the pdf used more than 60 MB of memory (WORKPLAN_PDF_MEMORY_MB); stopped"
    )
    assert not Path("report.pdf").exists()
