"""Writes for accounts: sign-up and consent."""

from __future__ import annotations

from django.db import transaction

from backstride.web.accounts import consent
from backstride.web.accounts.models import Consent, User


def user_signup(*, email: str, password: str, time_zone: str) -> User:
    """Create a patient account (passwords are validated by the form before this)."""
    with transaction.atomic():
        user = User(email=User.objects.normalize_email(email).lower(), time_zone=time_zone,
                    role=User.Role.PATIENT)
        user.set_password(password)
        user.full_clean()
        user.save()
    return user


def consent_accept(*, user: User, version: str = consent.CURRENT_VERSION) -> Consent:
    """Record that ``user`` agreed to ``version`` now; agreeing twice keeps the first time."""
    with transaction.atomic():
        record, _created = Consent.objects.get_or_create(user=user, version=version)
    return record
