"""Audit rows, and the parties they name.

An :class:`AuditEvent` is written once and never changed: ``save()`` refuses
anything but an insert, ``delete()`` refuses, and so do the queryset's
``update()`` and ``delete()``; on PostgreSQL a trigger refuses UPDATE and
DELETE to the database role too (migration 0002).

Rows do not point at accounts. They point at an :class:`AuditParty`, which
points at the account while it exists. Erasing an account (or
``audit_pseudonymise``) unlinks the party: every row stays as it was, and
now names a random pseudonym instead of a person. So the audit table itself
never needs an UPDATE, not even for erasure.
"""

from __future__ import annotations

import secrets
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditImmutableError(Exception):
    """An attempt to change or delete an audit row."""


def new_pseudonym() -> str:
    """A random reference (``P-`` and 16 hex digits): nothing derived from the account."""
    return f"P-{secrets.token_hex(8)}"


class AuditParty(models.Model):
    """Someone audit rows name: an account while it exists, then only a pseudonym."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="audit_party")
    pseudonym = models.CharField(max_length=24, unique=True, default=new_pseudonym,
                                 editable=False)
    role = models.CharField(max_length=16, help_text=_("The account's role when first named."))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    pseudonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "audit_party"

    def __str__(self) -> str:
        return str(self.user) if self.user_id else self.pseudonym


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit rows cannot be updated")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AuditImmutableError("audit rows cannot be deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit rows cannot be updated")


class AuditEvent(models.Model):
    """One read or write of a patient's health data (UTC time, actor, IP)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        LIST = "list", _("Listed")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported or downloaded")

    at = models.DateTimeField(default=timezone.now, editable=False)
    actor = models.ForeignKey(AuditParty, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="acted", help_text=_("Empty: the system itself, "
                                                                "or a link's token holder."))
    action = models.CharField(max_length=16, choices=Action)
    patient = models.ForeignKey(AuditParty, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="audited",
                                help_text=_("Empty: a page listing several patients."))
    object_type = models.CharField(max_length=100, blank=True,
                                   help_text=_("app.model, or page for a page as a whole."))
    object_id = models.CharField(max_length=100, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True,
                            help_text=_("Method and path, without the query string."))

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        db_table = "audit_event"
        ordering = ("-at", "-pk")
        indexes = (models.Index(fields=["patient", "-at"], name="audit_by_patient"),
                   models.Index(fields=["actor", "-at"], name="audit_by_actor"))

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_id} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutableError("audit rows cannot be updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit rows cannot be deleted")
