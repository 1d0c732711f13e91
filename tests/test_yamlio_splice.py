"""yamlio's splices: the appended item loads back, in every list shape, and nothing else moves."""

from __future__ import annotations

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
