"""Issue #7, authentication: passwords, log-in throttling, two-factor, session lifetime.

Each test names the threat it answers in docs/security.md.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

import backstride.web.settings as live_settings
from backstride.web.accounts import sessions
from backstride.web.accounts.models import User
from backstride.web.accounts.two_factor import backup_code_stored
from tests.web.clinics import CLINICIAN_PASSWORD
from tests.web.conftest import PASSWORD, login
from tests.web.two_factor import authenticator, code_now

pytestmark = pytest.mark.django_db

LOGIN = "accounts:login"


def log_in(client: Client, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(reverse(LOGIN), {"username": email, "password": password}, **extra)


@pytest.fixture(autouse=True)
def _no_code_throttling(settings: Any) -> None:
    """Wrong codes slow the next try by seconds; only the throttling test wants that."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


# --- Passwords ------------------------------------------------------------------------------


def test_argon2_hashes_every_new_password(settings: Any) -> None:
    assert "django.contrib.auth.hashers.Argon2PasswordHasher" == live_settings.PASSWORD_HASHERS[0]
    settings.PASSWORD_HASHERS = live_settings.PASSWORD_HASHERS
    assert make_password("correct-horse-battery-staple").startswith("argon2$argon2id$")


@pytest.mark.parametrize(("password", "why"), [
    ("short-pw1", "at least 10 characters"),
    ("1234567890123", "entirely numeric"),
    ("password1234", "too common"),
    ("newcomer@example.org", "too similar"),
])
def test_sign_up_refuses_a_weak_password(anonymous: Client, password: str, why: str) -> None:
    response = anonymous.post(reverse("accounts:signup"), {
        "email": "newcomer@example.org", "password": password, "time_zone": "Europe/London"})
    assert why in response.content.decode()
    assert not User.objects.filter(email="newcomer@example.org").exists()


# --- Log-in throttling (django-axes) ----------------------------------------------------------


def test_five_failures_lock_that_account_from_that_address_with_a_429(patient: User) -> None:
    client = Client()
    for _ in range(4):
        assert 200 == log_in(client, patient.email, "wrong-password").status_code
    locked = log_in(client, patient.email, "wrong-password")  # the fifth
    assert 429 == locked.status_code
    again = log_in(client, patient.email)  # even the right password, for now
    assert 429 == again.status_code
    assert "Too many failed log-ins for this account" in again.content.decode()
    assert "15 minutes" in again.content.decode()


def test_a_lockout_is_keyed_by_address_so_an_attacker_cannot_lock_the_owner_out(
    patient: User,
) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(6):
        log_in(attacker, patient.email, "guess")
    assert 429 == log_in(attacker, patient.email).status_code
    owner = Client(REMOTE_ADDR="198.51.100.7")
    response = log_in(owner, patient.email)
    assert 302 == response.status_code


def test_changing_the_case_of_the_email_does_not_reset_the_count(patient: User) -> None:
    client = Client()
    for n in range(5):
        log_in(client, patient.email.upper() if n % 2 else patient.email, "guess")
    assert 429 == log_in(client, patient.email.title()).status_code


def test_a_lockout_ends_after_the_cool_off(patient: User, settings: Any) -> None:
    client = Client()
    for _ in range(5):
        log_in(client, patient.email, "guess")
    assert 429 == log_in(client, patient.email).status_code
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time
                                 - timedelta(minutes=16))
    assert 302 == log_in(client, patient.email).status_code


def test_a_failure_during_the_lockout_does_not_extend_it(settings: Any) -> None:
    assert settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is False
    assert [["username", "ip_address"]] == settings.AXES_LOCKOUT_PARAMETERS


# --- Session keys ------------------------------------------------------------------------------


