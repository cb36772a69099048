"""``manage.py daily`` (missed sessions, R-ADHERE alerts, check-in reminders; idempotent)
and ``manage.py clinician``."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from backstride.web.accounts.models import User
from backstride.web.alerts.models import Alert
from backstride.web.caseload.models import Reminder
from backstride.web.programs.models import Plan
from backstride.web.runlog.models import Decision, SessionLog
from backstride.web.safety.services import red_flag_lock_create
from tests.web.clinics import enrol
from tests.web.conftest import log_session, make_plan, make_user

pytestmark = pytest.mark.django_db

START = date(2026, 3, 2)  # a Monday; the plan runs Monday, Wednesday, Friday
TODAY = START + timedelta(days=16)  # Wednesday of week 3: two complete weeks behind it


def daily(today: date = TODAY) -> str:
    out = StringIO()
    call_command("daily", today=today.isoformat(), stdout=out)
    return out.getvalue()


def snapshot() -> tuple[Any, ...]:
    return (
        list(SessionLog.objects.order_by("pk").values_list("date", "status", "level")),
        Decision.objects.count(),
        list(Alert.objects.order_by("pk").values_list("rule", "occurrences", "last_raised_at")),
        list(Reminder.objects.values_list("patient_id", "for_date")),
    )


@pytest.fixture
def absent(clinician: User) -> User:
    """Enrolled, plan from START, one session logged on the first day, then nothing."""
    user = make_user("absent@example.org")
    plan = make_plan(user, start=START)
    log_session(user, plan, START)
    enrol(user, clinician)
    return user


def test_it_marks_every_planned_day_without_a_log_as_missed_up_to_yesterday(
        absent: User) -> None:
    daily()
    missed = list(SessionLog.objects.filter(patient=absent, status="missed")
                  .values_list("date", flat=True))
    planned = set(Plan.objects.get(patient=absent).days.filter(
        kind="run_walk", date__gt=START, date__lt=TODAY).values_list("date", flat=True))
    assert planned == set(missed) and TODAY not in missed
    assert all(Decision.objects.filter(session_log__date=d, patient=absent).exists()
               for d in missed)


def test_it_raises_r_adhere_through_the_engine(absent: User) -> None:
    assert "adherence" in daily()
    (alert,) = Alert.objects.filter(patient=absent, rule="R-ADHERE")
    assert "Fewer than 2 sessions" in alert.message


def test_running_it_twice_changes_nothing(absent: User) -> None:
    daily()
    first = snapshot()
    daily()
    assert first == snapshot()


def test_it_queues_one_check_in_reminder_after_a_session_without_next_morning_pain(
        clinician: User) -> None:
    user = make_user("ran@example.org")
    plan = make_plan(user, start=START)
    log_session(user, plan, TODAY - timedelta(days=1))
    daily()
    daily()
    assert [TODAY] == list(Reminder.objects.filter(patient=user).values_list("for_date",
                                                                              flat=True))


def test_a_locked_patient_is_not_marked_missed(absent: User) -> None:
    red_flag_lock_create(patient=absent, symptoms=["fever_or_unwell"], rules=["R-REDFLAG"],
                         source="checkin")
    daily()
    assert not SessionLog.objects.filter(patient=absent, status="missed").exists()


def test_a_self_guided_patient_gets_missed_days_but_no_alert(db: Any) -> None:
    user = make_user("solo@example.org")
    make_plan(user, start=START)
    daily()
    assert SessionLog.objects.filter(patient=user, status="missed").exists()
    assert not Alert.objects.exists()


def test_a_bad_date_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("daily", today="next tuesday")


def test_operations_add_a_clinician_to_a_new_clinic(monkeypatch: Any) -> None:
    monkeypatch.setenv("BACKSTRIDE_NEW_PASSWORD", "a-long-clinic-password")
    out = StringIO()
    call_command("clinician", clinic="Harbour Physio", email="New@Harbour.example",
                 first_name="Lee", stdout=out)
    user = User.objects.get(email="new@harbour.example")
    assert user.role == User.Role.CLINICIAN and user.check_password("a-long-clinic-password")
    assert user.clinic_membership.clinic.name == "Harbour Physio"
    monkeypatch.setenv("BACKSTRIDE_NEW_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("clinician", clinic="Harbour Physio", email="other@harbour.example")
