"""Every error the API can meet, answered in the one shape (``errors``).

Ninja's own errors (validation, authentication, malformed bodies), the core's
``BackstrideError``, Django's ``Http404``, ``ValidationError`` and oversized
or unreadable bodies, and any unexpected exception: a traceback is never the
answer, and an unexpected error is logged here, not shown. Ninja picks the
handler of the most specific class in an exception's MRO.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from backstride.core.errors import BackstrideError
from backstride.web.activities import uploads
from backstride.web.activities.services import clean_name, too_large
from backstride.web.api.errors import (
    HTTP_CODES,
    VALIDATION_CODES,
    ApiError,
    error_response,
    field_of,
)

log = logging.getLogger(__name__)
Handler = Callable[[HttpRequest, Any], HttpResponse]


def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.code, exc.message, exc.field)


def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """The first problem pydantic found, naming its field."""
    skipped = uploads.refused(request)
    if skipped:  # the upload handler dropped the file for its size: not "required"
        return error_response(413, "too_large", too_large(clean_name(skipped[0])), "file")
    first = exc.errors[0] if exc.errors else {"type": "invalid", "loc": ()}
    code = VALIDATION_CODES.get(first["type"], "invalid")
    return error_response(422, code, _validation_message(first), field_of(first.get("loc", ())))


def _validation_message(error: Mapping[str, Any]) -> str:
    if error["type"] == "missing":
        return _("This field is required.")
    if error["type"] == "extra_forbidden":
        return _("This field is not accepted here.")
    return str(error.get("msg", _("This value is not valid."))).removeprefix("Value error, ")


def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(401, "unauthenticated", _(
        "Send a personal access token (Authorization: Bearer ...) or sign in."))


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's "Cannot parse request body"
        return error_response(400, "malformed", _("The request body could not be read as JSON."))
    return error_response(exc.status_code, HTTP_CODES.get(exc.status_code, "error"), str(exc))


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404, "not_found", _("Not found."))


def _core_error(request: HttpRequest, exc: BackstrideError) -> HttpResponse:
    return error_response(422, "invalid", exc.message[:1].upper() + exc.message[1:], exc.field)


def _model_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A model's ``full_clean`` refusal (a service's last line of defence)."""
    field, messages = (next(iter(exc.message_dict.items())) if hasattr(exc, "error_dict")
                       else ("", exc.messages))
    return error_response(422, "invalid", " ".join(messages),
                          None if field == "__all__" else field)


def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(413, "too_large", _("The request is too large."))


def _unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(400, "malformed", _("The request body could not be read."))


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, "server_error", _("Something went wrong on our side."))


HANDLERS: dict[type[Exception], Handler] = {
    ApiError: _api_error,
    NinjaValidationError: _validation,
    AuthenticationError: _unauthenticated,
    HttpError: _http_error,
    Http404: _not_found,
    BackstrideError: _core_error,
    ValidationError: _model_error,
    RequestDataTooBig: _too_big,
    MultiPartParserError: _unreadable,
    SuspiciousOperation: _unreadable,
    Exception: _unexpected,
}


def install(api: NinjaAPI) -> None:
    """Make ``api`` answer every error in the one shape."""
    for exc_class, handler in HANDLERS.items():
        api.add_exception_handler(exc_class, handler)
