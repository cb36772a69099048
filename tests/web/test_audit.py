"""Issue #7, the audit trail: every read and write of a patient's health data leaves a row."""

from __future__ import annotations

import inspect
import uuid
from datetime import UTC

import pytest
from django.contrib.admin.sites import AdminSite
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.activities.models import ImportedActivity
from backstride.web.audit import services as audit
from backstride.web.audit.admin import AuditEventAdmin, AuditPartyAdmin
from backstride.web.audit.models import AuditEvent, AuditImmutableError, AuditParty
from backstride.web.caseload.models import Override
from backstride.web.programs.models import Plan
from backstride.web.runlog.models import SessionLog
from tests.web.conftest import login, make_plan, make_user

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


def rows_about(patient: User) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(patient__user=patient).select_related("actor__user")
                .order_by("pk"))


def new_rows(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=since)
                .select_related("actor__user", "patient__user").order_by("pk"))


def last_pk() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# --- Reads ---------------------------------------------------------------------------------


def test_a_patient_page_records_who_read_whose_data_when_and_from_where(patient: User) -> None:
    client = login(Client(), patient)
    mark = last_pk()
    assert 200 == client.get(reverse("runlog:today"), REMOTE_ADDR="192.0.2.44").status_code
    (row,) = new_rows(mark)
    assert (patient, Action.VIEW, patient) == (row.actor.user, row.action, row.patient.user)
    assert ("page", "runlog:today") == (row.object_type, row.object_id)
    assert "192.0.2.44" == row.ip and "GET /today/" == row.path
    assert UTC == row.at.tzinfo


def test_an_object_page_names_the_object(other_patient: User) -> None:
    client = login(Client(), other_patient)
    activity = ImportedActivity.objects.get(patient=other_patient)
    mark = last_pk()
    client.get(reverse("activities:detail", args=[activity.pk]))
    (row,) = new_rows(mark)
    assert ("activities.importedactivity", str(activity.pk)) == (row.object_type, row.object_id)


def test_a_download_is_an_export(other_patient: User) -> None:
    client = login(Client(), other_patient)
    activity = ImportedActivity.objects.get(patient=other_patient)
    mark = last_pk()
    response = client.get(reverse("activities:original", args=[activity.pk]))
    b"".join(response.streaming_content)
    (row,) = new_rows(mark)
    assert (Action.EXPORT, "activities.importedactivity") == (row.action, row.object_type)


def test_a_clinician_opening_a_patient_is_recorded(clinician: User, clinic_patient: User) -> None:
    client = login(Client(), clinician)
    mark = last_pk()
    client.get(reverse("caseload:patient", args=[clinic_patient.pk]))
    client.get(reverse("caseload:messages", args=[clinic_patient.pk]))
    rows = new_rows(mark)
    assert [(clinician, Action.VIEW, clinic_patient, "caseload:patient"),
            (clinician, Action.VIEW, clinic_patient, "caseload:messages")] == [
        (r.actor.user, r.action, r.patient.user, r.object_id) for r in rows]


def test_the_caseload_queue_is_one_list_row(clinician: User, clinic_patient: User) -> None:
    client = login(Client(), clinician)
    mark = last_pk()
    client.get(reverse("caseload:queue"))
    (row,) = new_rows(mark)
    assert (Action.LIST, None, "caseload:queue") == (row.action, row.patient, row.object_id)


def test_another_clinics_clinician_refused_with_404_leaves_no_row_about_the_patient(
    other_clinician: User, clinic_patient: User,
) -> None:
    client = login(Client(), other_clinician)
    before = len(rows_about(clinic_patient))
    assert 404 == client.get(reverse("caseload:patient", args=[clinic_patient.pk])).status_code
    assert before == len(rows_about(clinic_patient))


# --- Writes --------------------------------------------------------------------------------


