"""API clients for the personas: a test client that sends a personal access token.

``bearer(user)`` makes a token for ``user`` (read and write unless told) and a
client that sends it. ``error_of(response)`` asserts the one error shape and
returns its ``error`` object.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from django.test import Client

from backstride.web.accounts.models import User
from backstride.web.api.services import token_create

API = "/api/v1"


class ApiClient(Client):
    """A test client for the JSON API (``post_json`` sends a JSON body)."""

    def post_json(self, path: str, body: Any, **extra: Any) -> Any:
        return self.post(path, json.dumps(body), content_type="application/json", **extra)


def bearer(user: User, scope: str = "write", **token: Any) -> ApiClient:
    raw = token_create(user=user, name="tests", scope=scope, **token).raw
    return ApiClient(HTTP_AUTHORIZATION=f"Bearer {raw}")


def error_of(response: Any) -> dict[str, Any]:
    """The ``error`` of a response in the one error shape (and nothing else in it)."""
    assert response["Content-Type"].startswith("application/json"), response.content
    body = response.json()
    assert ["error"] == list(body), body
    assert {"code", "message", "field"} == set(body["error"]), body
    assert isinstance(body["error"]["code"], str) and body["error"]["message"], body
    return body["error"]  # type: ignore[no-any-return]


def session_body(day: date, **fields: Any) -> dict[str, Any]:
    """A valid session log for ``day`` with a new client id."""
    body: dict[str, Any] = {
        "client_id": str(uuid.uuid4()), "date": day.isoformat(), "status": "done",
        "pain_before": 2, "pain_during": 3, "pain_after": 2, "talk_test_ok": True,
    }
    body.update(fields)
    return body


def checkin_body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"client_id": str(uuid.uuid4()), "rest_pain": 2}
    body.update(fields)
    return body
