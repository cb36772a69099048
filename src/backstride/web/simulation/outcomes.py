"""Simulated outcome questionnaires and adverse events for the simulated patients.

What a patient of each persona would have answered (O-SCHED): weekly pain,
the PSFS and the ODI at weeks 0, 6 and 12, from the pain they logged that
week; and the adverse events a clinician would have recorded (O-AE): a
back-pain flare for a flare, lower-limb pain for a session that reported it.
The ODI the demo clinic loads is the shipped scoring with placeholder item
text: no licensed text is ever in the product (O-LICENCE).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from statistics import fmean
from typing import Any

from backstride.core import outcomes as core
from backstride.web.accounts.models import User
from backstride.web.adverse_events.models import AdverseEvent
from backstride.web.caseload.models import Clinic
from backstride.web.outcomes.models import Questionnaire, QuestionnaireResponse
from backstride.web.programs.models import Plan

RESPONSE_RATE = 0.85  # a weekly pain answer is sometimes skipped (never a 0/6/12 one)
PSFS_ACTIVITIES = ("Running for a bus", "Lifting the shopping", "Sitting through a film")
LIMB_PAIN_AT_LEAST = 5  # above R-LIMB's 4: the clinician recorded it as an adverse event


def demo_odi(clinic: Clinic) -> Questionnaire:
    data = core.builtin_definition_data("odi")
    definition = core.licensed_definition(data)
    return Questionnaire.objects.create(
        clinic=clinic, key=definition.id, name=definition.name, version=definition.version,
        licence="Demo data: the shipped scoring with placeholder item text.", definition=data)


def write_outcomes(pairs: Sequence[tuple[Any, User]], plans: dict[int, Plan], today: date,
                   odi: Questionnaire, rng: random.Random) -> None:
    rows: list[QuestionnaireResponse] = []
    for sim, user in pairs:
        plan = plans.get(user.pk)
        if plan is not None:
            rows += _patient_outcomes(sim, user, plan, today, odi, rng)
    QuestionnaireResponse.objects.bulk_create(rows, batch_size=1000)


def _patient_outcomes(sim: Any, user: User, plan: Plan, today: date, odi: Questionnaire,
                      rng: random.Random) -> list[QuestionnaireResponse]:
    rows = []
    last_active = _last_active(sim, plan.start)
    for week in core.PAIN_WEEKS:
        opens = plan.start + timedelta(days=7 * week)
        # A follow-up needs someone still taking part: active within the week before.
        if opens > today or (week and (last_active is None
                                       or opens > last_active + timedelta(days=7))):
            break
        pain = _week_pain(sim, opens, float(sim.persona.baseline))
        day = min(opens + timedelta(days=rng.randint(0, 3)), today)
        if week in core.DISABILITY_WEEKS or rng.random() < RESPONSE_RATE:
            rows.append(_row(user, plan, "pain", week, day, {"pain": round(pain)}, round(pain)))
        if week in core.DISABILITY_WEEKS:
            rows.append(_psfs(user, plan, week, day, pain, rng))
            rows.append(_odi(user, plan, week, day, pain, odi, rng))
    return rows


def _last_active(sim: Any, start: date) -> date | None:
    days = [log.day for log in sim.logs if log.pain_before is not None]
    days += [c.day for c in sim.checkins]
    return max(days, default=None)


def _week_pain(sim: Any, opens: date, baseline: float) -> float:
    """The mean pain logged in the week before ``opens`` (or the latest week with any)."""
    for weeks_back in range(1, 4):
        start = opens - timedelta(days=7 * weeks_back)
        end = start + timedelta(days=7)
        values = [log.pain_before for log in sim.logs
                  if start <= log.day < end and log.pain_before is not None]
        values += [c.rest_pain for c in sim.checkins if start <= c.day < end]
        if values:
            return fmean(values)
    return baseline


def _psfs(user: User, plan: Plan, week: int, day: date, pain: float,
          rng: random.Random) -> QuestionnaireResponse:
    base = 10 - 1.3 * pain + 0.12 * week  # able to do more as the back settles
    rows = [{"activity": a, "score": _clamp(base + rng.gauss(0, 1.1), 0, 10)}
            for a in PSFS_ACTIVITIES]
    total = core.psfs_score([(r["activity"], r["score"]) for r in rows])
    return _row(user, plan, "psfs", week, day, {"activities": rows}, total)


def _odi(user: User, plan: Plan, week: int, day: date, pain: float, odi: Questionnaire,
         rng: random.Random) -> QuestionnaireResponse:
    target = _clamp(3 * pain + 2 + rng.gauss(0, 2), 0, 50)  # sum of 10 sections, 0-50
    answers = {f"odi_{n}": 0 for n in range(1, 11)}
    for _ in range(target):
        key = rng.choice([k for k, v in answers.items() if v < 5])
        answers[key] += 1
    score = core.score_questionnaire(core.builtin_scoring("odi"), answers)
    row = _row(user, plan, "odi", week, day, dict(answers), score.total)
    row.questionnaire = odi
    return row


def _row(user: User, plan: Plan, key: str, week: int, day: date, answers: dict[str, Any],
         total: float) -> QuestionnaireResponse:
    return QuestionnaireResponse(patient=user, plan=plan, key=key, week=week, date=day,
                                 answers=answers, status="complete", total=total)


def _clamp(value: float, low: int, high: int) -> int:
    return min(max(round(value), low), high)


def write_adverse_events(pairs: Sequence[tuple[Any, User]], plans: dict[int, Plan],
                         today: date, clinician: User) -> None:
    rows = []
    for sim, user in pairs:
        plan = plans.get(user.pk)
        if plan is None:
            continue
        event = sim.persona.event_day
        if sim.persona.kind == "flare" and event is not None:
            day = plan.start + timedelta(days=event)
            if day <= today:
                rows.append(AdverseEvent(patient=user, date=day, type="back_pain_flare",
                                         seriousness="non_serious", reported_by=clinician,
                                         description="Flare after a busy week; rested 3 days."))
        limb = next((log for log in sim.logs if max(log.other_pain.values(), default=0)
                     >= LIMB_PAIN_AT_LEAST), None)
        if limb is not None:
            site = max(limb.other_pain, key=limb.other_pain.get)
            rows.append(AdverseEvent(patient=user, date=limb.day, type="lower_limb_pain",
                                     seriousness="non_serious", reported_by=clinician,
                                     description=f"{site.capitalize()} pain during a session."))
    AdverseEvent.objects.bulk_create(rows, batch_size=1000)
