"""Data rights: "download all my data" holds every row of the patient's and nobody else's;
"erase my account" leaves nothing that identifies them, except pseudonymised audit rows.

Which rows are the patient's is worked out here independently of the product's
own lookup: every model in Django's app registry, every row, following its
foreign keys in Python. A model added later is covered without editing this file.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backstride.web.accounts.models import User
from backstride.web.activities.models import ImportedActivity
from backstride.web.audit.models import AuditEvent, AuditParty
from backstride.web.exports.services import feed_link_create
from backstride.web.outcomes import selectors as outcome_selectors
from backstride.web.outcomes import services as outcome_services
from backstride.web.privacy.selectors import NOT_DOWNLOADED
from backstride.web.programs.models import Plan
from tests.web.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db
DEPTH = 4


def belongs(row: models.Model, user_pk: int, depth: int = DEPTH) -> bool:
    """Whether any chain of foreign keys from ``row`` reaches the account ``user_pk``."""
    if isinstance(row, User):
        return row.pk == user_pk
    if depth == 0:
        return False
    for field in row._meta.concrete_fields:
        if not field.is_relation:
            continue
        related = getattr(row, field.name, None)
        if isinstance(related, models.Model) and belongs(related, user_pk, depth - 1):
            return True
    return False


def rows_of(user: User) -> set[tuple[str, Any]]:
    found = set()
    for model in apps.get_models():
        for row in model._default_manager.all():
            if belongs(row, user.pk):
                found.add((model._meta.label_lower, row.pk))
    return found


def archive_of(client: Client) -> zipfile.ZipFile:
    response = client.get(reverse("privacy:archive"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def exported_rows(archive: zipfile.ZipFile) -> set[tuple[str, Any]]:
    found = set()
    for name in archive.namelist():
        if name.startswith("data/"):
            for row in json.loads(archive.read(name)):
                found.add((row["model"], row["pk"]))
    return found


@pytest.fixture
def rich(clinic_patient: User, patient: User) -> User:
    """The clinic's patient with a questionnaire and a calendar link too; ``patient``'s
    own rows exist alongside, to prove they stay out."""
    plan = Plan.objects.get(patient=clinic_patient, is_current=True)
    measure = outcome_selectors.measure_for(clinic_patient, "psfs")
    assert measure is not None
    outcome_services.response_save(
        patient=clinic_patient, plan=plan, measure=measure, week=0, finish=True,
        today=timezone.localdate(),
        answers={"activities": [{"activity": "Hiking the ridge", "score": 4},
                                {"activity": "Tennis doubles", "score": 3},
                                {"activity": "Walking the dog", "score": 6}]})
    feed_link_create(patient=clinic_patient)
    clinic_patient.first_name, clinic_patient.last_name = "Odile", "Quennell"
    clinic_patient.save()
    login(Client(), patient).get(reverse("runlog:today"))  # an audit row of someone else's
    return clinic_patient


def test_the_archive_holds_every_row_of_the_patient_and_none_of_anyone_else(
        rich: User, patient: User) -> None:
    client = login(Client(), rich)
    theirs = rows_of(rich)  # before the download: its own audit row comes after it
    archive = archive_of(client)
    exported = exported_rows(archive)
    kinds = {label for label, _pk in theirs}
    assert {"runlog.sessionlog", "runlog.checkin", "runlog.decision", "programs.planday",
            "outcomes.questionnaireresponse", "activities.importedactivity",
            "adverse_events.adverseevent", "messaging.message", "alerts.alert",
            "exports.calendarfeed", "caseload.enrolment", "accounts.user"} <= kinds
    missing = {row for row in theirs - exported if row[0] not in NOT_DOWNLOADED}
    assert not missing
    assert not exported - theirs  # and nothing of anyone else's
    assert not exported & rows_of(patient)
    assert not any(label in NOT_DOWNLOADED for label, _pk in exported)
    text = " ".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".json"))
    assert "watch the knee" not in text  # the clinician's private note
    assert '"password"' not in text and '"token_hash"' not in text
    originals = [n for n in archive.namelist() if n.startswith("activities/")]
    stored = ImportedActivity.objects.get(patient=rich)
    assert [f"activities/{stored.pk}-run.tcx"] == originals
    assert archive.read(originals[0]) == stored.original.read()
    bundle = json.loads(archive.read("fhir-bundle.json"))
    assert "transaction" == bundle["type"] and bundle["entry"]


def everything_stored() -> str:
    """Every row of every table, as text."""
    return "\n".join(serializers.serialize("json", model._default_manager.all())
                     for model in apps.get_models())


def test_erasure_needs_the_password(rich: User) -> None:
    client = login(Client(), rich)
    response = client.post(reverse("privacy:erase"), {"confirm": "not it"})
    assert response.status_code == 422
    assert User.objects.filter(pk=rich.pk).exists()


def test_erasure_leaves_nothing_identifying_but_pseudonymised_audit_rows(
        rich: User, patient: User, django_capture_on_commit_callbacks: Any) -> None:
    client = login(Client(), rich)
    client.get(reverse("runlog:progress"))  # an audit row naming the patient
    stored = Path(ImportedActivity.objects.get(patient=rich).original.path)
    assert stored.exists()
    audit_rows = AuditEvent.objects.count()
    others = rows_of(patient)
    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows have
        response = client.post(reverse("privacy:erase"), {"confirm": PASSWORD})
    assert response.status_code == 200 and "erased" in response.content.decode()
    assert not User.objects.filter(pk=rich.pk).exists()
    assert not stored.exists()
    text = everything_stored()
    for trace in (rich.email, "Odile", "Quennell", "Tripped on a kerb", "Knee niggle",
                  "Keen; watch the knee.", "Hiking the ridge", "run.tcx"):
        assert trace not in text, trace
    assert AuditEvent.objects.count() >= audit_rows + 1  # kept, and the erasure recorded
    party = AuditParty.objects.get(pseudonymised_at__isnull=False)
    assert party.user_id is None and party.pseudonym.startswith("P-")
    assert AuditEvent.objects.filter(patient=party, action="delete").exists()
    assert others <= rows_of(patient)  # everyone else's rows untouched
    assert not list(Path(settings.MEDIA_ROOT).rglob(stored.name))
    assert client.get(reverse("runlog:today")).status_code == 302  # signed out


def test_a_patient_without_a_password_confirms_with_the_phrase(db: Any) -> None:
    user = User.objects.create_user("nopass@example.org", None, time_zone="UTC")
    client = login(Client(), user)
    assert client.post(reverse("privacy:erase"), {"confirm": "erase my account"}
                       ).status_code == 200
    assert not User.objects.filter(email="nopass@example.org").exists()


def test_the_my_data_page_links_the_downloads(patient_client: Client) -> None:
    html = patient_client.get(reverse("privacy:my_data")).content.decode()
    assert reverse("privacy:archive") in html and reverse("privacy:erase") in html
    bundle = json.loads(patient_client.get(reverse("privacy:fhir")).content)
    assert "transaction" == bundle["type"]
