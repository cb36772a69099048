"""Template flags for the account: whether the session still owes its second factor."""

from __future__ import annotations

from django.http import HttpRequest

from backstride.web.accounts import two_factor


def second_factor(request: HttpRequest) -> dict[str, bool]:
    """``otp_pending``: the navigation stays hidden until the code is typed."""
    user = getattr(request, "user", None)
    return {"otp_pending": user is not None and two_factor.pending(request)}
