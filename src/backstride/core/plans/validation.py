"""Parsing and validating what the person chose (P-DOSE, P-DAYS, T-ENVELOPE)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from backstride.core.errors import PlanError
from backstride.core.evidence import (
    CONSERVATIVE_SESSIONS_PER_WEEK,
    SESSIONS_PER_WEEK_MAX,
    SESSIONS_PER_WEEK_MIN,
)
from backstride.core.plans.model import (
    DAYS_PER_WEEK,
    MAX_NON_CONSECUTIVE_SESSIONS,
    MAX_PLAN_WEEKS,
    MIN_PLAN_WEEKS,
    WEEKDAY_NAMES,
    PlanRequest,
    Profile,
    weekday_label,
)

_WEEKDAY_BY_NAME = {
    **{name: number for number, name in enumerate(WEEKDAY_NAMES)},
    **{name[:3]: number for number, name in enumerate(WEEKDAY_NAMES)},
}


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
            raise PlanError("days", f"{weekday_label(number)} is given twice")
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
        pairs = "; ".join(f"{weekday_label(a)} and {weekday_label(b)}" for a, b in clashes)
        raise PlanError(field, f"run-walk days are never consecutive (P-DAYS), and these are: "
                        f"{pairs}. Leave a day between them, Sunday to Monday included")


def _consecutive_pairs(weekdays: Iterable[int]) -> list[tuple[int, int]]:
    """Pairs of chosen weekdays that follow each other, Sunday → Monday included."""
    chosen = set(weekdays)
    pairs = ((d, (d + 1) % DAYS_PER_WEEK) for d in sorted(chosen))
    return [(a, b) for a, b in pairs if b in chosen]
