"""Session lifetime: a new key at log-in, an idle limit and an absolute limit by role.

A clinician is signed out after 15 minutes without a request and 12 hours
after logging in; a patient after 12 hours idle and 30 days (settings,
``BACKSTRIDE_IDLE_MINUTES`` and ``BACKSTRIDE_SESSION_HOURS``). The caseload
queue refreshes itself every minute: such a background refresh (it sends
``X-Background-Refresh``) is checked against the limits but does not count
as activity, or an open queue would never time out.

Django's ``login()`` already gives the session a new key (no fixation); a
password change keeps the current session (``update_session_auth_hash``)
and ends every other one, whose stored password hash no longer matches.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from backstride.web.api.errors import error_response

STARTED = "backstride_auth_at"
SEEN = "backstride_seen_at"
SEEN_GRANULARITY = 30.0  # seconds: write the session at most this often for activity
BACKGROUND_HEADER = "X-Background-Refresh"


def now() -> float:
    """The clock (seconds since the epoch); tests freeze it."""
    return time.time()


def limits_for(role: str) -> tuple[float, float]:
    """(idle, absolute) limits in seconds for an account of ``role``."""
    idle = settings.BACKSTRIDE_IDLE_MINUTES.get(role, settings.BACKSTRIDE_IDLE_MINUTES["patient"])
    hours = settings.BACKSTRIDE_SESSION_HOURS.get(role,
                                                  settings.BACKSTRIDE_SESSION_HOURS["patient"])
    return idle * 60.0, hours * 3600.0


def session_started(request: HttpRequest) -> None:
    """Mark the moment of log-in (``user_logged_in`` calls this)."""
    moment = now()
    request.session[STARTED] = moment
    request.session[SEEN] = moment


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        session_started(request)


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            expired = _expired(request)
            if expired is not None:
                return _sign_out(request, expired)
        return self.get_response(request)


def _expired(request: HttpRequest) -> str | None:
    """``"idle"`` or ``"absolute"`` when a limit has passed; notes activity otherwise."""
    session, moment = request.session, now()
    started = session.setdefault(STARTED, moment)
    seen = session.get(SEEN, started)
    idle, absolute = limits_for(request.user.role)
    if moment - started > absolute:
        return "absolute"
    if moment - seen > idle:
        return "idle"
    background = request.headers.get(BACKGROUND_HEADER) == "true"
    if not background and moment - seen >= SEEN_GRANULARITY:
        session[SEEN] = moment
    return None


def _sign_out(request: HttpRequest, why: str) -> HttpResponse:
    role = request.user.role
    idle_minutes = int(limits_for(role)[0] // 60)
    logout(request)
    request.audit_exempt = True  # type: ignore[attr-defined]  # nothing was shown
    if request.path_info.startswith("/api/"):  # a 401 in the API's one error shape
        return error_response(401, "session_expired", _("Your session has ended: sign in again."))
    messages.info(request, _("You were logged out after %(n)d minutes without activity. Log in "
                             "again to carry on.") % {"n": idle_minutes} if why == "idle" else
                  _("You were logged out: a session lasts a limited time. Log in again to "
                    "carry on."))
    login_url = reverse(settings.LOGIN_URL)
    if request.method == "GET":
        login_url += "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request") == "true":  # htmx: reload the whole page
        response = HttpResponse(status=204)
        response["HX-Redirect"] = login_url
        return response
    return redirect(login_url)
