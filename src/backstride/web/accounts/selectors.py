"""Reads for accounts."""

from __future__ import annotations

from backstride.web.accounts import consent
from backstride.web.accounts.models import Consent, User


def consent_current(user: User) -> Consent | None:
    """The user's consent to the current version of the text, if given."""
    return Consent.objects.filter(user=user, version=consent.CURRENT_VERSION).first()
