"""The pdf report looked at as pages: the first page and an area's page compared with reference
pictures (tests/golden/report/page-*.png) within a tolerance, so that a layout break fails.

The report embeds its own font (Inter), so the pictures do not depend on the fonts a machine has.
`UPDATE_GOLDEN=1 pytest tests/test_report_pages.py` makes new references: look at them first.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.reportplans import edit_plan

GOLDEN = Path(__file__).resolve().parent / "golden" / "report"
DPI = "30"
# A page differs from its reference in at most this share of its pixels by more than a quarter
# of the grey scale: a different font, a line that wraps elsewhere or a moved table exceeds it.
MOST_CHANGED = 0.004

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)"),
]


def _pages(pdf: Path, first: int, last: int) -> list:
    from PIL import Image

    images = []
    for page in range(first, last + 1):
        done = subprocess.run(
            ["pdftoppm", "-png", "-gray", "-r", DPI, "-f", str(page), "-l", str(page), str(pdf)],
            capture_output=True,
            check=True,
            timeout=60,
        )
        images.append(Image.open(io.BytesIO(done.stdout)).convert("L"))
    return images


def _compare(name: str, image) -> None:
    from PIL import ImageChops

    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        image.save(path)
    from PIL import Image

    reference = Image.open(path).convert("L")
    assert image.size == reference.size, name
    diff = ImageChops.difference(image, reference)
    changed = sum(diff.histogram()[64:]) / (image.size[0] * image.size[1])
    assert changed <= MOST_CHANGED, f"{name}: {changed:.2%} of the pixels differ"


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_first_page_and_an_area_page_look_as_they_should(repo, cli, lang):
    pytest.importorskip("weasyprint", exc_type=ImportError)
    pytest.importorskip("PIL")
    cli("report", "-f", "pdf", "-o", "r.pdf", "--as-of", "2025-01-31", "--lang", lang)
    first, area = _pages(repo / "r.pdf", 1, 2)
    _compare(f"page-first.{lang}.png", first)
    _compare(f"page-area.{lang}.png", area)


def test_a_layout_break_is_noticed(repo, cli):
    # The comparison must be able to fail: a longer title wraps, and everything below moves.
    pytest.importorskip("weasyprint", exc_type=ImportError)
    pytest.importorskip("PIL")
    edit_plan(
        repo,
        "title: Work Plan of the Kenyan-German Digital Dialogue",
        "title: Work Plan of the Kenyan-German Digital Dialogue, with a much longer title",
    )
    cli("report", "-f", "pdf", "-o", "r.pdf", "--as-of", "2025-01-31")
    [first] = _pages(repo / "r.pdf", 1, 1)
    with pytest.raises(AssertionError, match="of the pixels differ"):
        _compare_only("page-first.en.png", first)


def _compare_only(name: str, image) -> None:
    saved = os.environ.pop("UPDATE_GOLDEN", None)
    try:
        _compare(name, image)
    finally:
        if saved is not None:
            os.environ["UPDATE_GOLDEN"] = saved


def test_the_pdf_needs_no_installed_font(repo, cli, tmp_path, monkeypatch):
    # fontconfig with no font folder at all: the report's embedded Inter is all there is.
    pytest.importorskip("weasyprint", exc_type=ImportError)
    pypdf = pytest.importorskip("pypdf")
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n'
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    cli("report", "-f", "pdf", "-o", "r.pdf", "--as-of", "2025-01-31")
    reader = pypdf.PdfReader(repo / "r.pdf")
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for heading in ("Work Plan of the Kenyan-German Digital Dialogue", "Summary", "Stakeholders"):
        assert heading in text
    fonts = {
        str(ref.get_object()["/BaseFont"]).split("+", 1)[-1].split("-")[0]
        for page in reader.pages
        for ref in page["/Resources"].get_object().get("/Font", {}).values()
    }
    assert fonts == {"Inter"}
    [first] = _pages(repo / "r.pdf", 1, 1)
    _compare_only("page-first.en.png", first)  # the same page as with every font installed
