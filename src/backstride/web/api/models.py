"""Personal access tokens: how an integration (a sync tool, a clinic's system) calls the API.

A token reads ``bks_<prefix>_<secret>``. The secret is 32 random bytes and is
shown once, when the token is made; only its SHA-256 is stored, next to the
short public ``prefix`` that finds the row. A fast hash is enough here (unlike
a password): a 256-bit random secret cannot be guessed from its digest.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="access_tokens")
    name = models.CharField(_("name"), max_length=100,
                            help_text=_("What the token is for, e.g. 'watch sync'."))
    prefix = models.CharField(max_length=16, unique=True, help_text=_("Public; finds the row."))
    digest = models.CharField(max_length=64, help_text=_("SHA-256 of the secret, hex."))
    scope = models.CharField(_("access"), max_length=8, choices=Scope, default=Scope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.user} token {self.prefix} ({self.name})"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE

    def expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def active(self, now: datetime | None = None) -> bool:
        return self.revoked_at is None and not self.expired(now)
