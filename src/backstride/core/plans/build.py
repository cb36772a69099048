"""Building the dated plan: projected prescriptions (R-PROGRESS, P-CAP), days, reasons."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from backstride.core.evidence import (
    CAP_RATIO,
    CAP_WINDOW_DAYS,
    CONSERVATIVE_SESSIONS_PER_WEEK,
    FIRST_RUN_BOUT_SECONDS,
    SESSION_MINUTES,
    SOFT_SURFACE_WEEKS,
    Reason,
    reason,
)
from backstride.core.ladder import TOP_LEVEL, Prescription, capped_session, level
from backstride.core.plans.model import (
    CAP_NOTE,
    DAYS_PER_WEEK,
    PACE_NOTE,
    PROJECTION_NOTE,
    SHAPE_NOTE,
    SURFACE_NOTE,
    DayKind,
    Plan,
    PlanDay,
    PlanRequest,
    Profile,
    weekday_label,
)
from backstride.core.plans.pattern import weekly_pattern
from backstride.core.plans.validation import validate_request

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
    labels = [weekday_label(d) for d in sorted(weekdays)]
    if len(labels) < 2:
        return "".join(labels) or "no day"
    return ", ".join(labels[:-1]) + " and " + labels[-1]
