"""The Chromium pdf engine: finding Chromium, the guarded page, printing offline."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from workplan_cli.errors import WorkplanError
from workplan_cli.output import chromium, report


def _have_chromium() -> bool:
    try:
        return chromium.find() is not None
    except chromium.NoChromiumError:  # WORKPLAN_CHROMIUM names no program
        return False


HAVE_CHROMIUM = _have_chromium()
needs_chromium = pytest.mark.skipif(
    not HAVE_CHROMIUM,
    reason="chromium is not installed (.ci/run installs it: apt-get install chromium)",
)


def test_the_policy_goes_first_after_the_doctype():
    page = chromium.guarded('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">')
    assert page.startswith(
        f'<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="{chromium.POLICY}">'
    )
    assert chromium.guarded("<p>x</p>").startswith('<meta http-equiv="Content-Security-Policy"')


@pytest.mark.parametrize(
    "meta",
    [
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">',
        '<meta http-equiv="content-type" content="text/html; charset=utf-8">',
        "<meta http-equiv=Content-Language content=de>",
    ],
)
def test_harmless_pragmas_are_allowed(meta):
    assert chromium.guarded(f"<!doctype html>{meta}<p>x</p>").endswith(f"{meta}<p>x</p>")


@pytest.mark.parametrize(
    "meta",
    [
        '<meta http-equiv="refresh" content="0;url=file:///etc/passwd">',
        "<meta HTTP-EQUIV=Refresh content='0;url=file:///etc/passwd'>",
        '<meta http-equiv = "&#114;efresh" content="0;url=file:///etc/passwd">',
        '<meta http-equiv="content&#45;type&#x20;refresh" content="0;url=file:///etc/passwd">',
        '<meta http-equiv="set-cookie" content="a=b">',
    ],
)
def test_a_page_that_sends_elsewhere_is_refused(meta):
    with pytest.raises(WorkplanError, match="may have only content-security-policy, content-type"):
        chromium.guarded(f"<!DOCTYPE html>{meta}<p>x</p>")


def test_the_command_line_keeps_chromium_offline(tmp_path):
    args = chromium.arguments(Path("/usr/bin/chromium"), tmp_path)
    assert args[0] == "/usr/bin/chromium" and "--headless" in args
    assert "--host-resolver-rules=MAP * ~NOTFOUND" in args
    assert "--proxy-server=127.0.0.1:9" in args and "--proxy-bypass-list=<-loopback>" in args
    # Driven over a pipe, never a port that another local user could reach.
    assert "--remote-debugging-pipe" in args
    assert not any(a.startswith("--remote-debugging-port") for a in args)
    assert f"--user-data-dir={tmp_path / 'profile'}" in args
    assert args[-1] == "about:blank"
    # The page's own footer, not Chromium's; an untagged pdf (see PRINT).
    assert chromium.PRINT["displayHeaderFooter"] is False
    assert chromium.PRINT["generateTaggedPDF"] is False
    assert ("--no-sandbox" in args) == (os.geteuid() == 0)


def test_workplan_chromium_names_the_program(monkeypatch, tmp_path):
    program = tmp_path / "my-chrome"
    program.write_text("#!/bin/sh\n")
    monkeypatch.setenv("WORKPLAN_CHROMIUM", str(program))
    with pytest.raises(chromium.NoChromiumError, match=r"my-chrome'.*not an executable file"):
        chromium.find()
    program.chmod(0o755)
    assert chromium.find() == program


def test_without_chromium_the_error_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.delenv("WORKPLAN_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert chromium.find() is None
    with pytest.raises(chromium.NoChromiumError) as caught:
        report.html_to_pdf("<p>x</p>", "chromium")
    assert "apt-get install chromium" in str(caught.value)
    assert "--engine weasyprint" in str(caught.value)


def test_auto_without_chromium_is_weasyprint(monkeypatch, tmp_path):
    monkeypatch.delenv("WORKPLAN_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # so WeasyPrint's absence shows
    with pytest.raises(WorkplanError, match=r"pip install 'workplan\[pdf\]'"):
        report.html_to_pdf("<p>x</p>", "auto")


def test_an_unknown_engine_is_refused():
    with pytest.raises(WorkplanError, match="'prince': not a pdf engine"):
        report.html_to_pdf("<p>x</p>", "prince")


def _text(data: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


@needs_chromium
@pytest.mark.slow
def test_chromium_fetches_nothing_the_page_names(tmp_path):
    (tmp_path / "leak.css").write_text('body::after { content: "LEAKED-CSS"; }')
    (tmp_path / "secret.html").write_text("<p>LEAKED-FRAME</p>")
    page = (
        "<!DOCTYPE html><html><head>"
        f'<link rel="stylesheet" href="{(tmp_path / "leak.css").as_uri()}">'
        '<style>body::before { content: "INLINE-STYLE"; }</style></head><body>'
        f'<iframe src="{(tmp_path / "secret.html").as_uri()}"></iframe>'
        '<object data="http://192.0.2.1/x.html"></object>'
        "<script>document.body.append('SCRIPT-RAN')</script>"
        '<img src="x" onerror="document.body.append(\'HANDLER-RAN\')">'
        "<p>Body text</p></body></html>"
    )
    text = _text(report.html_to_pdf(page, "chromium"))
    assert "Body text" in text and "INLINE-STYLE" in text
    for leak in ("LEAKED-CSS", "LEAKED-FRAME", "SCRIPT-RAN", "HANDLER-RAN"):
        assert leak not in text


@needs_chromium
@pytest.mark.slow
def test_the_report_printed_by_chromium(repo, cli):
    cli("report", "-f", "pdf", "--engine", "chromium", "-o", "report.pdf")
    data = Path("report.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    text = " ".join(_text(data).split())
    assert "Digital Innovation and Sustainable Growth" in text
    # Chromium's own header and footer (the date, the title, the page's URL) are off.
    assert "file://" not in text and "workplan-pdf-" not in text


@needs_chromium
@pytest.mark.slow
def test_chromium_has_a_time_limit(repo, cli, monkeypatch):
    monkeypatch.setenv("WORKPLAN_PDF_SECONDS", "0.02")
    result = cli("report", "-f", "pdf", "--engine", "chromium", "-o", "report.pdf", code=1)
    assert "Error: printing the pdf with Chromium took more than 0.06 seconds" in result.stderr
    assert not Path("report.pdf").exists()


@needs_chromium
@pytest.mark.slow
def test_chromium_has_a_memory_limit(repo, cli, monkeypatch):
    monkeypatch.setenv("WORKPLAN_PDF_MEMORY_MB", "100")
    result = cli("report", "-f", "pdf", "--engine", "chromium", "-o", "report.pdf", code=1)
    assert "did not print the pdf" in result.stderr
    assert "100 MB of data, WORKPLAN_PDF_MEMORY_MB" in result.stderr
    assert not Path("report.pdf").exists()


def test_the_engine_is_for_pdf_only(repo, cli):
    result = cli("report", "-f", "html", "--engine", "chromium", "-o", "r.html", code=2)
    assert "only a pdf has an engine" in result.stderr


def test_a_missing_chromium_named_by_the_user(repo, cli, monkeypatch):
    monkeypatch.setenv("WORKPLAN_CHROMIUM", "/nonexistent/chrome")
    result = cli("report", "-f", "pdf", "--engine", "chromium", "-o", "r.pdf", code=1)
    assert "WORKPLAN_CHROMIUM='/nonexistent/chrome': not an executable file" in result.stderr
    assert not Path("r.pdf").exists()


# --- A Chromium that does not keep to the protocol: a clear error, never a traceback --------

_FAKE = """#!{python}
import os, sys
requests = os.fdopen(3, "rb", buffering=0)
replies = os.fdopen(4, "wb", buffering=0)
sys.stderr.write("fake chromium: started\\n")
{body}
"""


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("sys.exit(7)", "(it ended; exit 7"),
        ("requests.read(1); replies.write(b'not json\\0')", "not a DevTools message"),
        ("requests.read(1); replies.write(b'{\"id\": 1, \"error\": {\"message\": \"no\"}}\\0')",
         "Target.createTarget: {'message': 'no'}"),
        ("requests.read(1); replies.write(b'x' * 9_000_000)", "a message of more than"),
    ],
)  # fmt: skip
def test_a_chromium_that_breaks_the_protocol(repo, cli, monkeypatch, tmp_path, body, says):
    fake = tmp_path / "fake-chromium"
    fake.write_text(_FAKE.format(python=sys.executable, body=body))
    fake.chmod(0o755)
    monkeypatch.setenv("WORKPLAN_CHROMIUM", str(fake))
    result = cli("report", "-f", "pdf", "--engine", "chromium", "-o", "r.pdf", code=1)
    assert f"Chromium ({fake}) did not print the pdf" in result.stderr
    assert says in result.stderr
    assert "fake chromium: started" in result.stderr  # the end of its stderr, to say why
    assert not Path("r.pdf").exists()


def test_the_engines_offered_are_the_engines_there_are():
    # --engine's choices (cli/report.py, which does not import the renderer at start-up) and
    # the engines html_to_pdf takes are one list.
    from workplan_cli.cli.report import PdfEngine

    assert [e.value for e in PdfEngine] == list(report.ENGINES)
