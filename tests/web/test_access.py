"""The access-control sweep: every URL pattern, found by walking the resolver.

A new URL is covered the moment it is added: it is either listed as public
here, or it must refuse an anonymous visitor (redirect to log in) and, when it
names an object, answer 404 to another patient. A URL with a path parameter
this file does not know how to fill fails the sweep until someone adds it.

Clinician pages (``caseload:``) are swept with the clinic personas: the
patient's own clinician opens every one, another clinic's clinician gets a
404 for every one that names a patient's object, and every patient gets a 404
for all of them. No patient page ever shows a clinician's note.

The JSON API (``/api/v1/``) is swept by operation, enumerated from its OpenAPI
schema: each must be classified in ``API_OPERATIONS`` (patient or clinician),
refuses an anonymous caller with a 401, is a 404 for the other role, and a
clinician operation that names a patient's object is a 404 to another clinic.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from backstride.web.accounts.models import User
from backstride.web.activities.models import ImportedActivity
from backstride.web.alerts.models import Alert
from backstride.web.api import v1
from backstride.web.api.models import AccessToken
from backstride.web.programs.models import PlanDay, Screening
from backstride.web.runlog.models import Decision
from backstride.web.safety.models import RedFlagLock
from tests.web.api_clients import ApiClient, bearer, error_of
from tests.web.conftest import login

PUBLIC = {
    "home",  # the welcome page for visitors; patients are sent on to their next step
    "accounts:signup",
    "accounts:login",
    "accounts:logout",
    "education:cards",
    "education:sources",
    "exports:calendar_feed",  # no log-in: the token is the key (see TOKEN_PROTECTED)
    "join",  # an invitation link: the token is the key; anyone may open it to sign up
}

# Public URLs whose only key is an unguessable token in the path: a wrong token is a 404.
TOKEN_PROTECTED = {
    ("exports:calendar_feed", "token"),
    ("join", "token"),
}
CLINICIAN_PAGES = "caseload:"  # every URL in this namespace is for clinicians only

# Path parameters that are not object ids: a fixed valid value.
PLAIN_PARAMETERS = {
    ("programs:screening_step", "step"): "about",
    ("exports:workout_week", "week"): 1,
    # A questionnaire of an O-SCHED week is the signed-in patient's own (no object id).
    ("outcomes:answer", "key"): "pain",
    ("outcomes:answer", "week"): 0,
}


def _owned_object_ids(owner: User) -> dict[tuple[str, str], int]:
    """For each (url name, parameter) that names an object: the id of ``owner``'s object."""
    activity = ImportedActivity.objects.filter(patient=owner).first().pk
    return {
        ("programs:screening_result", "pk"): Screening.objects.filter(patient=owner).first().pk,
        ("runlog:decision", "pk"): Decision.objects.filter(patient=owner).first().pk,
        ("activities:detail", "pk"): activity,
        ("tokens:revoke", "pk"): AccessToken.objects.filter(user=owner).first().pk,
        ("activities:original", "pk"): activity,
        ("exports:workout", "pk"): PlanDay.objects.filter(
            plan__patient=owner, plan__is_current=True, kind=PlanDay.Kind.RUN_WALK).first().pk,
        **_clinic_object_ids(owner),
    }


def _clinic_object_ids(owner: User) -> dict[tuple[str, str], int]:
    """The clinician pages' ids for ``owner`` (the ``clinic_patient`` persona)."""
    alert = Alert.objects.filter(patient=owner).first()
    lock = RedFlagLock.objects.filter(patient=owner).first()
    ids = {(name, "patient_id"): owner.pk for name, params in all_url_names()
           if name.startswith(CLINICIAN_PAGES) and "patient_id" in params}
    if lock is not None:
        ids[("caseload:lock_clear", "lock_id")] = lock.pk
    if alert is not None:
        ids[("caseload:alert_acknowledge", "alert_id")] = alert.pk
        ids[("caseload:alert_resolve", "alert_id")] = alert.pk
    return ids


