"""yamlio's splices: the appended item loads back, in every list shape, and nothing else moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from workplan_cli import yamlio
from workplan_cli.yamlio import Plain

ITEM = [("date", Plain("2024-01-02")), ("to", Plain("done")), ("note", "n"), ("evidence", ["a"])]
LOADED = {"date": "2024-01-02", "to": "done", "note": "n", "evidence": ["a"]}

SHAPES = {
    "keep-chomped block scalar last": (
        "a:\n  h:\n    - x: 1\n      n: |+\n        keep\n\n\n  z: 1\n"
    ),
    "folded block scalar last": "a:\n  h:\n    - x: 1\n      n: >\n        folded\n  z: 1\n",
    "multi-line quoted, comment after": (
        'a:\n  h:\n  - x: 1\n    n: "multi\n      line"\n  # trailing\nb: 2\n'
    ),
    "key missing": "a:\n  k: 1\n",
    "key missing, no final line break": "a:\n  k: 1",
    "flow mapping": "a: {k: 1, h: []}\n",
    "empty list, comment, CRLF": "a:\n  h: [ ]  # c\r\n  k: 1\r\n",
    "flow list over two lines": "a:\n  h: [{x: 1}, {x: 2},\n     {x: 3}]\n",
    "empty list at the end, no final line break": "a:\n  h: []",
}


@pytest.mark.parametrize("text", SHAPES.values(), ids=SHAPES.keys())
def test_append_item_loads_back(text):
    new = yamlio.append_item(text, ("a", "h"), ITEM)
    expected = yamlio.parse(text)
    expected["a"].setdefault("h", []).append(LOADED)
    assert yamlio.parse(new) == expected
    assert new.startswith(text.split("h:")[0])  # what comes before is untouched


def test_block_scalar_at_the_end_without_a_line_break_is_refused():
    with pytest.raises(yamlio.SpliceError, match="without a line break"):
        yamlio.append_item("a:\n  h:\n    - x: 1\n      n: |\n        lit", ("a", "h"), ITEM)


def test_replace_scalar_keeps_the_quote_style():
    text = "a: 'x'  # c\nb: \"y\"\nc: z\n"
    text = yamlio.replace_scalar(text, ("a",), "p")
    text = yamlio.replace_scalar(text, ("b",), "q")
    assert yamlio.replace_scalar(text, ("c",), "r") == "a: 'p'  # c\nb: \"q\"\nc: r\n"


def test_splice_names_a_missing_place():
    with pytest.raises(yamlio.SpliceError, match=r"nothing at a\.zz"):
        yamlio.replace_scalar("a:\n  k: 1\n", ("a", "zz"), "x")


# --- splice_item: one list item spliced on its own gives the bytes of the whole-file splice ------

GOLDEN_PLANS = sorted((Path(__file__).parent / "golden" / "set_status").glob("*/before.yaml"))
SHIPPED = Path(__file__).parent.parent / "data" / "workplan-2024.yaml"
HISTORY_ITEM = [("date", Plain("2024-10-12")), ("to", Plain("completed")), ("note", "n")]


def _activities(data: dict):
    for a, area in enumerate(data["areas"]):
        for t, topic in enumerate(area["topics"]):
            for i, activity in enumerate(topic.get("activities", [])):
                yield activity["id"], ("areas", a, "topics", t, "activities", i)


@pytest.mark.parametrize("path", [SHIPPED, *GOLDEN_PLANS], ids=lambda p: p.parent.name)
def test_splice_item_gives_the_bytes_of_the_whole_splice(path):
    text = path.read_bytes().decode("utf-8-sig")
    taken = 0
    for ident, loc in _activities(yamlio.parse(text)):
        whole = yamlio.splice(
            text,
            scalars=[((*loc, "status"), "completed")],
            items=[((*loc, "history"), HISTORY_ITEM)],
        )
        alone = yamlio.splice_item(
            text,
            "activities",
            "id",
            ident,
            [(("status",), "completed")],
            [(("history",), HISTORY_ITEM)],
        )
        assert alone in (None, whole), ident
        taken += alone is not None
    if path == SHIPPED:
        assert taken == 17  # every activity of the shipped plan is spliced on its own


@pytest.mark.parametrize(
    "text",
    [
        'activities:\n  - id: "1"\n    note: |\n      - id: "1"\n    status: a\n',  # twice
        'activities: [{id: "1", status: a}]\n',  # flow style
        'others:\n  - id: "1"\n    status: a\n',  # another list
        'activities:\n  - status: a\n    id: "1"\n',  # the id is not the first key
        'activities:\n  - id: "10"\n    status: a\n',  # another id that starts the same
    ],
    ids=["twice", "flow", "other-list", "id-not-first", "prefix"],
)
def test_splice_item_declines_what_it_cannot_place(text):
    assert yamlio.splice_item(text, "activities", "id", "1", [(("status",), "b")]) is None


def test_splice_item_in_a_zero_indented_list_after_others():
    text = 'activities:\n- id: "1"\n  status: a\n- id: "2"  # c\n  status: a\n\n  # x\nnext: 1\n'
    new = yamlio.splice_item(text, "activities", "id", "2", [(("status",), "b")])
    assert new == text.replace("  # c\n  status: a", "  # c\n  status: b")


# --- batches: several edits in one file give the bytes of the same edits made one by one ---------


def _status_edits(loc, status: str, day: str) -> list[yamlio.TextEdit]:
    item = [("date", Plain(day)), ("to", Plain(status)), ("note", f"moved to {status}")]
    return yamlio.under(
        loc, [yamlio.SetScalar(("status",), status), yamlio.AppendItem(("history",), item)]
    )


@pytest.mark.parametrize("path", [SHIPPED, *GOLDEN_PLANS], ids=lambda p: p.parent.name)
def test_a_batch_gives_the_bytes_of_its_edits_one_by_one(path):
    text = path.read_bytes().decode("utf-8-sig")
    locs = [loc for _, loc in _activities(yamlio.parse(text))]
    first, last = locs[0], locs[-1]
    batch = [
        *_status_edits(last, "completed", "2024-10-12"),
        *_status_edits(first, "cancelled", "2024-10-13"),
        # a second item for the same list: items appended at one place keep their order
        yamlio.AppendItem((*first, "history"), [("date", Plain("2024-10-14")), ("to", Plain("a"))]),
    ]
    one_by_one = text
    for edit in batch:
        one_by_one = yamlio.splice(one_by_one, edits=[edit])
    assert yamlio.splice(text, edits=batch) == one_by_one
    assert one_by_one != text


def test_a_batch_refuses_two_edits_of_one_place():
    text = "a: 1\nb: 2\n"
    with pytest.raises(yamlio.SpliceError, match="two edits of the same place"):
        yamlio.splice(text, edits=[yamlio.SetScalar(("a",), "x"), yamlio.ReplaceValue(("a",), "y")])


def test_block_edits_keep_comments_and_line_endings():
    text = (
        "plan:\r\n  version: '1'  # kept\r\n  # the signing\r\n  signed:\r\n    date: 2025-02-01\r\n"
        "  note: |\r\n    old\r\n\r\n  # after\r\nlist:\r\n  # one\r\n  - a\r\n  # two\r\n  - b\r\n"
        "  - c\r\n"
    )
    new = yamlio.splice(
        text,
        edits=[
            yamlio.ReplaceValue(("plan", "version"), '"2"'),
            yamlio.InsertAfter(("plan", "version"), ("supersedes: '1'",)),
            yamlio.RemoveEntry(("plan", "signed")),
            yamlio.ReplaceValue(("plan", "note"), '"new"'),
            yamlio.RemoveItems(("list",), (0, 2)),
            yamlio.InsertText(0, "# head\r\n"),
        ],
    )
    assert new == (
        "# head\r\nplan:\r\n  version: \"2\"  # kept\r\n  supersedes: '1'\r\n"
        '  note: "new"\r\n\r\n  # after\r\nlist:\r\n  # two\r\n  - b\r\n'
    )
