"""The pure edit (hypothesis): any update loads back exactly and changes only its own lines."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import DATA, STAKEHOLDER_IDS, hang_guard
from workplan_cli import yamlio
from workplan_cli.edit import status as edit
from workplan_cli.errors import WorkplanError
from workplan_cli.plan import load
from workplan_cli.plan.vocab import Status

GOLDEN = Path(__file__).parent / "golden" / "set_status"
SHIPPED = (DATA / "workplan-2024.yaml").read_bytes()
BASES = {
    "shipped": SHIPPED,
    "shipped-crlf-bom": b"\xef\xbb\xbf" + SHIPPED.replace(b"\n", b"\r\n"),
    **{
        case: (GOLDEN / case / "before.yaml").read_bytes()
        for case in (
            "comments",
            "flow_history",
            "indent4",
            "quoted_and_block",
            "zero_indent",
            "existing_history_crlf_no_final_newline",
        )
    },
}
IDS = STAKEHOLDER_IDS

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
tricky = st.sampled_from(
    ["", " leading", "trailing ", "a: b", "# not a comment", "'", '"', "\\", "\n", "\r\n", "- x",
     "{[,]}", "null", "~", "yes", "1.10", "2024-10-12", "&a *a", "!!python/object", "\t", "\x85",
     "\u2028", "\ufeff", "é ü 中文 🎉", "|", ">-", "%", "@", "`"]
)  # fmt: skip
notes = st.lists(st.one_of(texts, tricky), max_size=4).map("".join)


@st.composite
def requests(draw):
    base = draw(st.sampled_from(sorted(BASES)))
    plan = load.parse_plan(BASES[base], base, IDS)
    ids = [ref.activity.id for ref in plan.activities()]
    request = edit.Request(
        activity_id=draw(st.sampled_from(ids)),
        status=draw(st.sampled_from(list(Status))),
        on=draw(st.dates(dt.date(2024, 12, 1), dt.date(2030, 12, 31))),
        note=draw(st.none() | notes),
        by=draw(st.none() | notes),
        evidence=tuple(draw(st.lists(notes.filter(str.strip), max_size=3))),
        force=True,
    )
    return base, plan, request


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_any_update_loads_back_and_changes_only_its_lines(case):
    base, old_plan, request = case
    old = BASES[base]
    result = edit.set_status(old, base, request, IDS)
    new_plan = load.parse_plan(result.new, base, IDS)

    # The activity holds exactly what was asked for; every other activity is unchanged.
    before = {r.activity.id: r.activity for r in old_plan.activities()}
    after = {r.activity.id: r.activity for r in new_plan.activities()}
    changed = after.pop(request.activity_id)
    was = before.pop(request.activity_id)
    assert after == before
    assert new_plan.plan == old_plan.plan
    assert changed.status == request.status
    assert changed.history[:-1] == was.history
    entry = changed.history[-1]
    assert (entry.date, entry.from_, entry.to) == (request.on, was.status, request.status)
    assert entry.note == (request.note or None)
    assert entry.by == (request.by or None)
    assert tuple(entry.evidence) == request.evidence
    assert dataclasses.replace(changed, status=was.status, history=was.history) == was

    _assert_only_intended_lines(old, result.new)


def _assert_only_intended_lines(old: bytes, new: bytes) -> None:
    """Old lines are kept byte for byte, but for the status line and a `history: [...]` line."""
    assert new.startswith(b"\xef\xbb\xbf") == old.startswith(b"\xef\xbb\xbf")
    old_lines, new_lines = old.split(b"\n"), new.split(b"\n")
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    touched = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            touched += old_lines[i1:i2]
            crlf = old_lines[i1 - 1 if i1 else 0].endswith(b"\r")
            for j in range(j1, min(j2, len(new_lines) - 1)):  # the last line has no ending
                assert new_lines[j].endswith(b"\r") == crlf, new_lines[j]  # the file's own
    assert len(touched) <= 2, touched
    for line in touched:
        assert b"status:" in line or b"history:" in line, line


@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_double_quoted_loads_back_exactly(value):
    assert yamlio.parse(f"k: {yamlio.double_quoted(value)}\n") == {"k": value}


def test_splice_refuses_a_block_scalar_status():
    text = "a:\n  status: |\n    planned\n"
    with pytest.raises(yamlio.SpliceError, match="not written as a one-line scalar"):
        yamlio.replace_scalar(text, ("a", "status"), "completed")


def test_surrogates_in_a_note_are_refused():
    request = edit.Request("1.3.2", Status.COMPLETED, dt.date(2024, 10, 12), note="bad \udcff")
    with pytest.raises(WorkplanError, match="--note holds bytes that are not valid text"):
        edit.set_status(SHIPPED, "x", request, IDS)


def test_commit_message():
    change = edit.Edit("1.3.2", b"", b"", Status.PLANNED, Status.COMPLETED)
    assert edit.commit_message(change, "Held\n") == "1.3.2: planned -> completed\n\nHeld\n"
    assert edit.commit_message(change, None) == "1.3.2: planned -> completed\n"


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text.replace("kind: workshop", "kind: conference", 1),  # another value
        lambda text: text.replace('id: "3.1.2"', 'id: "3.1.3"', 1),  # an id
        lambda text: text + "\n  - {broken\n",  # no longer YAML
    ],
    ids=["other-value", "other-id", "unparsable"],
)
def test_an_edit_that_changes_more_is_refused(monkeypatch, damage):
    # Both ways of splicing go wrong: the activity's own lines and the whole file.
    real, real_item = yamlio.splice, yamlio.splice_item
    monkeypatch.setattr(yamlio, "splice", lambda text, **kw: damage(real(text, **kw)))
    monkeypatch.setattr(yamlio, "splice_item", lambda text, *a: damage(real_item(text, *a)))
    request = edit.Request("1.3.2", Status.COMPLETED, dt.date(2024, 10, 12), by="X")
    with pytest.raises(WorkplanError, match="would change more than the status and history"):
        edit.set_status(SHIPPED, "x", request, IDS)


@pytest.mark.parametrize(
    "damage", [lambda text: None, lambda text: text.replace("kind: w", "kind: c")]
)
def test_the_whole_file_is_spliced_when_the_item_alone_is_not(monkeypatch, damage):
    request = edit.Request("1.3.2", Status.COMPLETED, dt.date(2024, 10, 12), by="X")
    expected = edit.set_status(SHIPPED, "x", request, IDS).new
    real_item = yamlio.splice_item
    monkeypatch.setattr(yamlio, "splice_item", lambda *a: damage(real_item(*a)))
    assert edit.set_status(SHIPPED, "x", request, IDS).new == expected


def _difflib_unified_diff(old: bytes, new: bytes, name: str) -> str:
    """The first implementation of edit.unified_diff: difflib over the whole file (quadratic)."""
    a, b = (edit._lines(x) for x in (old, new))
    out = [f"--- a/{name}", f"+++ b/{name}"]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(3):
        i1, j1, i2, j2 = group[0][1], group[0][3], group[-1][2], group[-1][4]
        out.append(f"@@ -{edit._range(i1, i2)} +{edit._range(j1, j2)} @@")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                out += [" " + line for line in a[a1:a2]]
                continue
            out += ["-" + line for line in a[a1:a2]]
            out += ["+" + line for line in b[b1:b2]]
    return "\n".join(out) + "\n" if len(out) > 2 else ""


def _diff_of(old: bytes, new: bytes) -> str:
    return edit.unified_diff(edit.Edit("1.1.1", old, new, Status.PLANNED, Status.PLANNED), "p")


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir() if p.is_dir()))
def test_unified_diff_is_difflibs_on_the_golden_cases(case):
    old, new = ((GOLDEN / case / f).read_bytes() for f in ("before.yaml", "after.yaml"))
    assert _diff_of(old, new) == _difflib_unified_diff(old, new, "p")


lines = st.lists(st.sampled_from(["a", "b", "c", "status: planned", "", "- x"]), max_size=30)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from("abcdefghijklmnop"), unique=True, max_size=16), st.data())
def test_unified_diff_is_difflibs_on_a_splice(old_lines, data):
    """A splice (lines replaced between a kept head and tail) diffs as difflib diffs the whole
    file, even with a window of 2 lines, when the file's lines do not repeat and the new lines
    are not copies of the old ones."""
    start = data.draw(st.integers(0, len(old_lines)))
    stop = data.draw(st.integers(start, len(old_lines)))
    middle = data.draw(st.lists(st.sampled_from("qrstuvwxyz"), max_size=8))
    new_lines = old_lines[:start] + middle + old_lines[stop:]
    old, new = ("\n".join(x).encode() for x in (old_lines, new_lines))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(edit, "WINDOW", 2)
        assert _diff_of(old, new) == _difflib_unified_diff(old, new, "p")


@settings(max_examples=300, deadline=None)
@given(lines, st.data())
def test_unified_diff_is_difflibs_on_small_edits(old_lines, data):
    """Any splice of a file shorter than the window diffs exactly as difflib diffs it."""
    start = data.draw(st.integers(0, len(old_lines)))
    stop = data.draw(st.integers(start, len(old_lines)))
    new_lines = old_lines[:start] + data.draw(lines) + old_lines[stop:]
    old, new = ("\n".join(x).encode() for x in (old_lines, new_lines))
    assert _diff_of(old, new) == _difflib_unified_diff(old, new, "p")


def test_unified_diff_of_a_large_file_is_quick():
    """10,000 activities of recurring lines: was minutes (difflib over the whole file)."""
    blocks = [
        f"  - id: '{n}'\n    status: planned\n    lead: [micde, bmdv]\n" for n in range(10_000)
    ]
    old = ("plan:\n" + "".join(blocks)).encode()
    new = old.replace(b"'5000'\n    status: planned", b"'5000'\n    status: done\n    history: []")
    with hang_guard(60):
        diff = _diff_of(old, new)
    assert diff.splitlines()[2:] == [
        "@@ -15000,7 +15000,8 @@",
        "     status: planned",
        "     lead: [micde, bmdv]",
        "   - id: '5000'",
        "-    status: planned",
        "+    status: done",
        "+    history: []",
        "     lead: [micde, bmdv]",
        "   - id: '5001'",
        "     status: planned",
    ]


def test_a_large_changed_block_is_shown_whole():
    old = "\n".join(f"old {n}" for n in range(3000)).encode()
    new = "\n".join(f"new {n}" for n in range(3000)).encode()
    with hang_guard(60):
        diff = _diff_of(old, new)
    assert diff.splitlines()[2] == "@@ -1,3000 +1,3000 @@"
    assert diff.count("\n-old ") == 3000 and diff.count("\n+new ") == 3000
