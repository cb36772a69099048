"""Writes for messages: send into a patient's thread, mark the other side's as read."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backstride.web.accounts.models import User
from backstride.web.audit.services import Action, audit_record
from backstride.web.caseload.models import Enrolment
from backstride.web.messaging.models import MAX_LENGTH, Message


def message_send(*, patient: User, sender: User, body: str) -> Message:
    """``sender`` (the patient, or a clinician of their clinic) writes into the thread.

    The caller has scoped ``patient`` to ``sender`` (``patient_for_clinician``
    for clinicians); this checks the patient has a clinic to write to.
    """
    text = body.strip()
    if not text:
        raise ValidationError({"body": _("Write a message first.")})
    if len(text) > MAX_LENGTH:
        raise ValidationError({"body": _("Keep it under %(n)d characters.") % {"n": MAX_LENGTH}})
    if not Enrolment.objects.filter(patient=patient).exists():
        raise ValidationError({"body": _("There is no clinic to write to.")})
    with transaction.atomic():
        message = Message(patient=patient, sender=sender, body=text)
        message.full_clean()
        message.save()
        audit_record(actor=sender, action=Action.CREATE, patient=patient, obj=message)
    return message


def thread_mark_read(*, patient: User, reader: User, now: datetime | None = None) -> int:
    """Mark the messages the other side sent as read by ``reader``; returns how many."""
    unread = Message.objects.filter(patient=patient, read_at__isnull=True)
    unread = (unread.exclude(sender=patient) if reader.pk == patient.pk
              else unread.filter(sender=patient))
    return unread.update(read_at=now or timezone.now())
