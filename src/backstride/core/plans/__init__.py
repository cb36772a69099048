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

The package: ``model`` (the request, days, plan), ``validation`` (parsing and
validating a request), ``pattern`` (the weekly pattern), ``build`` (projected
prescriptions and the dated plan) and ``cadence`` (P-CADENCE).
"""

from backstride.core.plans.build import (
    build_plan,
    cap_seconds,
    project_prescriptions,
)
from backstride.core.plans.cadence import (
    cadence_cue,
    cadence_low_for_speed,
    low_cadence_below,
)
from backstride.core.plans.model import (
    CAP_NOTE,
    DAYS_PER_WEEK,
    MAX_NON_CONSECUTIVE_SESSIONS,
    MAX_PLAN_WEEKS,
    MIN_PLAN_WEEKS,
    PACE_NOTE,
    PROJECTION_NOTE,
    SHAPE_NOTE,
    SUNDAY,
    SURFACE_NOTE,
    WEEKDAY_NAMES,
    DayKind,
    Plan,
    PlanDay,
    PlanRequest,
    Profile,
    weekday_label,
)
from backstride.core.plans.pattern import (
    weekly_pattern,
)
from backstride.core.plans.validation import (
    parse_weekdays,
    validate_request,
)

__all__ = [
    "CAP_NOTE",
    "DAYS_PER_WEEK",
    "MAX_NON_CONSECUTIVE_SESSIONS",
    "MAX_PLAN_WEEKS",
    "MIN_PLAN_WEEKS",
    "PACE_NOTE",
    "PROJECTION_NOTE",
    "SHAPE_NOTE",
    "SUNDAY",
    "SURFACE_NOTE",
    "WEEKDAY_NAMES",
    "DayKind",
    "Plan",
    "PlanDay",
    "PlanRequest",
    "Profile",
    "build_plan",
    "cadence_cue",
    "cadence_low_for_speed",
    "cap_seconds",
    "low_cadence_below",
    "parse_weekdays",
    "project_prescriptions",
    "validate_request",
    "weekday_label",
    "weekly_pattern",
]
