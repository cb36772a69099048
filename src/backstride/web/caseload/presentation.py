"""How caseload data reads on a page: names, program weeks, sparklines, screening answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean

from django.utils.translation import gettext as _

from backstride.core import vocab
from backstride.web.accounts.models import User

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 96, 28, 3
TREND_SESSIONS = 3  # pain trend: the last 3 sessions against the 3 before them


def name_of(user: User) -> str:
    return user.get_full_name() or user.email


def program_week(plan: object, today: date) -> int | None:
    """The 1-based program week of ``today`` (0 before the start), ``None`` without a plan."""
    if plan is None:
        return None
    start, weeks = plan.start, plan.weeks  # type: ignore[attr-defined]
    if today < start:
        return 0
    return min((today - start).days // 7 + 1, weeks)


@dataclass(frozen=True)
class Spark:
    """A tiny inline line of pain scores (0-10) in a SPARK_WIDTH × SPARK_HEIGHT box."""

    points: str
    last_x: float
    last_y: float
    values: tuple[int, ...]
    width: int = SPARK_WIDTH
    height: int = SPARK_HEIGHT

    @property
    def label(self) -> str:
        return _("Pain before the last %(n)d sessions: %(values)s") % {
            "n": len(self.values), "values": ", ".join(map(str, self.values))}


def sparkline(values: Sequence[int | None]) -> Spark | None:
    scores = tuple(v for v in values if v is not None)
    if not scores:
        return None
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(scores) - 1, 1)
    span = SPARK_HEIGHT - 2 * SPARK_PAD
    coords = [(round(SPARK_PAD + i * step, 1), round(SPARK_HEIGHT - SPARK_PAD - span * v / 10, 1))
              for i, v in enumerate(scores)]
    if len(coords) == 1:
        coords = [(SPARK_PAD, coords[0][1]), (SPARK_WIDTH - SPARK_PAD, coords[0][1])]
    points = " ".join(f"{x},{y}" for x, y in coords)
    return Spark(points, coords[-1][0], coords[-1][1], scores)


def trend(values: Sequence[int | None]) -> float | None:
    """Mean pain of the last 3 sessions minus the 3 before them; ``None`` with too few."""
    scores = [v for v in values if v is not None]
    if len(scores) < 2 * TREND_SESSIONS:
        return None
    recent, before = scores[-TREND_SESSIONS:], scores[-2 * TREND_SESSIONS:-TREND_SESSIONS]
    return round(fmean(recent) - fmean(before), 1)


_ANSWER_LABELS = {
    "age": "Age", "sex": "Sex", "episode_weeks": "Weeks since this episode began",
    "pain_now": "Pain at rest now (0-10)", "pain_week_avg": "Average pain last week (0-10)",
    "leg_pain": "Leg pain", "leg_pain_worse_than_back": "Leg pain worse than back pain",
    "leg_numbness_or_weakness": "Leg numbness or weakness", "red_flags": "Warning signs",
    "conditions": "Diagnosed conditions", "pre_exercise_yes": "Pre-exercise screen: yes to",
    "flare_now": "Flare now", "runs_per_month_last_3_months": "Runs a month (last 3 months)",
    "pregnant_or_postpartum": "Pregnant or under 12 months postpartum",
    "lower_limb_injury_weeks_ago": "Lower-limb injury (weeks ago)",
    "in_rehab_restricting_running": "In rehab that restricts running",
    "startback": "STarT Back answers",
}


def screening_answers(answers: Mapping[str, object]) -> list[tuple[str, str]]:
    """The stored screening (core's ``as_dict``) as (question, answer) in plain words."""
    return [(_(_ANSWER_LABELS.get(key, key)), _answer(value)) for key, value in answers.items()
            if key in _ANSWER_LABELS]


def _answer(value: object) -> str:
    if value is None:
        return _("none")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return "; ".join(_(vocab.LABELS.get(str(v), str(v))) for v in value) or _("none")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _(vocab.LABELS.get(str(value), str(value).replace("_", " ")))
