"""edit/indicatorsheet.py: the Indicators sheet's columns and rows, and the rows read back as
`record`'s requests (the CLI round trip is in tests/test_import_sheets.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from tests.conftest import DATA, STAKEHOLDER_IDS
from workplan_cli.edit import indicatorsheet
from workplan_cli.edit.sheet import Cell, Table
from workplan_cli.plan import fields, load
from workplan_cli.plan.model import Actual

DAY = dt.date(2025, 7, 1)


def _plan():
    return load.parse_plan((DATA / "workplan-2025.yaml").read_bytes(), "p.yaml", STAKEHOLDER_IDS)


def test_the_new_actual_columns_follow_the_declarations_of_an_actual():
    cols = indicatorsheet.columns(_plan())
    editable = [c.key for c in cols if c.editable]
    assert editable == ["new_" + f.key for f in fields.declared(Actual)]
    assert [c.key for c in cols if c.key.startswith("target_")] == [
        "target_2025",
        "target_2025-Q2",
        "target_2025-Q4",
    ]
    assert cols[-1].key == "check"


def test_rows_hold_the_standing_and_leave_the_input_columns_empty():
    plan = _plan()
    refs = list(plan.indicators())
    cols = indicatorsheet.columns(plan)
    rows = indicatorsheet.rows(plan, refs, DAY)
    first = dict(zip([c.key for c in cols], rows[0], strict=True))
    assert first["id"] == "1.1-a" and first["target_2025"] == 1 and first["colour"] == "grey"
    assert all(first[c.key] is None for c in cols if c.editable)
    assert first["check"] == f"2025:{indicatorsheet.digest(refs[0].indicator)}"


def test_the_digest_changes_with_an_actual():
    ind = next(iter(_plan().indicators())).indicator
    actual = Actual(date=DAY, period="2025", value=1)
    assert indicatorsheet.digest(ind) != indicatorsheet.digest(
        dataclasses.replace(ind, actuals=[actual])
    )


def _table(plan, **cells) -> Table:
    cols = indicatorsheet.columns(plan)
    ref = next(iter(plan.indicators()))
    values = indicatorsheet.rows(plan, [ref], DAY)[0]
    row = [Cell(cells.get(c.key, v)) for c, v in zip(cols, values, strict=True)]
    return Table("b.xlsx", "Indicators", [(1, [Cell(c.label) for c in cols]), (2, row)])


def test_a_number_cell_becomes_the_text_record_parses():
    plan = _plan()
    table = _table(plan, new_value=2.0, new_period=2025, new_date=dt.datetime(2025, 6, 1))
    news, conflicts, errors = indicatorsheet.new_actuals(table, plan, DAY, "me")
    assert (errors, conflicts) == ([], [])
    assert news[0].request.value == "2" and news[0].request.period == "2025"
    assert news[0].actual.value == 2 and news[0].actual.by == "me"


def test_a_row_without_a_new_actual_is_no_request():
    plan = _plan()
    assert indicatorsheet.new_actuals(_table(plan), plan, DAY, None) == ([], [], [])


def test_a_value_without_a_period_is_named():
    plan = _plan()
    _, _, errors = indicatorsheet.new_actuals(_table(plan, new_value=1), plan, DAY, None)
    assert errors == ["b.xlsx:Indicators!R2: empty; choose one of the plan's periods (2025, "
                      "2025-Q2, 2025-Q4)"]  # fmt: skip


def test_the_indicator_field_columns_are_headed_by_the_declared_labels(monkeypatch):
    from tests.test_cli_indicators import relabel
    from workplan_cli.plan.model import Indicator

    keys = ("id", "objective", "text", "measure", "unit", "baseline")
    relabel(monkeypatch, [(Indicator, k, k.upper() + "!") for k in keys])
    heads = {c.key: c.label for c in indicatorsheet.columns(_plan())}
    assert [heads[k] for k in keys] == [k.upper() + "!" for k in keys]
