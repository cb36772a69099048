"""Put the open running lock on every page, so the advice banner never goes away."""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from backstride.core.triage import ADVICE, Outcome
from backstride.web.safety.models import RedFlagLock
from backstride.web.safety.selectors import red_flag_lock_open

# The banner repeats the engine's own advice for the outcome the lock stands for.
_ADVICE = {
    RedFlagLock.Advice.EMERGENCY: ADVICE[Outcome.EMERGENCY],
    RedFlagLock.Advice.DOCTOR: ADVICE[Outcome.URGENT_REVIEW],
}


def red_flag_banner(lock: RedFlagLock | None) -> dict[str, object]:
    """The banner's context for ``lock``: a view that has the lock already passes this."""
    return {"red_flag_lock": lock, "red_flag_advice": _ADVICE[lock.advice] if lock else ()}


def red_flag_lock(request: HttpRequest) -> dict[str, object]:
    """The banner's context, read when a template first uses it.

    Lazy, so a view that passes the lock itself (the today page) costs no query.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_patient:
        return red_flag_banner(None)
    banner = cache(lambda: red_flag_banner(red_flag_lock_open(user)))
    return {name: SimpleLazyObject(lambda name=name: banner()[name])
            for name in ("red_flag_lock", "red_flag_advice")}
