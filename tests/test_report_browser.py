"""The html report opened in a real headless browser (Debian's chromium)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.reportplans import make_hostile

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="chromium is not installed (.ci/run installs it: apt-get install chromium)",
)


def _chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)


def _console_errors(stderr: str) -> list[str]:
    # The page's console messages (errors, blocked fetches, scripts) are logged as CONSOLE.
    return [line for line in stderr.splitlines() if re.search(r"CONSOLE|Uncaught", line)]


@pytest.fixture
def page(repo, cli, tmp_path) -> Path:
    make_hostile(repo)
    cli("report", "-f", "html", "-o", "report.html")
    return repo / "report.html"


def test_the_html_report_in_chromium(page, tmp_path):
    done = _chromium(tmp_path, page, "--dump-dom")
    assert _console_errors(done.stderr) == []
    dom = done.stdout
    headings = re.findall(r"<h2>(.*?)</h2>", dom)
    assert headings == [
        "Summary",
        "1 Internet Governance, Data Policy and Cybersecurity",
        "2 Digital Innovation and Sustainable Growth",
        "3 Digital Public Infrastructure and Services",
        "Stakeholders",
    ]
    assert dom.count('<article class="activity"') == 17
    assert '<td class="num" id="total-activities">17</td>' in dom
    # Per area one bar (all planned) and its outline.
    assert len(re.findall(r"<rect ", dom)) == 6
    # The hostile text is text in the DOM, not an element, and was not evaluated.
    assert "<script" not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in dom


def test_the_html_report_makes_a_screenshot(page, tmp_path):
    shot = tmp_path / "report.png"
    done = _chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1000,1400")
    assert _console_errors(done.stderr) == []
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert shot.stat().st_size > 10_000


def test_console_errors_are_noticed(tmp_path):
    # The check above must be able to fail: a page with a script breaking the policy.
    bad = tmp_path / "bad.html"
    source = Path(__file__).resolve().parent / "golden" / "report" / "report.en.html"
    bad.write_text(source.read_text().replace("</body>", "<script>oops()</script></body>"))
    assert _console_errors(_chromium(tmp_path, bad, "--dump-dom").stderr)
