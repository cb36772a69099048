"""Refuse an oversized upload before Django reads it (and spills it to a temporary file).

The cap is on the file; the whole multipart body may be a little larger, for the
part headers and the other fields. The endpoint checks the file's own size too,
for a request that does not say its length up front.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from backstride.web.api.errors import error_response

MULTIPART_OVERHEAD = 64 * 1024  # part headers, boundaries and the small form fields


def body_at_most(cap: Callable[[], int]) -> Callable[[Callable[..., HttpResponse]],
                                                     Callable[..., HttpResponse]]:
    """A ninja ``decorate_view`` decorator: a 413 when Content-Length is over ``cap()``."""

    def decorator(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(run)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = cap()
            if length > limit + MULTIPART_OVERHEAD:
                return error_response(413, "too_large", _(
                    "The upload is larger than %(mb)d MB, the most a file may be.")
                    % {"mb": limit // 10**6}, "file")
            return run(request, *args, **kwargs)

        return wrapper

    return decorator
