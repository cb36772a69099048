"""The daily job (``manage.py daily``): what has to happen once a day, as of each patient's date.

For every current plan, as of the patient's local today:

1. planned run-walk days up to yesterday with no log are logged as missed,
   through ``session_log_create`` (so each gets the engine's decision);
2. enrolled patients get R-ADHERE's alert when ``decide_next`` finds it;
3. a check-in reminder is queued when yesterday's session still lacks its
   next-morning pain.

Idempotent: missed logs have an id derived from the patient and the date, the
alert's trigger is the week (``alerts.services``), and there is one reminder
per patient, kind and date; running it twice changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from backstride.core.errors import BackstrideError
from backstride.core.progression import decide_next
from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.alerts.services import Occurrence, alert_raise, trigger_for
from backstride.web.caseload.models import Enrolment, Reminder
from backstride.web.programs.models import Plan, PlanDay
from backstride.web.runlog.models import Checkin, SessionLog
from backstride.web.runlog.selectors import history_for
from backstride.web.runlog.services import session_log_create
from backstride.web.safety.models import RedFlagLock

# Missed logs get a stable id, so a second run (or a retry) finds the row it made.
MISSED_NAMESPACE = uuid.UUID("6b2f1d0e-4a39-5c8e-9d1b-0c6a7e3f5b21")


@dataclass
class DailyReport:
    plans: int = 0
    missed: int = 0
    alerts: int = 0
    reminders: int = 0
    errors: list[str] = field(default_factory=list)


def daily_run(*, today: date | None = None) -> DailyReport:
    """Run the daily job for every current plan; ``today`` overrides each patient's date."""
    report = DailyReport()
    enrolled = set(Enrolment.objects.values_list("patient_id", flat=True))
    locked = set(RedFlagLock.objects.filter(cleared_at__isnull=True)
                 .values_list("patient_id", flat=True))
    for plan in Plan.objects.filter(is_current=True).select_related("patient").order_by("pk"):
        patient = plan.patient
        day = today or local_today(patient.time_zone)
        report.plans += 1
        try:
            with transaction.atomic():
                _run_for(report, plan, day, enrolled=patient.pk in enrolled,
                         locked=plan.locked or patient.pk in locked)
        except BackstrideError as error:  # one patient's bad data never stops the others
            report.errors.append(f"patient {patient.pk}: {error}")
    return report


def _run_for(report: DailyReport, plan: Plan, day: date, *, enrolled: bool,
             locked: bool) -> None:
    patient = plan.patient
    if not locked:
        report.missed += mark_missed(patient, plan, day)
    if enrolled and day <= _end(plan):
        report.alerts += adherence_alert(patient, plan, day)
    if not plan.locked and day <= _end(plan):
        report.reminders += checkin_reminder(patient, day)


def mark_missed(patient: User, plan: Plan, today: date) -> int:
    """Log planned run-walk days from the start to yesterday that have no log as missed."""
    last = min(today - timedelta(days=1), _end(plan))
    planned = plan.days.filter(kind=PlanDay.Kind.RUN_WALK, date__gte=plan.start,
                               date__lte=last).values_list("date", flat=True)
    logged = set(SessionLog.objects.filter(patient=patient, date__lte=last)
                 .values_list("date", flat=True))
    missing = sorted(set(planned) - logged)
    for day in missing:
        session_log_create(
            patient=patient, plan=plan, day=day, today=today, status=SessionLog.Status.MISSED,
            client_id=uuid.uuid5(MISSED_NAMESPACE, f"{patient.pk}:{day.isoformat()}"),
            pain_before=None, pain_during=None, pain_after=None, talk_test_ok=None,
            other_pain={}, symptoms=[], run_seconds=0,
        )
    return len(missing)


def adherence_alert(patient: User, plan: Plan, today: date) -> int:
    """R-ADHERE as the engine finds it (never re-implemented here): 1 when raised."""
    history = history_for(patient=patient, plan=plan)
    decision = decide_next(history, today=today)
    latest = history.sessions[-1].date if history.sessions else None
    raised = 0
    for alert in decision.alerts:
        if alert.rule != "R-ADHERE":
            continue  # the other rules raise theirs when a log or check-in is decided
        occurrence = Occurrence(
            rule=alert.rule, severity=str(alert.severity), message=alert.message,
            trigger=trigger_for(alert.rule, made_on=today, latest_session=latest),
            at=timezone.now(),
        )
        raised += alert_raise(patient=patient, occurrence=occurrence) is not None
    return raised


def checkin_reminder(patient: User, today: date) -> int:
    """Queue one reminder when yesterday's session still needs its next-morning pain."""
    yesterday = SessionLog.objects.filter(patient=patient, date=today - timedelta(days=1)).first()
    if (yesterday is None or yesterday.status == SessionLog.Status.MISSED
            or yesterday.pain_next_morning is not None
            or Checkin.objects.filter(patient=patient, date=today).exists()):
        return 0
    _reminder, created = Reminder.objects.get_or_create(
        patient=patient, kind=Reminder.Kind.CHECKIN, for_date=today)
    return int(created)


def _end(plan: Plan) -> date:
    return plan.start + timedelta(days=plan.weeks * 7 - 1)
