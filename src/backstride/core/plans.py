"""The dated plan: what each day of the program holds.

A plan turns preferences (start date, weekdays, sessions a week, profile) into
one :class:`PlanDay` for every date of the program. Run-walk days fall on the
chosen weekdays (P-DOSE), never on consecutive days, Sunday to Monday included
(P-DAYS). Every other day is a full rest day (one a week, P-DAYS), a trunk and
core strength day or low-impact cardio (P-CROSS).

Program weeks are 7-day blocks from the start date, not calendar weeks, so every
week holds each weekday once and the weekly pattern is the same in every week.

Each run-walk day carries the *projected* prescription: the level reached if
every earlier session is completed and moves up one level (R-PROGRESS), with
P-CAP enforced while projecting. The real next session is decided after each
session by ``core.progression``; the plan is the map, not the promise.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from backstride.core.errors import PlanError
from backstride.core.evidence import (
    CADENCE_CUE_MAX,
    CADENCE_CUE_MIN,
    CADENCE_LOW_AT_REFERENCE_SPM,
    CADENCE_LOW_SLOPE,
    CADENCE_REFERENCE_SPEED,
    CAP_RATIO,
    CAP_WINDOW_DAYS,
    CONSERVATIVE_SESSIONS_PER_WEEK,
    COOL_DOWN_SECONDS,
    FIRST_RUN_BOUT_SECONDS,
    PROGRAM_WEEKS,
    SESSION_MINUTES,
    SESSIONS_PER_WEEK,
    SESSIONS_PER_WEEK_MAX,
    SESSIONS_PER_WEEK_MIN,
    SOFT_SURFACE_WEEKS,
    STRENGTH_SESSIONS_PER_WEEK,
    WARM_UP_SECONDS,
    Reason,
    reason,
)
from backstride.core.ladder import TOP_LEVEL, Prescription, capped_session, level

DAYS_PER_WEEK = 7
SUNDAY = 6  # date.weekday(): 0 = Monday ... 6 = Sunday
MIN_PLAN_WEEKS = 1
MAX_PLAN_WEEKS = 52  # design choice: a plan spans at most a year (the program is 12 weeks)
# P-DAYS: in a repeating 7-day week at most 3 days can be pairwise non-adjacent
# (Sunday wraps to Monday), so P-DOSE's "up to 4" is unreachable.
MAX_NON_CONSECUTIVE_SESSIONS = DAYS_PER_WEEK // 2

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_BY_NAME = {
    **{name: number for number, name in enumerate(WEEKDAY_NAMES)},
    **{name[:3]: number for number, name in enumerate(WEEKDAY_NAMES)},
}

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


# Days without running: title, advice and the rule that puts them in the week.
_OTHER_DAYS = {
    DayKind.CROSS_TRAINING: (
        "Low-impact cardio: swimming, cycling, elliptical, deep-water running, Pilates or yoga",
        "Easy to moderate effort, no impact: pick the activity you enjoy.",
        "P-CROSS",
    ),
    DayKind.STRENGTH: (
        "Trunk and core strength",
        "Trunk and core strength exercises, as shown in the app or by your clinician.",
        "P-CROSS",
    ),
    DayKind.REST: ("Rest", "A full rest day: no running and no structured training.", "P-DAYS"),
}
# Rules every run-walk day follows (P-SURFACE is added in the early weeks).
_RUN_WALK_RULES = ("P-DOSE", "P-DAYS", "P-SHAPE", "P-START", "P-ONEVAR", "P-CAP", "P-PACE")


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


# --- Parsing and validation ---------------------------------------------------


def parse_weekdays(text: str) -> tuple[int, ...]:
    """``"mon,wed,sat"`` → ``(0, 2, 5)``: sorted weekday numbers, 0 = Monday.

    Names are case-insensitive, three-letter or full, separated by commas or
    spaces. PlanError(field="days") on an unknown name, a duplicate or nothing.
    """
    names = [n for n in re.split(r"[\s,]+", text.strip().lower()) if n]
    if not names:
        raise PlanError("days", "choose at least one weekday, e.g. mon,wed,fri")
    numbers: list[int] = []
    for name in names:
        if name not in _WEEKDAY_BY_NAME:
            raise PlanError("days", f"unknown weekday {name!r}; use mon, tue, ... or monday, ...")
        number = _WEEKDAY_BY_NAME[name]
        if number in numbers:
            raise PlanError("days", f"{_label(number)} is given twice")
        numbers.append(number)
    return tuple(sorted(numbers))


def validate_request(request: PlanRequest) -> None:
    """Raise PlanError, naming the field, unless the request gives a safe plan."""
    _check_start(request.start)
    _check_weeks(request.weeks)
    _check_profile(request.profile)
    _check_sessions(request.sessions_per_week, request.profile)
    _check_weekdays(request.weekdays, request.sessions_per_week)


def _check_start(start: date) -> None:
    if isinstance(start, datetime) or not isinstance(start, date):
        raise PlanError("start", "must be a calendar date (no time of day)")


def _check_weeks(weeks: int) -> None:
    if not MIN_PLAN_WEEKS <= weeks <= MAX_PLAN_WEEKS:
        raise PlanError("weeks", f"must be {MIN_PLAN_WEEKS} to {MAX_PLAN_WEEKS}, got {weeks}")


def _check_profile(profile: str) -> None:
    if profile not in tuple(Profile):
        choices = " or ".join(p.value for p in Profile)
        raise PlanError("profile", f"must be {choices}, got {profile!r}")


def _check_sessions(sessions: int, profile: str) -> None:
    field = "sessions_per_week"
    if not SESSIONS_PER_WEEK_MIN <= sessions <= SESSIONS_PER_WEEK_MAX:
        raise PlanError(field, f"must be {SESSIONS_PER_WEEK_MIN} to {SESSIONS_PER_WEEK_MAX} "
                        f"run-walk sessions a week (P-DOSE), got {sessions}")
    if sessions > MAX_NON_CONSECUTIVE_SESSIONS:
        # P-DOSE allows 4, but P-DAYS cannot be met with 4; the safer rule wins.
        raise PlanError(
            field,
            f"{sessions} run-walk sessions a week always put two on consecutive days "
            f"(Sunday is followed by Monday), and run-walk days are never consecutive "
            f"(P-DAYS). For safety P-DAYS takes precedence over P-DOSE's allowance of "
            f"{SESSIONS_PER_WEEK_MAX}: choose {SESSIONS_PER_WEEK_MIN} to "
            f"{MAX_NON_CONSECUTIVE_SESSIONS}",
        )
    if profile == Profile.CONSERVATIVE and sessions != CONSERVATIVE_SESSIONS_PER_WEEK:
        raise PlanError(field, f"the conservative profile (T-ENVELOPE) has exactly "
                        f"{CONSERVATIVE_SESSIONS_PER_WEEK} sessions a week, not {sessions}")


def _check_weekdays(weekdays: Sequence[int], sessions: int) -> None:
    field = "weekdays"
    if any(not 0 <= d < DAYS_PER_WEEK for d in weekdays):
        raise PlanError(field, f"weekday numbers run from 0 (Monday) to 6 (Sunday): {weekdays}")
    if len(set(weekdays)) != len(weekdays):
        raise PlanError(field, "a weekday is given twice")
    if len(weekdays) != sessions:
        raise PlanError(field, f"{len(weekdays)} weekdays chosen for {sessions} run-walk "
                        f"sessions a week; choose exactly {sessions}")
    clashes = _consecutive_pairs(weekdays)
    if clashes:
        pairs = "; ".join(f"{_label(a)} and {_label(b)}" for a, b in clashes)
        raise PlanError(field, f"run-walk days are never consecutive (P-DAYS), and these are: "
                        f"{pairs}. Leave a day between them, Sunday to Monday included")


def _consecutive_pairs(weekdays: Iterable[int]) -> list[tuple[int, int]]:
    """Pairs of chosen weekdays that follow each other, Sunday → Monday included."""
    chosen = set(weekdays)
    pairs = ((d, (d + 1) % DAYS_PER_WEEK) for d in sorted(chosen))
    return [(a, b) for a, b in pairs if b in chosen]


def _label(weekday: int) -> str:
    return WEEKDAY_NAMES[weekday].capitalize()


# --- The weekly pattern -------------------------------------------------------


def weekly_pattern(request: PlanRequest) -> dict[int, DayKind]:
    """What each weekday (0 = Monday) holds; the same in every program week.

    Run-walk on the chosen weekdays (P-DOSE); one full rest day (P-DAYS); up
    to STRENGTH_SESSIONS_PER_WEEK strength days, spread out; the rest
    low-impact cardio (P-CROSS).
    """
    pattern = dict.fromkeys(request.weekdays, DayKind.RUN_WALK)
    free = [d for d in _week_order(request.start) if d not in pattern]
    rest = _rest_weekday(free)
    pattern[rest] = DayKind.REST
    others = [d for d in free if d != rest]
    strength = _strength_weekdays(others)
    for d in others:
        pattern[d] = DayKind.STRENGTH if d in strength else DayKind.CROSS_TRAINING
    return pattern


def _week_order(start: date) -> list[int]:
    """Weekdays in the date order of a program week starting on ``start``."""
    return [(start.weekday() + i) % DAYS_PER_WEEK for i in range(DAYS_PER_WEEK)]


def _rest_weekday(free: Sequence[int]) -> int:
    """Sunday when it is free, otherwise the last free day of the program week (P-DAYS)."""
    return SUNDAY if SUNDAY in free else free[-1]


def _strength_weekdays(candidates: Sequence[int]) -> tuple[int, ...]:
    """The strength days (P-CROSS): the most spread-out choice, first in week order on ties."""
    count = min(STRENGTH_SESSIONS_PER_WEEK, len(candidates))
    # max() keeps the first of equals, so the choice is deterministic.
    return max(itertools.combinations(candidates, count), key=_spread, default=())


def _spread(weekdays: Sequence[int]) -> int:
    """The smallest gap in days between any two of ``weekdays``, across week ends too."""
    gaps = [_circular_gap(a, b) for a, b in itertools.combinations(weekdays, 2)]
    return min(gaps, default=DAYS_PER_WEEK)


def _circular_gap(a: int, b: int) -> int:
    forward = (b - a) % DAYS_PER_WEEK
    return min(forward, DAYS_PER_WEEK - forward)


# --- Projecting the prescriptions --------------------------------------------


def cap_seconds(history: Sequence[tuple[date, int]], day: date) -> float | None:
    """P-CAP: CAP_RATIO × the longest running time (s) in the CAP_WINDOW_DAYS before ``day``.

    ``history`` holds (date, running seconds) of earlier sessions; ``None``
    when none of them, in the window, had any running.
    """
    window = [
        seconds
        for when, seconds in history
        if timedelta(0) < day - when <= timedelta(days=CAP_WINDOW_DAYS) and seconds > 0
    ]
    return CAP_RATIO * max(window) if window else None


def project_prescriptions(dates: Sequence[date]) -> tuple[Prescription, ...]:
    """The projected session for each run-walk date, oldest first.

    Each session moves up one level from the one before (so session k is at
    level min(k, TOP_LEVEL)); with no running in the last CAP_WINDOW_DAYS the
    level goes back to 1 (P-CAP); P-CAP lowers any level above its cap.
    """
    history: list[tuple[date, int]] = []
    projected: list[Prescription] = []
    for day in dates:
        cap = cap_seconds(history, day)
        previous = projected[-1].level if projected else None
        wanted = 1 if cap is None or previous is None else min(previous + 1, TOP_LEVEL)
        session = capped_session(wanted, cap)
        projected.append(session)
        history.append((day, session.running_seconds))
    return tuple(projected)


# --- Building the plan --------------------------------------------------------


def build_plan(request: PlanRequest) -> Plan:
    """The dated plan for ``request``: ``weeks`` × 7 days from ``start``.

    Raises PlanError (naming the field) when the request breaks P-DOSE, P-DAYS
    or T-ENVELOPE's conservative profile.
    """
    validate_request(request)
    pattern = weekly_pattern(request)
    dates = [request.start + timedelta(days=i) for i in range(request.weeks * DAYS_PER_WEEK)]
    run_dates = [d for d in dates if pattern[d.weekday()] is DayKind.RUN_WALK]
    sessions = dict(zip(run_dates, enumerate(project_prescriptions(run_dates), 1), strict=True))
    days = tuple(
        _plan_day(d, _week_of(request.start, d), pattern[d.weekday()], sessions.get(d))
        for d in dates
    )
    return Plan(request, days, _plan_reasons(request, pattern, days))


def _week_of(start: date, day: date) -> int:
    """The 1-based program week of ``day`` (7-day blocks from ``start``)."""
    return (day - start).days // DAYS_PER_WEEK + 1


def _plan_day(
    day: date, week: int, kind: DayKind, session: tuple[int, Prescription] | None
) -> PlanDay:
    """The day's content; ``session`` is (session number, prescription) on run-walk days."""
    if session is not None:
        return _run_walk_day(day, week, *session)
    title, note, rule_id = _OTHER_DAYS[kind]
    return PlanDay(day, week, kind, title, notes=(note,), rules=(rule_id,))


