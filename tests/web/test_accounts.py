"""Sign up, log in, log out, consent."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from backstride.web.accounts import consent
from backstride.web.accounts.models import Consent, User
from tests.web.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_signing_up_creates_a_patient_in_their_time_zone_and_asks_for_consent() -> None:
    client = Client()
    response = client.post(reverse("accounts:signup"), {
        "email": "Runner@Example.org", "password": PASSWORD, "time_zone": "Australia/Melbourne",
    })
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:consent")
    user = User.objects.get()
    assert (user.email, user.role, user.time_zone) == (
        "runner@example.org", User.Role.PATIENT, "Australia/Melbourne")
    assert user.password.startswith("md5$")  # the test hasher; Argon2 in settings


def test_argon2_is_the_first_password_hasher() -> None:
    from backstride.web import settings

    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_a_rejected_sign_up_keeps_what_was_typed_and_says_why() -> None:
    response = Client().post(reverse("accounts:signup"), {
        "email": "runner@example.org", "password": "12345", "time_zone": "Nowhere/City",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="runner@example.org"' in html
    assert "This password is too short" in html
    assert "Select a valid choice" in html
    assert not User.objects.exists()


def test_an_email_can_have_only_one_account() -> None:
    make_user("taken@example.org")
    response = Client().post(reverse("accounts:signup"), {
        "email": "TAKEN@example.org", "password": PASSWORD, "time_zone": "UTC",
    })
    assert "already exists" in response.content.decode()


def test_logging_in_with_a_wrong_password_explains_it() -> None:
    make_user("pat@example.org")
    response = Client().post(reverse("accounts:login"), {
        "username": "pat@example.org", "password": "wrong password"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_logging_in_and_out() -> None:
    make_user("pat@example.org")
    client = Client()
    response = client.post(reverse("accounts:login"), {
        "username": "pat@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("runlog:today")).status_code == 302  # back to log in


def test_screening_waits_for_consent_and_consent_returns_to_it() -> None:
    user = make_user("new@example.org", consent=False)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("programs:screening_start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:consent"))
    response = client.post(response["Location"], {"agree": "on", "next": "/screening/"})
    assert response["Location"] == "/screening/"
    record = Consent.objects.get(user=user)
    assert record.version == consent.CURRENT_VERSION
    assert record.accepted_at is not None
    assert client.get(reverse("programs:screening_start")).status_code == 200


def test_consent_must_be_ticked() -> None:
    user = make_user("new@example.org", consent=False)
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:consent"), {})
    assert "Tick the box to agree" in response.content.decode()
    assert not Consent.objects.exists()


def test_consent_never_redirects_off_site() -> None:
    user = make_user("new@example.org", consent=False)
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:consent"),
                           {"agree": "on", "next": "https://evil.example/"})
    assert response["Location"] == reverse("programs:screening_start")
