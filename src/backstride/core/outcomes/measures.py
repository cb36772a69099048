"""The built-in measures and when they are due.

O-LICENCE: the 0-10 pain scale and the Patient-Specific Functional Scale
(PSFS, STRATFORD-1995) are built in; licensed tools are scored by
:mod:`backstride.core.outcomes.questionnaires`. O-SCHED: pain every week,
disability and PSFS at weeks 0, 6 and 12.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from backstride.core import fields as f
from backstride.core.errors import BackstrideError, QuestionnaireError
from backstride.core.evidence import PROGRAM_WEEKS

PAIN_MIN = f.SCORE_MIN  # numeric rating scale, points
PAIN_MAX = f.SCORE_MAX
PSFS_MIN_ACTIVITIES = 3  # STRATFORD-1995: the person names 3 to 5 activities
PSFS_MAX_ACTIVITIES = 5
PSFS_SCORE_MIN = 0  # 0 = unable to perform the activity
PSFS_SCORE_MAX = 10  # 10 = able to perform it as before the problem

# O-SCHED, as data: measure -> the program weeks it is collected in.
MID_PROGRAM_WEEK = PROGRAM_WEEKS // 2  # week 6
PAIN_WEEKS: tuple[int, ...] = tuple(range(PROGRAM_WEEKS + 1))  # weeks 0-12
DISABILITY_WEEKS: tuple[int, ...] = (0, MID_PROGRAM_WEEK, PROGRAM_WEEKS)
PSFS_WEEKS: tuple[int, ...] = (0, MID_PROGRAM_WEEK, PROGRAM_WEEKS)
SCHEDULE: Mapping[str, tuple[int, ...]] = MappingProxyType(
    {"pain": PAIN_WEEKS, "disability": DISABILITY_WEEKS, "psfs": PSFS_WEEKS}
)


def validate_pain(
    value: object, field: str, *, error: type[BackstrideError] = BackstrideError
) -> int:
    """A pain rating in points on the 0-10 numeric rating scale, as an ``int``.

    Only whole numbers are accepted (booleans and floats are refused); the
    error names ``field``. Pass ``error=ScreeningError`` (or another subclass)
    to raise the caller's own error type.
    """
    return f.score(value, field, error)


def psfs_score(
    items: Mapping[str, int] | Sequence[tuple[str, int]], field: str = "psfs"
) -> float:
    """The PSFS score: the mean of 3-5 activity ratings, in points (0-10).

    ``items`` maps each activity the person named to its 0-10 rating (as a
    mapping or as ``(activity, rating)`` pairs). Activities must be named and
    distinct (STRATFORD-1995). Errors are :class:`QuestionnaireError` naming
    ``field[i].activity`` or ``field[i].score``.
    """
    pairs = list(items.items()) if isinstance(items, Mapping) else list(items)
    if not PSFS_MIN_ACTIVITIES <= len(pairs) <= PSFS_MAX_ACTIVITIES:
        raise QuestionnaireError(
            field,
            f"needs {PSFS_MIN_ACTIVITIES} to {PSFS_MAX_ACTIVITIES} activities, not {len(pairs)}",
        )
    scores = [_psfs_rating(pair, f"{field}[{i}]") for i, pair in enumerate(pairs)]
    _require_distinct([str(pair[0]) for pair in pairs], field)
    return sum(scores) / len(scores)


def _psfs_rating(pair: object, path: str) -> int:
    if not isinstance(pair, tuple) or len(pair) != 2:
        raise QuestionnaireError(path, f"must be an (activity, score) pair, not {pair!r}")
    f.text(pair[0], f"{path}.activity", QuestionnaireError)
    return f.integer(
        pair[1], f"{path}.score", QuestionnaireError, low=PSFS_SCORE_MIN, high=PSFS_SCORE_MAX
    )


def _require_distinct(activities: list[str], field: str) -> None:
    # The same activity twice would count it double in the mean.
    seen: set[str] = set()
    for i, activity in enumerate(activities):
        key = activity.strip().casefold()
        if key in seen:
            raise QuestionnaireError(f"{field}[{i}].activity", f"{activity!r} is listed twice")
        seen.add(key)


def measures_due(program_week: int) -> tuple[str, ...]:
    """The measures to collect in ``program_week`` (weeks since enrolment, 0-12).

    O-SCHED: ``"pain"`` every week; ``"disability"`` (ODI or RMDQ) and
    ``"psfs"`` at weeks 0, 6 and 12. A week outside the program raises
    :class:`BackstrideError` naming ``program_week``.
    """
    week = f.integer(program_week, "program_week", BackstrideError, low=0, high=PROGRAM_WEEKS)
    return tuple(measure for measure, weeks in SCHEDULE.items() if week in weeks)
