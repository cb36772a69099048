"""The JSON API (/api/v1/): who may call what, idempotent logs, strict input, one error shape.

Personas (tests/web/conftest.py, clinics.py): ``owner`` is a patient of
``clinician``'s clinic with a plan, an alert and nothing locked; ``patient`` is
another (self-guided) patient; ``other_clinician`` works in another clinic.
Every call here sends a personal access token unless it says otherwise.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client

from backstride.core.ladder import level, run_walk_session
from backstride.formats.synthetic import legs_of, synthetic_tcx
from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.activities.models import ImportedActivity
from backstride.web.alerts.models import Alert
from backstride.web.audit.models import AuditEvent
from backstride.web.programs.models import Plan
from backstride.web.runlog.models import Checkin, Decision, SessionLog
from backstride.web.safety.models import RedFlagLock
from tests.web.api_clients import (
    API,
    ApiClient,
    bearer,
    checkin_body,
    error_of,
    session_body,
)
from tests.web.clinics import enrol, raise_alert
from tests.web.conftest import login, make_plan, make_user

PLAN_DAYS_AGO = 4  # run-walk days: then, two days ago and today


@pytest.fixture
def owner(clinician: User) -> User:
    """A patient of ``clinician``'s clinic, plan started four days ago, one open alert."""
    user = make_user("owner@example.org")
    make_plan(user, start=local_today(user.time_zone) - timedelta(days=PLAN_DAYS_AGO))
    enrol(user, clinician)
    raise_alert(user)
    return user


def today_of(user: User) -> date:
    return local_today(user.time_zone)


def recording(user: User, day: date, seed: int = 0) -> bytes:
    """A synthetic TCX of the level-1 session, started at 08:00 local time on ``day``."""
    start = datetime.combine(day, time(8), tzinfo=ZoneInfo(user.time_zone)).astimezone(UTC)
    return synthetic_tcx(legs_of(run_walk_session(level(1))), start=start, seed=seed)


def upload(client: Client, data: bytes, name: str = "run.tcx", **fields: Any) -> Any:
    return client.post(f"{API}/me/activities",
                       {"file": SimpleUploadedFile(name, data), **fields})


# --- Who may call what -----------------------------------------------------------------

Call = Callable[[Client, dict[str, User]], Any]


def _alert_of(people: dict[str, User]) -> int:
    return Alert.objects.filter(patient=people["owner"]).first().pk  # type: ignore[union-attr]


CALLS: dict[str, Call] = {
    "GET /me/plan": lambda c, p: c.get(f"{API}/me/plan"),
    "GET /me/today": lambda c, p: c.get(f"{API}/me/today"),
    "POST /me/sessions": lambda c, p: c.post_json(  # type: ignore[attr-defined]
        f"{API}/me/sessions", session_body(today_of(p["owner"]))),
    "POST /me/checkins": lambda c, p: c.post_json(  # type: ignore[attr-defined]
        f"{API}/me/checkins", checkin_body()),
    "POST /me/activities": lambda c, p: upload(c, recording(p["owner"], today_of(p["owner"]))),
    "GET /caseload": lambda c, p: c.get(f"{API}/caseload"),
    "GET /alerts": lambda c, p: c.get(f"{API}/alerts"),
    "GET /alerts?patient=": lambda c, p: c.get(f"{API}/alerts", {"patient": p["owner"].pk}),
    "GET /alerts/{id}": lambda c, p: c.get(f"{API}/alerts/{_alert_of(p)}"),
    "GET /me/fhir": lambda c, p: c.get(f"{API}/me/fhir"),
    "GET /patients/{id}/fhir": lambda c, p: c.get(f"{API}/patients/{p['owner'].pk}/fhir"),
}
PERSONAS = ("owner", "own_clinician", "other_clinician", "other_patient", "anonymous")
# Expected status for each persona, in the order of PERSONAS.
EXPECTED = {
    "GET /me/plan": (200, 404, 404, 200, 401),
    "GET /me/today": (200, 404, 404, 200, 401),
    "POST /me/sessions": (201, 404, 404, 201, 401),
    "POST /me/checkins": (201, 404, 404, 201, 401),
    "POST /me/activities": (201, 404, 404, 201, 401),
    "GET /caseload": (404, 200, 200, 404, 401),
    "GET /alerts": (404, 200, 200, 404, 401),
    "GET /alerts?patient=": (404, 200, 404, 404, 401),
    "GET /alerts/{id}": (404, 200, 404, 404, 401),
    "GET /me/fhir": (200, 404, 404, 200, 401),
    "GET /patients/{id}/fhir": (404, 200, 404, 404, 401),
}


