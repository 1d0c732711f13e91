"""Random damage to the shipped plan never gets past the error boundary: every command that reads
it exits 0 or 1, never with a traceback or an internal error (exit 3), and writes nothing."""

from __future__ import annotations

import copy
import io
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import DATA
from tests.hostile import command_built_once, snapshot
from workplan_cli import yamlio
from workplan_cli.cli import app

PLAN = (DATA / "workplan-2024.yaml").read_bytes()
PLAN_DATA = yamlio.parse(PLAN.decode("utf-8"))
# A plan with indicators (the results fixture), damaged as the shipped plan is.
RESULTS = (DATA.parent / "tests" / "golden" / "results" / "plan.yaml").read_bytes()
RESULTS_DATA = yamlio.parse(RESULTS.decode("utf-8"))
COMMANDS = [
    ["validate"],
    ["status"],
    ["diff", "2025", "2024"],
    ["report"],
    ["set-status", "1.1.1", "completed", "--dry-run"],
    ["textconv", "data/workplan-2024.yaml"],  # git runs it on every version in history
    ["indicators"],
    ["record", "1.1-a", "2", "--period", "2024", "--dry-run"],
    ["show", "1.1"],
    ["export", "-f", "csv", "--indicators"],
]
# Reproducible in CI: the same examples every run, no example database.
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_command_built_once = pytest.fixture(autouse=True, scope="module")(command_built_once)


def _slots(value, out):
    """Collects (container, key) for every node below `value`."""
    if isinstance(value, dict):
        for key, child in value.items():
            out.append((value, key))
            _slots(child, out)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out.append((value, i))
            _slots(child, out)
    return out


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.just([]),
    st.just({}),
    st.lists(st.text(max_size=6), max_size=3),
    st.sampled_from(
        [
            *["1.10", "2024-02-30", "completed", "giz", "", "~", "\ud800"],
            *["   ", "2024-02-13T10:00:00+03:00", "2_024", "a\u2028b", "a\x85b", "\x1b[31m"],
        ]
    ),
)
# Seeds spliced into the plan's text by damaged_text: each once crashed or misread a plan.
SEEDS = [
    b"- " * 50_000 + b"x",  # deep block nesting: libyaml's composer crashed (exit 139)
    b"? " * 50_000 + b"x",
    b"".join(b" " * i + b"k:\n" for i in range(300)),
    b"1" * 5000,  # an int Python will not print (ValueError, exit 3)
    b"-_",  # ruamel's resolver took it for an int and crashed
    b"0x_",
    b"2_024",
    b"true",
    b"86400",
    b"2024-02-13T10:00:00+03:00",
    b'"   "',
    "a\u2028b \x85 \u2029".encode(),
    b'"\\0\\e\\f\\uFFFE\\uFFFF\\x7f\\x9b"',
]


@st.composite
def damaged_data(draw) -> bytes:
    """Returns the shipped plan (or the results fixture) with nodes deleted, duplicated or
    retyped, dumped again."""
    data = copy.deepcopy(draw(st.sampled_from([PLAN_DATA, RESULTS_DATA])))
    for _ in range(draw(st.integers(1, 4))):
        slots = _slots(data, [])
        if not slots:
            break
        parent, key = draw(st.sampled_from(slots))
        action = draw(st.sampled_from(["delete", "duplicate", "retype"]))
        if action == "delete":
            del parent[key]
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif action == "duplicate":
            other = draw(st.sampled_from(sorted(parent)))
            parent[other] = copy.deepcopy(parent[key])
        else:
            parent[key] = draw(ODD_VALUES)
    if draw(st.booleans()):
        return json.dumps(data, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    from ruamel.yaml import YAML

    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.dump(data, out)
    return out.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def damaged_text(draw) -> bytes:
    """Returns the shipped plan's (or the results fixture's) bytes cut, with bytes inserted,
    or with lines swapped, deleted or doubled."""
    data = draw(st.sampled_from([PLAN, RESULTS]))
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["cut", "insert", "seed", "swap", "delete", "double"]))
        at = draw(st.integers(0, len(data)))
        if action == "cut":
            data = data[:at]
        elif action == "seed":  # in place of a value
            values = [m.end() for m in re.finditer(rb": ", data)] or [at]
            at = draw(st.sampled_from(values))
            end = data.find(b"\n", at)
            data = data[:at] + draw(st.sampled_from(SEEDS)) + (data[end:] if end >= 0 else b"")
        elif action == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=6)) + data[at:]
        else:
            lines = data.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if action == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            elif action == "delete":
                del lines[i]
            else:
                lines.insert(i, lines[i])
            data = b"\n".join(lines)
    return data


def _every_command_answers(repo, data: bytes) -> None:
    path = repo / "data" / "workplan-2024.yaml"
    path.write_bytes(data)
    before = snapshot(repo)
    for args in COMMANDS:
        result = CliRunner().invoke(app, args, prog_name="workplan")
        output = result.stdout + result.stderr
        assert result.exit_code in (0, 1), (args, output, data[:2000])
        assert result.exception is None or isinstance(result.exception, SystemExit), args
        assert "Traceback" not in output and "internal error" not in output, (args, output)
    assert snapshot(repo) == before


@pytest.mark.slow
@FUZZ
@given(data=damaged_data())
def test_damaged_data(repo, data):
    _every_command_answers(repo, data)


@pytest.mark.slow
@FUZZ
@given(data=damaged_text())
def test_damaged_text(repo, data):
    _every_command_answers(repo, data)


@pytest.mark.parametrize("seed", SEEDS, ids=range(len(SEEDS)))
def test_seeds(repo, seed):
    title = b"title: Common positions on internet governance in international fora"
    assert title in PLAN
    indented = b"".join(b"\n" + b" " * 14 + line for line in seed.splitlines())
    _every_command_answers(repo, PLAN.replace(title, b"title:" + indented, 1))
