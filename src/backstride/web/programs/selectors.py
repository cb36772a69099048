"""Reads for screenings and plans, scoped to one patient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.http import Http404

from backstride.web.accounts.models import User
from backstride.web.audit.services import audit_read
from backstride.web.programs.models import Plan, PlanDay, Screening


def screening_latest(patient: User) -> Screening | None:
    return Screening.objects.filter(patient=patient).first()


def screening_for_patient(patient: User, pk: int) -> Screening:
    """The patient's own screening ``pk``; 404 for anyone else's."""
    screening = Screening.objects.filter(patient=patient, pk=pk).first()
    if screening is None:
        raise Http404
    audit_read(patient=patient, obj=screening)
    return screening


def plan_current(patient: User) -> Plan | None:
    return Plan.objects.filter(patient=patient, is_current=True).select_related("screening").first()


def plan_day_and_next_run(plan: Plan, day: date) -> tuple[PlanDay | None, PlanDay | None]:
    """``day`` in the plan, and the first run-walk day after it: one query.

    Days come in date order, so ``day`` (if the plan has it) comes first and the
    next run-walk day right after it: two rows are enough.
    """
    rows = list(PlanDay.objects.filter(plan=plan).filter(
        Q(date=day) | Q(date__gt=day, kind=PlanDay.Kind.RUN_WALK)).order_by("date")[:2])
    on_day = rows[0] if rows and rows[0].date == day else None
    return on_day, next((row for row in rows if row.date > day), None)


@dataclass(frozen=True)
class CalendarDay:
    day: PlanDay
    logged: object | None  # the SessionLog of that date, if any
    is_today: bool


def plan_weeks(
    plan: Plan, logs_by_date: dict[date, object], today: date
) -> list[list[CalendarDay]]:
    """The plan as weeks × days, each day with its log (two queries in all)."""
    weeks: dict[int, list[CalendarDay]] = {}
    for day in plan.days.all():
        weeks.setdefault(day.week, []).append(
            CalendarDay(day, logs_by_date.get(day.date), day.date == today)
        )
    return [weeks[n] for n in sorted(weeks)]
