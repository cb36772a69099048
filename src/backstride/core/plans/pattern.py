"""The weekly pattern: what each weekday holds, the same in every program week."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date

from backstride.core.evidence import STRENGTH_SESSIONS_PER_WEEK
from backstride.core.plans.model import DAYS_PER_WEEK, SUNDAY, DayKind, PlanRequest


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
