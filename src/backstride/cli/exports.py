"""``backstride plan --ics FILE --fit DIR``: the plan as a calendar and as watch workouts.

Event UIDs come from the plan's start date and the session number, so exporting
the same plan again updates the events a calendar already has.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from backstride.core.plans import Plan, PlanDay
from backstride.formats.fit_workout import session_workout
from backstride.formats.ics import CalendarSession, describe, sessions_calendar


def calendar_sessions(plan: Plan) -> list[CalendarSession]:
    """One all-day event per run-walk session, its intervals and notes in the description."""
    return [_calendar_session(plan, day) for day in _sessions(plan)]


def write_calendar(plan: Plan, path: Path, *, stamp: datetime) -> int:
    """Write the plan's ``.ics`` to ``path``; the number of events."""
    sessions = calendar_sessions(plan)
    path.write_bytes(sessions_calendar(sessions, stamp=stamp, name="Backstride run-walk"))
    return len(sessions)


def write_workouts(plan: Plan, folder: Path) -> list[Path]:
    """One FIT workout per run-walk session in ``folder`` (created if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for day in _sessions(plan):
        assert day.prescription is not None  # a run-walk day always has one
        workout = session_workout(day.date, day.prescription)
        target = folder / workout.file_name
        target.write_bytes(workout.data)
        written.append(target)
    return written


def _sessions(plan: Plan) -> Iterable[PlanDay]:
    return (day for day in plan.run_walk_days() if day.prescription is not None)


def _calendar_session(plan: Plan, day: PlanDay) -> CalendarSession:
    assert day.prescription is not None
    description = "\n\n".join([describe(day.prescription), *day.notes])
    return CalendarSession(
        id=f"plan-{plan.request.start.isoformat()}-session-{day.session_number}",
        day=day.date, title=day.title, description=description,
    )
