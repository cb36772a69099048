"""Which prescription each planned session carries in a download: one rule for watch and calendar.

* A logged session: what it was given (the log's prescription).
* An unlogged session from today on: the engine's prescription now, the one
  the today page and the timer show. Never the plan's projection: that assumes
  every session went well, and a watch workout at a projected level could run
  past P-CAP. Running on hold (clearance pending, a red flag): none.
* An unlogged session in the past: its planned (projected) prescription.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.http import Http404

from backstride.core.ladder import Prescription, prescription_from_dict
from backstride.web.accounts.models import User
from backstride.web.audit.services import audit_read
from backstride.web.programs.models import Plan, PlanDay
from backstride.web.runlog.models import SessionLog
from backstride.web.runlog.selectors import logs_by_date, next_decision
from backstride.web.safety.selectors import red_flag_lock_open


@dataclass(frozen=True)
class Session:
    """A planned run-walk day and the prescription it carries (``None``: running on hold)."""

    day: PlanDay
    prescription: Prescription | None
    logged: SessionLog | None


def sessions_for(patient: User, plan: Plan, days: Sequence[PlanDay], today: date) -> list[Session]:
    """The :class:`Session` of each of ``days`` (run-walk days of ``plan``), in their order."""
    if not days:
        return []
    logs = logs_by_date(patient, min(d.date for d in days), max(d.date for d in days))
    on_hold = plan.locked or red_flag_lock_open(patient) is not None
    current: Prescription | None = None
    sessions = []
    for day in days:
        log = logs.get(day.date)
        if log is not None:
            prescription: Prescription | None = prescription_from_dict(log.prescription)
        elif day.date < today:
            prescription = prescription_from_dict(day.prescription or {})
        elif on_hold:
            prescription = None
        else:
            if current is None:  # one engine run, every log counted, for every future session
                current = next_decision(patient=patient, plan=plan, today=today).next_session
            prescription = current
        sessions.append(Session(day, prescription, log))
    return sessions


def run_walk_day_for_patient(patient: User, pk: int) -> PlanDay:
    """A run-walk day of the patient's current plan; 404 for anyone else's or another kind."""
    day = (PlanDay.objects.select_related("plan")
           .filter(pk=pk, plan__patient=patient, plan__is_current=True,
                   kind=PlanDay.Kind.RUN_WALK).first())
    if day is None:
        raise Http404
    audit_read(patient=patient, obj=day)
    return day


def run_walk_days_of_week(plan: Plan, week: int) -> list[PlanDay]:
    return list(plan.days.filter(week=week, kind=PlanDay.Kind.RUN_WALK))


def all_run_walk_days(patient: User) -> list[PlanDay]:
    """Every run-walk day of every plan the patient had (old plans' days get cancelled)."""
    return list(PlanDay.objects.filter(plan__patient=patient, kind=PlanDay.Kind.RUN_WALK)
                .select_related("plan").order_by("date", "pk"))