@pytest.fixture
def people(owner: User, clinician: User, other_clinician: User, patient: User) -> dict[str, User]:
    return {"owner": owner, "own_clinician": clinician, "other_clinician": other_clinician,
            "other_patient": patient}


def _client(persona: str, people: dict[str, User]) -> ApiClient:
    return ApiClient() if persona == "anonymous" else bearer(people[persona])


@pytest.mark.django_db
@pytest.mark.parametrize("call", sorted(CALLS))
def test_each_endpoint_answers_each_persona_as_its_role_allows(
    call: str, people: dict[str, User]
) -> None:
    for persona, expected in zip(PERSONAS, EXPECTED[call], strict=True):
        response = CALLS[call](_client(persona, people), people)
        assert expected == response.status_code, f"{persona}: {response.content[:300]!r}"
        if expected >= 400:
            error_of(response)


def test_the_matrix_covers_every_call() -> None:
    assert set(CALLS) == set(EXPECTED)


@pytest.mark.django_db
def test_the_me_endpoints_answer_with_the_callers_own_data(people: dict[str, User]) -> None:
    owner, other = people["owner"], people["other_patient"]
    mine = bearer(owner).get(f"{API}/me/plan").json()
    theirs = bearer(other).get(f"{API}/me/plan").json()
    assert Plan.objects.get(patient=owner, is_current=True).pk == mine["id"]
    assert Plan.objects.get(patient=other, is_current=True).pk == theirs["id"]


@pytest.mark.django_db
def test_another_clinics_clinician_sees_none_of_our_patients(people: dict[str, User]) -> None:
    client = bearer(people["other_clinician"])
    caseload = client.get(f"{API}/caseload", {"scope": "clinic"}).json()
    alerts = client.get(f"{API}/alerts", {"status": "all"}).json()
    assert (0, [], []) == (caseload["total"], caseload["patients"], alerts)


@pytest.mark.django_db
def test_the_own_clinician_sees_the_patient_in_the_caseload_and_alerts(
    people: dict[str, User]
) -> None:
    client = bearer(people["own_clinician"])
    caseload = client.get(f"{API}/caseload").json()
    alerts = client.get(f"{API}/alerts", {"patient": people["owner"].pk}).json()
    assert [people["owner"].pk] == [row["patient"]["id"] for row in caseload["patients"]]
    assert {"critical": 0, "high": 1, "low": 0} == caseload["patients"][0]["alerts"]
    assert ["R-FLARE"] == [a["rule"] for a in alerts]


@pytest.mark.django_db
def test_the_alert_filters_follow_the_lifecycle(people: dict[str, User]) -> None:
    alert = Alert.objects.get(patient=people["owner"])
    Alert.objects.filter(pk=alert.pk).update(status=Alert.Status.RESOLVED,
                                             resolved_by=people["own_clinician"],
                                             resolved_at=alert.last_raised_at)
    client = bearer(people["own_clinician"])
    assert [] == client.get(f"{API}/alerts").json()
    assert [alert.pk] == [a["id"] for a in client.get(f"{API}/alerts",
                                                      {"status": "resolved"}).json()]


