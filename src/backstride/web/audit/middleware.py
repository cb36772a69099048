"""The fallback that makes an audit row for any signed-in page nobody recorded.

Scoped helpers and services record precise rows (which patient, which
object). This middleware opens the request's audit scope, writes the reads
those helpers noted once the response is ready, and, when nothing was recorded
at all on a page outside ``UNAUDITED``, writes one row naming the page: the
signed-in patient's own data, or the patient the URL's ``patient_id`` names
(a clinician's page that names no patient, such as the queue, is a ``list``
row). So a new view that forgets the helpers is still audited.

Reads are written for a response below 400 or a form shown again (422, 409:
it still showed the patient); the fallback only for a page shown (a GET's 2xx) or a write accepted
(below 400), because a refused request (404) or a redirect showed nothing. A
download (``Content-Disposition: attachment``) is an ``export``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from backstride.web.accounts.models import User
from backstride.web.audit import scope as audit_scope
from backstride.web.audit.services import Action, audit_flush, audit_record

# Pages that show no patient's health data: the account itself (and its API
# tokens), education, the welcome page, joining a clinic. Everything else signed
# in is audited.
UNAUDITED = ("accounts:", "tokens:", "education:", "home", "join")
# A form shown again with its errors (422) or a stale edit (409) still showed the patient.
SHOWN_WITH_ERRORS = frozenset({409, 422})


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = audit_scope.begin(request)
        try:
            response = self.get_response(request)
            scope = audit_scope.current()
            if scope is None:  # begin() above set it; only a bug elsewhere could unset it
                raise RuntimeError("the audit scope of this request was lost")
            export = is_download(response)
            if response.status_code < 400 or response.status_code in SHOWN_WITH_ERRORS:
                audit_flush(scope, export=export)
            if _shown(request, response) and not scope.recorded:
                _fallback(request, export=export)
            return response
        finally:
            audit_scope.end(token)


def is_download(response: HttpResponseBase) -> bool:
    return response.get("Content-Disposition", "").startswith("attachment")


def _shown(request: HttpRequest, response: HttpResponseBase) -> bool:
    """A page that showed data (a GET's 2xx) or a write that was accepted (below 400)."""
    if getattr(request, "audit_exempt", False):
        return False  # the second-factor step or a timeout sent the request away
    status = response.status_code
    return 200 <= status < 300 if request.method in ("GET", "HEAD") else status < 400


def _fallback(request: HttpRequest, *, export: bool) -> None:
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if user is None or not user.is_authenticated or match is None:
        return
    if match.view_name.startswith(UNAUDITED):
        return
    reading = request.method in ("GET", "HEAD", "OPTIONS")
    if user.role == User.Role.PATIENT:
        patient: User | None = user
    elif "patient_id" in match.kwargs:
        patient = User.objects.filter(pk=match.kwargs["patient_id"]).first()
    else:
        patient = None
    if export:
        action = Action.EXPORT
    elif reading:
        action = Action.VIEW if patient is not None else Action.LIST
    else:
        action = Action.UPDATE
    audit_record(actor=user, action=action, patient=patient, request=request)
