"""The html report has no accessibility violations: axe-core, run in headless Chromium.

`.ci/run` installs axe-core (pinned, from npm) into a cache folder and names its axe.min.js in
WORKPLAN_AXE_JS; without it, or without Chromium, these tests skip and say why. axe runs in a
copy of the page with its Content-Security-Policy taken out (the policy forbids scripts) and a
script added at the end that runs axe and writes the violations into the page, which Chromium
then prints (`--dump-dom`, after the scripts have run in virtual time).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.reportplans import make_hostile

CHROMIUM = Path("/usr/bin/chromium")
# The version .ci/run installs, and where it puts it.
AXE_VERSION = re.search(r"^AXE_VERSION=(\S+)$", (ROOT / ".ci" / "run").read_text(), re.M)[1]
AXE_DEFAULT = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "workplan-ci"
    / f"axe-core-{AXE_VERSION}"
    / "node_modules"
    / "axe-core"
    / "axe.min.js"
)
AXE = Path(os.environ.get("WORKPLAN_AXE_JS") or AXE_DEFAULT)

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="chromium is not installed (.ci/run installs it: apt-get install chromium)",
    ),
    pytest.mark.skipif(
        not AXE.is_file(),
        reason=f"axe-core is not installed ({AXE} is missing; .ci/run installs it with npm "
        "and names it in WORKPLAN_AXE_JS)",
    ),
    pytest.mark.slow,
]

_RUNNER = """<script src="axe.min.js"></script>
<script>
function report(value) {
  var out = document.createElement("pre");
  out.id = "axe-result";
  out.textContent = JSON.stringify(value);
  document.body.appendChild(out);
}
axe.run(document, {resultTypes: ["violations"]}).then(function (result) {
  report(result.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) {
      return {target: n.target, html: n.html, why: n.failureSummary};
    })};
  }));
}, function (error) { report({error: String(error)}); });
</script>
"""
_POLICY = re.compile(r"<meta\b[^>]*\bhttp-equiv=[\"']?Content-Security-Policy\b[^>]*>", re.I)


def violations(page: Path, work: Path) -> list[dict]:
    """Returns axe-core's violations in the html page, as Chromium shows it."""
    text = _POLICY.sub("", page.read_text(encoding="utf-8"))  # it forbids the runner
    head, end, tail = text.rpartition("</body>")
    checked = f"{head}{_RUNNER}{end}{tail}" if end else f"{text}{_RUNNER}"
    (work / "axe.html").write_text(checked, encoding="utf-8")
    shutil.copyfile(AXE, work / "axe.min.js")
    done = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={work / 'profile'}",
            "--virtual-time-budget=60000",
            "--dump-dom",
            (work / "axe.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', done.stdout, re.S)
    assert found, f"axe did not report: {done.stderr[-2000:]}"
    result = json.loads(html.unescape(found[1]))
    assert isinstance(result, list), result
    return result


def _shown(found: list[dict]) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"  {n['target']}: {n['html']}\n    {n['why']}" for n in v["nodes"][:5])
    return "\n".join(lines)


@pytest.mark.parametrize(
    "args",
    [
        (),  # the signed 2024 plan
        ("--area", "2"),
        ("--plan", "2025"),  # the draft
        ("--plan", "2025", "--since", "2024"),  # with the changes section
    ],
    ids=["2024", "2024-area-2", "2025-draft", "2025-since-2024"],
)
def test_the_html_report_has_no_axe_violations(repo, cli, tmp_path, args):
    cli("report", "-f", "html", "-o", "report.html", *args)
    found = violations(repo / "report.html", tmp_path)
    assert found == [], _shown(found)


def test_hostile_plan_text_makes_no_axe_violation(repo, cli, tmp_path):
    make_hostile(repo)
    cli("report", "-f", "html", "-o", "report.html")
    found = violations(repo / "report.html", tmp_path)
    assert found == [], _shown(found)


def test_axe_finds_a_violation_when_there_is_one(repo, cli, tmp_path):
    cli("report", "-f", "html", "-o", "report.html")
    page = repo / "report.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</body>", '<img src="data:,"></body>'), encoding="utf-8")
    found = violations(page, tmp_path)
    assert "image-alt" in {v["id"] for v in found}
    assert "image-alt (critical): Images must have alternative text" in _shown(found)
