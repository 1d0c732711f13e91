"""Loading plan and stakeholder files: every kind of bad input gets one located message."""

from __future__ import annotations

import pytest

from tests.conftest import DATA, STAKEHOLDER_IDS
from workplan_cli.errors import InvalidFileError
from workplan_cli.plan.load import parse_plan, parse_stakeholders

PLAN = (DATA / "workplan-2024.yaml").read_text(encoding="utf-8")
IDS = STAKEHOLDER_IDS
NAME = "data/workplan-2024.yaml"


def problems(text: str | bytes, ids=IDS) -> list[str]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(InvalidFileError) as info:
        parse_plan(data, NAME, ids)
    return [str(p) for p in info.value.problems]


def one(text, ids=IDS) -> str:
    found = problems(text, ids)
    assert len(found) == 1, found
    return found[0]


def replace_once(old: str, new: str, text: str = PLAN) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_shipped_plan_loads():
    plan = parse_plan(PLAN.encode(), NAME, IDS)
    assert plan.find("1.3.1").activity.title.startswith("Cyber security")


def test_unknown_status_names_line_column_path_and_choices():
    text = replace_once("status: planned", "status: complted")
    line = line_of(text, "complted")
    assert one(text) == (
        f"{NAME}:{line}:21: areas[0].topics[0].activities[0].status (activity 1.1.1): 'complted' is not one of "
        "planned, in-progress, completed, postponed, cancelled"
    )


def test_unknown_key_points_at_the_key():
    text = replace_once(
        "            kind: expert-exchange\n",
        "            kind: expert-exchange\n            leed: [bmdv]\n",
    )
    line = line_of(text, "leed")
    assert (
        one(text)
        == f"{NAME}:{line}:13: areas[0].topics[0].activities[1].leed (activity 1.1.2): unknown key 'leed'"
    )


def test_missing_key_points_at_the_mapping():
    text = replace_once("            kind: joint-position\n", "")
    line = line_of(text, '- id: "1.1.1"')
    assert one(text) == (
        f"{NAME}:{line}:13: areas[0].topics[0].activities[0] (activity 1.1.1): missing required key 'kind'"
    )


def test_wrong_type():
    text = replace_once("title: Data policy", "title: [Data policy]")
    line = line_of(text, "[Data policy]")
    assert one(text) == (
        f"{NAME}:{line}:16: areas[0].topics[1].title (topic 1.2): Input should be a valid string, found a list"
    )


def test_unquoted_id_is_explained():
    text = replace_once('id: "1.2"', "id: 1.2")
    assert one(text).endswith(
        'areas[0].topics[1].id (area 1): ids must be quoted strings: write "1.2" '
        "(unquoted, 1.10 reads as the number 1.1)"
    )


def test_malformed_id():
    text = replace_once('id: "1.3.2"', 'id: "1.3.x"')
    assert one(text).endswith(
        "activities[1].id (activity 1.3.x): '1.3.x' is not an activity id like '1.3.2'"
    )


def test_duplicate_activity_id():
    text = replace_once('id: "1.3.3"', 'id: "1.3.2"')
    line = line_of(text, 'id: "1.3.3"') if 'id: "1.3.3"' in text else None
    message = one(text)
    assert "duplicate activity id '1.3.2' (also at areas[0].topics[2].activities[1].id)" in message
    assert line is None
    assert message.startswith(f"{NAME}:")


def test_activity_id_must_start_with_its_topic_id():
    text = replace_once('id: "1.2.1"', 'id: "1.4.1"')
    assert one(text).endswith(
        "areas[0].topics[1].activities[0].id (activity 1.4.1): activity id '1.4.1' does not start with its "
        "topic's id '1.2.'"
    )


def test_dangling_reference():
    text = replace_once("stakeholders: [giz, igf]", "stakeholders: [giz, igff]")
    line = line_of(text, "igff")
    assert one(text) == (
        f"{NAME}:{line}:33: areas[0].topics[0].activities[0].stakeholders[1] (activity 1.1.1): unknown "
        "stakeholder 'igff' (not in stakeholders.yaml)"
    )


