"""Issue #7, transport and headers: the deploy check, CSP with nonces, HSTS, cookies, caching."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from backstride.web.accounts.models import User
from tests.web.conftest import login
from tests.web.test_settings import load

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-" + "".join(chr(33 + (n * 7) % 90) for n in range(60))


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BACKSTRIDE_", "DJANGO_")) and k != "DATABASE_URL"}
    return {**env, "BACKSTRIDE_DEBUG": "0", "BACKSTRIDE_SECRET_KEY": STRONG_KEY,
            "BACKSTRIDE_HTTPS": "1", "BACKSTRIDE_ALLOWED_HOSTS": "backstride.example",
            "BACKSTRIDE_VAR_DIR": str(tmp_path)}


def test_production_settings_pass_the_deploy_check_with_no_issue(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(tmp_path), capture_output=True, text=True, timeout=120,
        check=False)
    assert 0 == done.returncode, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_production_cookies_are_host_prefixed_and_secure(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    settings = load(monkeypatch, tmp_path, BACKSTRIDE_DEBUG="0", BACKSTRIDE_SECRET_KEY=STRONG_KEY)
    assert ("__Host-sessionid", "__Host-csrftoken") == (settings.SESSION_COOKIE_NAME,
                                                        settings.CSRF_COOKIE_NAME)
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert (None, None) == (getattr(settings, "SESSION_COOKIE_DOMAIN", None),
                            getattr(settings, "CSRF_COOKIE_DOMAIN", None))
    assert settings.SECURE_HSTS_SECONDS >= 31_536_000
    assert settings.SECURE_HSTS_INCLUDE_SUBDOMAINS and settings.SECURE_HSTS_PRELOAD
    assert settings.SECURE_SSL_REDIRECT


@pytest.fixture
def https(settings: Any) -> Any:
    """The production security settings, on the test server, over HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "__Host-sessionid", "__Host-csrftoken"
    return settings


def test_http_is_sent_to_https_and_https_carries_the_security_headers(
    https: Any, anonymous: Client, patient: User,
) -> None:
    plain = anonymous.get(reverse("accounts:login"))
    assert 301 == plain.status_code and plain["Location"].startswith("https://")
    response = Client().get(reverse("accounts:login"), secure=True)
    assert "max-age=31536000; includeSubDomains; preload" == response[
        "Strict-Transport-Security"]
    assert "nosniff" == response["X-Content-Type-Options"]
    assert "same-origin" == response["Referrer-Policy"]
    assert "DENY" == response["X-Frame-Options"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_the_session_and_csrf_cookies_are_host_prefixed_over_https(https: Any,
                                                                   patient: User) -> None:
    client = Client()
    page = client.get(reverse("accounts:login"), secure=True)
    csrf = page.cookies["__Host-csrftoken"]
    response = client.post(reverse("accounts:login"), {
        "username": patient.email, "password": "correct-horse-battery-staple",
        "csrfmiddlewaretoken": csrf.value}, secure=True)
    session = response.cookies["__Host-sessionid"]
    for cookie in (csrf, session):
        assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]
    assert session["httponly"] and session["samesite"] == "Lax"


NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")


def csp_of(response: Any) -> str:
    return str(response["Content-Security-Policy"])


@pytest.mark.parametrize("who", ["clinician", "patient"])
def test_every_script_carries_the_responses_own_nonce(who: str, clinician: User,
                                                      clinic_patient: User, patient: User,
                                                      ) -> None:
    """The queue loads htmx, the timer its module (``patient``'s plan runs today)."""
    url, user = ((reverse("caseload:queue"), clinician) if who == "clinician"
                 else (reverse("runlog:timer"), patient))
    client = login(Client(), user)
    first, second = client.get(url), client.get(url)
    assert 200 == first.status_code, first.get("Location")
    nonces = [NONCE.search(csp_of(r)) for r in (first, second)]
    assert all(nonces) and nonces[0].group(1) != nonces[1].group(1)  # type: ignore[union-attr]
    html = first.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    executable = [s for s in scripts if 'type="application/json"' not in s]
    assert executable
    for tag in executable:
        assert f'nonce="{nonces[0].group(1)}"' in tag, tag  # type: ignore[union-attr]


def test_the_policy_allows_no_inline_script_or_style_and_no_framing(patient: User) -> None:
    policy = csp_of(login(Client(), patient).get(reverse("runlog:today")))
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "'strict-dynamic'" in directives["script-src"]
    assert "'self'" == directives["style-src"]
    assert "'none'" == directives["frame-ancestors"] == directives["object-src"]
    assert "'none'" == directives["base-uri"]


def test_a_page_without_scripts_sends_no_nonce(anonymous: Client) -> None:
    assert not NONCE.search(csp_of(anonymous.get(reverse("accounts:login"))))
