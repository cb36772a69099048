"""The unread-message count in the navigation, for patients in a clinic and clinicians."""

from __future__ import annotations

from django.http import HttpRequest

from backstride.web.messaging.selectors import navigation_for


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_enrolled": False, "nav_unread": 0}
    return navigation_for(user)
