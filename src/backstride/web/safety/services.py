"""Writes for the running lock."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from backstride.core import vocab
from backstride.web.accounts.models import User
from backstride.web.audit.services import Action, audit_record, current_actor
from backstride.web.safety.models import RedFlagLock


def red_flag_lock_create(
    *, patient: User, symptoms: Iterable[str], rules: Iterable[str], source: str
) -> RedFlagLock:
    """Lock running now. Cauda equina symptoms mean emergency advice, others a doctor."""
    symptoms = sorted(set(symptoms))
    advice = advice_for(symptoms)
    with transaction.atomic():
        open_locks = RedFlagLock.objects.select_for_update().filter(
            patient=patient, cleared_at__isnull=True, advice=advice
        )
        for lock in open_locks:
            if set(symptoms) <= set(lock.symptoms):
                return lock  # already locked for exactly this: do not pile up rows
        lock = RedFlagLock(patient=patient, advice=advice, symptoms=symptoms,
                           rules=sorted(set(rules)), source=source)
        lock.full_clean()
        lock.save()
        audit_record(actor=current_actor(patient), action=Action.CREATE, patient=patient,
                     obj=lock)
    return lock


def advice_for(symptoms: Iterable[str]) -> str:
    """Cauda equina symptoms mean the emergency department; other red flags a doctor."""
    if any(s in vocab.CAUDA_EQUINA for s in symptoms):
        return RedFlagLock.Advice.EMERGENCY
    return RedFlagLock.Advice.DOCTOR


def red_flag_lock_clear(*, lock: RedFlagLock, clinician: User, note: str) -> RedFlagLock:
    """A clinician clears a lock (``caseload.services.red_flag_lock_lift`` checks why)."""
    with transaction.atomic():
        lock = RedFlagLock.objects.select_for_update().get(pk=lock.pk)
        lock.cleared_at = timezone.now()
        lock.cleared_by = clinician
        lock.clearance_note = note
        lock.full_clean()
        lock.save()
        audit_record(actor=clinician, action=Action.UPDATE, patient=lock.patient, obj=lock)
    return lock
