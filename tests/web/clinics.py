"""Clinic personas and builders for the web tests (imported by conftest.py).

* ``clinic`` and ``clinician``: a clinic and the clinician who is responsible
  for its patients;
* ``other_clinician``: a clinician of another clinic, who must see nothing;
* ``clinic_patient``: ``other_patient`` enrolled with ``clinician``, with one of
  every clinic object (alert, red-flag lock, note, message, override, adverse
  event): the objects the access sweep tries to reach.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from backstride.web.accounts.models import User
from backstride.web.adverse_events.services import adverse_event_record
from backstride.web.alerts.services import Occurrence, alert_raise
from backstride.web.caseload import services as caseload
from backstride.web.caseload.models import Clinic, Enrolment
from backstride.web.messaging.services import message_send
from backstride.web.safety.services import red_flag_lock_create

CLINICIAN_PASSWORD = "correct-horse-battery-staple"


def make_clinician(email: str, clinic: Clinic, **names: str) -> User:
    return caseload.clinician_create(clinic=clinic, email=email, password=CLINICIAN_PASSWORD,
                                     time_zone="Europe/London", **names)


def enrol(patient: User, clinician: User) -> Enrolment:
    """Enrol ``patient`` with ``clinician`` as a link would."""
    clinic = clinician.clinic_membership.clinic
    invitation = caseload.invitation_create(clinician=clinician, clinic=clinic)
    return caseload.invitation_accept(invitation=invitation, user=patient)


def raise_alert(patient: User, rule: str = "R-FLARE", severity: str = "high",
                trigger: str = "week:2026-03-09", message: str = "Rest pain high") -> Any:
    return alert_raise(patient=patient, occurrence=Occurrence(
        rule=rule, severity=severity, message=message, trigger=trigger, at=timezone.now()))


@pytest.fixture
def clinic(db: Any) -> Clinic:
    return caseload.clinic_create(name="Riverside Physio")


@pytest.fixture
def clinician(clinic: Clinic) -> User:
    return make_clinician("ep@riverside.example", clinic, first_name="Sam", last_name="Okafor")


@pytest.fixture
def other_clinician(db: Any) -> User:
    return make_clinician("ep@elsewhere.example", caseload.clinic_create(name="Elsewhere"))


@pytest.fixture
def clinic_patient(other_patient: User, clinician: User) -> User:
    """``other_patient``, under ``clinician``'s care, with one of every clinic object."""
    enrol(other_patient, clinician)
    raise_alert(other_patient)
    red_flag_lock_create(patient=other_patient, symptoms=["fever_or_unwell"],
                         rules=["R-REDFLAG"], source="checkin")
    caseload.note_add(author=clinician, patient=other_patient, body="Keen; watch the knee.")
    message_send(patient=other_patient, sender=clinician, body="How did Saturday go?")
    caseload.override_create(clinician=clinician, patient=other_patient,
                             kind="hold_progression", reason="Knee niggle")
    adverse_event_record(patient=other_patient, reported_by=other_patient, data={
        "date": (timezone.localdate() - timedelta(days=1)).isoformat(), "type": "fall",
        "seriousness": "non_serious", "description": "Tripped on a kerb"})
    return other_patient
