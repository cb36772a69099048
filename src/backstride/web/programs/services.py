"""Writes for screening and plans. Every clinical judgement is the core's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.db import transaction

from backstride.core import plans as core_plans
from backstride.core import triage as core_triage
from backstride.core import vocab
from backstride.web.accounts.models import User
from backstride.web.alerts.services import alert_for_lock
from backstride.web.audit.services import Action, audit_record, current_actor
from backstride.web.programs import mapping
from backstride.web.programs.models import Plan, PlanDay, Screening
from backstride.web.safety.models import RedFlagLock
from backstride.web.safety.services import red_flag_lock_create

# Outcomes after which a plan may be set up: run now, or drafted and locked for clearance.
PLANNABLE = (Screening.Outcome.RUN_WALK, Screening.Outcome.CLEARANCE_REQUIRED)
# Rules whose red flags lock running until a clinician clears it.
RED_FLAG_RULES = ("T-CES", "T-SERIOUS")


def screening_submit(*, patient: User, data: Mapping[str, object]) -> Screening:
    """Validate ``data`` with core, triage it and store answers and result.

    Raises ``ScreeningError`` (with ``.field``) on bad input; an under-18 is
    stored as ``unsupported`` with the core's advice. Red flags lock running.
    """
    parsed = core_triage.parse_screening(data)
    try:
        fields = mapping.screening_fields(core_triage.triage(parsed))
    except core_triage.UnsupportedScreeningError as refusal:
        fields = mapping.unsupported_fields(refusal)
    with transaction.atomic():
        screening = Screening(patient=patient, answers=parsed.as_dict(), **fields)
        screening.full_clean()
        screening.save()
        audit_record(actor=current_actor(patient), action=Action.CREATE, patient=patient,
                     obj=screening)
        _lock_on_red_flags(patient, parsed, screening.reasons)
    return screening


def _lock_on_red_flags(patient: User, parsed: core_triage.Screening,
                       reasons: Sequence[Mapping[str, object]]) -> None:
    fired = [str(r["rule"]) for r in reasons if r["rule"] in RED_FLAG_RULES]
    if fired:
        flags = [f for f in parsed.red_flags if f in vocab.RED_FLAGS]
        lock = red_flag_lock_create(patient=patient, symptoms=flags, rules=fired,
                                    source=RedFlagLock.Source.SCREENING)
        alert_for_lock(lock=lock)


def plan_create(
    *, patient: User, screening: Screening, start: date, weekdays: Sequence[int],
    sessions_per_week: int,
) -> Plan:
    """Build the plan with core (raises ``PlanError``) and store it as the current plan."""
    request = core_plans.PlanRequest(
        start=start,
        weekdays=tuple(sorted(weekdays)),
        sessions_per_week=sessions_per_week,
        profile=screening.profile or core_plans.Profile.STANDARD,
    )
    built = core_plans.build_plan(request)
    clearance = (Plan.Clearance.PENDING
                 if screening.outcome == Screening.Outcome.CLEARANCE_REQUIRED
                 else Plan.Clearance.NOT_REQUIRED)
    with transaction.atomic():
        Plan.objects.select_for_update().filter(patient=patient, is_current=True).update(
            is_current=False
        )
        plan = Plan(
            patient=patient, screening=screening, start=request.start,
            weekdays=list(request.weekdays), sessions_per_week=request.sessions_per_week,
            weeks=request.weeks, profile=str(request.profile),
            baseline_pain=float(screening.answers["pain_week_avg"]),
            reasons=[r.as_dict() for r in built.reasons], clearance=clearance,
        )
        plan.full_clean()
        plan.save()
        PlanDay.objects.bulk_create(mapping.plan_day_rows(plan, built))
        audit_record(actor=current_actor(patient), action=Action.CREATE, patient=patient,
                     obj=plan)
    return plan


def plan_reschedule(*, plan: Plan, sessions_per_week: int, weekdays: Sequence[int],
                    profile: str, today: date) -> Plan:
    """Change the run-walk days from ``today`` on (a clinician's override or clearance).

    Days before ``today`` keep what they held, since logs and adherence refer
    to them; from ``today`` the days follow the new weekdays. Raises
    ``PlanError`` (naming the field) when core refuses the request.
    """
    request = core_plans.PlanRequest(
        start=plan.start, weekdays=tuple(sorted(weekdays)), weeks=plan.weeks,
        sessions_per_week=sessions_per_week, profile=profile,
    )
    built = core_plans.build_plan(request)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        plan.weekdays = list(request.weekdays)
        plan.sessions_per_week = request.sessions_per_week
        plan.profile = str(request.profile)
        plan.reasons = [r.as_dict() for r in built.reasons]
        plan.full_clean()
        plan.save()
        PlanDay.objects.filter(plan=plan, date__gte=today).delete()
        PlanDay.objects.bulk_create(
            [row for row in mapping.plan_day_rows(plan, built) if row.date >= today])
        audit_record(actor=current_actor(), action=Action.UPDATE, patient=plan.patient,
                     obj=plan)
    return plan
