"""Issue #7, integrity: mass assignment on the web forms, and stale overrides (409).

Every form is an explicit ``forms.Form``: a posted field it does not declare
(``patient_id``, ``clinic``, ``is_staff``, ``role``...) is never read. These
tests post such fields to each form that writes and check they changed nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.caseload.models import Clinic, Enrolment, Note, Override
from backstride.web.messaging.models import Message
from backstride.web.runlog.models import Checkin, SessionLog
from tests.web.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db

PRIVILEGES = {"role": "clinician", "is_staff": "on", "is_superuser": "on", "is_active": "on",
              "groups": "1", "user_permissions": "1"}


def owned_by(patient: User, clinic: Clinic | None = None, **extra: Any) -> dict[str, Any]:
    """Fields naming someone else's objects, posted alongside a form's own fields."""
    return {"patient": patient.pk, "patient_id": patient.pk, "user": patient.pk,
            "user_id": patient.pk, "owner": patient.pk, "sender": patient.pk,
            "author": patient.pk, "clinician": patient.pk, "reported_by": patient.pk,
            "clinic": clinic.pk if clinic else 1, "clinic_id": clinic.pk if clinic else 1,
            **PRIVILEGES, **extra}


def test_signing_up_cannot_choose_a_role_or_staff_rights(anonymous: Client) -> None:
    anonymous.post(reverse("accounts:signup"), {
        "email": "new@example.org", "password": PASSWORD, "time_zone": "Europe/London",
        **PRIVILEGES})
    user = User.objects.get(email="new@example.org")
    assert (User.Role.PATIENT, False, False) == (user.role, user.is_staff, user.is_superuser)
    assert not user.groups.exists() and not user.user_permissions.exists()


def test_a_session_log_is_always_the_posters_own(patient: User, other_patient: User) -> None:
    client = login(Client(), patient)
    today = local_today(patient.time_zone)
    before = SessionLog.objects.filter(patient=other_patient).count()
    response = client.post(reverse("runlog:log"), {
        "client_id": str(uuid.uuid4()), "date": today.isoformat(), "status": "done",
        "pain_before": 2, "pain_during": 3, "pain_after": 2, "talk_test_ok": "yes",
        **owned_by(other_patient), "level": 12, "prescription": "{}", "run_seconds": 99999})
    assert 302 == response.status_code
    log = SessionLog.objects.get(patient=patient)
    assert before == SessionLog.objects.filter(patient=other_patient).count()
    assert 12 != log.level and 99999 != log.run_seconds


def test_a_check_in_is_always_the_posters_own(patient: User, other_patient: User) -> None:
    client = login(Client(), patient)
    before = Checkin.objects.filter(patient=other_patient).count()
    client.post(reverse("runlog:checkin"), {"client_id": str(uuid.uuid4()), "rest_pain": 2,
                                            **owned_by(other_patient)})
    assert 1 == Checkin.objects.filter(patient=patient).count()
    assert before == Checkin.objects.filter(patient=other_patient).count()


def test_a_message_is_sent_by_the_poster_into_their_own_thread(
    clinic_patient: User, patient: User, clinician: User,
) -> None:
    client = login(Client(), clinic_patient)
    client.post(reverse("messaging:thread"), {"body": "Hello", **owned_by(patient),
                                              "sender": clinician.pk})
    message = Message.objects.filter(body="Hello").get()
    assert (clinic_patient, clinic_patient) == (message.patient, message.sender)


def test_an_override_and_a_note_are_the_clinicians_own_for_the_patient_in_the_url(
    clinician: User, other_clinician: User, clinic_patient: User, patient: User,
) -> None:
    client = login(Client(), clinician)
    url_patient = clinic_patient.pk
    elsewhere = other_clinician.clinic_membership.clinic
    client.post(reverse("caseload:override", args=[url_patient]), {
        "kind": "pause_running", "reason": "Sore", **owned_by(patient, elsewhere),
        "clinician": other_clinician.pk})
    override = Override.objects.filter(kind="pause_running").get()
    assert (clinic_patient, clinician) == (override.patient, override.clinician)
    client.post(reverse("caseload:note_add", args=[url_patient]), {
        "body": "Keep an eye", **owned_by(patient, elsewhere), "author": other_clinician.pk})
    note = Note.objects.filter(body="Keep an eye").get()
    assert (clinic_patient, clinician) == (note.patient, note.author)


def test_a_patient_a_clinician_creates_is_a_patient_of_the_clinicians_clinic(
    clinician: User, other_clinician: User,
) -> None:
    elsewhere = other_clinician.clinic_membership.clinic
    login(Client(), clinician).post(reverse("caseload:patient_new"), {
        "first_name": "Ola", "last_name": "Berg", "email": "ola@example.org",
        "time_zone": "Europe/Oslo", **PRIVILEGES, "clinic": elsewhere.pk})
    person = User.objects.get(email="ola@example.org")
    assert (User.Role.PATIENT, False, False) == (person.role, person.is_staff,
                                                 person.is_superuser)
    assert clinician.clinic_membership.clinic == Enrolment.objects.get(patient=person).clinic


# --- Stale overrides: a version column, 409 ------------------------------------------------


def test_an_override_from_a_stale_page_is_refused_with_409_and_saves_nothing(
    clinician: User, clinic_patient: User,
) -> None:
    first, second = login(Client(), clinician), login(Client(), clinician)
    url = reverse("caseload:override", args=[clinic_patient.pk])
    version = Enrolment.objects.get(patient=clinic_patient).version
    ok = first.post(url, {"kind": "pause_running", "reason": "Flare", "version": version})
    assert 302 == ok.status_code
    stale = second.post(url, {"kind": "set_level", "level": 3, "reason": "Progressing",
                              "version": version})
    assert 409 == stale.status_code
    html = stale.content.decode()
    assert "Someone else changed this patient&#x27;s program while you were editing" in html
    assert "running paused" in html
    assert not Override.objects.filter(patient=clinic_patient, kind="set_level").exists()
    fresh = Enrolment.objects.get(patient=clinic_patient).version
    assert version + 1 == fresh
    assert f'name="version" value="{fresh}"' in html  # saving again applies to the new state
    again = second.post(url, {"kind": "set_level", "level": 3, "reason": "Progressing",
                              "version": fresh})
    assert 302 == again.status_code


def test_every_override_counts_one_more_version(clinician: User, clinic_patient: User) -> None:
    client = login(Client(), clinician)
    url = reverse("caseload:override", args=[clinic_patient.pk])
    start = Enrolment.objects.get(patient=clinic_patient).version
    for level in (2, 3, 4):
        client.post(url, {"kind": "set_level", "level": level, "reason": "Steady"})
    assert start + 3 == Enrolment.objects.get(patient=clinic_patient).version


def test_the_patient_page_form_carries_the_current_version(clinician: User,
                                                           clinic_patient: User) -> None:
    version = Enrolment.objects.get(patient=clinic_patient).version
    html = login(Client(), clinician).get(
        reverse("caseload:patient", args=[clinic_patient.pk])).content.decode()
    assert f'name="version" value="{version}"' in html
