"""The ICS export: stable UIDs, so re-exporting updates instead of duplicating."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import icalendar
import pytest

from backstride.core.ladder import level, run_walk_session
from backstride.formats.ics import CalendarSession, describe, session_uid, sessions_calendar

STAMP = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def plan(first: date, count: int = 3, **kw: object) -> list[CalendarSession]:
    return [
        CalendarSession(id=f"sess-{n}", day=first + timedelta(days=2 * n),
                        title=f"Run-walk level {n + 1}", **kw)  # type: ignore[arg-type]
        for n in range(count)
    ]


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_uids_are_derived_from_our_session_ids():
    data = sessions_calendar(plan(date(2025, 3, 3)), stamp=STAMP)
    assert [str(e["uid"]) for e in events(data)] == [
        "sess-0@backstride", "sess-1@backstride", "sess-2@backstride"]
    assert session_uid("abc") == "abc@backstride"


def test_re_exporting_a_changed_plan_keeps_every_uid():
    before = sessions_calendar(plan(date(2025, 3, 3)), stamp=STAMP)
    moved = [CalendarSession(s.id, s.day + timedelta(days=1), s.title + " (moved)", sequence=1)
             for s in plan(date(2025, 3, 3))]
    after = sessions_calendar(moved, stamp=STAMP + timedelta(days=1))
    assert [e["uid"] for e in events(before)] == [e["uid"] for e in events(after)]
    assert all(int(e["sequence"]) == 1 for e in events(after))


def test_the_same_plan_exports_to_the_same_bytes():
    assert sessions_calendar(plan(date(2025, 3, 3)), stamp=STAMP) == sessions_calendar(
        plan(date(2025, 3, 3)), stamp=STAMP)


def test_a_session_without_a_start_time_is_an_all_day_event_on_its_local_date():
    event = events(sessions_calendar(plan(date(2025, 3, 3), count=1), stamp=STAMP))[0]
    assert event.decoded("dtstart") == date(2025, 3, 3)
    assert event.decoded("dtend") == date(2025, 3, 4)
    assert event.decoded("dtstamp") == STAMP


def test_a_timed_session_carries_its_time_zone():
    sessions = plan(date(2025, 3, 3), count=2, start=time(7, 30), timezone="Australia/Melbourne")
    data = sessions_calendar(sessions, stamp=STAMP)
    assert b"BEGIN:VTIMEZONE" in data and b"TZID:Australia/Melbourne" in data
    start = events(data)[0].decoded("dtstart")
    assert start.utcoffset() == timedelta(hours=11)  # daylight saving in March
    assert events(data)[0].decoded("dtend") - start == timedelta(minutes=30)


def test_a_timed_session_without_a_zone_is_floating_local_time():
    data = sessions_calendar(plan(date(2025, 3, 3), count=1, start=time(18, 0)), stamp=STAMP)
    assert b"DTSTART:20250303T180000\r\n" in data
    assert b"VTIMEZONE" not in data


def test_a_dropped_session_is_exported_as_cancelled():
    data = sessions_calendar(plan(date(2025, 3, 3), count=1, cancelled=True), stamp=STAMP)
    assert str(events(data)[0]["status"]) == "CANCELLED"


def test_the_description_spells_out_the_session():
    text = describe(run_walk_session(level(1)))
    assert text == ("Warm up 5:00, 10 × (Run 0:15, Walk 1:30), Run 0:15, Walk 2:15, "
                    "Cool down 5:00")
    data = sessions_calendar(
        [CalendarSession("s", date(2025, 3, 3), "Level 1", description=text)], stamp=STAMP)
    assert str(events(data)[0]["description"]) == text


def test_a_reminder_is_a_display_alarm_relative_to_the_start():
    sessions = plan(date(2025, 3, 3), count=1, reminder=timedelta(hours=-6))
    event = events(sessions_calendar(sessions, stamp=STAMP))[0]
    alarms = event.walk("VALARM")
    assert 1 == len(alarms)
    assert str(alarms[0]["action"]) == "DISPLAY"
    assert alarms[0].decoded("trigger") == timedelta(hours=-6)  # 18:00 the evening before
    assert str(alarms[0]["description"]) == "Run-walk level 1"


def test_no_reminder_means_no_alarm_and_a_cancelled_session_never_rings():
    quiet = events(sessions_calendar(plan(date(2025, 3, 3), count=1), stamp=STAMP))[0]
    cancelled = events(sessions_calendar(
        plan(date(2025, 3, 3), count=1, cancelled=True, reminder=timedelta(hours=-6)),
        stamp=STAMP))[0]
    assert [] == quiet.walk("VALARM") == cancelled.walk("VALARM")


def test_the_calendar_has_the_required_properties():
    calendar = icalendar.Calendar.from_ical(sessions_calendar([], stamp=STAMP, name="My plan"))
    assert str(calendar["version"]) == "2.0"
    assert "Backstride" in str(calendar["prodid"])
    assert str(calendar["x-wr-calname"]) == "My plan"


@pytest.mark.parametrize(("sessions", "stamp", "words"), [
    ([CalendarSession(" ", date(2025, 3, 3), "x")], STAMP, "needs an id"),
    ([], datetime(2025, 3, 1, 9, 0), "aware"),  # noqa: DTZ001 - the point of the test
    ([CalendarSession("s", date(2025, 3, 3), "x", start=time(7), timezone="Mars/Olympus")],
     STAMP, "unknown time zone"),
])
def test_bad_input_is_a_value_error(sessions, stamp, words):
    with pytest.raises(ValueError, match=words):
        sessions_calendar(sessions, stamp=stamp)


def test_a_stamp_in_another_zone_is_written_in_utc():
    melbourne_evening = datetime(2025, 3, 1, 20, 0, tzinfo=timezone(timedelta(hours=11)))
    data = sessions_calendar(plan(date(2025, 3, 3), count=1), stamp=melbourne_evening)
    assert b"DTSTAMP:20250301T090000Z" in data