def test_logging_in_gives_the_session_a_new_key(patient: User) -> None:
    client = Client()
    session = client.session
    session["visited"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key
    before = session.session_key
    assert 302 == log_in(client, patient.email).status_code
    assert before != client.cookies["sessionid"].value


def test_passing_the_second_factor_gives_the_session_a_new_key(clinician: User) -> None:
    device = authenticator(clinician)
    client = Client()
    log_in(client, clinician.email, CLINICIAN_PASSWORD)
    before = client.cookies["sessionid"].value
    client.post(reverse("accounts:otp_verify"), {"code": code_now(device)})
    assert before != client.cookies["sessionid"].value


# --- Two-factor: clinicians ------------------------------------------------------------------


def test_a_clinician_without_an_authenticator_is_sent_to_set_one_up(clinician: User) -> None:
    client = Client()
    response = log_in(client, clinician.email, CLINICIAN_PASSWORD)
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html  # the QR code
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/Backstride")
    from backstride.web.accounts.two_factor import secret_text
    assert secret_text(device) in html
    assert 302 == client.get(reverse("caseload:queue")).status_code  # still no patient data


def test_setting_up_confirms_with_a_code_and_shows_ten_backup_codes_once(
    clinician: User,
) -> None:
    client = Client()
    log_in(client, clinician.email, CLINICIAN_PASSWORD)
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=clinician)
    wrong = client.post(reverse("accounts:otp_setup"), {"code": "000000"})
    assert 422 == wrong.status_code
    done = client.post(reverse("accounts:otp_setup"), {"code": code_now(device)})
    assert 200 == done.status_code
    codes = re.findall(r"<li><code>([a-z2-7]{12})</code></li>", done.content.decode())
    stored = set(StaticToken.objects.filter(device__user=clinician)
                 .values_list("token", flat=True))
    assert 10 == len(set(codes)) == len(stored)
    assert stored == {backup_code_stored(code) for code in codes}  # only hashes are kept
    assert not stored & set(codes)
    assert "no-store" in done["Cache-Control"]
    assert 200 == client.get(reverse("caseload:queue")).status_code
    security = client.get(reverse("accounts:security")).content.decode()
    assert not any(code in security for code in codes)  # shown once, never again


def test_a_clinician_with_an_authenticator_types_its_code_after_the_password(
    clinician: User,
) -> None:
    device = authenticator(clinician)
    client = Client()
    response = log_in(client, clinician.email, CLINICIAN_PASSWORD)
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert 302 == client.get(reverse("caseload:queue")).status_code
    bad = client.post(reverse("accounts:otp_verify"), {"code": "123456"})
    assert 422 == bad.status_code and "did not work" in bad.content.decode()
    good = client.post(reverse("accounts:otp_verify"),
                       {"code": code_now(device), "next": reverse("caseload:queue")})
    assert reverse("caseload:queue") == good["Location"]
    assert 200 == client.get(reverse("caseload:queue")).status_code


def test_a_totp_code_works_once(clinician: User) -> None:
    device = authenticator(clinician)
    code = code_now(device)
    first = Client()
    log_in(first, clinician.email, CLINICIAN_PASSWORD)
    assert 302 == first.post(reverse("accounts:otp_verify"), {"code": code}).status_code
    replay = Client()
    log_in(replay, clinician.email, CLINICIAN_PASSWORD)
    refused = replay.post(reverse("accounts:otp_verify"), {"code": code})
    assert 422 == refused.status_code
    assert 302 == replay.get(reverse("caseload:queue")).status_code


def test_a_backup_code_works_once(clinician: User) -> None:
    authenticator(clinician)
    from backstride.web.accounts.two_factor import backup_codes_create
    code = backup_codes_create(user=clinician)[0]
    first = Client()
    log_in(first, clinician.email, CLINICIAN_PASSWORD)
    assert 302 == first.post(reverse("accounts:otp_verify"), {"code": code.upper()}).status_code
    again = Client()
    log_in(again, clinician.email, CLINICIAN_PASSWORD)
    assert 422 == again.post(reverse("accounts:otp_verify"), {"code": code}).status_code
    assert 9 == StaticToken.objects.filter(device__user=clinician).count()