@pytest.mark.parametrize("written", ["2024-02-30", '"2024-02-30"', "'2024-02-30'"])
def test_impossible_date(written):
    text = replace_once('date: "2024-02-13"', f"date: {written}")
    assert one(text).endswith(
        "plan.signed.date: Input should be a valid date or datetime, day value is outside "
        "expected range, found '2024-02-30'"
    )


@pytest.mark.parametrize("written", ["2024-02-13", '"2024-02-13"', "'2024-02-13'"])
def test_a_date_loads_quoted_or_not(written):
    """The shipped files quote dates (YAML 1.1 readers, PyYAML and js-yaml, make an unquoted
    one a date object that the JSON Schema refuses); a user's file may write either."""
    import datetime as dt

    text = replace_once('date: "2024-02-13"', f"date: {written}")
    assert parse_plan(text.encode(), NAME).plan.signed.date == dt.date(2024, 2, 13)


def test_duplicate_yaml_key():
    text = replace_once("  facilitator: giz\n", "  facilitator: giz\n  facilitator: bmdv\n")
    line = line_of(text, "facilitator: bmdv")
    assert one(text) == (
        f'{NAME}:{line}:3: found duplicate key "facilitator" with value "bmdv" '
        '(original value: "giz")'
    )


def test_yaml_syntax_error():
    text = replace_once(
        "  dialogue: Kenyan-German Digital Dialogue", "  dialogue: Kenyan-German: Digital Dialogue"
    )
    line = line_of(text, "Kenyan-German: Digital")
    assert one(text) == (
        f"{NAME}:{line}:26: a ': ' is not allowed here: put a value that contains ': ' in "
        "quotes, or check the indentation of this line"
    )


def test_tab_indentation():
    text = replace_once('  version: "2024"', '\tversion: "2024"')
    line = line_of(text, "\tversion")
    assert one(text).startswith(f"{NAME}:{line}:1: a tab character is used for indentation")


def test_non_utf8_bytes_are_located():
    data = PLAN.encode().replace(b"Data policy", b"Data p\xf6licy", 1)
    line = line_of(PLAN, "Data policy")
    offset = data.index(b"\xf6")
    assert one(data) == (
        f"{NAME}:{line}:22: not UTF-8 text: byte 0xf6 at offset {offset} cannot be decoded"
    )


def test_bom_and_crlf_simply_work():
    data = b"\xef\xbb\xbf" + PLAN.replace("\n", "\r\n").encode()
    plan = parse_plan(data, NAME, IDS)
    assert (
        plan.find("3.1.2").activity.text
        == "Expert exchange on the integration of government databases."
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected a mapping with keys schema_version, plan and areas, found an empty file"),
        (
            "# only a comment\n",
            "expected a mapping with keys schema_version, plan and areas, found an empty file",
        ),
        (
            "- a\n- b\n",
            "1:1: expected a mapping with keys schema_version, plan and areas, found a list",
        ),
        (
            "just text\n",
            "1:1: expected a mapping with keys schema_version, plan and areas, found a string",
        ),
    ],
)
def test_not_a_mapping(text, message):
    assert one(text) == f"{NAME}:{message}" if message[0].isdigit() else f"{NAME}: {message}"


def test_python_tags_are_refused_not_run(tmp_path):
    marker = tmp_path / "ran"
    text = replace_once(
        "  facilitator: giz", f"  facilitator: !!python/object/apply:os.system ['touch {marker}']"
    )
    line = line_of(text, "!!python")
    assert one(text) == (
        f"{NAME}:{line}:16: tags such as 'tag:yaml.org,2002:python/object/apply:os.system' "
        "are not allowed"
    )
    assert not marker.exists()


def test_alias_bomb_is_refused_before_it_is_walked():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    message = one(bomb)  # walked, it would take minutes
    assert message == f"{NAME}:2:8: anchors and aliases are not allowed in plan files"


