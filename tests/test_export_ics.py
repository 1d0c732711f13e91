"""`workplan export --format ics`: dated activities and history entries as calendar events."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from tests.exporting import NOTE_1_3_2, add_dates, check_golden
from workplan_cli.output.ics import ics_export
from workplan_cli.plan.store import find_repo

PLAN_ID = "ke-de-digital-dialogue"


@pytest.fixture
def dated(repo):
    add_dates(repo)
    return repo


def _events(data: bytes) -> dict:
    calendar = Calendar.from_ical(data)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def _export(cli, tmp_path, *args) -> bytes:
    target = tmp_path / "plan.ics"
    cli("export", "--format", "ics", "-o", str(target), *args)
    return target.read_bytes()


def test_ics_parses_back_with_stable_uids(cli, dated, tmp_path):
    events = _events(_export(cli, tmp_path))
    assert sorted(events) == [
        f"activity-1.3.2@{PLAN_ID}.workplan",
        f"activity-2.2.1@{PLAN_ID}.workplan",
        f"history-1.3.2-1@{PLAN_ID}.workplan",
        f"history-1.3.2-2@{PLAN_ID}.workplan",
        f"history-2.2.1-1@{PLAN_ID}.workplan",
    ]
    hackathon = events[f"activity-1.3.2@{PLAN_ID}.workplan"]
    assert str(hackathon["summary"]) == "1.3.2 Cyber security innovation challenge or hackathon"
    assert hackathon.decoded("dtstart") == dt.date(2024, 9, 16)
    assert hackathon.decoded("dtend") == dt.date(2024, 9, 19)  # all-day: the end is exclusive
    assert str(hackathon["status"]) == "CONFIRMED"
    # DTSTAMP: the last revision of the information, so the export is the same each time
    assert hackathon.decoded("dtstamp") == dt.datetime(2024, 9, 18, tzinfo=dt.UTC)
    assert "Pilot an innovation challenge" in str(hackathon["description"])
    call = events[f"history-1.3.2-1@{PLAN_ID}.workplan"]
    assert call.decoded("dtstart") == dt.date(2024, 5, 2)
    assert str(call["summary"]).startswith("1.3.2 planned -> in-progress: ")
    assert NOTE_1_3_2 in str(call["description"])
    assert "By: giz" in str(call["description"])
    only_start = events[f"activity-2.2.1@{PLAN_ID}.workplan"]
    assert only_start.decoded("dtstart") == dt.date(2024, 6, 3)
    assert only_start.decoded("dtend") == dt.date(2024, 6, 4)
    assert str(only_start["status"]) == "CANCELLED"


def test_ics_is_the_same_on_every_export(cli, dated, tmp_path):
    assert _export(cli, tmp_path) == _export(cli, tmp_path)


def test_ics_follows_the_filters(cli, dated, tmp_path):
    events = _events(_export(cli, tmp_path, "--status", "cancelled"))
    assert sorted(events) == [
        f"activity-2.2.1@{PLAN_ID}.workplan",
        f"history-2.2.1-1@{PLAN_ID}.workplan",
    ]


def test_shipped_plan_has_no_dated_events(cli, repo, tmp_path):
    calendar = Calendar.from_ical(_export(cli, tmp_path))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["x-wr-calname"]).startswith("Work Plan of the Kenyan-German")


def test_a_calendar_without_events_is_still_valid(cli, repo, tmp_path):
    """RFC 5545 3.6: a calendar holds at least one component; an empty VCALENDAR is refused
    by strict readers. Without events it holds UTC's time zone, and the user is told."""
    target = tmp_path / "plan.ics"
    result = cli("export", "--format", "ics", "-o", str(target))
    assert "no dated activities or history entries to export" in result.stderr
    calendar = Calendar.from_ical(target.read_bytes())
    assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE"]
    assert str(calendar.walk("VTIMEZONE")[0]["tzid"]) == "UTC"
    assert calendar.walk("STANDARD")[0].decoded("tzoffsetto") == dt.timedelta(0)
    assert _export(cli, tmp_path) == target.read_bytes()


