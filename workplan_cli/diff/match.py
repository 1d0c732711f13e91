"""Matching entries of two plans by id and by text, and word-level diffs (pure functions)."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

NEAR_IDENTICAL = 0.8  # difflib ratio above which two texts count as the same activity, reworded


@dataclass(frozen=True)
class Word:
    """One run of a word-level diff: op is '=' (kept), '-' (removed) or '+' (added)."""

    op: str
    text: str


def word_diff(old: str, new: str) -> list[Word]:
    """Returns the runs of words kept, removed and added between two texts."""
    a, b = old.split(), new.split()
    runs: list[Word] = []

    def push(op: str, words: list[str]) -> None:
        if not words:
            return
        if runs and runs[-1].op == op:
            runs[-1] = Word(op, runs[-1].text + " " + " ".join(words))
        else:
            runs.append(Word(op, " ".join(words)))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            push("=", a[i1:i2])
        else:
            push("-", a[i1:i2])
            push("+", b[j1:j2])
    return runs


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def match(
    old: dict[str, Any], new: dict[str, Any], text: Callable[[Any], str]
) -> list[tuple[str | None, str | None]]:
    """Returns (old id, new id) pairs; None on one side for an entry only in the other.

    A text found once on each side pairs those two whatever their ids (renumbered, moved);
    the rest pair by id; leftovers pair by near-identical text.
    """
    pairs: dict[str, str] = {}
    old_texts, new_texts = _unique_texts(old, text), _unique_texts(new, text)
    for t, old_id in old_texts.items():
        if t in new_texts:
            pairs[old_id] = new_texts[t]
    taken = set(pairs.values())
    for ident in old:
        if ident not in pairs and ident in new and ident not in taken:
            pairs[ident] = ident
            taken.add(ident)
    left_old = [i for i in old if i not in pairs]
    left_new = [i for i in new if i not in taken]
    scored = sorted(
        (
            (difflib.SequenceMatcher(None, norm(text(old[a])), norm(text(new[b]))).ratio(), a, b)
            for a in left_old
            for b in left_new
        ),
        key=lambda s: -s[0],
    )
    for ratio, a, b in scored:
        if ratio >= NEAR_IDENTICAL and a not in pairs and b not in taken:
            pairs[a] = b
            taken.add(b)
    by_new = {b: a for a, b in pairs.items()}
    out: list[tuple[str | None, str | None]] = [(by_new.get(b), b) for b in new]
    out += [(a, None) for a in old if a not in pairs]
    return out


def _unique_texts(entries: dict[str, Any], text: Callable[[Any], str]) -> dict[str, str]:
    seen: dict[str, list[str]] = {}
    for ident, entry in entries.items():
        seen.setdefault(norm(text(entry)), []).append(ident)
    return {t: ids[0] for t, ids in seen.items() if len(ids) == 1}
