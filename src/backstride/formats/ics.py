"""Sessions → an RFC 5545 calendar (``.ics``), with icalendar.

Every event's UID is derived from our own session id (``<id>@backstride``),
never generated, so exporting the plan again *updates* the events a calendar
already has instead of adding duplicates (STYLE.md, "stable exports"; wger's
``uuid4()`` UIDs are the counter-example). A session that was dropped from
the plan is exported with ``STATUS:CANCELLED`` so the calendar removes it.

A session belongs to the patient's local date (STYLE.md, "Times"): without a
start time it is an all-day event on that date; with one it is at that local
time, in the given IANA time zone (with its VTIMEZONE) or as floating time.
An optional reminder is a VALARM relative to the start (for an all-day event,
to 00:00 of that date: ``-6 h`` is 18:00 the evening before).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar

from backstride.core.ladder import Prescription
from backstride.formats.fit_workout import workout_steps

PRODID = "-//Backstride//Backstride sessions//EN"
UID_DOMAIN = "backstride"


@dataclass(frozen=True)
class CalendarSession:
    """One session as a calendar event.

    ``id`` is our session id (it makes the UID). ``day`` is the patient's local
    date; ``start`` an optional local start time in ``timezone`` (an IANA name;
    ``None`` is floating local time). ``sequence`` goes up each time the
    session is changed, as RFC 5545 asks for updates.
    """

    id: str
    day: date
    title: str
    description: str = ""
    start: time | None = None
    timezone: str | None = None
    minutes: int = 30
    cancelled: bool = False
    sequence: int = 0
    reminder: timedelta | None = None


def session_uid(session_id: str) -> str:
    """The event UID of a session: stable across exports."""
    return f"{session_id}@{UID_DOMAIN}"


def sessions_calendar(
    sessions: Iterable[CalendarSession], *, stamp: datetime, name: str = "Backstride"
) -> bytes:
    """The calendar of ``sessions`` as ``.ics`` bytes.

    ``stamp`` (aware) is the export time, written as every event's DTSTAMP.
    Raises ValueError for an empty id, a naive stamp or an unknown time zone.
    """
    if stamp.utcoffset() is None:
        raise ValueError("stamp must be an aware datetime")
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    zoned_days = []
    for session in sessions:
        calendar.add_component(_event(session, stamp.astimezone(UTC)))
        if session.start is not None and session.timezone is not None:
            zoned_days.append(session.day)
    if zoned_days and hasattr(calendar, "add_missing_timezones"):  # icalendar >= 6
        # Only the transitions around the plan's dates, not 1970-2038.
        calendar.add_missing_timezones(
            first_date=min(zoned_days) - timedelta(days=1),
            last_date=max(zoned_days) + timedelta(days=1),
        )
    data: bytes = calendar.to_ical()
    return data


def describe(prescription: Prescription) -> str:
    """A prescription in one line, e.g. "Warm up 5:00, 10 × (Run 0:15, Walk 1:30), ..."."""
    steps = workout_steps(prescription)
    parts: list[str] = []
    i = 0
    while i < len(steps):
        following = steps[i + 2] if i + 2 < len(steps) else None
        if following is not None and following.repeat_times is not None:
            pair = ", ".join(f"{s.name} {_clock(s.seconds or 0)}" for s in steps[i : i + 2])
            parts.append(f"{following.repeat_times} × ({pair})")
            i += 3
        else:
            parts.append(f"{steps[i].name} {_clock(steps[i].seconds or 0)}")
            i += 1
    return ", ".join(parts)


def _event(session: CalendarSession, stamp: datetime) -> icalendar.Event:
    if not session.id.strip():
        raise ValueError("a calendar session needs an id")
    event = icalendar.Event()
    event.add("uid", session_uid(session.id))
    event.add("dtstamp", stamp)
    event.add("sequence", session.sequence)
    event.add("summary", session.title)
    if session.description:
        event.add("description", session.description)
    start, end = _when(session)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if session.reminder is not None and not session.cancelled:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", session.title)
        alarm.add("trigger", session.reminder)
        event.add_component(alarm)
    return event


def _when(session: CalendarSession) -> tuple[date, date] | tuple[datetime, datetime]:
    if session.start is None:
        return session.day, session.day + timedelta(days=1)  # all day: DTEND is exclusive
    zone = None
    if session.timezone is not None:
        try:
            zone = ZoneInfo(session.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {session.timezone!r}") from exc
    start = datetime.combine(session.day, session.start, tzinfo=zone)
    return start, start + timedelta(minutes=session.minutes)


def _clock(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}"