@pytest.mark.django_db
def test_the_alert_list_makes_the_same_queries_for_many_alerts(
    people: dict[str, User], django_assert_max_num_queries: Any
) -> None:
    client = bearer(people["own_clinician"])
    client.get(f"{API}/alerts")  # warm up: the token's "last used", the audit party
    with django_assert_max_num_queries(12) as few:
        client.get(f"{API}/alerts")
    for n in range(12):
        raise_alert(people["owner"], rule=f"R-TEST-{n}", trigger=f"week:2026-03-{n + 1:02d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert 13 == len(client.get(f"{API}/alerts").json())


@pytest.mark.django_db
def test_a_nul_in_the_caseload_search_is_refused_not_a_server_error(
    people: dict[str, User]
) -> None:
    """Found by the fuzzer on PostgreSQL, which refuses NUL in a text query."""
    response = bearer(people["own_clinician"]).get(f"{API}/caseload", {"q": "sam\x00"})
    assert (422, "q") == (response.status_code, error_of(response)["field"])
    page = login(Client(), people["own_clinician"]).get("/clinic/", {"q": "sam\x00"})
    assert 200 == page.status_code


@pytest.mark.django_db
def test_a_clinician_without_a_clinic_gets_404() -> None:
    lone = User.objects.create_user("lone@example.org", "x" * 12, time_zone="UTC",
                                    role=User.Role.CLINICIAN)
    assert "not_found" == error_of(bearer(lone).get(f"{API}/caseload"))["code"]


@pytest.mark.django_db
def test_a_patient_who_has_not_consented_gets_403() -> None:
    user = make_user("unconsented@example.org", consent=False)
    response = bearer(user).get(f"{API}/me/plan")
    assert (403, "consent_required") == (response.status_code, error_of(response)["code"])


@pytest.mark.django_db
def test_a_patient_without_a_plan_gets_404_no_plan(new_user: User) -> None:
    for path in ("/me/plan", "/me/today"):
        response = bearer(new_user).get(f"{API}{path}")
        assert (404, "no_plan") == (response.status_code, error_of(response)["code"])


# --- FHIR ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_patients_fhir_bundle_is_theirs_and_recorded_as_an_export(
    owner: User, clinician: User
) -> None:
    bearer(owner).post_json(f"{API}/me/sessions", session_body(today_of(owner)))
    for client, actor in ((bearer(owner), owner), (bearer(clinician), clinician)):
        path = "/me/fhir" if actor is owner else f"/patients/{owner.pk}/fhir"
        response = client.get(f"{API}{path}")
        assert "application/fhir+json" == response["Content-Type"]
        bundle = response.json()
        assert ("Bundle", "transaction") == (bundle["resourceType"], bundle["type"])
        assert "Patient" in {e["resource"]["resourceType"] for e in bundle["entry"]}
        assert AuditEvent.objects.filter(action="export", actor__user=actor,
                                         patient__user=owner, object_type="fhir").exists()


@pytest.mark.django_db
def test_a_fhir_bundle_before_any_program_is_409(new_user: User) -> None:
    response = bearer(new_user).get(f"{API}/me/fhir")
    assert (409, "nothing_to_export") == (response.status_code, error_of(response)["code"])


# --- Reading the plan and today -----------------------------------------------------------


@pytest.mark.django_db
def test_the_plan_lists_every_day_with_its_log(owner: User) -> None:
    client = bearer(owner)
    day = today_of(owner) - timedelta(days=PLAN_DAYS_AGO)
    client.post_json(f"{API}/me/sessions", session_body(day, status="missed"))
    plan = client.get(f"{API}/me/plan").json()
    days = {d["date"]: d for d in plan["days"]}
    assert 12 * 7 == len(plan["days"])
    assert "missed" == days[day.isoformat()]["logged"]
    assert plan["locked"] is False


@pytest.mark.django_db
def test_today_shows_the_session_to_do_then_the_log(patient: User) -> None:
    client = bearer(patient)
    before = client.get(f"{API}/me/today").json()
    assert (today_of(patient).isoformat(), 1) == (before["date"], before["prescription"]["level"])
    assert before["logged"] is None and before["reasons"]
    client.post_json(f"{API}/me/sessions", session_body(today_of(patient)))
    after = client.get(f"{API}/me/today").json()
    assert after["prescription"] is None
    assert "done" == after["logged"]["status"]
    assert after["logged"]["decision"]["decision"] in ("progress", "repeat")