def _patient_pages() -> list[tuple[str, tuple[str, ...]]]:
    return [(n, p) for n, p in all_url_names() if not n.startswith(CLINICIAN_PAGES)]


def _clinician_pages() -> list[tuple[str, tuple[str, ...]]]:
    return [(n, p) for n, p in all_url_names() if n.startswith(CLINICIAN_PAGES)]


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry, namespace)
        elif entry.name:
            yield f"{prefix}{entry.name}", entry


def all_url_names() -> list[tuple[str, tuple[str, ...]]]:
    """Every named URL with its path parameter names (the API's are swept by operation)."""
    return sorted({(name, tuple(p.pattern.converters)) for name, p in _patterns(get_resolver())
                   if not name.startswith(f"{v1.NAMESPACE}:")})


def _url(name: str, params: tuple[str, ...], ids: dict[tuple[str, str], int]) -> str:
    kwargs: dict[str, Any] = {}
    for param in params:
        key = (name, param)
        if key in PLAIN_PARAMETERS:
            kwargs[param] = PLAIN_PARAMETERS[key]
        elif key in ids:
            kwargs[param] = ids[key]
        else:
            pytest.fail(f"{name} has a parameter {param!r} the access sweep cannot fill: add it "
                        "to _owned_object_ids (an object id) or PLAIN_PARAMETERS")
    return reverse(name, kwargs=kwargs)


def _names_objects(name: str, params: tuple[str, ...]) -> bool:
    return any((name, p) not in PLAIN_PARAMETERS and (name, p) not in TOKEN_PROTECTED
               for p in params)


def test_the_sweep_finds_the_patient_pages() -> None:
    """Guard against a sweep that silently checks nothing."""
    names = {name for name, _ in all_url_names()}
    assert {"runlog:today", "programs:plan", "runlog:decision", "runlog:progress"} <= names
    assert {"caseload:queue", "caseload:patient", "caseload:override",
            "caseload:alert_resolve"} <= names


@pytest.mark.django_db
def test_every_private_page_sends_an_anonymous_visitor_to_log_in(
    anonymous: Client, clinic_patient: User
) -> None:
    ids = _owned_object_ids(clinic_patient)
    login_url = reverse("accounts:login")
    for name, params in all_url_names():
        if name in PUBLIC:
            continue
        url = _url(name, params, ids)
        for method in ("get", "post"):
            response = getattr(anonymous, method)(url)
            assert response.status_code == 302, f"{method.upper()} {url} ({name})"
            assert response["Location"].startswith(login_url), f"{url} ({name})"


@pytest.mark.django_db
def test_no_page_shows_a_patient_another_patients_object(
    patient: User, clinic_patient: User
) -> None:
    client = login(Client(), patient)
    ids = _owned_object_ids(clinic_patient)
    for name, params in all_url_names():
        if not _names_objects(name, params):
            continue
        url = _url(name, params, ids)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, f"{method.upper()} {url} ({name})"


@pytest.mark.django_db
def test_the_owner_can_open_each_of_those_objects(other_patient: User) -> None:
    """The 404s above are about ownership, not broken pages."""
    client = login(Client(), other_patient)
    ids = _owned_object_ids(other_patient)
    for name, params in _patient_pages():
        if _names_objects(name, params):
            url = _url(name, params, ids)
            assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_every_page_without_an_object_answers_a_patient_without_error(patient: User) -> None:
    client = login(Client(), patient)
    for name, params in _patient_pages():
        if _names_objects(name, params) or name == "accounts:logout" or name in _TOKEN_NAMES:
            continue
        response = client.get(_url(name, params, {}))
        assert response.status_code in (200, 302), f"{name}: {response.status_code}"


