"""Writes for personal access tokens: make one, revoke it, check a presented one.

The raw token leaves this module exactly once, as the return value of
``token_create``; nothing stores it (not the database, not the session, not a
log line).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backstride.web.accounts.models import User
from backstride.web.api.models import AccessToken

PREFIX = "bks"
SECRET_BYTES = 32
LAST_USED_EVERY = timedelta(minutes=1)  # at most one write per token a minute for "last used"


@dataclass(frozen=True)
class Created:
    """A new token and its raw value, to show once."""

    token: AccessToken
    raw: str


class TokenRefused(Exception):
    """A presented token is not (or no longer) valid; ``code`` and ``message`` say why."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, user: User, name: str, scope: str,
                 expires_at: datetime | None = None) -> Created:
    """Make a token for ``user``; the raw value is in the result and nowhere else."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    for _attempt in range(5):  # a prefix collision is rare (32 bits) but possible
        token = AccessToken(user=user, name=name.strip(), prefix=secrets.token_hex(4),
                            digest=digest_of(secret), scope=scope, expires_at=expires_at)
        token.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                token.save()
        except IntegrityError:
            continue
        return Created(token, f"{PREFIX}_{token.prefix}_{secret}")
    raise RuntimeError("could not find a free token prefix")


def token_revoke(*, token: AccessToken, now: datetime | None = None) -> AccessToken:
    """Revoke ``token`` from now on (revoking twice keeps the first time)."""
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str, *, now: datetime | None = None) -> AccessToken:
    """The token ``raw`` stands for, with its user; ``TokenRefused`` when it is not usable.

    Expired and revoked are told apart only once the secret matched, so a
    guess learns nothing about which prefixes exist.
    """
    now = now or timezone.now()
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise TokenRefused("invalid_token", _("The token is not a Backstride access token."))
    token = AccessToken.objects.select_related("user").filter(prefix=parts[1]).first()
    expected = token.digest if token is not None else digest_of("")
    if not hmac.compare_digest(expected, digest_of(parts[2])) or token is None:
        raise TokenRefused("invalid_token", _("The token is not valid."))
    if token.revoked_at is not None:
        raise TokenRefused("invalid_token", _("The token was revoked."))
    if token.expired(now):
        raise TokenRefused("invalid_token", _("The token has expired."))
    if not token.user.is_active:
        raise TokenRefused("invalid_token", _("The account of this token is disabled."))
    _mark_used(token, now)
    return token


def _mark_used(token: AccessToken, now: datetime) -> None:
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now

