"""Writes for the running lock."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from backstride.core import vocab
from backstride.web.accounts.models import User
from backstride.web.safety.models import RedFlagLock


def red_flag_lock_create(
    *, patient: User, symptoms: Iterable[str], rules: Iterable[str], source: str
) -> RedFlagLock:
    """Lock running now. Cauda equina symptoms mean emergency advice, others a doctor."""
    symptoms = sorted(set(symptoms))
    advice = (
        RedFlagLock.Advice.EMERGENCY
        if any(s in vocab.CAUDA_EQUINA for s in symptoms)
        else RedFlagLock.Advice.DOCTOR
    )
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
    return lock


def red_flag_lock_clear(*, lock: RedFlagLock, clinician: User, note: str) -> RedFlagLock:
    """A clinician clears a lock (the clinician pages are a later issue)."""
    with transaction.atomic():
        lock = RedFlagLock.objects.select_for_update().get(pk=lock.pk)
        lock.cleared_at = timezone.now()
        lock.cleared_by = clinician
        lock.clearance_note = note
        lock.full_clean()
        lock.save()
    return lock