def test_dtstamp_comes_from_the_plan_not_the_clock(cli, repo, tmp_path):
    """The 2025 draft is unsigned and has no history: DTSTAMP is a fixed value, not the time
    of export, so that the same plan gives the same file."""
    first = _export(cli, tmp_path, "--plan", "2025")
    events = Calendar.from_ical(first).walk("VEVENT")
    assert events and {e.decoded("dtstamp") for e in events} == {
        dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    }
    assert _export(cli, tmp_path, "--plan", "2025") == first


def test_dtstamp_falls_back_to_the_plans_latest_history_date(dated):
    """An activity without history in an unsigned plan: the latest history date of the plan."""
    path = dated / "data" / "workplan-2024.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  signed:\n")
    end = text.index("  validity:", start)
    text = (text[:start] + text[end:]).replace("status: signed", "status: draft", 1)
    history = text[text.index("start: 2024-06-03\n") :]
    history = history[: history.index("Not this year.\n") + len("Not this year.\n")]
    text = text.replace(history, "start: 2024-06-03\n            history: []\n")
    text = text.replace(
        "status: cancelled\n            lead: [micde, bmdv]\n            "
        "stakeholders: [giz, business]",
        "status: planned\n            lead: "
        "[micde, bmdv]\n            stakeholders: [giz, business]",
    )
    path.write_text(text, encoding="utf-8")
    plan = find_repo(dated).load_plan("2024")
    assert plan.plan.signed is None
    stamps = {
        str(e["uid"]): e.decoded("dtstamp")
        for e in Calendar.from_ical(ics_export(plan, list(plan.activities()))).walk("VEVENT")
    }
    assert f"history-2.2.1-1@{PLAN_ID}.workplan" not in stamps
    assert stamps[f"activity-2.2.1@{PLAN_ID}.workplan"] == dt.datetime(2024, 9, 18, tzinfo=dt.UTC)


def test_ics_golden(dated):
    plan = find_repo(dated).load_plan()
    data = ics_export(plan, list(plan.activities()))
    assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
    check_golden("dated.ics", data)


def test_due_dates_are_events_of_their_own(tmp_path, cli, monkeypatch):
    from tests.schedplans import dated_repo

    root = dated_repo(tmp_path / "dated")
    monkeypatch.chdir(root)
    events = _events(_export(cli, tmp_path))
    due = {uid: e for uid, e in events.items() if uid.startswith("due-")}
    # every activity with an end date that is neither completed nor cancelled (not 1.2.1)
    assert sorted(due) == [
        f"due-{i}@dated-plan.workplan" for i in ("1.1.1", "1.1.2", "1.1.3", "2.1.1")
    ]
    workshop = due["due-1.1.1@dated-plan.workplan"]
    assert str(workshop["summary"]) == "Due: 1.1.1 Overdue workshop"
    assert workshop.decoded("dtstart") == dt.date(2026, 2, 20)
    assert workshop.decoded("dtend") == dt.date(2026, 2, 21)
    assert str(workshop["transp"]) == "TRANSPARENT"
    assert "Lead: bmdv" in str(workshop["description"])
    assert [str(c) for c in workshop["categories"].cats] == ["1 First area", "due"]
    # the activity's own event spans its planned dates, as before
    span = events["activity-1.1.1@dated-plan.workplan"]
    assert span.decoded("dtstart") == dt.date(2026, 1, 15)


def test_history_events_are_labelled_as_the_fields_are_declared(dated, monkeypatch):
    from workplan_cli.plan import fields
    from workplan_cli.plan.model import Activity, HistoryEntry

    for model, key, label in (
        (Activity, "status", "Stand"),
        (HistoryEntry, "by", "Recorded by"),
        (HistoryEntry, "evidence", "Proof"),
    ):
        declared = next(f for f in fields.declared(model) if f.key == key)
        monkeypatch.setattr(declared.spec, "label", label)
    plan = find_repo(dated).load_plan()
    events = _events(ics_export(plan, list(plan.activities())))
    call = str(events[f"history-1.3.2-1@{PLAN_ID}.workplan"]["description"])
    held = str(events[f"history-1.3.2-2@{PLAN_ID}.workplan"]["description"])
    assert "Stand: planned -> in-progress" in call and "Recorded by: giz" in call
    assert "Proof: https://example.org/hackathon-report" in held
    assert "By:" not in call and "Evidence:" not in held and "Status:" not in call + held