@pytest.mark.django_db
def test_public_pages_open_for_a_visitor(anonymous: Client) -> None:
    for name in PUBLIC - {"accounts:logout"} - _TOKEN_NAMES:
        assert anonymous.get(reverse(name)).status_code == 200, name


_TOKEN_NAMES = {name for name, _param in TOKEN_PROTECTED}


@pytest.mark.django_db
def test_a_token_protected_url_answers_a_wrong_token_with_404(
    anonymous: Client, other_patient: User
) -> None:
    for name, param in TOKEN_PROTECTED:
        for token in ("wrong", "x" * 43):
            url = reverse(name, kwargs={param: token})
            assert anonymous.get(url).status_code == 404, url
            assert login(Client(), other_patient).get(url).status_code == 404, url


@pytest.mark.django_db
def test_a_clinician_account_cannot_open_patient_pages() -> None:
    clinician = User.objects.create_user("doc@example.org", "x" * 12, time_zone="UTC",
                                         role=User.Role.CLINICIAN)
    client = login(Client(), clinician)
    assert client.get(reverse("runlog:today")).status_code == 404


# --- Clinician pages --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_own_clinician_opens_every_clinician_page(clinician: User,
                                                      clinic_patient: User) -> None:
    client = login(Client(), clinician)
    ids = _owned_object_ids(clinic_patient)
    for name, params in _clinician_pages():
        url = _url(name, params, ids)
        assert client.get(url).status_code == 200, f"{url} ({name})"


@pytest.mark.django_db
def test_another_clinics_clinician_gets_404_for_every_patient_url(
    other_clinician: User, clinic_patient: User
) -> None:
    client = login(Client(), other_clinician)
    ids = _owned_object_ids(clinic_patient)
    checked = 0
    for name, params in _clinician_pages():
        if not _names_objects(name, params):
            continue
        url = _url(name, params, ids)
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"note": "x", "body": "x", "reason": "x"})
            assert response.status_code == 404, f"{method.upper()} {url} ({name})"
        checked += 1
    assert checked >= 8  # patient, override, notes, clearance, lock, messages, AE, alerts


@pytest.mark.django_db
def test_another_clinics_clinician_sees_none_of_our_patients_in_lists(
    other_clinician: User, clinic_patient: User
) -> None:
    client = login(Client(), other_clinician)
    for name, params in _clinician_pages():
        if params:
            continue
        for query in ("", "?scope=clinic"):
            html = client.get(reverse(name) + query).content.decode()
            assert clinic_patient.email not in html, name
            assert reverse("caseload:patient", args=[clinic_patient.pk]) not in html, name


@pytest.mark.django_db
def test_every_clinician_page_is_a_404_for_a_patient(patient: User,
                                                     clinic_patient: User) -> None:
    ids = _owned_object_ids(clinic_patient)
    for person in (patient, clinic_patient):  # another patient, and the patient themself
        client = login(Client(), person)
        for name, params in _clinician_pages():
            url = _url(name, params, ids)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code == 404, f"{person}: {method.upper()} {url}"


@pytest.mark.django_db
def test_no_patient_page_shows_a_clinicians_note(clinic_patient: User) -> None:
    client = login(Client(), clinic_patient)
    ids = _owned_object_ids(clinic_patient)
    for name, params in _patient_pages():
        if name in ("accounts:logout", *_TOKEN_NAMES):
            continue
        response = client.get(_url(name, params, ids), follow=True)
        body = (b"".join(response.streaming_content) if response.streaming
                else response.content)
        assert b"watch the knee" not in body, name


# --- API operations ------------------------------------------------------------------------

