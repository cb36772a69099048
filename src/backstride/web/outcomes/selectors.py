"""Reads for outcomes: which measures a patient has, which are due, and their results.

O-SCHED, as the patient meets it: weekly pain every program week (0-12), the
PSFS and each disability tool the clinic loaded at weeks 0, 6 and 12, STarT
Back at week 0. Week ``w`` opens on the plan's start + 7w days; a 0/6/12
measure stays open for :data:`FOLLOW_UP_WINDOW_WEEKS` weeks (design choice: a
follow-up answered a few days late still belongs to its week), weekly pain
only for its own week.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from backstride.core import outcomes as core
from backstride.core.outcomes import Change, QuestionnaireDefinition
from backstride.web.accounts.models import User
from backstride.web.outcomes.models import Questionnaire, QuestionnaireResponse
from backstride.web.programs.models import Plan

FOLLOW_UP_WINDOW_WEEKS = 2  # design choice: week 6's PSFS may be answered in week 7
PAIN = "pain"
PSFS = "psfs"
# Measures with an O-MCID threshold; others (STarT Back, PROMIS) are shown without one.
MCID_MEASURES = {PAIN: core.Measure.PAIN, PSFS: core.Measure.PSFS,
                 "odi": core.Measure.ODI, "rmdq": core.Measure.RMDQ}
UNITS = {PAIN: "/10", PSFS: "/10", "odi": "%", "rmdq": "/24"}


@dataclass(frozen=True)
class Measure:
    """A questionnaire the patient answers: built in (no ``questionnaire``) or licensed."""

    key: str
    name: str
    weeks: tuple[int, ...]
    window: int
    questionnaire: Questionnaire | None = None

    @property
    def definition(self) -> QuestionnaireDefinition | None:
        if self.questionnaire is None:
            return None
        return definition_of(self.questionnaire)

    def open_week(self, week: int) -> int | None:
        """The scheduled week still open in program week ``week``, if any."""
        return next((s for s in self.weeks if s <= week < s + self.window), None)


def definition_of(questionnaire: Questionnaire) -> QuestionnaireDefinition:
    return core.licensed_definition(questionnaire.definition)


BUILT_IN = (
    Measure(PAIN, str(_("Weekly back pain")), core.PAIN_WEEKS, 1),
    Measure(PSFS, str(_("Patient-Specific Functional Scale")), core.PSFS_WEEKS,
            FOLLOW_UP_WINDOW_WEEKS),
)


def measures_for(patient: User) -> list[Measure]:
    """The built-in measures, and the licensed ones of the patient's clinic (one query)."""
    loaded = Questionnaire.objects.filter(clinic__enrolments__patient=patient, is_current=True)
    return [*BUILT_IN, *(_licensed(q) for q in loaded)]


def measure_for(patient: User, key: str) -> Measure | None:
    return next((m for m in measures_for(patient) if m.key == key), None)


def _licensed(questionnaire: Questionnaire) -> Measure:
    return Measure(questionnaire.key, questionnaire.name,
                   core.questionnaire_weeks(questionnaire.key), FOLLOW_UP_WINDOW_WEEKS,
                   questionnaire)


def program_week(plan: Plan, today: date) -> int | None:
    """Whole weeks since the plan's start (0 = the first week); ``None`` before it."""
    if today < plan.start:
        return None
    return (today - plan.start).days // 7


@dataclass(frozen=True)
class Due:
    measure: Measure
    week: int
    draft: bool


def due_for(patient: User, plan: Plan, today: date) -> list[Due]:
    """The measures open today and not yet complete (two queries)."""
    week = program_week(plan, today)
    if week is None:
        return []
    wanted = {m.key: (m, s) for m in measures_for(patient) if (s := m.open_week(week)) is not None}
    if not wanted:
        return []
    saved = {(r.key, r.week): r.status for r in QuestionnaireResponse.objects.filter(
        plan=plan, key__in=list(wanted)).only("key", "week", "status")}
    return [Due(m, s, saved.get((key, s)) == QuestionnaireResponse.Status.DRAFT)
            for key, (m, s) in wanted.items()
            if saved.get((key, s)) != QuestionnaireResponse.Status.COMPLETE]


def response_for(plan: Plan, key: str, week: int) -> QuestionnaireResponse | None:
    return QuestionnaireResponse.objects.filter(plan=plan, key=key, week=week).first()


def psfs_activities(plan: Plan) -> list[str]:
    """The activities named at the PSFS baseline: the later ratings are of the same ones."""
    first = (QuestionnaireResponse.objects.filter(plan=plan, key=PSFS).order_by("week").first())
    if first is None:
        return []
    return [a.get("activity", "") for a in first.answers.get("activities", [])
            if a.get("activity")]


# --- Results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    week: int
    date: date
    total: float
    band: str
    subscales: dict[str, float]


@dataclass(frozen=True)
class Result:
    """One measure over time, and each follow-up judged against baseline (O-MCID)."""

    key: str
    name: str
    unit: str
    points: list[Point]
    baseline: float | None
    changes: list[tuple[int, Change]]


def results_for(patient: User, plan: Plan | None) -> list[Result]:
    """The patient's complete questionnaires of ``plan``, by measure (two queries)."""
    if plan is None:
        return []
    names = {m.key: m.name for m in measures_for(patient)}
    by_key: dict[str, list[Point]] = defaultdict(list)
    rows = QuestionnaireResponse.objects.filter(plan=plan, status="complete").order_by("week")
    for r in rows:
        by_key[r.key].append(Point(r.week, r.date, r.total or 0.0, r.band, r.subscales))
    order = [*names, *sorted(set(by_key) - set(names))]
    return [_result(key, names.get(key, key), by_key[key], plan) for key in order
            if by_key.get(key)]


def _result(key: str, name: str, points: list[Point], plan: Plan) -> Result:
    baseline = next((p.total for p in points if p.week == 0), None)
    if baseline is None and key == PAIN:
        baseline = plan.baseline_pain  # the program baseline: mean pain at enrolment
    changes: list[tuple[int, Change]] = []
    measure = MCID_MEASURES.get(key)
    if measure is not None and baseline is not None:
        changes = [(p.week, core.meaningful_change(measure, baseline, p.total))
                   for p in points if p.week in core.DISABILITY_WEEKS and p.week > 0]
    return Result(key, name, UNITS.get(key, ""), points, baseline, changes)