def test_a_log_submitted_records_the_log_and_the_decision_not_a_second_read(
    patient: User,
) -> None:
    client = login(Client(), patient)
    page = client.get(reverse("runlog:log"))
    assert 200 == page.status_code
    mark = last_pk()
    response = client.post(reverse("runlog:log"), {
        "client_id": str(uuid.uuid4()), "date": local_today(patient.time_zone).isoformat(),
        "status": "done", "pain_before": 2, "pain_during": 3, "pain_after": 2,
        "talk_test_ok": "yes", "run_minutes": "", "walked_home": ""})
    assert 302 == response.status_code, response.content.decode()[:2000]
    log = SessionLog.objects.get(patient=patient)
    kinds = [(r.action, r.object_type) for r in new_rows(mark)]
    assert (Action.CREATE, "runlog.sessionlog") in kinds
    assert (Action.CREATE, "runlog.decision") in kinds
    assert all(r.patient.user == patient for r in new_rows(mark))
    assert str(log.pk) in {r.object_id for r in new_rows(mark)}


def test_a_clinicians_override_is_recorded_once(clinician: User, clinic_patient: User) -> None:
    client = login(Client(), clinician)
    mark = last_pk()
    response = client.post(reverse("caseload:override", args=[clinic_patient.pk]), {
        "kind": "pause_running", "reason": "Sore after Saturday"})
    assert 302 == response.status_code
    override = Override.objects.filter(patient=clinic_patient).first()
    assert [(clinician, Action.CREATE, "caseload.override", str(override.pk))] == [
        (r.actor.user, r.action, r.object_type, r.object_id) for r in new_rows(mark)]


def test_writes_outside_a_request_are_recorded_too(clinician: User) -> None:
    person = make_user("quiet@example.org")
    mark = last_pk()
    make_plan(person)
    rows = new_rows(mark)
    assert {"programs.screening", "programs.plan"} <= {r.object_type for r in rows}
    assert all(r.actor.user == person and r.ip is None for r in rows)


# --- The fallback: a view that forgets every helper ----------------------------------------


@pytest.mark.urls("tests.web.audit_urls")
def test_a_patient_page_that_forgets_the_helpers_is_still_audited(patient: User) -> None:
    client = login(Client(), patient)
    mark = last_pk()
    assert 200 == client.get("/forgetful/mine/").status_code
    (row,) = new_rows(mark)
    assert (patient, "forgetful_patient") == (row.patient.user, row.object_id)


@pytest.mark.urls("tests.web.audit_urls")
def test_a_clinician_page_that_forgets_the_helpers_is_still_audited(
    clinician: User, clinic_patient: User,
) -> None:
    client = login(Client(), clinician)
    mark = last_pk()
    assert 200 == client.get(f"/forgetful/{clinic_patient.pk}/").status_code
    (row,) = new_rows(mark)
    assert (clinician, clinic_patient) == (row.actor.user, row.patient.user)


# --- Append-only --------------------------------------------------------------------------


def a_row(patient: User) -> AuditEvent:
    return audit.audit_record(actor=patient, action=Action.VIEW, patient=patient,
                              obj=("test", 1))


def test_audit_rows_cannot_be_changed_or_deleted_through_the_app(patient: User) -> None:
    row = a_row(patient)
    row.action = Action.DELETE
    with pytest.raises(AuditImmutableError):
        row.save()
    with pytest.raises(AuditImmutableError):
        row.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=row.pk).update(action=Action.DELETE)
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=row.pk).delete()
    assert Action.VIEW == AuditEvent.objects.get(pk=row.pk).action


def test_the_admin_shows_audit_rows_read_only() -> None:
    request = RequestFactory().get("/")
    for admin_class, model in ((AuditEventAdmin, AuditEvent), (AuditPartyAdmin, AuditParty)):
        admin = admin_class(model, AdminSite())
        assert not admin.has_add_permission(request)
        assert not admin.has_change_permission(request)
        assert not admin.has_delete_permission(request)