def test_a_stored_backup_code_hash_is_not_a_code(clinician: User) -> None:
    """Someone who read the database (or a backup) cannot log in with what it holds."""
    authenticator(clinician)
    from backstride.web.accounts.two_factor import backup_codes_create
    backup_codes_create(user=clinician)
    stored = list(StaticToken.objects.filter(device__user=clinician)
                  .values_list("token", flat=True))
    client = Client()
    log_in(client, clinician.email, CLINICIAN_PASSWORD)
    # One try (the first is never throttled): refused, and no code was used up.
    assert 422 == client.post(reverse("accounts:otp_verify"), {"code": stored[0]}).status_code
    assert 10 == StaticToken.objects.filter(device__user=clinician).count()
    assert not {backup_code_stored(s) for s in stored} & set(stored)


def test_wrong_codes_slow_down_the_next_tries(clinician: User, settings: Any) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    device = authenticator(clinician)
    client = Client()
    log_in(client, clinician.email, CLINICIAN_PASSWORD)
    client.post(reverse("accounts:otp_verify"), {"code": "000000"})
    refused = client.post(reverse("accounts:otp_verify"), {"code": code_now(device)})
    assert 422 == refused.status_code
    assert "Too many wrong codes" in refused.content.decode()


def test_the_password_alone_cannot_set_up_a_new_authenticator(clinician: User) -> None:
    """Else a stolen password would replace the owner's phone."""
    authenticator(clinician)
    client = Client()
    log_in(client, clinician.email, CLINICIAN_PASSWORD)
    response = client.get(reverse("accounts:otp_setup"))
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert not TOTPDevice.objects.filter(user=clinician, confirmed=False).exists()
    assert 302 == client.post(reverse("accounts:otp_setup"), {"code": "123456"}).status_code


def test_a_clinician_cannot_turn_two_factor_off(clinician: User) -> None:
    client = login(Client(), clinician)
    device = authenticator(clinician)
    assert 404 == client.post(reverse("accounts:otp_disable"),
                              {"code": code_now(device)}).status_code
    assert TOTPDevice.objects.filter(user=clinician, confirmed=True).exists()


# --- Two-factor: patients (offered) ----------------------------------------------------------


def test_a_patient_logs_in_without_a_code_until_they_turn_two_factor_on(patient: User) -> None:
    client = Client()
    assert reverse("home") == log_in(client, patient.email)["Location"]
    assert 200 == client.get(reverse("runlog:today")).status_code
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=patient)
    done = client.post(reverse("accounts:otp_setup"), {"code": code_now(device)})
    assert 200 == done.status_code
    later = Client()
    response = log_in(later, patient.email)
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert 302 == later.get(reverse("runlog:today")).status_code


def test_a_patient_turns_two_factor_off_with_a_current_code(patient: User) -> None:
    from backstride.web.accounts.two_factor import backup_codes_create
    authenticator(patient)
    code = backup_codes_create(user=patient)[0]
    client = Client()
    log_in(client, patient.email)
    client.post(reverse("accounts:otp_verify"), {"code": code})
    assert 422 == client.post(reverse("accounts:otp_disable"), {"code": "000000"}).status_code
    assert TOTPDevice.objects.filter(user=patient).exists()
    device = TOTPDevice.objects.get(user=patient)
    assert 302 == client.post(reverse("accounts:otp_disable"),
                              {"code": code_now(device)}).status_code
    assert not TOTPDevice.objects.filter(user=patient).exists()
    assert reverse("home") == log_in(Client(), patient.email)["Location"]


# --- Session lifetime (frozen clock) ------------------------------------------------------------


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 1_800_000_000.0
        monkeypatch.setattr(sessions, "now", lambda: self.now)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta).total_seconds()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def test_a_clinician_is_logged_out_after_15_idle_minutes(clock: Clock, clinician: User,
                                                          clinic_patient: User) -> None:
    client = login(Client(), clinician)
    url = reverse("caseload:patient", args=[clinic_patient.pk])
    clock.advance(minutes=14)
    assert 200 == client.get(url).status_code
    clock.advance(minutes=14)  # 14 minutes after the last request: still fine
    assert 200 == client.get(url).status_code
    clock.advance(minutes=15, seconds=1)
    response = client.get(url)
    assert response["Location"].startswith(reverse(LOGIN))
    follow = client.get(response["Location"])
    assert "logged out after 15 minutes without activity" in follow.content.decode()
    assert 302 == client.get(url).status_code  # the session is gone


