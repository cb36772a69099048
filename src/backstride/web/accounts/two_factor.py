"""Two-factor log-in (django-otp): required for clinicians, offered to patients.

After the password, a person who needs a second factor is signed in but not
*verified*. :class:`TwoFactorMiddleware` sends such a session to the code
step (or, for a clinician with no authenticator yet, to setting one up) from
every page but those in ``OPEN_VIEWS``: so no view can forget it, and a
clinician sees no patient data before the code. A patient needs the code
once they have turned two-factor on (``SESSION_REQUIRED``, set at log-in).

Codes: a TOTP code from an authenticator app (each accepted once: django-otp
remembers the last time step used, under a row lock), or one of ten backup
codes (static tokens, each deleted when used, shown only once). Wrong codes
slow down exponentially (``OTP_TOTP_THROTTLE_FACTOR``).

A backup code is kept only as a hash (:func:`backup_code_stored`), like a
password: someone reading the database, or a backup of it, cannot log in with
what they read. The codes carry 60 random bits, so an unsalted SHA-256 is
enough (nobody can try 2^60 codes against a hash), and nothing depends on the
secret key (rotating it must not lock a clinician out).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import segno
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, verify_token
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from backstride.web.accounts.models import User
from backstride.web.api.errors import error_response

SESSION_REQUIRED = "backstride_otp_required"
BACKUP_CODES = 10
BACKUP_CODE_CHARS = 12  # base32: 60 random bits
TOTP_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"
# Reachable before the code: logging in and out, the code steps, public pages.
OPEN_VIEWS = frozenset({
    "accounts:login", "accounts:logout", "accounts:otp_verify", "accounts:otp_setup",
    "education:cards", "education:sources",
})


# --- Who needs a code -----------------------------------------------------------------


def has_device(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def required_for(user: User) -> bool:
    """Clinicians always; anyone else once they have an authenticator."""
    return user.role == User.Role.CLINICIAN or has_device(user)


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: User,
                      **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_REQUIRED] = required_for(user)


def pending(request: HttpRequest) -> bool:
    """Signed in with the password, but still owing the second factor."""
    user = request.user
    if not user.is_authenticated or verified(user):
        return False
    return user.role == User.Role.CLINICIAN or bool(request.session.get(SESSION_REQUIRED))


def verified(user: Any) -> bool:
    """Whether this session passed a second factor (OTPMiddleware's ``is_verified``; a user
    object fresh from ``login()`` has not)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def step_url(request: HttpRequest, next_url: str = "") -> str | None:
    """Where the session must go first (set-up or code step), or ``None``."""
    if not pending(request):
        return None
    name = "accounts:otp_verify" if has_device(request.user) else "accounts:otp_setup"
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return reverse(name) + query


class TwoFactorMiddleware:
    """Send a session that owes its second factor to the code step, from every view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any,
                     kwargs: Any) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.view_name in OPEN_VIEWS or not pending(request):
            return None
        request.audit_exempt = True  # type: ignore[attr-defined]  # nothing was shown
        if request.path_info.startswith("/api/"):  # the API's one error shape (api.errors)
            return error_response(403, "second_factor_required",
                                  "Enter your two-factor code in the app first.")
        next_url = request.get_full_path() if request.method == "GET" else ""
        return redirect(step_url(request, next_url) or reverse("accounts:otp_verify"))


# --- Verifying a code -------------------------------------------------------------------


def normalise(code: str) -> str:
    return "".join(code.split()).lower()


def code_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts ``code`` (then used up), or ``None``.

    Backup codes are compared by hash: the typed code is hashed, so a stored hash
    typed in as a code is just another wrong code.
    """
    token = normalise(code)
    for device in devices_for_user(user, confirmed=True):
        typed = backup_code_stored(token) if isinstance(device, StaticDevice) else token
        verified = verify_token(user, device.persistent_id, typed)
        if verified is not None:
            return verified
    return None


def throttled(user: User) -> bool:
    """Whether wrong codes have paused the authenticator for now."""
    return any(not d.verify_is_allowed()[0]
               for d in TOTPDevice.objects.filter(user=user, confirmed=True))


def second_factor_login(request: HttpRequest, device: Device) -> None:
    """Mark the session verified by ``device``, under a new session key."""
    otp_login(request, device)
    request.session.cycle_key()
    request.session[SESSION_REQUIRED] = True


# --- Setting up, backup codes, turning off ---------------------------------------------


def totp_device_pending(user: User) -> TOTPDevice:
    """The authenticator being set up (the same one until confirmed, so a reload keeps
    the QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def totp_device_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the new authenticator with its first code; it replaces any older one.

    Returns fresh backup codes (to show once), or ``None`` for a wrong code.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if not device.verify_token(normalise(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        return backup_codes_create(user=user)


def backup_codes_create(*, user: User) -> list[str]:
    """Ten new single-use backup codes, replacing any earlier ones (only their hashes kept)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
        codes = [backup_code_new() for _ in range(BACKUP_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=backup_code_stored(c))
                                        for c in codes)
    return codes


def backup_code_new() -> str:
    """12 characters of base32 (60 random bits), lower case, as people type them."""
    return base64.b32encode(secrets.token_bytes(8)).decode().lower()[:BACKUP_CODE_CHARS]


def backup_code_stored(code: str) -> str:
    """What the database keeps of a backup code: the first 16 hex digits of its SHA-256
    (``StaticToken.token`` holds 16 characters; 64 bits of hash for 60 bits of code)."""
    return hashlib.sha256(normalise(code).encode()).hexdigest()[:16]


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_disable(*, request: HttpRequest) -> None:
    """A patient turns two-factor off (the view has checked a current code)."""
    user = request.user
    if user.role == User.Role.CLINICIAN:
        raise PermissionError("clinicians cannot turn two-factor off")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[SESSION_REQUIRED] = False
    user.otp_device = None


def secret_text(device: TOTPDevice) -> str:
    """The key as authenticator apps take it typed in: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// link as a QR code, an SVG ``data:`` URI (CSP allows img data:)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))