API_PATIENT = "patient"  # /me/...: the caller's own data; a 404 for every other role
API_CLINICIAN = "clinician"  # the clinic's patients; a 404 for every other role
API_OPERATIONS = {
    ("GET", "/api/v1/me/plan"): API_PATIENT,
    ("GET", "/api/v1/me/today"): API_PATIENT,
    ("POST", "/api/v1/me/sessions"): API_PATIENT,
    ("POST", "/api/v1/me/checkins"): API_PATIENT,
    ("POST", "/api/v1/me/activities"): API_PATIENT,
    ("GET", "/api/v1/me/fhir"): API_PATIENT,
    ("GET", "/api/v1/caseload"): API_CLINICIAN,
    ("GET", "/api/v1/alerts"): API_CLINICIAN,
    ("GET", "/api/v1/alerts/{alert_id}"): API_CLINICIAN,
    ("GET", "/api/v1/patients/{patient_id}/fhir"): API_CLINICIAN,
}
# Parameters (path or query) that name a patient's object: filled with the
# ``clinic_patient`` persona's. Any other path parameter fails the sweep.
API_OBJECT_PARAMETERS = {
    "alert_id": lambda owner: Alert.objects.filter(patient=owner).first().pk,
    "patient": lambda owner: owner.pk,
    "patient_id": lambda owner: owner.pk,
}


def api_operations() -> list[tuple[str, str, dict[str, str]]]:
    """Every operation in the API's schema: method, path, and its parameters (name: in)."""
    schema = v1.api.get_openapi_schema()
    return sorted((method.upper(), path, {p["name"]: p["in"] for p in op.get("parameters", [])})
                  for path, operations in schema["paths"].items()
                  for method, op in operations.items())


def _api_url(path: str, params: dict[str, str], owner: User | None) -> tuple[str, dict[str, Any]]:
    """The URL and query of an operation, its object parameters naming ``owner``'s objects."""
    query: dict[str, Any] = {}
    for name, where in params.items():
        if name not in API_OBJECT_PARAMETERS:
            if where == "path":
                pytest.fail(f"{path} has a path parameter {name!r} the access sweep cannot "
                            "fill: add it to API_OBJECT_PARAMETERS")
            continue
        value = API_OBJECT_PARAMETERS[name](owner) if owner is not None else 1
        if where == "path":
            path = path.replace(f"{{{name}}}", str(value))
        else:
            query[name] = value
    return path, query


def _api_call(client: Client, method: str, path: str, query: dict[str, Any]) -> Any:
    if method == "GET":
        return client.get(path, query)
    return client.generic(method, path + ("?" + urlencode(query) if query else ""), b"{}",
                          content_type="application/json")


def _names_api_objects(params: dict[str, str]) -> bool:
    return any(name in API_OBJECT_PARAMETERS for name in params)


def test_every_api_operation_is_classified() -> None:
    found = {(method, path) for method, path, _params in api_operations()}
    unclassified = sorted(found - set(API_OPERATIONS))
    assert [] == unclassified, "classify each in API_OPERATIONS (who may call it)"
    assert set(API_OPERATIONS) == found  # and nothing listed that no longer exists


def test_the_api_schema_shows_every_route_ninja_serves() -> None:
    """An operation left out of the schema (include_in_schema=False) would escape the sweep."""
    names = {name for name, _p in _patterns(get_resolver())
             if name.startswith(f"{v1.NAMESPACE}:")}
    served = names - {f"{v1.NAMESPACE}:openapi-json", f"{v1.NAMESPACE}:api-root"}
    assert len(served) == len({path for _m, path, _p in api_operations()})


@pytest.mark.django_db
def test_every_api_operation_refuses_an_anonymous_caller(clinic_patient: User) -> None:
    for method, path, params in api_operations():
        url, query = _api_url(path, params, clinic_patient)
        for client in (ApiClient(), ApiClient(enforce_csrf_checks=True)):
            response = _api_call(client, method, url, query)
            assert 401 == response.status_code, f"{method} {url}"
            assert "unauthenticated" == error_of(response)["code"], f"{method} {url}"


