"""The API, version 1: ``/api/v1/``, its schema at ``/api/v1/openapi.json``.

``urls`` is what the project's URLconf includes: ninja's own patterns, each
answering an unknown method in the one error shape, then a 404 in that shape
for any other path under the API.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI

from backstride.web.api import clinicians, errors, handlers, patients

NAMESPACE = "api"

api = NinjaAPI(
    title="Backstride API",
    version="1",
    description="A patient's plan, today's session, session logs, check-ins and activity "
                "uploads; a clinician's caseload and alerts. Every error has one shape: "
                '{"error": {"code", "message", "field"}}. See docs/api.md.',
    urls_namespace=NAMESPACE,
    docs_url=None,  # the Swagger page loads scripts from a CDN: not under our CSP
)
handlers.install(api)
api.add_router("", patients.router)
api.add_router("", clinicians.router)


def _with_json_errors(entry: URLPattern | URLResolver) -> URLPattern | URLResolver:
    if isinstance(entry, URLPattern):
        entry.callback = errors.json_errors(entry.callback)
    return entry


def urls() -> tuple[list[Any], str, str]:
    patterns, app_name, namespace = api.urls
    return ([*(_with_json_errors(p) for p in patterns), re_path(r"", errors.not_found)],
            app_name, namespace)
