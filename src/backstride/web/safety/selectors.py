"""Reads for the running lock."""

from __future__ import annotations

from backstride.web.accounts.models import User
from backstride.web.safety.models import RedFlagLock


def red_flag_lock_open(patient: User) -> RedFlagLock | None:
    """The most serious open lock (emergency before doctor), or ``None``."""
    locks = list(RedFlagLock.objects.filter(patient=patient, cleared_at__isnull=True))
    locks.sort(key=lambda lock: (lock.advice != RedFlagLock.Advice.EMERGENCY, -lock.pk))
    return locks[0] if locks else None