def _run_walk_day(day: date, week: int, number: int, session: Prescription) -> PlanDay:
    early = week <= SOFT_SURFACE_WEEKS  # P-SURFACE: "early weeks" (design choice)
    notes: tuple[str, ...] = (SHAPE_NOTE, PACE_NOTE)  # P-SHAPE, P-PACE
    notes += (SURFACE_NOTE,) if early else ()
    notes += ((CAP_NOTE,) if session.capped else ()) + (PROJECTION_NOTE,)  # P-CAP
    rules = _RUN_WALK_RULES + (("P-SURFACE",) if early else ())
    title = _run_walk_title(session)
    return PlanDay(day, week, DayKind.RUN_WALK, title, number, session, notes, rules)


def _run_walk_title(session: Prescription) -> str:
    if session.level is None:
        return "Walk or low-impact cardio (no running)"
    return f"Run-walk, level {session.level}" + (" (shortened)" if session.capped else "")


# --- Reasons ------------------------------------------------------------------


def _plan_reasons(
    request: PlanRequest, pattern: dict[int, DayKind], days: tuple[PlanDay, ...]
) -> tuple[Reason, ...]:
    """One Reason per rule that shaped the plan, in the registry's order."""
    sessions = [d.prescription for d in days if d.prescription is not None]
    top = level(max((s.level or 1 for s in sessions), default=1))
    capped = sum(s.capped for s in sessions)
    surface_weeks = min(request.weeks, SOFT_SURFACE_WEEKS)
    return (
        *_envelope_reason(request),
        reason("P-DOSE", _dose_text(request, len(sessions))),
        reason("P-DAYS", _days_text(pattern)),
        reason("P-SHAPE", SHAPE_NOTE),
        reason("P-START", f"Run bouts start at {FIRST_RUN_BOUT_SECONDS} s; completing every "
               f"session reaches level {top.number} of {TOP_LEVEL}, {top.run_seconds} s bouts."),
        reason("P-ONEVAR", "Each projected session is one level up, to the top; adjacent levels "
               "change the run bout or the walk bout, never both."),
        reason("P-CAP", f"No projected session runs more than {CAP_RATIO:.0%} of the longest "
               f"running time of the previous {CAP_WINDOW_DAYS} days ({capped} shortened)."),
        reason("P-PACE", "Every run-walk day carries the talk test."),
        reason("P-CROSS", _cross_text(pattern)),
        reason("P-SURFACE", f"Weeks 1 to {surface_weeks}: soft, even surfaces."),
    )


