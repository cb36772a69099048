"""Reads for messages: a thread, and unread counts for the navigation."""

from __future__ import annotations

from django.db.models import Count, F, Q

from backstride.web.accounts.models import User
from backstride.web.caseload.models import Enrolment
from backstride.web.messaging.models import Message


def thread(patient: User) -> list[Message]:
    return list(Message.objects.filter(patient=patient).select_related("sender"))


def unread_for_patient(patient: User) -> int:
    return Message.objects.filter(patient=patient, read_at__isnull=True).exclude(
        sender=patient).count()


def navigation_for(user: User) -> dict[str, object]:
    """Whether the user has a thread, and how many unread messages wait: one query."""
    if user.is_patient:
        row = Enrolment.objects.filter(patient=user).annotate(
            unread=Count("patient__thread_messages", filter=Q(
                patient__thread_messages__read_at__isnull=True) & ~Q(
                patient__thread_messages__sender=user)),
        ).values("unread").first()
        return {"nav_enrolled": row is not None, "nav_unread": row["unread"] if row else 0}
    unread = Message.objects.filter(
        patient__enrolment__clinic__memberships__clinician=user, sender=F("patient"),
        read_at__isnull=True).count()
    return {"nav_enrolled": False, "nav_unread": unread}
