"""Put the open running lock on every page, so the advice banner never goes away."""

from __future__ import annotations

from django.http import HttpRequest

from backstride.web.safety.selectors import red_flag_lock_open


def red_flag_lock(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_patient:
        return {"red_flag_lock": None}
    return {"red_flag_lock": red_flag_lock_open(user)}
