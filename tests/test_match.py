"""diff/match.py: word diffs and pairing entries of two plans by text and by id."""

from __future__ import annotations

from workplan_cli.diff.match import NEAR_IDENTICAL, Word, match, norm, word_diff


def test_word_diff_keeps_removes_and_adds_runs_of_words():
    assert word_diff("the quick brown fox", "the slow brown fox jumps") == [
        Word("=", "the"),
        Word("-", "quick"),
        Word("+", "slow"),
        Word("=", "brown fox"),
        Word("+", "jumps"),
    ]


def test_word_diff_of_equal_and_empty_texts():
    assert word_diff("a  b\nc", "a b c") == [Word("=", "a b c")]  # whitespace is not a word
    assert word_diff("", "") == []
    assert word_diff("", "new") == [Word("+", "new")]


def test_norm_folds_case_and_whitespace():
    assert norm("  Hello\n  WORLD ") == "hello world"


def _text(entry: str) -> str:
    return entry


def test_a_unique_text_pairs_whatever_its_id():
    old = {"1.1.1": "Hackathon", "1.1.2": "Workshop"}
    new = {"1.1.1": "Workshop", "1.1.2": "Hackathon"}  # renumbered
    assert match(old, new, _text) == [("1.1.2", "1.1.1"), ("1.1.1", "1.1.2")]


def test_the_rest_pair_by_id_and_leftovers_are_alone():
    old = {"a": "first text", "b": "second text"}
    new = {"a": "rewritten entirely", "c": "something else altogether"}
    pairs = match(old, new, _text)
    assert ("a", "a") in pairs
    assert (None, "c") in pairs  # added
    assert ("b", None) in pairs  # removed
    assert len(pairs) == 3


def test_near_identical_leftovers_pair_by_text():
    old = {"x": "Joint conference on digital public infrastructure"}
    new = {"y": "Joint conference on digital public infrastructures"}
    assert match(old, new, _text) == [("x", "y")]
    far = {"y": "A different activity"}
    assert match(old, far, _text) == [(None, "y"), ("x", None)]
    assert 0 < NEAR_IDENTICAL < 1
