"""The shipped data: valid, and faithful to the signed source text."""

from __future__ import annotations

import re

import pytest

from tests.conftest import DATA, ROOT, SOURCE_TEXT
from workplan_cli.plan.store import find_repo


@pytest.fixture(scope="module")
def plan():
    return find_repo(DATA.parent).load_plan("2024")


def _words(text: str) -> str:
    return " ".join(text.replace("\u2022", " ").replace("\uf0b7", " ").split())


def test_shipped_repository_validates():
    assert find_repo(DATA.parent).validate() == []


def test_plan_facts(plan):
    meta = plan.plan
    assert meta.version == "2024"
    assert meta.status.value == "signed"
    assert meta.signed.date.isoformat() == "2024-02-13"
    assert "Stakeholder Meeting" in meta.signed.occasion
    assert meta.mou.month == "2023-11"
    assert meta.parties == ["micde", "bmdv"]
    assert meta.facilitator == "giz"
    assert meta.review.due == "2024-Q4"
    assert "until a new" in meta.validity


def test_structure_follows_the_source(plan):
    assert [a.title for a in plan.areas] == [
        "Internet Governance, Data Policy and Cybersecurity",
        "Digital Innovation and Sustainable Growth",
        "Digital Public Infrastructure and Services",
    ]
    topics = {t.id: len(t.activities) for a in plan.areas for t in a.topics}
    assert topics == {"1.1": 3, "1.2": 1, "1.3": 3, "2.1": 2, "2.2": 6, "3.1": 2}
    assert all(ref.activity.status.value == "planned" for ref in plan.activities())


def test_every_text_is_verbatim_from_the_source(plan):
    source = _words(SOURCE_TEXT.read_text(encoding="utf-8"))
    texts = [p for p in plan.plan.preamble]
    for ref in plan.activities():
        texts.append(ref.activity.text)
    for area in plan.areas:
        for topic in area.topics:
            texts.extend(topic.objectives)
    for text in texts:
        assert _words(text) in source, text


def test_every_bullet_of_the_source_is_an_activity(plan):
    source = _words(SOURCE_TEXT.read_text(encoding="utf-8"))
    activity_texts = [_words(ref.activity.text) for ref in plan.activities()]
    # Every activity starts a bullet in the source; the 17 bullets are covered, in order.
    positions = [source.index(t) for t in activity_texts]
    assert positions == sorted(positions)
    assert len(activity_texts) == 17


def test_ids_are_quoted_in_the_file():
    text = (DATA / "workplan-2024.yaml").read_text(encoding="utf-8")
    assert not re.search(r"^\s*-? ?id: [0-9]", text, re.MULTILINE)


def test_the_project_holds_what_it_reads():
    """The source text and the IATI files are inside the project (a clone runs every test);
    no file names a folder beside the repository, and the starter's provenance names a place
    that exists."""
    assert SOURCE_TEXT.is_file() and (SOURCE_TEXT.parent / "README.md").is_file()
    outside = re.compile(rb"shared/(seed|iati)")
    skipped = {".git", ".venv", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache"}
    named = [
        path.relative_to(ROOT)
        for path in ROOT.rglob("*")
        if path.is_file()
        and not skipped & set(path.relative_to(ROOT).parts)
        and not path.name.endswith(".egg-info")
        and outside.search(path.read_bytes())
    ]
    assert named == []
    header = (DATA / "workplan-2024.yaml").read_text(encoding="utf-8")[:400]
    assert "docs/source/" in header