# --- Logs: idempotent by client id --------------------------------------------------------


@pytest.mark.django_db
def test_the_same_log_posted_three_times_makes_one_row(owner: User) -> None:
    client = bearer(owner)
    body = session_body(today_of(owner))
    responses = [client.post_json(f"{API}/me/sessions", body) for _ in range(3)]
    assert [201, 200, 200] == [r.status_code for r in responses]
    assert 1 == len({r.json()["id"] for r in responses})
    assert 1 == SessionLog.objects.filter(client_id=body["client_id"]).count()
    assert 1 == Decision.objects.filter(session_log__client_id=body["client_id"]).count()
    assert responses[0].json() == responses[2].json()


@pytest.mark.django_db
def test_the_same_checkin_posted_three_times_makes_one_row(owner: User) -> None:
    client = bearer(owner)
    body = checkin_body(rest_pain=4)
    responses = [client.post_json(f"{API}/me/checkins", body) for _ in range(3)]
    assert [201, 200, 200] == [r.status_code for r in responses]
    assert 1 == Checkin.objects.filter(patient=owner).count()
    assert 4 == responses[2].json()["rest_pain"]


@pytest.mark.django_db
def test_a_log_keeps_the_engines_decision_and_next_session(owner: User) -> None:
    body = bearer(owner).post_json(f"{API}/me/sessions", session_body(today_of(owner))).json()
    stored = Decision.objects.get(session_log_id=body["id"])
    assert stored.pk == body["decision"]["id"]
    assert stored.next_session == body["decision"]["next_session"]
    assert all(r["rule"] and r["sources"] for r in body["decision"]["reasons"])


@pytest.mark.django_db
def test_a_second_log_for_the_same_date_is_409_naming_the_date(owner: User) -> None:
    client = bearer(owner)
    client.post_json(f"{API}/me/sessions", session_body(today_of(owner)))
    response = client.post_json(f"{API}/me/sessions", session_body(today_of(owner)))
    assert 409 == response.status_code
    assert ("already_logged", "date") == tuple(error_of(response)[k] for k in ("code", "field"))
    assert 1 == SessionLog.objects.filter(patient=owner).count()


@pytest.mark.django_db
def test_another_patients_client_id_is_a_conflict_that_reveals_nothing(
    owner: User, patient: User
) -> None:
    body = session_body(today_of(owner), pain_before=7)
    bearer(owner).post_json(f"{API}/me/sessions", body)
    response = bearer(patient).post_json(f"{API}/me/sessions", body)
    error = error_of(response)
    assert (409, "client_id_taken", "client_id") == (response.status_code, error["code"],
                                                      error["field"])
    assert not SessionLog.objects.filter(patient=patient).exists()


@pytest.mark.django_db
def test_a_red_flag_locks_running_but_a_retry_still_gets_its_row(owner: User) -> None:
    client = bearer(owner)
    body = session_body(today_of(owner), symptoms=["fever_or_unwell"])
    first = client.post_json(f"{API}/me/sessions", body)
    retry = client.post_json(f"{API}/me/sessions", body)
    assert (201, 200) == (first.status_code, retry.status_code)
    assert first.json()["id"] == retry.json()["id"]
    assert RedFlagLock.objects.filter(patient=owner, cleared_at__isnull=True).exists()
    later = client.post_json(f"{API}/me/sessions", session_body(today_of(owner) - timedelta(1)))
    assert (409, "running_locked") == (later.status_code, error_of(later)["code"])
    assert bearer(owner).get(f"{API}/me/today").json()["running_locked"] is True


@pytest.mark.django_db
def test_a_missed_session_needs_no_scores_and_keeps_none(owner: User) -> None:
    body = session_body(today_of(owner), status="missed", pain_before=None, pain_during=9)
    response = bearer(owner).post_json(f"{API}/me/sessions", body)
    assert 201 == response.status_code
    log = SessionLog.objects.get(patient=owner)
    assert (None, None, 0) == (log.pain_during, log.talk_test_ok, log.run_seconds)