def _envelope_reason(request: PlanRequest) -> tuple[Reason, ...]:
    if request.profile != Profile.CONSERVATIVE:
        return ()
    text = (f"Conservative profile: {CONSERVATIVE_SESSIONS_PER_WEEK} run-walk sessions a "
            "week, because the person is outside the trial's population.")
    return (reason("T-ENVELOPE", text),)


def _dose_text(request: PlanRequest, sessions: int) -> str:
    return (f"{sessions} run-walk sessions of {SESSION_MINUTES} minutes over {request.weeks} "
            f"weeks, {request.sessions_per_week} a week on {_names(request.weekdays)}.")


def _days_text(pattern: dict[int, DayKind]) -> str:
    rest = _names(d for d, kind in pattern.items() if kind is DayKind.REST)
    return (f"No two run-walk days are consecutive, Sunday to Monday included; {rest} is "
            "the full rest day every week.")


def _cross_text(pattern: dict[int, DayKind]) -> str:
    strength = _names(d for d, kind in pattern.items() if kind is DayKind.STRENGTH)
    return (f"Trunk and core strength on {strength}; the other free days are low-impact "
            "cardio.")


def _names(weekdays: Iterable[int]) -> str:
    labels = [_label(d) for d in sorted(weekdays)]
    if len(labels) < 2:
        return "".join(labels) or "no day"
    return ", ".join(labels[:-1]) + " and " + labels[-1]


