"""Matching entries of two plans by id and by text, and word-level diffs (pure functions)."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

NEAR_IDENTICAL = 0.8  # difflib ratio above which two texts count as the same activity, reworded
EXHAUSTIVE = 2_500  # leftover pairs of distinct texts all scored; more: only candidate pairs
SHORT = 12  # words: a text this short is scored against every text of a fitting length
SHARED = 0.3  # of its word triples a text shares with its match, at least (candidate filter)


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
    near = near_identical(
        [norm(text(old[a])) for a in left_old], [norm(text(new[b])) for b in left_new]
    )
    for a, b in near:
        pairs[left_old[a]] = left_new[b]
    by_new = {b: a for a, b in pairs.items()}
    out: list[tuple[str | None, str | None]] = [(by_new.get(b), b) for b in new]
    out += [(a, None) for a in old if a not in pairs]
    return out


def _unique_texts(entries: dict[str, Any], text: Callable[[Any], str]) -> dict[str, str]:
    seen: dict[str, list[str]] = {}
    for ident, entry in entries.items():
        seen.setdefault(norm(text(entry)), []).append(ident)
    return {t: ids[0] for t, ids in seen.items() if len(ids) == 1}


def near_identical(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """Returns (old index, new index) pairs of near-identical texts, the closest first.

    The rule: pairs are taken by falling difflib ratio (ties: in the order of the old texts, then
    the new), each text at most once, while the ratio is NEAR_IDENTICAL or more. Each pair of
    distinct texts is scored once; with many texts only candidate pairs are (see _candidates),
    so that thousands of reworded activities match in a minute, not hours.
    """
    old_texts: dict[str, list[int]] = defaultdict(list)
    new_texts: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(old):
        old_texts[t].append(i)
    for j, t in enumerate(new):
        new_texts[t].append(j)
    xs, ys = list(old_texts), list(new_texts)
    candidates: Iterator[tuple[int, int]]
    if len(xs) * len(ys) <= EXHAUSTIVE:
        candidates = ((x, y) for x in range(len(xs)) for y in range(len(ys)))
    else:
        candidates = iter(_candidates(xs, ys))
    levels: dict[float, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for x, y in candidates:
        a, b = xs[x], ys[y]
        matcher = difflib.SequenceMatcher(None, a, b)
        if matcher.real_quick_ratio() < NEAR_IDENTICAL:  # an upper bound from the lengths
            continue
        ratio = matcher.ratio()
        if ratio >= NEAR_IDENTICAL:
            levels[ratio][x].append(y)
    return _assign(
        levels, [old_texts[x] for x in xs], [new_texts[y] for y in ys], len(old), len(new)
    )


def _assign(
    levels: dict[float, dict[int, list[int]]],
    old_ids: list[list[int]],
    new_ids: list[list[int]],
    n_old: int,
    n_new: int,
) -> list[tuple[int, int]]:
    """Returns the pairs a greedy pass over (ratio falling, old index, new index) takes, where
    each text stands for every entry that has it (so that many equal texts cost no square)."""
    old_taken, new_taken = [False] * n_old, [False] * n_new
    first_free = [0] * len(new_ids)  # per new text: entries before this one are all taken
    out = []
    for ratio in sorted(levels, reverse=True):
        partners = levels[ratio]
        for a, x in sorted((a, t) for t in partners for a in old_ids[t]):
            if old_taken[a]:
                continue
            best = None
            for y in partners[x]:
                ids, k = new_ids[y], first_free[y]
                while k < len(ids) and new_taken[ids[k]]:
                    k += 1
                first_free[y] = k
                if k < len(ids) and (best is None or ids[k] < best):
                    best = ids[k]
            if best is not None:
                old_taken[a] = new_taken[best] = True
                out.append((a, best))
    return out


def _candidates(old: list[str], new: list[str]) -> set[tuple[int, int]]:
    """Returns the pairs worth scoring: of fitting lengths, and either one text short or both
    sharing SHARED of the triples of words of each (found by prefix filtering: such a pair
    shares one of the rarer triples of each).

    A pair of long texts that shares fewer than SHARED of its word triples is not scored: a
    ratio of NEAR_IDENTICAL allows a fifth of the characters to change, which on texts of a
    dozen words or more leaves most triples whole (tests/test_diff.py checks the filter finds
    every pair the exhaustive scoring finds, on random plans).
    """
    grams = [_triples(t) for t in old], [_triples(t) for t in new]
    count: dict[tuple[str, int], int] = defaultdict(int)
    for side in grams:
        for triples in side:
            for g in triples:
                count[g] += 1
    prefixes = [[_prefix(triples, count) for triples in side] for side in grams]
    index: dict[tuple[str, int], list[int]] = defaultdict(list)
    for y, prefix in enumerate(prefixes[1]):
        for g in prefix:
            index[g].append(y)
    lengths = [len(t) for t in new]
    by_length = sorted(range(len(new)), key=lengths.__getitem__)
    short_new = [y for y in range(len(new)) if len(grams[1][y]) < SHORT]
    out: set[tuple[int, int]] = set()
    low = NEAR_IDENTICAL / (2 - NEAR_IDENTICAL)  # 2 min / (sum) >= ratio: min >= max * low
    sets = [set(triples) for triples in grams[1]]
    for x, prefix in enumerate(prefixes[0]):
        mine = set(grams[0][x])
        need = int(len(mine) * SHARED)
        near: set[int] = set()
        for g in prefix:
            near.update(index.get(g, ()))
        found = {y for y in near if len(mine & sets[y]) >= max(need, int(len(sets[y]) * SHARED))}
        if len(mine) < SHORT:
            found.update(by_length)
        else:
            found.update(short_new)
        n = len(old[x])
        out.update((x, y) for y in found if min(n, lengths[y]) >= max(n, lengths[y]) * low)
    return out


def _triples(text: str) -> list[tuple[str, int]]:
    """Returns the text's triples of words, each with its count so far (a multiset as a set)."""
    words = text.split()
    seen: dict[str, int] = defaultdict(int)
    out = []
    for i in range(len(words) - 2):
        g = " ".join(words[i : i + 3])
        seen[g] += 1
        out.append((g, seen[g]))
    return out


def _prefix(triples: list[tuple[str, int]], count: dict) -> list[tuple[str, int]]:
    """Returns the rarest triples: any text sharing SHARED of them shares one of these."""
    keep = len(triples) - int(len(triples) * SHARED) + 1
    return sorted(triples, key=lambda g: (count[g], g))[:keep]
