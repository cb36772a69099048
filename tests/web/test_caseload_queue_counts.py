"""The queue's counts, made by the database, agree with the plain-Python definitions.

The queue asks SQL for adherence and for each patient's last sessions run
(``caseload.selectors.queue``); the patient's own progress page computes the same
things in Python from every row (``runlog.selectors.adherence_counts``,
``presentation.trend``). Both are checked here on a simulated clinic whose
patients live in time zones that, at the chosen instant, are on three different
dates.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backstride.core import outcomes
from backstride.core.progression import week_start
from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.caseload import presentation
from backstride.web.caseload.models import Clinic
from backstride.web.caseload.selectors import caseload_queue
from backstride.web.programs.models import Plan, PlanDay
from backstride.web.runlog.models import SessionLog
from backstride.web.runlog.selectors import adherence_counts
from backstride.web.simulation.loader import load_clinic

pytestmark = pytest.mark.django_db

# 10:30 UTC: 00:30 tomorrow in Kiritimati (UTC+14), 23:30 yesterday in Pago Pago (UTC-11).
ZONES = ("Pacific/Kiritimati", "Europe/London", "Pacific/Pago_Pago")


def test_adherence_pain_and_trend_match_the_definitions_in_every_time_zone() -> None:
    loaded = load_clinic(count=36, seed=11, today=datetime.now(UTC).date(),
                         clinic_name="Zones", password="x" * 12,
                         clinician_email="zones@example.org", email_domain="zones.example")
    patients = list(User.objects.filter(enrolment__clinic__name="Zones").order_by("pk"))
    for n, patient in enumerate(patients):
        User.objects.filter(pk=patient.pk).update(time_zone=ZONES[n % len(ZONES)])
    now = datetime.now(UTC).replace(hour=10, minute=30) - timedelta(days=1)
    assert len({local_today(zone, now) for zone in ZONES}) == 3
    clinic = Clinic.objects.get(name="Zones")
    rows = caseload_queue(clinic=clinic, clinician=loaded.clinician, now=now).rows
    assert len(rows) == len(patients)
    checked = 0
    for row in rows:
        expected = _reference(row.patient, now)
        assert expected == (row.adherence_week, row.adherence_all, row.last_pain,
                            row.last_pain_date, row.trend), row.patient.email
        checked += expected[1] is not None
    assert checked >= len(patients) // 2  # most have a plan under way, not only None == None


def _reference(patient: User, now: datetime) -> tuple[object, ...]:
    patient.refresh_from_db()
    today = local_today(patient.time_zone, now)
    plan = Plan.objects.filter(patient=patient, is_current=True).first()
    logs = list(SessionLog.objects.filter(patient=patient).order_by("date"))
    ran = [log for log in logs if log.status != SessionLog.Status.MISSED and log.date <= today]
    if plan is None:
        week = whole = None
    else:
        days = list(plan.days.filter(kind=PlanDay.Kind.RUN_WALK).values_list("date", flat=True))
        pairs = [(log.date, log.status) for log in logs]
        week = outcomes.adherence(*adherence_counts(days, pairs, today, since=week_start(today)))
        whole = outcomes.adherence(*adherence_counts(days, pairs, today))
    last = ran[-1] if ran else None
    return (week, whole,
            (last.pain_before, last.pain_after, last.pain_next_morning) if last else None,
            last.date if last else None,
            presentation.trend([log.pain_before for log in ran]))