# --- Cadence ------------------------------------------------------------------


def cadence_cue(cadence_spm: float) -> tuple[float, float]:
    """P-CADENCE: the optional cue range, in steps a minute, for a current step rate.

    From CADENCE_CUE_MIN to CADENCE_CUE_MAX above ``cadence_spm`` (steps a
    minute) at the same speed, never more. PlanError (a ValueError) unless
    ``cadence_spm`` is a positive, finite number.
    """
    if not math.isfinite(cadence_spm) or cadence_spm <= 0:
        raise PlanError("cadence_spm", f"must be a positive number of steps a minute, got "
                        f"{cadence_spm}")
    return cadence_spm * (1 + CADENCE_CUE_MIN), cadence_spm * (1 + CADENCE_CUE_MAX)


def low_cadence_below(speed_mps: float) -> float:
    """P-CADENCE (design choice): below this step rate (steps/min), running at ``speed_mps`` is low.

    CADENCE_LOW_AT_REFERENCE_SPM at CADENCE_REFERENCE_SPEED m/s, rising
    CADENCE_LOW_SLOPE steps a minute per m/s faster. PlanError unless the speed
    is a positive, finite number.
    """
    _check_positive("speed_mps", speed_mps)
    return CADENCE_LOW_AT_REFERENCE_SPM + CADENCE_LOW_SLOPE * (speed_mps - CADENCE_REFERENCE_SPEED)


def cadence_low_for_speed(cadence_spm: float, speed_mps: float) -> bool:
    """P-CADENCE: whether a running step rate is low for its speed (:func:`low_cadence_below`).

    Only then is the optional cue (:func:`cadence_cue`) offered. PlanError
    unless both are positive, finite numbers.
    """
    _check_positive("cadence_spm", cadence_spm)
    return cadence_spm < low_cadence_below(speed_mps)


def _check_positive(name: str, value: float) -> None:
    if not math.isfinite(value) or value <= 0:
        raise PlanError(name, f"must be a positive number, got {value}")
