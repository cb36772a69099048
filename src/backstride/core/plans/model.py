"""What a plan is made of: the request, its days, the plan, and the notes they carry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from backstride.core.errors import PlanError
from backstride.core.evidence import (
    CAP_RATIO,
    CAP_WINDOW_DAYS,
    COOL_DOWN_SECONDS,
    PROGRAM_WEEKS,
    SESSIONS_PER_WEEK,
    WARM_UP_SECONDS,
    Reason,
)
from backstride.core.ladder import Prescription

DAYS_PER_WEEK = 7
SUNDAY = 6  # date.weekday(): 0 = Monday ... 6 = Sunday
MIN_PLAN_WEEKS = 1
MAX_PLAN_WEEKS = 52  # design choice: a plan spans at most a year (the program is 12 weeks)
# P-DAYS: in a repeating 7-day week at most 3 days can be pairwise non-adjacent
# (Sunday wraps to Monday), so P-DOSE's "up to 4" is unreachable.
MAX_NON_CONSECUTIVE_SESSIONS = DAYS_PER_WEEK // 2

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

SHAPE_NOTE = (
    f"Warm up with {WARM_UP_SECONDS // 60} minutes of brisk walking and dynamic mobility; "
    f"cool down with {COOL_DOWN_SECONDS // 60} minutes of easy walking and static stretches."
)
PACE_NOTE = (
    "Talk test: keep a pace at which you can talk in full sentences; if you cannot, "
    "slow down or walk."
)
SURFACE_NOTE = "Run on soft, even surfaces: grass, a running track or a treadmill."
PROJECTION_NOTE = (
    "Projected level: it assumes every earlier session was completed and moved up one "
    "level. Your real level follows how your back responds after each session."
)
CAP_NOTE = (
    f"Shortened so your running stays within {CAP_RATIO:.0%} of your longest run in the "
    f"last {CAP_WINDOW_DAYS} days."
)


class Profile(StrEnum):
    """How many run-walk sessions the plan may hold (T-ENVELOPE)."""

    STANDARD = "standard"
    CONSERVATIVE = "conservative"  # T-ENVELOPE: outside the trial's population


class DayKind(StrEnum):
    RUN_WALK = "run_walk"
    CROSS_TRAINING = "cross_training"
    STRENGTH = "strength"
    REST = "rest"


@dataclass(frozen=True)
class PlanRequest:
    """What the person chose.

    ``weekdays`` are run-walk weekdays, 0 = Monday. ``weeks`` is the program's
    length in weeks; ``sessions_per_week`` counts run-walk sessions.
    """

    start: date
    weekdays: tuple[int, ...]
    weeks: int = PROGRAM_WEEKS
    sessions_per_week: int = SESSIONS_PER_WEEK
    profile: str = Profile.STANDARD


@dataclass(frozen=True)
class PlanDay:
    """One date of the plan.

    ``week`` is the 1-based program week (week 1 is the 7 days from the start
    date). ``session_number`` and ``prescription`` are set on run-walk days only.
    ``rules`` are the ids of the rules that shaped the day.
    """

    date: date
    week: int
    kind: DayKind
    title: str
    session_number: int | None = None
    prescription: Prescription | None = None
    notes: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "week": self.week,
            "kind": str(self.kind),
            "title": self.title,
            "session_number": self.session_number,
            "prescription": None if self.prescription is None else self.prescription.as_dict(),
            "notes": list(self.notes),
            "rules": list(self.rules),
        }


@dataclass(frozen=True)
class Plan:
    """A request and one :class:`PlanDay` per date, start first, ``weeks`` × 7 days."""

    request: PlanRequest
    days: tuple[PlanDay, ...]
    reasons: tuple[Reason, ...]

    def run_walk_days(self) -> tuple[PlanDay, ...]:
        """The run-walk days, in date order."""
        return tuple(d for d in self.days if d.kind is DayKind.RUN_WALK)

    def week(self, number: int) -> tuple[PlanDay, ...]:
        """The 7 days of program week ``number`` (1-based); PlanError outside the plan."""
        if not 1 <= number <= self.request.weeks:
            raise PlanError("week", f"the plan has weeks 1 to {self.request.weeks}, not {number}")
        return tuple(d for d in self.days if d.week == number)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict: ISO dates, weekday names, prescriptions as dicts."""
        request = self.request
        return {
            "start": request.start.isoformat(),
            "weeks": request.weeks,
            "sessions_per_week": request.sessions_per_week,
            "weekdays": [WEEKDAY_NAMES[d] for d in sorted(request.weekdays)],
            "profile": str(request.profile),
            "days": [d.as_dict() for d in self.days],
            "reasons": [r.as_dict() for r in self.reasons],
        }


def weekday_label(weekday: int) -> str:
    """``0`` → ``"Monday"``."""
    return WEEKDAY_NAMES[weekday].capitalize()