@pytest.mark.django_db
def test_every_api_operation_is_a_404_for_the_other_role(
    patient: User, clinician: User, clinic_patient: User
) -> None:
    callers = {API_PATIENT: [bearer(clinician), bearer(clinician, scope="read")],
               API_CLINICIAN: [bearer(patient), bearer(clinic_patient),
                               login(ApiClient(), patient)]}
    for method, path, params in api_operations():
        url, query = _api_url(path, params, clinic_patient)
        for client in callers[API_OPERATIONS[(method, path)]]:
            response = _api_call(client, method, url, query)
            assert 404 == response.status_code, f"{method} {url}"
            assert "not_found" == error_of(response)["code"]


@pytest.mark.django_db
def test_every_clinician_api_operation_answers_the_own_clinician(
    clinician: User, clinic_patient: User
) -> None:
    client = bearer(clinician, scope="read")
    for method, path, params in api_operations():
        if API_OPERATIONS[(method, path)] == API_CLINICIAN:
            url, query = _api_url(path, params, clinic_patient)
            assert 200 == _api_call(client, method, url, query).status_code, f"{method} {url}"


@pytest.mark.django_db
def test_every_patient_api_read_answers_the_patient(other_patient: User) -> None:
    for client in (bearer(other_patient, scope="read"), login(ApiClient(), other_patient)):
        for method, path, params in api_operations():
            if API_OPERATIONS[(method, path)] == API_PATIENT and method == "GET":
                url, query = _api_url(path, params, other_patient)
                assert 200 == _api_call(client, method, url, query).status_code, url


@pytest.mark.django_db
def test_clinician_api_operations_naming_an_object_are_404_for_another_clinic(
    other_clinician: User, clinic_patient: User
) -> None:
    client = bearer(other_clinician)
    checked = 0
    for method, path, params in api_operations():
        if API_OPERATIONS[(method, path)] != API_CLINICIAN or not _names_api_objects(params):
            continue
        url, query = _api_url(path, params, clinic_patient)
        response = _api_call(client, method, url, query)
        assert 404 == response.status_code, f"{method} {url} {query}"
        checked += 1
    assert checked >= 3  # an alert by id, a patient's alerts, a patient's FHIR bundle


# --- Issue #7: the second factor and private caching, on every page ----------------------


@pytest.mark.django_db
@pytest.mark.parametrize("has_authenticator", [False, True], ids=["no-device", "device"])
def test_a_clinician_who_has_not_passed_the_second_factor_gets_no_clinician_page(
    clinician: User, clinic_patient: User, has_authenticator: bool,
) -> None:
    from backstride.web.audit.models import AuditEvent
    from tests.web.two_factor import authenticator

    if has_authenticator:
        authenticator(clinician)
    step = reverse("accounts:otp_verify" if has_authenticator else "accounts:otp_setup")
    client = login(Client(), clinician, second_factor=False)
    ids = _owned_object_ids(clinic_patient)
    before = AuditEvent.objects.filter(actor__user=clinician).count()
    for name, params in _clinician_pages():
        url = _url(name, params, ids)
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"note": "x", "body": "x", "reason": "x"})
            assert response.status_code == 302, f"{method.upper()} {url} ({name})"
            assert response["Location"].startswith(step), f"{url} ({name})"
            assert clinic_patient.email.encode() not in response.content
    assert before == AuditEvent.objects.filter(actor__user=clinician).count()  # nothing shown


@pytest.mark.django_db
def test_every_signed_in_page_tells_browsers_and_proxies_not_to_store_it(
    clinician: User, clinic_patient: User,
) -> None:
    ids = _owned_object_ids(clinic_patient)
    checked = 0
    for person, pages in ((clinic_patient, _patient_pages()), (clinician, _clinician_pages())):
        client = login(Client(), person)
        for name, params in pages:
            if name in ("accounts:logout", *_TOKEN_NAMES):
                continue
            response = client.get(_url(name, params, ids))
            if response.status_code == 200:
                assert "no-store" in response.get("Cache-Control", ""), name
                checked += 1
    assert checked >= 25