def test_deep_nesting():
    text = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    assert "nesting is too deep" in one(text)


def test_several_problems_are_all_reported():
    text = replace_once("status: planned", "status: done")
    text = replace_once("kind: workshop", "kind: meeting", text)
    assert len(problems(text)) == 2


def test_history_must_agree_with_status():
    text = replace_once(
        "            status: planned\n            lead: [micde, bmdv]\n            stakeholders: [giz, students]\n            history: []",
        "            status: planned\n            lead: [micde, bmdv]\n            stakeholders: [giz, students]\n"
        "            history:\n              - {date: 2024-05-01, from: planned, to: in-progress}",
    )
    assert one(text).endswith(
        "areas[0].topics[2].activities[1].status (activity 1.3.2): status is 'planned' but the last history entry "
        "moved it to 'in-progress'"
    )


def test_history_in_date_order_and_chained():
    text = replace_once(
        "            status: planned\n            lead: [micde, bmdv]\n            stakeholders: [giz, students]\n            history: []",
        "            status: completed\n            lead: [micde, bmdv]\n            stakeholders: [giz, students]\n"
        "            history:\n"
        "              - {date: 2024-05-01, from: planned, to: in-progress}\n"
        "              - {date: 2024-04-01, from: postponed, to: completed}",
    )
    found = problems(text)
    assert any(
        "history[1].date (activity 1.3.2): history entry dated 2024-04-01 comes after one dated 2024-05-01"
        in p
        for p in found
    ), found
    assert any(
        "history[1].from (activity 1.3.2): 'from' is 'postponed' but the entry before moved the activity "
        "to 'in-progress'" in p
        for p in found
    ), found


def test_stakeholder_file_duplicate_ids():
    text = (DATA / "stakeholders.yaml").read_text(encoding="utf-8")
    text = text.replace("  - id: igf", "  - id: giz", 1)
    with pytest.raises(InvalidFileError) as info:
        parse_stakeholders(text.encode(), "data/stakeholders.yaml")
    [problem] = info.value.problems
    assert str(problem).endswith(
        "stakeholders[3].id (stakeholder giz): duplicate stakeholder id 'giz' (first used by stakeholders[2])"
    )


def test_keys_must_be_text():
    assert one("? [a, b]\n: c\n") == f"{NAME}:1:3: keys must be text, found a list"
    assert one("plan:\n  1: x\n") == f"{NAME}:2:3: keys must be text, found 1"


def test_control_characters_are_located():
    assert one(b"a: 1\nb:\n  c: [1, \x01]\n") == (
        f"{NAME}:3:10: character U+0001 is not allowed in YAML (control characters are not allowed)"
    )


def test_flow_nesting_that_would_crash_the_c_parser_is_refused_first():
    # libyaml's composer recurses per level and crashed the process past ~10,000 levels
    text = "a: " + "[" * 100_000 + "]" * 100_000 + "\n"
    assert one(text) == f"{NAME}:1:1004: nesting is too deep (more than 1000 open brackets)"


def test_too_many_brackets_are_located_after_other_characters():
    text = "a: [é, {b: ]]]\n" + "ü: 'x'\n" + "c: " + "[ß, " * 1001 + "\n"
    assert one(text) == f"{NAME}:3:4004: nesting is too deep (more than 1000 open brackets)"


def test_block_nesting_is_bounded():
    text = "".join(" " * i + "-\n" for i in range(90))  # 90 columns: composed, then refused
    assert one(text) == f"{NAME}:66:66: nesting is too deep (more than 64 levels)"