@pytest.mark.django_db
def test_a_checkin_gives_yesterdays_session_its_next_morning_pain(owner: User) -> None:
    client = bearer(owner)
    yesterday = today_of(owner) - timedelta(days=1)
    client.post_json(f"{API}/me/sessions", session_body(yesterday))
    response = client.post_json(f"{API}/me/checkins", checkin_body(pain_next_morning=4))
    assert 201 == response.status_code
    assert 4 == SessionLog.objects.get(patient=owner, date=yesterday).pain_next_morning


# --- Concurrency: real threads on PostgreSQL ------------------------------------------------

THREADS = 8


def _race(post: Callable[[ApiClient], Any], clients: list[ApiClient]) -> list[Any]:
    """``post`` from THREADS threads at once, the threads taking turns with ``clients``."""
    barrier = threading.Barrier(THREADS)
    results: list[Any] = []

    def run(client: ApiClient) -> None:
        try:
            barrier.wait()
            results.append(post(client))
        except Exception as error:
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(clients[n % len(clients)],))
               for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["sessions", "checkins"])
def test_two_clients_posting_the_same_log_at_once_make_one_row(kind: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (scripts/with-postgres.sh): SQLite's test database is "
                    "one in-memory connection, so threads would not be concurrent")
    user = make_user("race@example.org")
    make_plan(user)
    body = session_body(today_of(user)) if kind == "sessions" else checkin_body()
    phone, watch = bearer(user), bearer(user)  # two integrations of one person
    results = _race(lambda c: c.post_json(f"{API}/me/{kind}", body), [phone, watch])
    statuses = sorted(getattr(r, "status_code", r) for r in results)
    assert [200] * (THREADS - 1) + [201] == statuses, [getattr(r, "content", r) for r in results]
    model = SessionLog if kind == "sessions" else Checkin
    assert 1 == model.objects.filter(client_id=body["client_id"]).count()
    assert 1 == len({r.json()["id"] for r in results})


# --- Strict input -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field", "code"), [
    ({"pain_during": True}, "pain_during", "invalid"),  # a boolean is not a score
    ({"pain_during": 11}, "pain_during", "invalid"),
    ({"pain_during": -1}, "pain_during", "invalid"),
    ({"pain_during": "3"}, "pain_during", "invalid"),
    ({"pain_during": 3.5}, "pain_during", "invalid"),
    ({"talk_test_ok": 1}, "talk_test_ok", "invalid"),  # a number is not a boolean
    ({"talk_test_ok": "true"}, "talk_test_ok", "invalid"),
    ({"walked_home": 0}, "walked_home", "invalid"),
    ({"other_pain": {"knee": False}}, "other_pain.knee", "invalid"),
    ({"other_pain": {"elbow": 3}}, "other_pain.elbow", "unknown_field"),
    ({"symptoms": ["headache"]}, "symptoms[0]", "invalid"),
    ({"date": 20260302}, "date", "invalid"),
    ({"date": "2026-3-2"}, "date", "invalid"),
    ({"date": "2026-02-30"}, "date", "invalid"),
    ({"client_id": "not-a-uuid"}, "client_id", "invalid"),
    ({"client_id": 12345}, "client_id", "invalid"),
    ({"status": "skipped"}, "status", "invalid"),
    ({"run_seconds": 10801}, "run_seconds", "invalid"),
    ({"pain_before": None}, "pain_before", "required"),
    ({"talk_test_ok": None}, "talk_test_ok", "required"),
    ({"status": "partial"}, "run_seconds", "required"),
    ({"walked_home": True, "pain_during": 5}, "pain_during", "invalid"),
])
def test_a_session_log_with_a_wrong_value_is_a_422_naming_the_field(
    owner: User, change: dict[str, Any], field: str, code: str
) -> None:
    response = bearer(owner).post_json(f"{API}/me/sessions",
                                       session_body(today_of(owner), **change))
    error = error_of(response)
    assert (422, code, field) == (response.status_code, error["code"], error["field"])
    assert not SessionLog.objects.filter(patient=owner).exists()


