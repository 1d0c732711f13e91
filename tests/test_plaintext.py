"""output/plaintext.py: control characters out of text bound for other programs."""

from __future__ import annotations

import pytest

from workplan_cli.output.plaintext import REPLACEMENT, has_controls, without_controls


@pytest.mark.parametrize(
    "char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\ufffe", "\uffff", "\ud800"]
)
def test_a_control_character_is_replaced(char):
    assert has_controls(f"a{char}b")
    assert without_controls(f"a{char}b") == f"a{REPLACEMENT}b"


@pytest.mark.parametrize("text", ["tab\there", "lines\nand\r\nreturns", "Ümlaut – ‘quotes’ 🙂", ""])
def test_tab_newlines_and_ordinary_text_stay(text):
    assert not has_controls(text)
    assert without_controls(text) == text


def test_each_control_is_replaced_on_its_own():
    assert without_controls("\x1b[31mred\x1b[0m") == f"{REPLACEMENT}[31mred{REPLACEMENT}[0m"
