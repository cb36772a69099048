"""The audit trail in Django's admin, if a deployment installs it: read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backstride.web.audit.models import AuditEvent, AuditParty


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "patient", "object_type", "object_id", "ip")
    list_filter = ("action",)
    date_hierarchy = "at"


@admin.register(AuditParty)
class AuditPartyAdmin(ReadOnlyAdmin):
    list_display = ("pseudonym", "role", "user", "created_at", "pseudonymised_at")