@pytest.mark.django_db
def test_a_whole_number_written_with_a_point_is_that_integer(owner: User) -> None:
    """JSON Schema's integer includes 3.0 (JSON has one number type)."""
    body = session_body(today_of(owner), pain_during=3.0, run_seconds=120.0)
    response = bearer(owner).post_json(f"{API}/me/sessions", body)
    assert (201, 3, 120) == (response.status_code, response.json()["pain_during"],
                             response.json()["run_seconds"])


@pytest.mark.django_db
def test_a_missing_field_is_a_422_required(owner: User) -> None:
    body = session_body(today_of(owner))
    del body["status"]
    error = error_of(bearer(owner).post_json(f"{API}/me/sessions", body))
    assert ("required", "status") == (error["code"], error["field"])


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "message"), [(1, "future"), (-PLAN_DAYS_AGO - 1, "plan")])
def test_a_date_outside_the_plan_so_far_is_a_422_on_the_date(owner: User, day: int,
                                                             message: str) -> None:
    response = bearer(owner).post_json(
        f"{API}/me/sessions", session_body(today_of(owner) + timedelta(days=day)))
    error = error_of(response)
    assert (422, "date") == (response.status_code, error["field"])
    assert message in error["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["patient_id", "patient", "clinic", "is_staff", "role", "id",
                                   "level", "prescription", "created_at"])
def test_mass_assignment_is_refused_and_stores_nothing(owner: User, patient: User,
                                                       field: str) -> None:
    body = session_body(today_of(owner), **{field: patient.pk})
    response = bearer(owner).post_json(f"{API}/me/sessions", body)
    error = error_of(response)
    assert (422, "unknown_field", field) == (response.status_code, error["code"], error["field"])
    assert not SessionLog.objects.exists()
    checkin = bearer(owner).post_json(f"{API}/me/checkins", checkin_body(**{field: 1}))
    assert (422, field) == (checkin.status_code, error_of(checkin)["field"])


@pytest.mark.django_db
def test_mass_assignment_in_an_upload_is_refused(owner: User, patient: User) -> None:
    response = upload(bearer(owner), recording(owner, today_of(owner)), patient_id=patient.pk)
    assert ("unknown_field", "patient_id") == tuple(error_of(response)[k]
                                                    for k in ("code", "field"))
    assert not ImportedActivity.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field"), [
    ({"rest_pain": True}, "rest_pain"), ({"rest_pain": 11}, "rest_pain"),
    ({"pain_next_morning": False}, "pain_next_morning"), ({"rest_pain": None}, "rest_pain"),
])
def test_a_checkin_with_a_wrong_value_is_a_422_naming_the_field(
    owner: User, change: dict[str, Any], field: str
) -> None:
    response = bearer(owner).post_json(f"{API}/me/checkins", checkin_body(**change))
    assert (422, field) == (response.status_code, error_of(response)["field"])
    assert not Checkin.objects.exists()


# --- The one error shape -----------------------------------------------------------------------


@pytest.mark.django_db
def test_ninjas_own_errors_come_in_the_one_shape(owner: User) -> None:
    client = bearer(owner)
    cases = {
        "malformed": (400, client.post(f"{API}/me/sessions", "{not json",
                                       content_type="application/json")),
        "required": (422, client.post(f"{API}/me/sessions", "",
                                      content_type="application/json")),
        "method_not_allowed": (405, client.delete(f"{API}/me/sessions")),
        "not_found": (404, client.get(f"{API}/me/nothing-here")),
        "unauthenticated": (401, ApiClient().get(f"{API}/me/plan")),
        "invalid": (422, bearer(User.objects.get(email="ep@riverside.example"))
                    .get(f"{API}/alerts", {"status": "everything"})),
    }
    for code, (status, response) in cases.items():
        assert (status, code) == (response.status_code, error_of(response)["code"]), code
    assert 'Bearer realm="backstride"' == cases["unauthenticated"][1]["WWW-Authenticate"]
    assert "POST" == cases["method_not_allowed"][1]["Allow"]


