"""Alerts: raised by each R- rule, by red flags and adverse events; de-duplicated; lifecycle."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.adverse_events.services import adverse_event_record
from backstride.web.alerts.models import Alert
from backstride.web.alerts.services import alert_acknowledge, alert_resolve
from backstride.web.caseload.daily import daily_run
from backstride.web.programs.models import Plan
from backstride.web.runlog.services import checkin_create
from tests.web.clinics import enrol, raise_alert
from tests.web.conftest import log_session, make_plan, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(clinician: User) -> User:
    """A patient of ``clinician`` whose plan began four weeks ago."""
    user = make_user("runner@example.org")
    make_plan(user, start=local_today(user.time_zone) - timedelta(days=28))
    enrol(user, clinician)
    return user


def plan_of(user: User) -> Plan:
    return Plan.objects.get(patient=user, is_current=True)


def day(user: User, ago: int) -> date:
    return local_today(user.time_zone) - timedelta(days=ago)


def log(user: User, ago: int, **values: Any) -> Any:
    return log_session(user, plan_of(user), day(user, ago), **values)


def checkin(user: User, ago: int, rest_pain: int, **values: Any) -> Any:
    return checkin_create(patient=user, plan=plan_of(user), client_id=uuid.uuid4(),
                          rest_pain=rest_pain, pain_next_morning=values.get("morning"),
                          symptoms=values.get("symptoms", []), today=day(user, ago))


def alerts(user: User, rule: str) -> list[Alert]:
    return list(Alert.objects.filter(patient=user, rule=rule))


# --- One alert per rule -----------------------------------------------------------------


def test_r_during_raises_a_low_alert_then_escalates_the_same_alert_to_high(
        enrolled: User) -> None:
    log(enrolled, 6, pain_during=7)
    (first,) = alerts(enrolled, "R-DURING")
    assert (Alert.Severity.LOW, 1, Alert.Status.OPEN) == (first.severity, first.occurrences,
                                                          first.status)
    log(enrolled, 2, pain_during=8)
    (again,) = alerts(enrolled, "R-DURING")
    assert again.pk == first.pk
    assert (Alert.Severity.HIGH, 2) == (again.severity, again.occurrences)
    assert "second time" in again.message


def test_r_limb_raises_a_low_alert(enrolled: User) -> None:
    log(enrolled, 1, other_pain={"knee": 5})
    assert [Alert.Severity.LOW] == [a.severity for a in alerts(enrolled, "R-LIMB")]


def test_r_redflag_raises_a_critical_alert_and_emails_the_responsible_clinician(
        enrolled: User, clinician: User, mailoutbox: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        log(enrolled, 1, symptoms=["saddle_numbness"])
    (alert,) = alerts(enrolled, "R-REDFLAG")
    assert Alert.Severity.CRITICAL == alert.severity
    assert [clinician.email] == mailoutbox[0].to
    assert "R-REDFLAG" in mailoutbox[0].body
    assert "saddle" not in mailoutbox[0].body.lower()  # no health details in an email
    assert 1 == len(mailoutbox)  # the lock and the decision raise one alert, one email


def test_a_red_flag_at_check_in_raises_a_critical_alert(enrolled: User) -> None:
    checkin(enrolled, 0, 3, symptoms=["fever_or_unwell"])
    assert [Alert.Severity.CRITICAL] == [a.severity for a in alerts(enrolled, "R-REDFLAG")]


def test_r_flare_raises_a_high_alert(enrolled: User) -> None:
    checkin(enrolled, 1, 7)
    checkin(enrolled, 0, 7)
    assert [Alert.Severity.HIGH] == [a.severity for a in alerts(enrolled, "R-FLARE")]


def test_r_after_raises_a_high_alert(enrolled: User) -> None:
    for ago in (5, 3, 1):
        log(enrolled, ago, pain_before=2, pain_during=3, pain_after=4)
    assert [Alert.Severity.HIGH] == [a.severity for a in alerts(enrolled, "R-AFTER")]


def test_r_persist_raises_a_high_alert(enrolled: User) -> None:
    today = local_today(enrolled.time_zone)
    monday = today - timedelta(days=today.weekday())
    for week in (2, 1, 0):
        for offset in (0, 2):
            when = monday - timedelta(days=7 * week) + timedelta(days=offset)
            if when <= today:
                log_session(enrolled, plan_of(enrolled), when, today=when, pain_before=5,
                            pain_during=5, pain_after=5)
    assert [Alert.Severity.HIGH] == [a.severity for a in alerts(enrolled, "R-PERSIST")]


def test_r_adhere_is_raised_by_the_daily_job_from_missed_sessions(enrolled: User) -> None:
    daily_run()
    (alert,) = alerts(enrolled, "R-ADHERE")
    assert Alert.Severity.LOW == alert.severity and "Fewer than 2 sessions" in alert.message


def test_an_adverse_event_the_patient_reports_raises_an_alert(enrolled: User) -> None:
    adverse_event_record(patient=enrolled, reported_by=enrolled, data={
        "date": day(enrolled, 1).isoformat(), "type": "fall", "seriousness": "serious",
        "description": "Fell on ice"})
    assert [Alert.Severity.HIGH] == [a.severity for a in alerts(enrolled, "O-AE")]


def test_a_self_guided_patient_gets_no_alert_rows(patient: User) -> None:
    log_session(patient, plan_of(patient), local_today(patient.time_zone),
                symptoms=["saddle_numbness"], pain_during=8)
    assert not Alert.objects.exists()


# --- De-duplication -----------------------------------------------------------------------


def test_deciding_again_on_the_same_occurrence_changes_nothing(enrolled: User) -> None:
    log(enrolled, 1, pain_during=7)
    before = alerts(enrolled, "R-DURING")[0]
    checkin(enrolled, 0, 2, morning=3)  # the next decision still reports the same session
    checkin(enrolled, 0, 2)
    (after,) = alerts(enrolled, "R-DURING")
    assert (before.pk, before.occurrences, before.last_raised_at) == (
        after.pk, after.occurrences, after.last_raised_at)


def test_a_persisting_condition_is_one_open_alert_with_the_latest_occurrence(
        enrolled: User) -> None:
    checkin(enrolled, 8, 7)
    checkin(enrolled, 7, 7)
    checkin(enrolled, 1, 7)
    checkin(enrolled, 0, 7)
    (alert,) = alerts(enrolled, "R-FLARE")
    assert alert.occurrences >= 1 and alert.status == Alert.Status.OPEN


# --- Lifecycle ---------------------------------------------------------------------------


def test_an_alert_goes_open_acknowledged_resolved_with_who_when_and_notes(
        enrolled: User, clinician: User) -> None:
    alert = raise_alert(enrolled)
    alert = alert_acknowledge(alert=alert, clinician=clinician, note="Called her")
    assert (Alert.Status.ACKNOWLEDGED, clinician, "Called her") == (
        alert.status, alert.acknowledged_by, alert.acknowledged_note)
    assert alert.acknowledged_at is not None
    alert = alert_resolve(alert=alert, clinician=clinician, note="Settled")
    assert (Alert.Status.RESOLVED, clinician, "Settled") == (
        alert.status, alert.resolved_by, alert.resolved_note)
    with pytest.raises(ValidationError):
        alert_resolve(alert=alert, clinician=clinician)
    with pytest.raises(ValidationError):
        alert_acknowledge(alert=alert, clinician=clinician)


def test_resolving_an_open_alert_acknowledges_it_too(enrolled: User, clinician: User) -> None:
    alert = alert_resolve(alert=raise_alert(enrolled), clinician=clinician)
    assert alert.acknowledged_by == clinician and alert.acknowledged_at == alert.resolved_at


def test_a_resolved_occurrence_is_not_raised_again_but_a_new_one_is(
        enrolled: User, clinician: User) -> None:
    alert_resolve(alert=raise_alert(enrolled, trigger="week:2026-03-02"), clinician=clinician)
    assert raise_alert(enrolled, trigger="week:2026-03-02") is None
    fresh = raise_alert(enrolled, trigger="week:2026-03-09")
    assert fresh is not None and fresh.status == Alert.Status.OPEN
    assert 2 == len(alerts(enrolled, "R-FLARE"))


def test_an_acknowledged_alert_opens_again_when_its_severity_rises(
        enrolled: User, clinician: User) -> None:
    alert = raise_alert(enrolled, rule="R-DURING", severity="low", trigger="session:a")
    alert_acknowledge(alert=alert, clinician=clinician)
    raised = raise_alert(enrolled, rule="R-DURING", severity="high", trigger="session:b")
    assert (Alert.Severity.HIGH, Alert.Status.OPEN) == (raised.severity, raised.status)
