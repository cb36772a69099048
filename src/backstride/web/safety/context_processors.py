"""Put the open running lock on every page, so the advice banner never goes away."""

from __future__ import annotations

from django.http import HttpRequest

from backstride.core.triage import ADVICE, Outcome
from backstride.web.safety.models import RedFlagLock
from backstride.web.safety.selectors import red_flag_lock_open

# The banner repeats the engine's own advice for the outcome the lock stands for.
_ADVICE = {
    RedFlagLock.Advice.EMERGENCY: ADVICE[Outcome.EMERGENCY],
    RedFlagLock.Advice.DOCTOR: ADVICE[Outcome.URGENT_REVIEW],
}


def red_flag_lock(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_patient:
        return {"red_flag_lock": None}
    lock = red_flag_lock_open(user)
    return {"red_flag_lock": lock, "red_flag_advice": _ADVICE[lock.advice] if lock else ()}