def test_a_patient_stays_signed_in_through_a_long_idle_day(clock: Clock, patient: User) -> None:
    client = login(Client(), patient)
    clock.advance(hours=11, minutes=59)
    assert 200 == client.get(reverse("runlog:today")).status_code
    clock.advance(hours=12, minutes=1)
    assert 302 == client.get(reverse("runlog:today")).status_code


def test_an_active_clinician_session_still_ends_after_12_hours(clock: Clock,
                                                              clinician: User) -> None:
    clinician_client = login(Client(), clinician)
    queue = reverse("caseload:queue")
    for _ in range(12 * 4 - 1):  # a request every 15 minutes for 12 hours
        clock.advance(minutes=14, seconds=59)
        assert 200 == clinician_client.get(queue).status_code
    clock.advance(minutes=16)
    assert 302 == clinician_client.get(queue).status_code


def test_an_active_patient_session_still_ends_after_30_days(clock: Clock,
                                                           patient: User) -> None:
    patient_client = login(Client(), patient)
    for _ in range(60):  # a visit every 11 h 59 min: 719 hours in all
        clock.advance(hours=11, minutes=59)
        assert 200 == patient_client.get(reverse("runlog:today")).status_code
    clock.advance(hours=2)
    assert 302 == patient_client.get(reverse("runlog:today")).status_code


def test_the_queues_background_refresh_is_not_activity(clock: Clock, clinician: User) -> None:
    client = login(Client(), clinician)
    queue = reverse("caseload:queue")
    for _ in range(15):
        clock.advance(minutes=1)
        response = client.get(queue, headers={"HX-Request": "true",
                                               "X-Background-Refresh": "true"})
        assert 200 == response.status_code
    clock.advance(minutes=1)
    expired = client.get(queue, headers={"HX-Request": "true", "X-Background-Refresh": "true"})
    assert 204 == expired.status_code  # htmx: load the log-in page as a whole page
    assert expired["HX-Redirect"].startswith(reverse(LOGIN))


def test_the_limits_come_from_the_environment(settings: Any) -> None:
    assert {"clinician": 15, "patient": 720} == settings.BACKSTRIDE_IDLE_MINUTES
    assert {"clinician": 12, "patient": 720} == settings.BACKSTRIDE_SESSION_HOURS
    settings.BACKSTRIDE_IDLE_MINUTES = {"clinician": 5, "patient": 60}
    assert (300.0, 12 * 3600.0) == sessions.limits_for("clinician")


# --- Password change ---------------------------------------------------------------------------


def test_changing_the_password_ends_every_other_session(patient: User) -> None:
    here, elsewhere = login(Client(), patient), login(Client(), patient)
    response = here.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "a-new-long-passphrase",
        "new_password2": "a-new-long-passphrase"})
    assert reverse("accounts:security") == response["Location"]
    assert 200 == here.get(reverse("runlog:today")).status_code
    assert elsewhere.get(reverse("runlog:today"))["Location"].startswith(reverse(LOGIN))


def test_the_new_password_must_pass_the_validators(patient: User) -> None:
    client = login(Client(), patient)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "short", "new_password2": "short"})
    assert 200 == response.status_code
    assert "at least 10 characters" in response.content.decode()


def test_backup_codes_stored_in_clear_before_are_hashed_by_the_migration(
        clinician: User) -> None:
    import importlib

    from django.apps import apps
    from django_otp.plugins.otp_static.models import StaticDevice

    migration = importlib.import_module(
        "backstride.web.accounts.migrations.0002_hash_backup_codes")
    device = StaticDevice.objects.create(user=clinician, name="Backup codes", confirmed=True)
    old = StaticToken.objects.create(device=device, token="abcd2345")  # as django-otp made them
    new = StaticToken.objects.create(device=device, token=backup_code_stored("x" * 12))
    migration.hash_codes(apps, None)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (backup_code_stored("abcd2345"), backup_code_stored("x" * 12)) == (old.token,
                                                                              new.token)