DEEP = f"{NAME}:{{}}: nesting is too deep (values start at more than 100 different columns, "
DEEP += "counting indentation and chains of '- ', '? ', ': ')"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("".join(" " * i + "- \n" for i in range(0, 3000, 2)), "100:201"),  # indented lists
        ("".join(" " * i + "k:\n" for i in range(3000)), "101:101"),  # indented mappings
        ("- " * 50_000 + "x\n", "1:201"),  # one line: libyaml's composer crashed (exit 139)
        ("? " * 50_000 + "x\n", "1:201"),  # complex keys
        (": " * 50_000 + "x\n", "1:201"),
        ("a:\n" + "".join(" " * i + "- ? - b:\n" for i in range(0, 400, 6)), "35:201"),
        ("a: 1\r" + "".join(" " * i + "k:\r" for i in range(200)), "102:101"),  # old Mac lines
    ],
)
def test_deep_block_nesting_is_refused_before_it_is_composed(text, place):
    assert one(text) == DEEP.format(place)


def test_a_plan_may_use_many_columns_below_the_limit():
    text = "a:\n" + "".join(" " * i + "- b\n" for i in range(1, 60, 3))  # 40 columns
    assert problems(text)[0] == f"{NAME}:1:1: missing required key 'schema_version'"


CYBER = "title: Cyber security capacity building for businesses and individuals"


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_line_and_paragraph_separators_are_text_as_in_yaml_1_2(char):
    # libyaml (YAML 1.1) took them for line breaks: a plain title with one was a syntax error,
    # U+0085 in quotes became a space, and later lines were misnumbered.
    for written in (f"Joint{char}position", f'"Joint{char}position"', f"'Joint{char}position'"):
        text = replace_once(CYBER, f"title: {written}")
        assert parse_plan(text.encode(), NAME, IDS).find("1.3.1").activity.title == (
            f"Joint{char}position"
        )
    text = replace_once(CYBER, f"title: A{char}B") + "extra: 1\n"
    assert one(text) == f"{NAME}:{PLAN.count(chr(10)) + 1}:1: extra: unknown key 'extra'"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1" * 5000, "a number of 5,000 characters (11111111111111111111...); quote it"),
        ("0x" + "f" * 4000, "a number of 4,002 characters (0xffffffffffffffffff...); quote"),
        ("-" + "9" * 200 + ".5", "a number of 203 characters (-9999999999999999999...); quo"),
    ],
)
def test_numbers_too_long_to_print_are_refused_at_their_place(value, message):
    # Python refuses to turn an int of more than 4,300 digits into text (ValueError, exit 3)
    text = replace_once("schema_version: 1\n", f"schema_version: {value}\n")
    assert one(text).startswith(f"{NAME}:{line_of(text, 'schema_version')}:17: {message}")
    key = PLAN + f"? {value}\n: x\n"
    end = PLAN.count("\n") + 1
    assert one(key).startswith(f"{NAME}:{end}:3: keys must be text, found {message}")


@pytest.mark.parametrize("value", ["-_", "+_", "0o_", "0x_", "0b_", "._", "1__", "=", "<<", "0b1"])
def test_plain_scalars_that_are_not_yaml_1_2_numbers_are_text(value):
    # ruamel's resolver read 2_024 as 2024 and 0b1 as 1, and `-_` or `._` crashed its constructor
    text = replace_once(CYBER, f"title: {value}")
    assert parse_plan(text.encode(), NAME, IDS).find("1.3.1").activity.title == value


def test_merge_keys_and_aliases_are_refused():
    assert one("a: &x {b: 1}\nc:\n  <<: *x\n") == (
        f"{NAME}:3:3: merge keys (<<) are not allowed in plan files"
    )
    assert (
        one("a: &x [1]\nb: *x\n")
        == f"{NAME}:2:4: anchors and aliases are not allowed in plan files"
    )


def test_fast_parse_gives_the_same_data_as_ruamel():
    from ruamel.yaml import YAML

    text = PLAN + "extra:\n  n: 3\n  f: 1.5\n  b: true\n  z: null\n  o: 0o12\n  d: 2024-01-02\n"
    from workplan_cli import yamlio

    expected = YAML(typ="safe", pure=True).load(text)
    expected["extra"]["d"] = "2024-01-02"  # dates stay text for the models to check
    expected["plan"]["signed"]["date"] = "2024-02-13"
    assert yamlio.parse(text) == expected


