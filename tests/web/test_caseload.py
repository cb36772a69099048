"""The clinician's work: the queue, overrides and their effect on the next decision,
clearance, lifting a red-flag lock, enrolment by link, messages, notes, adverse events."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.adverse_events.models import AdverseEvent
from backstride.web.alerts.models import Alert
from backstride.web.caseload import services
from backstride.web.caseload.models import Enrolment, Invitation, Note, Override
from backstride.web.caseload.selectors import Filter, caseload_queue, patient_overview
from backstride.web.messaging.models import Message
from backstride.web.programs.models import Plan, PlanDay
from backstride.web.runlog.selectors import today_for
from backstride.web.runlog.services import checkin_create
from backstride.web.safety.models import RedFlagLock
from backstride.web.safety.selectors import red_flag_lock_open
from tests.web.clinics import enrol, raise_alert
from tests.web.conftest import PASSWORD, log_session, login, make_plan, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def runner(clinician: User) -> User:
    """A patient of ``clinician`` with two settled sessions (levels 1 and 2): next is 3."""
    user = make_user("runner@example.org")
    today = local_today(user.time_zone)
    plan = make_plan(user, start=today - timedelta(days=10))
    for ago in (5, 3):
        log_session(user, plan, today - timedelta(days=ago))
        checkin_create(patient=user, plan=plan, client_id=uuid.uuid4(), rest_pain=2,
                       pain_next_morning=2, symptoms=[], today=today - timedelta(days=ago - 1))
    enrol(user, clinician)
    return user


def today_prescription(user: User) -> Any:
    plan = Plan.objects.get(patient=user, is_current=True)
    return today_for(user, plan, local_today(user.time_zone)).decision


def override(clinician: User, patient: User, kind: str, **values: Any) -> Override:
    return services.override_create(clinician=clinician, patient=patient, kind=kind,
                                    reason=values.pop("reason", "Clinical judgement"), **values)


# --- Overrides change the engine's next decision --------------------------------------------


def test_without_overrides_the_runner_moves_up(runner: User) -> None:
    decision = today_prescription(runner)
    assert ("progress", 3) == (str(decision.decision), decision.next_level)


def test_a_hold_keeps_the_next_session_at_the_same_level(runner: User,
                                                         clinician: User) -> None:
    override(clinician, runner, "hold_progression", reason="Let the knee settle")
    decision = today_prescription(runner)
    assert ("repeat", 2) == (str(decision.decision), decision.next_level)
    assert "C-OVERRIDE" in decision.rules
    override(clinician, runner, "release_hold")
    assert "progress" == str(today_prescription(runner).decision)


def test_a_pause_prescribes_no_running_until_it_is_lifted(runner: User,
                                                          clinician: User) -> None:
    override(clinician, runner, "pause_running")
    decision = today_prescription(runner)
    assert decision.next_session.level is None and "pause_running" == str(decision.decision)
    override(clinician, runner, "resume_running")
    assert today_prescription(runner).next_session.level is not None


def test_a_level_set_is_where_the_next_session_starts_within_p_cap(runner: User,
                                                                   clinician: User) -> None:
    override(clinician, runner, "set_level", level=2)
    assert 2 == today_prescription(runner).next_session.level
    override(clinician, runner, "set_level", level=15)
    decision = today_prescription(runner)
    assert decision.next_session.level < 15 and "P-CAP" in decision.rules


def test_a_session_logged_after_a_level_set_carries_on_from_there(runner: User,
                                                                  clinician: User) -> None:
    override(clinician, runner, "set_level", level=2)
    plan = Plan.objects.get(patient=runner)
    log = log_session(runner, plan, local_today(runner.time_zone)).row
    assert 2 == log.level


def test_changing_sessions_per_week_reschedules_the_plan_from_today(runner: User,
                                                                    clinician: User) -> None:
    plan = Plan.objects.get(patient=runner)
    today = local_today(runner.time_zone)
    past = list(plan.days.filter(date__lt=today).values_list("date", "kind"))
    days = sorted({today.weekday(), (today.weekday() + 3) % 7})
    override(clinician, runner, "sessions_per_week", sessions_per_week=2, weekdays=days)
    plan.refresh_from_db()
    assert 2 == plan.sessions_per_week
    assert past == list(plan.days.filter(date__lt=today).values_list("date", "kind"))
    future = plan.days.filter(date__gte=today, date__lt=today + timedelta(days=7),
                              kind=PlanDay.Kind.RUN_WALK)
    assert set(days) == {d.date.weekday() for d in future}


@pytest.mark.parametrize(("kind", "values", "field"), [
    ("set_level", {"level": 30}, "level"),
    ("set_level", {}, "level"),
    ("resume_running", {}, "kind"),
    ("release_hold", {}, "kind"),
    ("sessions_per_week", {"sessions_per_week": 3, "weekdays": [0, 1, 3]}, "weekdays"),
    ("hold_progression", {"reason": "  "}, "reason"),
])
def test_an_override_that_makes_no_sense_is_refused_with_the_field(
        runner: User, clinician: User, kind: str, values: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        override(clinician, runner, kind, **values)
    assert field in refused.value.message_dict
    assert not Override.objects.exists()


def test_the_patient_sees_each_override_with_its_reason(runner: User, clinician: User) -> None:
    override(clinician, runner, "hold_progression", reason="Let the knee settle")
    html = login(Client(), runner).get(reverse("runlog:today")).content.decode()
    assert "From your clinician" in html and "Let the knee settle" in html


def test_a_bad_override_form_shows_the_errors_and_keeps_the_input(runner: User,
                                                                  clinician: User) -> None:
    url = reverse("caseload:override", args=[runner.pk])
    response = login(Client(), clinician).post(url, {"kind": "set_level", "level": "",
                                                     "reason": "Keep my words"})
    assert 422 == response.status_code
    html = response.content.decode()
    assert "Choose a level from 1 to 21" in html and "Keep my words" in html
    assert not Override.objects.exists()


# --- Clearance and locks -------------------------------------------------------------------


@pytest.fixture
def waiting(clinician: User) -> User:
    """Screened clearance_required (a disc herniation): a drafted, locked plan."""
    user = make_user("waiting@example.org")
    make_plan(user, conditions=["disc_herniation"])
    enrol(user, clinician)
    return user


def test_clearing_a_plan_unlocks_running_and_the_patient_sees_the_note(
        waiting: User, clinician: User) -> None:
    client = login(Client(), waiting)
    assert "Waiting for clearance" in client.get(reverse("runlog:today")).content.decode()
    services.clearance_decide(clinician=clinician, patient=waiting, outcome="cleared",
                              note="Fine to start gently", conservative=True)
    plan = Plan.objects.get(patient=waiting)
    assert (Plan.Clearance.CLEARED, clinician, 2, "conservative") == (
        plan.clearance, plan.cleared_by, plan.sessions_per_week, plan.profile)
    html = client.get(reverse("runlog:today")).content.decode()
    assert "Cleared to run-walk" in html and "Fine to start gently" in html


def test_keeping_a_patient_on_low_impact_keeps_the_plan_locked(waiting: User,
                                                              clinician: User) -> None:
    services.clearance_decide(clinician=clinician, patient=waiting, outcome="low_impact",
                              note="Wait for the MRI")
    assert Plan.objects.get(patient=waiting).locked
    html = login(Client(), waiting).get(reverse("runlog:today")).content.decode()
    assert "Low-impact for now" in html and "Wait for the MRI" in html


def test_the_clearance_queue_lists_the_waiting_patient_with_the_answers(
        waiting: User, clinician: User) -> None:
    html = login(Client(), clinician).get(reverse("caseload:clearance_queue")).content.decode()
    assert waiting.email in html or "T-STRUCT" in html
    assert "Diagnosed conditions" in html and "Disc herniation" in html


def test_clearance_needs_a_note_and_a_plan_waiting(waiting: User, runner: User,
                                                  clinician: User) -> None:
    with pytest.raises(ValidationError):
        services.clearance_decide(clinician=clinician, patient=waiting, outcome="cleared",
                                  note="")
    with pytest.raises(ValidationError):
        services.clearance_decide(clinician=clinician, patient=runner, outcome="cleared",
                                  note="ok")


def test_a_cleared_red_flag_lock_lets_the_patient_run_and_stays_cleared(
        runner: User, clinician: User) -> None:
    plan = Plan.objects.get(patient=runner)
    today = local_today(runner.time_zone)
    log_session(runner, plan, today - timedelta(days=1), symptoms=["fever_or_unwell"])
    lock = red_flag_lock_open(runner)
    assert lock is not None
    with pytest.raises(ValidationError):
        services.red_flag_lock_lift(clinician=clinician, lock=lock, note="Seen", doctor_seen=False)
    services.red_flag_lock_lift(clinician=clinician, lock=lock, note="GP: viral, resolved",
                                doctor_seen=True)
    checkin_create(patient=runner, plan=plan, client_id=uuid.uuid4(), rest_pain=2,
                   pain_next_morning=2, symptoms=[], today=today)
    assert red_flag_lock_open(runner) is None  # the old session's symptom does not lock again
    assert today_prescription(runner).next_session.level is not None


# --- The queue ---------------------------------------------------------------------------------


def test_the_queue_puts_critical_alerts_first_then_high_then_low(clinician: User,
                                                                 clinic: Any) -> None:
    people = {}
    for name, severity in (("low", "low"), ("none", None), ("critical", "critical"),
                           ("high", "high")):
        user = make_user(f"{name}@example.org")
        make_plan(user)
        enrol(user, clinician)
        if severity:
            raise_alert(user, severity=severity)
        people[name] = user
    rows = caseload_queue(clinic=clinic, clinician=clinician).rows
    assert ["critical", "high", "low", "none"] == [r.patient.email.split("@")[0] for r in rows]


def test_the_queue_filters_and_searches(clinician: User, clinic: Any, waiting: User,
                                        runner: User) -> None:
    override(clinician, runner, "pause_running")
    queue = caseload_queue(clinic=clinic, clinician=clinician, wanted=Filter.CLEARANCE)
    assert [waiting] == [r.patient for r in queue.rows]
    assert [runner] == [r.patient for r in caseload_queue(
        clinic=clinic, clinician=clinician, wanted=Filter.PAUSED).rows]
    assert [runner] == [r.patient for r in caseload_queue(
        clinic=clinic, clinician=clinician, search="RUNNER@").rows]
    assert 1 == queue.counts[Filter.CLEARANCE] and 2 == queue.counts[Filter.ALL]


def test_the_queue_counts_a_patient_inactive_for_a_week(clinician: User, clinic: Any,
                                                        runner: User) -> None:
    later = timezone.now() + timedelta(days=10)
    queue = caseload_queue(clinic=clinic, clinician=clinician, wanted=Filter.INACTIVE,
                           now=later)
    assert [runner] == [r.patient for r in queue.rows]


def test_the_queue_row_shows_level_adherence_pain_and_sparkline(clinician: User, clinic: Any,
                                                                runner: User) -> None:
    (row,) = caseload_queue(clinic=clinic, clinician=clinician).rows
    assert (3, (3, 3, 2)) == (row.level, row.last_pain)
    assert row.spark is not None and len(row.spark.values) == 2
    assert row.adherence_all is not None


def test_the_queue_refreshes_as_a_fragment_for_htmx(clinician: User, runner: User) -> None:
    client = login(Client(), clinician)
    full = client.get(reverse("caseload:queue")).content.decode()
    assert "htmx.min.js" in full and 'hx-trigger="every 60s"' in full
    part = client.get(reverse("caseload:queue") + "?filter=paused",
                      HTTP_HX_REQUEST="true")
    assert part.content.decode().lstrip().startswith('<section id="queue"')
    assert "HX-Request" in part["Vary"]
    assert 200 == client.get(reverse("caseload:queue") + "?filter=nonsense&q=" + "x" * 500
                             ).status_code


def test_the_patient_page_colours_sessions_by_running_done_against_prescribed(
        clinician: User, runner: User) -> None:
    plan = Plan.objects.get(patient=runner)
    today = local_today(runner.time_zone)
    log_session(runner, plan, today - timedelta(days=1), status="partial", run_seconds=10)
    entries = [e for e in patient_overview(patient=runner).timeline if e.log]
    assert ["red", "green", "green"] == [e.compliance for e in entries]
    html = login(Client(), clinician).get(reverse("caseload:patient", args=[runner.pk]))
    assert "compliance--red" in html.content.decode()


# --- Enrolment ----------------------------------------------------------------------------------


def test_a_link_enrols_a_new_patient_once(clinician: User, clinic: Any) -> None:
    invitation = services.invitation_create(clinician=clinician, clinic=clinic)
    url = reverse("join", args=[invitation.token])
    client = Client()
    assert 200 == client.get(url).status_code
    response = client.post(url, {"email": "new@example.org", "password": PASSWORD,
                                 "time_zone": "Europe/London", "first_name": "Nia"})
    assert response["Location"] == reverse("accounts:consent")
    enrolment = Enrolment.objects.get(patient__email="new@example.org")
    assert (clinic, clinician) == (enrolment.clinic, enrolment.responsible)
    assert 410 == Client().get(url).status_code  # single use


def test_an_expired_link_is_refused(clinician: User, clinic: Any) -> None:
    invitation = services.invitation_create(clinician=clinician, clinic=clinic,
                                            now=timezone.now() - timedelta(days=30))
    assert 410 == Client().get(reverse("join", args=[invitation.token])).status_code
    assert 404 == Client().get(reverse("join", args=["not-a-token"])).status_code


def test_a_patient_belongs_to_one_clinic_at_most(clinician: User, other_clinician: User,
                                                 runner: User) -> None:
    clinic = other_clinician.clinic_membership.clinic
    invitation = services.invitation_create(clinician=other_clinician, clinic=clinic)
    response = login(Client(), runner).post(reverse("join", args=[invitation.token]))
    assert 422 == response.status_code and "one clinic at most" in response.content.decode()
    assert Enrolment.objects.get(patient=runner).responsible == clinician
    assert Invitation.objects.get(pk=invitation.pk).used_at is None


def test_a_clinician_creates_a_patient_who_sets_a_password_by_link(clinician: User) -> None:
    client = login(Client(), clinician)
    response = client.post(reverse("caseload:patient_new"), {
        "first_name": "Ola", "last_name": "Berg", "email": "ola@example.org",
        "time_zone": "Europe/Oslo"})
    patient = User.objects.get(email="ola@example.org")
    assert response["Location"] == reverse("caseload:patient", args=[patient.pk])
    assert not patient.has_usable_password()
    token = Invitation.objects.get(patient=patient).token
    visitor = Client()
    assert 422 == visitor.post(reverse("join", args=[token]), {"password": "123"}).status_code
    visitor.post(reverse("join", args=[token]), {"password": PASSWORD})
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


def test_a_bad_new_patient_form_keeps_the_input(clinician: User, runner: User) -> None:
    response = login(Client(), clinician).post(reverse("caseload:patient_new"), {
        "first_name": "Ola", "last_name": "", "email": runner.email, "time_zone": "Mars/Base"})
    html = response.content.decode()
    assert 422 == response.status_code and 'value="Ola"' in html
    assert "already exists" in html


# --- Messages, notes, adverse events ------------------------------------------------------


def test_a_message_shows_as_unread_until_the_other_side_opens_the_thread(
        clinician: User, runner: User) -> None:
    doctor, person = login(Client(), clinician), login(Client(), runner)
    doctor.post(reverse("caseload:messages", args=[runner.pk]), {"body": "How was today?"})
    today = person.get(reverse("runlog:today")).content.decode()
    assert 'class="count">1' in today
    thread = person.get(reverse("messaging:thread")).content.decode()
    assert "How was today?" in thread
    assert Message.objects.get().read_at is not None
    assert 'class="count"' not in person.get(reverse("runlog:today")).content.decode()
    person.post(reverse("messaging:thread"), {"body": "Good, thanks"})
    assert 'class="count"' in doctor.get(reverse("caseload:queue")).content.decode()


def test_an_empty_message_is_refused_and_nothing_is_sent(runner: User) -> None:
    response = login(Client(), runner).post(reverse("messaging:thread"), {"body": "   "})
    assert 422 == response.status_code and not Message.objects.exists()


def test_a_self_guided_patient_has_no_thread(patient: User) -> None:
    client = login(Client(), patient)
    assert "on your own" in client.get(reverse("messaging:thread")).content.decode()
    assert 422 == client.post(reverse("messaging:thread"), {"body": "Hello?"}).status_code
    assert reverse("messaging:thread") not in client.get(reverse("runlog:today")).content.decode()


def test_notes_are_for_clinicians_only(clinician: User, runner: User) -> None:
    login(Client(), clinician).post(reverse("caseload:note_add", args=[runner.pk]),
                                    {"body": "Anxious about running"})
    assert Note.objects.filter(patient=runner).exists()
    person = login(Client(), runner)
    for name in ("runlog:today", "messaging:thread", "runlog:progress", "programs:plan"):
        assert "Anxious about running" not in person.get(reverse(name)).content.decode()


def test_a_patient_reports_an_adverse_event_and_bad_input_keeps_the_form(runner: User) -> None:
    client = login(Client(), runner)
    url = reverse("adverse_events:report")
    tomorrow = local_today(runner.time_zone) + timedelta(days=1)
    response = client.post(url, {"date": tomorrow.isoformat(), "type": "fall",
                                 "seriousness": "serious", "description": "Slipped"})
    assert 422 == response.status_code and "Slipped" in response.content.decode()
    response = client.post(url, {"date": local_today(runner.time_zone).isoformat(),
                                 "type": "other", "seriousness": "non_serious",
                                 "description": ""})
    assert 422 == response.status_code  # "other" needs a description (O-AE)
    client.post(url, {"date": local_today(runner.time_zone).isoformat(), "type": "fall",
                      "seriousness": "serious", "description": "Slipped"})
    event = AdverseEvent.objects.get(patient=runner)
    assert (runner, "serious") == (event.reported_by, event.seriousness)
    assert Alert.objects.filter(patient=runner, rule="O-AE").exists()


def test_a_lock_clear_form_without_the_doctors_review_is_refused(runner: User,
                                                                 clinician: User) -> None:
    lock = RedFlagLock.objects.create(patient=runner, advice="doctor", symptoms=["iv_drug_use"],
                                      rules=["R-REDFLAG"], source="checkin")
    url = reverse("caseload:lock_clear", args=[runner.pk, lock.pk])
    response = login(Client(), clinician).post(url, {"note": "Seen by GP"})
    assert 422 == response.status_code and "Seen by GP" in response.content.decode()
    lock.refresh_from_db()
    assert lock.cleared_at is None
