"""An imported activity against its planned session: which session, and how closely.

Journey step 6 (DESIGN.md): an imported activity is matched to its planned
session (:func:`match_session_day`), and the running time the watch recorded
is compared with the running time prescribed (:func:`compliance`). The bands
are the product's (issue #5), not a clinical rule: within ±20 % of the plan is
green, within ±50 % amber, anything else red. A
session prescribed without running is green only if nothing was run: running
on a day off running is the one deviation that matters most.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from enum import StrEnum

MATCH_WITHIN_DAYS = 1  # a session done a day early or late is still that session
_NOON = time(12)

# Whole percentages, so a value exactly on a boundary is judged exactly (no float error).
GREEN_WITHIN_PERCENT = 20  # ±20 %: the person did the session as planned
AMBER_WITHIN_PERCENT = 50  # ±50 %: clearly more or less than planned


class Compliance(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


def compliance(planned_seconds: int, actual_seconds: int) -> Compliance:
    """The band of ``actual_seconds`` of running against ``planned_seconds`` (whole seconds).

    The boundaries belong to the better band: exactly 20 % over is green.
    ValueError for a negative number of seconds.
    """
    if planned_seconds < 0 or actual_seconds < 0:
        raise ValueError("running seconds cannot be negative")
    if planned_seconds == 0:
        return Compliance.GREEN if actual_seconds == 0 else Compliance.RED
    deviation = abs(actual_seconds - planned_seconds) * 100
    if deviation <= GREEN_WITHIN_PERCENT * planned_seconds:
        return Compliance.GREEN
    if deviation <= AMBER_WITHIN_PERCENT * planned_seconds:
        return Compliance.AMBER
    return Compliance.RED


def match_session_day(
    run_days: Iterable[date], *, day: date, local_start: datetime | None = None,
    latest: date | None = None,
) -> date | None:
    """The planned run-walk date an activity recorded on local ``day`` belongs to.

    ``day`` itself when a session was planned then, otherwise the nearest one
    at most MATCH_WITHIN_DAYS away, ``None`` if there is none. Between the day
    before and the day after, the one whose noon is nearer to ``local_start``
    (the start, aware, in the person's time zone: its wall time counts) wins;
    without a start time, the day before. Dates after
    ``latest`` (the person's today) are never matched: a session whose date
    has not come yet cannot be logged.
    """
    window = timedelta(days=MATCH_WITHIN_DAYS)
    candidates = [d for d in set(run_days)
                  if abs(d - day) <= window and (latest is None or d <= latest)]
    if not candidates:
        return None
    if day in candidates:
        return day
    moment = (local_start.replace(tzinfo=None) if local_start is not None
              else datetime.combine(day, _NOON))
    return min(candidates, key=lambda d: (abs(datetime.combine(d, _NOON) - moment), d))