# --- Bounds (issue 9): junk costs no more than the largest plan ----------------------------------


def test_only_the_first_twenty_problems_are_listed():
    text = PLAN + "".join(f"junk{i}: 1\n" for i in range(30))
    found = problems(text)
    assert len(found) == 21
    assert found[0].endswith(": junk0: unknown key 'junk0'")
    assert found[-1] == f"{NAME}: and 10 more problems (fix the first ones, then look again)"


def test_thousands_of_errors_are_counted_not_built():
    # pydantic builds all errors or none; the first ones come from a copy with lists cut short.
    text = "schema_version: 1\nplan: {}\nareas: [" + "1, " * 5000 + "]\n"
    found = problems(text)
    assert len(found) == 21
    assert found[0] == f"{NAME}:2:7: plan: missing required key 'id'"
    assert any("areas[0]: Input should be a dictionary" in p for p in found)
    assert found[-1] == f"{NAME}: and 4,986 more problems (fix the first ones, then look again)"


def test_a_mapping_of_more_than_200_keys_is_refused():
    text = "a: {" + ", ".join(f"k{i}: 1" for i in range(201)) + "}\n"
    assert one(text) == (
        f"{NAME}:1:4: a mapping with more than 200 keys; no mapping of a plan has more than 20"
    )


def test_values_are_counted(monkeypatch):
    from workplan_cli.yamlio import reading

    monkeypatch.setattr(reading, "MAX_NODES", 100)
    assert one("a: [" + "x, " * 140 + "]\n").startswith(f"{NAME}:1:")  # built, then counted
    assert one("a: [" + "x, " * 200 + "]\n") == (  # counted before building
        f"{NAME}: too many values for a plan file (203 line breaks, commas, dashes, colons and "
        "brackets; a plan of 10,000 activities has about 300,000)"
    )


def test_a_value_of_more_than_100000_characters_is_refused():
    text = replace_once("title: Data policy", "title: " + "x" * 100_001)
    line = line_of(text, "title: xxx")
    assert one(text) == (
        f"{NAME}:{line}:16: a value of more than 100,000 characters; a plan's longest text "
        "has about 1,500"
    )


def test_a_lone_anchor_is_refused_but_an_ampersand_in_text_is_fine():
    assert one("a: &x 1\n") == f"{NAME}:1:4: anchors and aliases are not allowed in plan files"
    text = replace_once("title: Data policy", "title: R&D, Q & A, AT &T's policy")
    assert (
        parse_plan(text.encode(), NAME, IDS).find("1.2.1").topic.title
        == "R&D, Q & A, AT &T's policy"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a:\n  b: 1\n  - x\n", "3:3: this line is not a 'key: value' at the indentation of"),
        ("- a\nb: 1\n", "2:1: this line does not continue the list above it (it starts at line 1"),
        ("a: b: c\n", "1:5: a ': ' is not allowed here: put a value that contains ': ' in quotes"),
        (
            "a:\n  - x\n  y\n",
            "4:1: the text at line 3, column 3 is neither a 'key: value' nor a list item ('- ')",
        ),
        ("a:\n  b: 1\n c: 2\n", "3:2: this line is not a 'key: value' at the indentation of"),
        ('a: "abc\n', "2:1: a quoted text (it starts at line 1, column 4) is never closed"),
        ("a: @x\n", "1:4: a value cannot start with '@': put the value in quotes"),
    ],
)
def test_yaml_syntax_errors_are_said_in_a_plan_editors_words(text, expected):
    """libyaml's own words ("did not find expected '-' indicator while parsing a block
    collection") are replaced by what to look for, and the place is kept."""
    found = one(text)
    assert found.startswith(f"{NAME}:{expected}"), found
    for jargon in ("indicator", "block collection", "block mapping", "scalar", "token"):
        assert jargon not in found
