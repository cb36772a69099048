"""The API's one error shape (STYLE.md §6), for every error it can answer with.

``{"error": {"code": "...", "message": "...", "field": "..." | null}}``

``code`` is stable and meant for programs; ``message`` is for people; ``field``
names the input at fault (``pain_during``, ``other_pain.knee``, ``symptoms[0]``),
or is ``null``. This module is the shape itself (importable from anywhere,
e.g. a middleware answering an API request); ``handlers`` makes ninja's own
errors, the core's and Django's come out in it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema

# The codes an error may carry; docs/api.md lists them with their statuses.
HTTP_CODES = {400: "malformed", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
              429: "throttled"}
VALIDATION_CODES = {"missing": "required", "extra_forbidden": "unknown_field"}
WWW_AUTHENTICATE = 'Bearer realm="backstride"'


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None


class ErrorOut(Schema):
    error: ErrorDetail


class ApiError(Exception):
    """Raised by an endpoint: answered with ``status`` and the one error shape."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        super().__init__(message)


def error_response(status: int, code: str, message: str, field: str | None = None,
                   headers: Mapping[str, str] | None = None) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "field": field or None}}
    response = JsonResponse(body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    if status == 401:
        response["WWW-Authenticate"] = WWW_AUTHENTICATE
    return response


def documented(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The ``response=`` entries that document ``statuses`` with the error shape."""
    return dict.fromkeys(statuses, ErrorOut)


def field_of(loc: Sequence[str | int]) -> str:
    """``("body", "payload", "other_pain", "knee")`` → ``"other_pain.knee"``.

    The first item is where the value came from (body, query, path, form,
    file); a body also names the endpoint's parameter, which clients never see.
    """
    parts = list(loc[2:] if loc and loc[0] == "body" else loc[1:])
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap one of ninja's URL views: its plain-text 405 becomes the one error shape."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
                "application/json"):
            return error_response(405, "method_not_allowed",
                                  _("This method is not allowed here."),
                                  headers={"Allow": response.get("Allow", "")})
        return response

    wrapper.csrf_exempt = True  # type: ignore[attr-defined]  # as ninja's own views
    return wrapper


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any other path under the API: a 404 in the one shape, not the HTML page."""
    return error_response(404, "not_found", _("There is no such API endpoint."))
