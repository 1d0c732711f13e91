"""Hostile workbooks and CSV files given to `workplan import`: a clear error (exit 1, the file
named), no traceback, nothing written, in bounded time and memory (the figures:
`python benchmarks/hostile.py`)."""

from __future__ import annotations

import pytest

from tests.hostile import measure, snapshot
from tests.hostile_books import generated
from workplan_cli.edit import sheet
from workplan_cli.output.xlsx import read_workbook

# The names, for parametrize; the bytes are made on first use (a zip bomb takes a moment).
NAMES = sorted(
    [
        "zip-bomb", "many-parts", "many-cells", "many-rows", "last-row-only", "wide-row", "merged-cells",
        "formulas", "entity-expansion", "not-a-workbook", "empty-file", "too-large",
        "csv-latin-1", "csv-utf-16", "csv-huge-field", "csv-many-rows",
    ]
)  # fmt: skip


@pytest.mark.slow
def test_every_case_is_named():
    assert sorted(generated()) == NAMES


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_hostile_files_are_refused_in_bounded_time_and_memory(name, repo, tmp_path):
    file, data, message = generated()[name]
    (repo / file).write_bytes(data)
    before = snapshot(repo / "data")
    got = measure(repo, "import", file, "--dry-run", cache=tmp_path / "cache")
    assert "Traceback" not in got.stderr and "internal error" not in got.stderr, got.stderr
    assert got.code == 1, got.stderr[:500]
    assert got.stderr.startswith(f"Error: {message}") or got.stderr.startswith("Error:\n"), (
        got.stderr[:500]
    )
    assert message in got.stderr, got.stderr[:500]
    assert snapshot(repo / "data") == before


@pytest.mark.slow
def test_formula_cells_are_named_not_evaluated():
    _, data, _ = generated()["formulas"]
    table = read_workbook(data, "f.xlsx")
    cells = table.rows[1][1]
    assert [(c.value, c.formula) for c in cells] == [
        ('=HYPERLINK("http://x.example")', True),
        ("=1+1", True),
    ]


@pytest.mark.slow
def test_a_sparse_sheet_is_cut_at_the_row_limit():
    _, data, _ = generated()["last-row-only"]
    with pytest.raises(Exception, match="more than 20,000 rows"):
        read_workbook(data, "sparse.xlsx")


@pytest.mark.slow
def test_entity_expansion_is_not_expanded():
    _, data, _ = generated()["entity-expansion"]
    try:
        table = read_workbook(data, "laughs.xlsx")
    except Exception as e:  # refused by the XML parser: fine, if it is our error
        assert "laughs.xlsx: " in str(e)
        return
    assert all(len(str(c.value)) <= sheet.MAX_CELL_CHARS for _, row in table.rows for c in row)
