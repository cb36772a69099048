"""Who is calling, and what they may do: decided before any input is read.

Two ways in, tried in this order:

* ``Authorization: Bearer bks_...``: a personal access token (integrations).
  A token that is wrong, revoked or expired is a 401 at once; it never falls
  back to the browser session. A ``read`` token cannot write: any unsafe
  method is a 403.
* The browser session (the web app's own cookie), with Django's CSRF check for
  unsafe methods: a page's script sends ``X-CSRFToken``.

Then the role, part of the same step: patient endpoints (``/me/...``) are a
404 for anyone who is not a patient, clinician endpoints a 404 for anyone who
is not a clinician in a clinic, as the pages do (a 404 never confirms what
exists). A patient who has not agreed to the current consent text gets a 403.
Because ninja runs authentication before it validates the input, a caller
without the right credentials or role learns nothing from a 422 either.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from backstride.web.accounts.models import User
from backstride.web.accounts.selectors import consent_current
from backstride.web.api.errors import ApiError
from backstride.web.api.services import TokenRefused, token_authenticate
from backstride.web.caseload.models import Clinic, ClinicMembership

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
Role = Callable[[HttpRequest, User], User]


def patient_role(request: HttpRequest, user: User) -> User:
    if not user.is_patient:
        raise Http404
    if consent_current(user) is None:
        raise ApiError(403, "consent_required",
                       _("Agree to the current consent text in the app first."))
    return user


def clinician_role(request: HttpRequest, user: User) -> User:
    membership = None
    if user.role == User.Role.CLINICIAN:
        membership = (ClinicMembership.objects.select_related("clinic")
                      .filter(clinician=user).first())
    if membership is None:
        raise Http404
    request.clinic = membership.clinic  # type: ignore[attr-defined]
    return user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: a personal access token."""

    def __init__(self, role: Role) -> None:
        self.role = role
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> User:
        try:
            access = token_authenticate(token)
        except TokenRefused as refused:
            raise ApiError(401, refused.code, refused.message) from None
        request.access_token = access  # type: ignore[attr-defined]
        request.user = access.user  # everything downstream sees who it is
        user = self.role(request, access.user)
        if request.method not in SAFE_METHODS and not access.can_write:
            raise ApiError(403, "insufficient_scope",
                           _("This token may only read. Make a token with write access."))
        return user


class BrowserSession(APIKeyCookie):
    """The web app's session cookie; unsafe methods need the CSRF token too."""

    def __init__(self, role: Role) -> None:
        self.role = role
        self.param_name = settings.SESSION_COOKIE_NAME  # read at start-up, not import
        super().__init__(csrf=False)  # checked below, once we know who it is (else a 401)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if not request.user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise ApiError(403, "csrf_failed", _("The CSRF check failed: send the X-CSRFToken "
                                                  "header with the csrftoken cookie's value."))
        return self.role(request, request.user)  # type: ignore[arg-type]


def patients() -> list[TokenAuth | BrowserSession]:
    """The credentials of the ``/me/...`` endpoints."""
    return [TokenAuth(patient_role), BrowserSession(patient_role)]


def clinicians() -> list[TokenAuth | BrowserSession]:
    """The credentials of the clinician endpoints."""
    return [TokenAuth(clinician_role), BrowserSession(clinician_role)]


def patient_of(request: HttpRequest) -> User:
    """The calling patient (already checked by the credentials)."""
    return request.auth  # type: ignore[attr-defined,no-any-return]


def clinician_of(request: HttpRequest) -> tuple[User, Clinic]:
    """The calling clinician and their clinic (already checked by the credentials)."""
    return request.auth, request.clinic  # type: ignore[attr-defined]
