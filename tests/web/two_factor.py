"""Two-factor helpers for tests: a confirmed authenticator, its current code, a verified session.

Clinicians must pass a second factor before any page (issue #7), so the
``login`` helper in conftest.py marks a clinician's test session as verified
by a real confirmed TOTP device, exactly as ``django_otp.login`` would.
"""

from __future__ import annotations

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from backstride.web.accounts.models import User


def authenticator(user: User) -> TOTPDevice:
    """The user's confirmed authenticator app (made on first use)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


def code_now(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code the authenticator shows now (or at ``at``, seconds since the epoch)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def pass_second_factor(client: Client, user: User) -> TOTPDevice:
    device = authenticator(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
