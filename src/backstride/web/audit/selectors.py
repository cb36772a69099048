"""Reads of the audit trail: a patient's access history, for their clinicians."""

from __future__ import annotations

from django.db.models import QuerySet

from backstride.web.accounts.models import User
from backstride.web.audit.models import AuditEvent

HISTORY_ROWS = 500  # the page shows the latest rows; older ones stay in the table


def access_history(patient: User, *, limit: int = HISTORY_ROWS) -> QuerySet[AuditEvent]:
    """Who read or changed ``patient``'s data, newest first."""
    return (AuditEvent.objects.filter(patient__user=patient)
            .select_related("actor__user").order_by("-at", "-pk")[:limit])