def test_on_postgresql_the_database_role_cannot_change_or_delete_audit_rows(
    patient: User,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (scripts/with-postgres.sh)")
    row = a_row(patient)
    party = AuditParty.objects.get(user=patient)
    refused = [
        f"UPDATE audit_event SET action = 'delete' WHERE id = {row.pk}",
        f"DELETE FROM audit_event WHERE id = {row.pk}",
        f"UPDATE audit_party SET pseudonym = 'P-0' WHERE id = {party.pk}",
        f"UPDATE audit_party SET user_id = {make_user('x@example.org').pk} "
        f"WHERE id = {party.pk}",
        f"DELETE FROM audit_party WHERE id = {party.pk}",
    ]
    for sql in refused:
        with pytest.raises(DatabaseError, match="refused"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql)
    with connection.cursor() as cursor:  # unlinking a party from its account is allowed
        cursor.execute(f"UPDATE audit_party SET user_id = NULL WHERE id = {party.pk}")
    assert Action.VIEW == AuditEvent.objects.get(pk=row.pk).action


# --- The API for the other apps, and erasure ------------------------------------------------


def test_audit_record_takes_keyword_arguments_only() -> None:
    parameters = inspect.signature(audit.audit_record).parameters
    assert ["actor", "action", "patient", "obj", "request"] == list(parameters)
    assert all(p.kind is p.KEYWORD_ONLY for p in parameters.values())


def test_audit_record_reads_the_address_from_the_request(patient: User) -> None:
    request = RequestFactory().get("/reports/x/", REMOTE_ADDR="2001:db8::1")
    row = audit.audit_record(actor=patient, action="export", patient=patient,
                             obj=Plan.objects.get(patient=patient), request=request)
    assert ("2001:db8::1", "GET /reports/x/", "programs.plan") == (row.ip, row.path,
                                                                  row.object_type)


def test_pseudonymising_keeps_every_row_and_names_only_a_pseudonym(
    clinician: User, clinic_patient: User,
) -> None:
    login(Client(), clinician).get(reverse("caseload:patient", args=[clinic_patient.pk]))
    rows = rows_about(clinic_patient)
    assert rows
    pseudonym = audit.audit_pseudonymise(clinic_patient)
    assert pseudonym is not None and pseudonym.startswith("P-")
    assert not AuditParty.objects.filter(user=clinic_patient).exists()
    kept = list(AuditEvent.objects.filter(pk__in=[r.pk for r in rows]).select_related("patient"))
    assert len(rows) == len(kept)
    assert {pseudonym} == {r.patient.pseudonym for r in kept}
    assert all(r.patient.user_id is None for r in kept)


def test_deleting_an_account_keeps_its_audit_rows() -> None:
    person = make_user("leaving@example.org")
    row = a_row(person)
    User.objects.filter(pk=person.pk).delete()
    kept = AuditEvent.objects.select_related("patient", "actor").get(pk=row.pk)
    assert kept.patient.user_id is None and kept.actor.user_id is None
    assert kept.patient.pseudonym.startswith("P-")


def test_the_access_history_page_lists_every_access_for_the_patients_clinicians(
    clinician: User, clinic_patient: User,
) -> None:
    client = login(Client(), clinician)
    page = client.get(reverse("caseload:patient", args=[clinic_patient.pk])).content.decode()
    url = reverse("caseload:access_history", args=[clinic_patient.pk])
    assert url in page  # linked from the patient page
    login(Client(), clinic_patient).get(reverse("runlog:progress"))
    html = client.get(url).content.decode()
    assert "caseload:patient" in html and "runlog:progress" in html
    assert clinician.first_name in html and clinic_patient.email in html
    assert "127.0.0.1" in html


def test_the_access_history_shows_an_erased_account_by_its_pseudonym(
    clinician: User, clinic_patient: User, patient: User,
) -> None:
    make_plan(patient) if not Plan.objects.filter(patient=patient).exists() else None
    from tests.web.clinics import enrol
    enrol(patient, clinician)
    a_row(patient)
    client = login(Client(), clinician)
    pseudonym = audit.audit_pseudonymise(patient)
    # The rows now belong to no account: no one's access history shows them by name.
    assert not AuditEvent.objects.filter(patient__user=patient).exists()
    assert AuditEvent.objects.filter(patient__pseudonym=pseudonym).exists()
    assert 200 == client.get(reverse("caseload:access_history",
                                     args=[clinic_patient.pk])).status_code


def test_a_nul_in_the_url_never_stops_a_row_being_written(patient: User) -> None:
    """PostgreSQL refuses NUL in text; a path may carry one (%00)."""
    request = RequestFactory().get("/x%00y/")
    row = audit.audit_record(actor=patient, action="view", patient=patient,
                             obj=("page", "a\x00b"), request=request)
    assert ("GET /xy/", "ab") == (row.path, row.object_id)