@pytest.mark.django_db
def test_an_unexpected_error_is_a_500_in_the_one_shape_without_a_traceback(
    owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database fell over: secret detail")

    monkeypatch.setattr("backstride.web.api.patients.selectors.today_for", broken)
    response = bearer(owner).get(f"{API}/me/today")
    assert (500, "server_error") == (response.status_code, error_of(response)["code"])
    assert b"secret detail" not in response.content and b"Traceback" not in response.content


# --- Uploads ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_upload_is_imported_then_a_duplicate(owner: User) -> None:
    client = bearer(owner)
    data = recording(owner, today_of(owner))
    first, again = upload(client, data), upload(client, data, name="copy.tcx")
    assert (201, "imported") == (first.status_code, first.json()["result"])
    assert (200, "duplicate") == (again.status_code, again.json()["result"])
    assert again.json()["reason"]
    assert first.json()["activity"]["id"] == again.json()["activity"]["id"]
    assert today_of(owner).isoformat() == first.json()["activity"]["session_date"]
    assert 1 == ImportedActivity.objects.filter(patient=owner).count()


@pytest.mark.django_db
def test_a_file_that_is_not_an_activity_is_rejected_with_the_reason(owner: User) -> None:
    response = upload(bearer(owner), b"PK\x03\x04 not really a zip", name="holiday.zip")
    error = error_of(response)
    assert (422, "rejected", "file") == (response.status_code, error["code"], error["field"])
    assert "holiday.zip" in error["message"]
    assert not ImportedActivity.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]  # no file


@pytest.mark.django_db
@pytest.mark.parametrize("size", [150_000, 400_000])  # over the cap; and over it + overhead
def test_a_file_over_the_size_cap_is_a_413(owner: User, settings: Any, size: int) -> None:
    settings.BACKSTRIDE_UPLOAD_MAX_BYTES = 100_000
    response = upload(bearer(owner), b"<" * size, name="huge.gpx")
    error = error_of(response)
    assert (413, "too_large", "file") == (response.status_code, error["code"], error["field"])
    assert not ImportedActivity.objects.exists()


@pytest.mark.django_db
def test_an_upload_without_a_file_is_a_422_required(owner: User) -> None:
    response = bearer(owner).post(f"{API}/me/activities", {"date": "2026-03-02"})
    assert ("required", "file") == tuple(error_of(response)[k] for k in ("code", "field"))


@pytest.mark.django_db
def test_a_log_without_run_seconds_takes_the_uploaded_running_time(owner: User) -> None:
    client = bearer(owner)
    imported = upload(client, recording(owner, today_of(owner))).json()["activity"]
    log = client.post_json(f"{API}/me/sessions", session_body(today_of(owner))).json()
    assert imported["running_seconds"] == log["run_seconds"]
    assert log["id"] == ImportedActivity.objects.get(pk=imported["id"]).session_log_id


# --- The schema documents every error ------------------------------------------------------


@pytest.mark.django_db
def test_every_operation_documents_its_errors_in_the_one_shape(anonymous: Client) -> None:
    response = anonymous.get(f"{API}/openapi.json")  # public: it holds no data
    assert 200 == response.status_code
    schema = response.json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            label = f"{method.upper()} {path}"
            assert {"401", "404"} <= set(responses), label
            if "requestBody" in operation or operation.get("parameters"):
                assert "422" in responses, label
            if method != "get":
                assert {"400", "403", "413"} <= set(responses), label
            for status, response in responses.items():
                content = response["content"]
                if int(status) >= 400:
                    assert ["application/json"] == list(content), (label, status)
                    assert content["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
                else:
                    schema_of = next(iter(content.values()))["schema"]
                    assert not schema_of.get("$ref", "").endswith("/ErrorOut"), label
