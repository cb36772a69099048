"""The unread-message count in the navigation, for patients in a clinic and clinicians."""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from backstride.web.messaging.selectors import navigation_for


def navigation(request: HttpRequest) -> dict[str, object]:
    """``nav_enrolled`` and ``nav_unread``, read (one query) when a template first uses them.

    Lazy, so a view that passes them itself (the today page) costs no query.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_enrolled": False, "nav_unread": 0}
    found = cache(lambda: navigation_for(user))
    return {name: SimpleLazyObject(lambda name=name: found()[name])
            for name in ("nav_enrolled", "nav_unread")}
