"""Personal access tokens and the browser session: scopes, revocation, expiry, the hash at
rest, CSRF, and the account page that makes and revokes tokens."""

from __future__ import annotations

import io
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.api.models import AccessToken
from backstride.web.api.services import token_create, token_revoke
from backstride.web.runlog.models import SessionLog
from tests.web.api_clients import API, ApiClient, bearer, error_of, session_body
from tests.web.conftest import login


def _with(raw: str) -> ApiClient:
    return ApiClient(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _log(client: ApiClient, user: User) -> Any:
    return client.post_json(f"{API}/me/sessions", session_body(local_today(user.time_zone)))


@pytest.mark.django_db
def test_a_read_token_reads_but_cannot_write(patient: User) -> None:
    client = bearer(patient, scope="read")
    assert 200 == client.get(f"{API}/me/plan").status_code
    response = _log(client, patient)
    assert (403, "insufficient_scope") == (response.status_code, error_of(response)["code"])
    assert not SessionLog.objects.exists()


@pytest.mark.django_db
def test_a_read_token_gets_403_before_its_body_is_even_read(patient: User) -> None:
    response = bearer(patient, scope="read").post(f"{API}/me/sessions", "{not json",
                                                  content_type="application/json")
    assert (403, "insufficient_scope") == (response.status_code, error_of(response)["code"])


@pytest.mark.django_db
def test_a_write_token_writes(patient: User) -> None:
    assert 201 == _log(bearer(patient, scope="write"), patient).status_code


@pytest.mark.django_db
def test_a_revoked_token_is_refused(patient: User) -> None:
    created = token_create(user=patient, name="sync", scope="write")
    assert 200 == _with(created.raw).get(f"{API}/me/plan").status_code
    token_revoke(token=created.token)
    response = _with(created.raw).get(f"{API}/me/plan")
    error = error_of(response)
    assert (401, "invalid_token") == (response.status_code, error["code"])
    assert "revoked" in error["message"]


@pytest.mark.django_db
def test_an_expired_token_is_refused(patient: User) -> None:
    created = token_create(user=patient, name="sync", scope="read",
                           expires_at=timezone.now() + timedelta(days=30))
    assert 200 == _with(created.raw).get(f"{API}/me/plan").status_code
    AccessToken.objects.filter(pk=created.token.pk).update(expires_at=timezone.now())
    response = _with(created.raw).get(f"{API}/me/plan")
    assert (401, "invalid_token") == (response.status_code, error_of(response)["code"])
    assert "expired" in error_of(response)["message"]


@pytest.mark.django_db
def test_the_raw_token_is_nowhere_in_the_database(patient: User) -> None:
    created = token_create(user=patient, name="sync", scope="write")
    _with(created.raw).get(f"{API}/me/plan")  # used once, so "last used" is written too
    secret = created.raw.split("_", 2)[2]
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert created.token.prefix in dump.getvalue()  # the dump did include the token row
    assert secret not in dump.getvalue()
    assert created.raw not in dump.getvalue()
    assert 64 == len(AccessToken.objects.get().digest)


@pytest.mark.django_db
@pytest.mark.parametrize("header", [
    "Bearer bks_nothere_" + "x" * 43,  # an unknown prefix
    "Bearer not-a-backstride-token",
    "Bearer ",
])
def test_a_token_that_is_not_one_of_ours_is_401(patient: User, header: str) -> None:
    response = ApiClient(HTTP_AUTHORIZATION=header).get(f"{API}/me/plan")
    assert 401 == response.status_code
    assert error_of(response)["code"] in ("invalid_token", "unauthenticated")


@pytest.mark.django_db
def test_a_real_prefix_with_a_wrong_secret_is_401(patient: User) -> None:
    created = token_create(user=patient, name="sync", scope="write")
    forged = created.raw[: -4] + "AAAA"
    response = _with(forged).get(f"{API}/me/plan")
    assert (401, "The token is not valid.") == (response.status_code,
                                                error_of(response)["message"])


@pytest.mark.django_db
def test_an_invalid_token_never_falls_back_to_the_session(patient: User) -> None:
    client = login(ApiClient(HTTP_AUTHORIZATION="Bearer bks_00000000_wrong"), patient)
    assert 401 == client.get(f"{API}/me/plan").status_code


@pytest.mark.django_db
def test_a_token_of_a_disabled_account_is_refused(patient: User) -> None:
    client = bearer(patient)
    User.objects.filter(pk=patient.pk).update(is_active=False)
    assert 401 == client.get(f"{API}/me/plan").status_code


@pytest.mark.django_db
def test_using_a_token_records_when_it_was_last_used(patient: User) -> None:
    created = token_create(user=patient, name="sync", scope="read")
    assert created.token.last_used_at is None
    _with(created.raw).get(f"{API}/me/plan")
    assert AccessToken.objects.get().last_used_at is not None


# --- The browser session --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_browser_session_reads_and_needs_csrf_to_write(patient: User) -> None:
    client = login(ApiClient(enforce_csrf_checks=True), patient)
    assert 200 == client.get(f"{API}/me/plan").status_code
    refused = _log(client, patient)
    assert (403, "csrf_failed") == (refused.status_code, error_of(refused)["code"])
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf = "a" * 32
    body = session_body(local_today(patient.time_zone))
    accepted = client.post_json(f"{API}/me/sessions", body, HTTP_X_CSRFTOKEN=csrf)
    assert 201 == accepted.status_code
    assert 1 == SessionLog.objects.filter(patient=patient).count()


@pytest.mark.django_db
def test_an_anonymous_post_is_401_not_a_csrf_error(anonymous: Client) -> None:
    response = ApiClient(enforce_csrf_checks=True).post_json(f"{API}/me/sessions", {})
    assert (401, "unauthenticated") == (response.status_code, error_of(response)["code"])


@pytest.mark.django_db
def test_a_bearer_token_needs_no_csrf(patient: User) -> None:
    client = bearer(patient)
    client.handler.enforce_csrf_checks = True
    assert 201 == _log(client, patient).status_code


@pytest.mark.django_db
def test_a_clinician_session_owing_its_second_factor_gets_403_in_the_one_shape(
    clinician: User
) -> None:
    client = login(ApiClient(), clinician, second_factor=False)
    response = client.get(f"{API}/caseload")
    assert (403, "second_factor_required") == (response.status_code, error_of(response)["code"])
    assert 200 == login(ApiClient(), clinician).get(f"{API}/caseload").status_code


@pytest.mark.django_db
def test_an_expired_browser_session_gets_401_in_the_one_shape(
    patient: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = login(ApiClient(), patient)
    assert 200 == client.get(f"{API}/me/plan").status_code
    later = time.time() + 31 * 24 * 3600  # past the patient's absolute session limit
    monkeypatch.setattr("backstride.web.accounts.sessions.now", lambda: later)
    response = client.get(f"{API}/me/plan")
    assert (401, "session_expired") == (response.status_code, error_of(response)["code"])


# --- The token page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_token_page_shows_a_new_token_once(patient_client: Client) -> None:
    url = reverse("tokens:list")
    response = patient_client.post(url, {"name": "watch sync", "scope": "write",
                                         "expires": "90"})
    token = AccessToken.objects.get()
    html = response.content.decode()
    raw = html.split('id="new-token">', 1)[1].split("<", 1)[0]
    assert raw.startswith(f"bks_{token.prefix}_")
    assert "no-store" == response["Cache-Control"]
    assert 200 == _with(raw).get(f"{API}/me/plan").status_code
    assert raw not in patient_client.get(url).content.decode()  # shown only that once
    assert token.expires_at is not None and token.can_write


@pytest.mark.django_db
def test_a_token_without_a_name_is_not_made(patient_client: Client) -> None:
    response = patient_client.post(reverse("tokens:list"), {"scope": "read", "expires": "30"})
    assert 422 == response.status_code
    assert not AccessToken.objects.exists()


@pytest.mark.django_db
def test_revoking_from_the_page_stops_the_token(patient: User, patient_client: Client) -> None:
    created = token_create(user=patient, name="old sync", scope="read")
    url = reverse("tokens:revoke", args=[created.token.pk])
    assert 200 == patient_client.get(url).status_code  # asks first
    assert 200 == _with(created.raw).get(f"{API}/me/plan").status_code
    assert 302 == patient_client.post(url).status_code
    assert 401 == _with(created.raw).get(f"{API}/me/plan").status_code


@pytest.mark.django_db
def test_a_clinician_makes_a_token_for_the_caseload(clinician: User) -> None:
    client = login(Client(), clinician)
    response = client.post(reverse("tokens:list"), {"name": "clinic system", "scope": "read",
                                                    "expires": "never"})
    raw = response.content.decode().split('id="new-token">', 1)[1].split("<", 1)[0]
    assert 200 == _with(raw).get(f"{API}/caseload").status_code
    assert AccessToken.objects.get().expires_at is None


@pytest.mark.django_db
def test_each_token_is_different(patient: User) -> None:
    raws = {token_create(user=patient, name=str(uuid.uuid4()), scope="read").raw
            for _ in range(5)}
    assert 5 == len(raws)
