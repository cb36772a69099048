"""Schemathesis against the API's own schema, in process, with every check it has.

The schema is fetched from ``/api/v1/openapi.json`` through the WSGI app
(RECIPES.md), and the fuzzer calls each role's operations with a Bearer token:
as a patient (``/me/...``, a read-and-write token) and as a clinician
(caseload, alerts, a patient's FHIR bundle). Every response must be documented, match its schema
(the one error shape included) and never be a 5xx; schema-valid input must be
accepted and schema-invalid input refused; a request without the token must
be refused.

Two operations take input whose validity the schema cannot state: a session
log's answers depend on its status (scores are required unless it was
missed) and its date on the plan and the patient's today; an upload must be
an activity file, which arbitrary bytes are not. For those two, a 422 is an
expected answer to schema-valid input; every other check stays on for them.
So that fuzzed logs reach the engine rather than stopping at the date, a hook
moves every valid date into the weeks the fuzzed patient's plan has run
(a valid date stays valid, so no case changes between valid and invalid).

Bounded: MAX_EXAMPLES per operation and phase; the module runs in about 30 s.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.api.services import token_create
from backstride.web.wsgi import application
from tests.web.clinics import enrol, raise_alert
from tests.web.conftest import make_plan, make_user

MAX_EXAMPLES = 40
PLAN_WEEKS_AGO = 4
TIME_ZONE = "Europe/London"  # the personas' (tests/web/conftest.py make_user)
SEMANTIC_422 = ["2xx", "3xx", "401", "403", "404", "409", "422"]
CONFIG = schemathesis.config.SchemathesisConfig.from_dict({
    "generation": {"max-examples": MAX_EXAMPLES},
    "operations": [
        {"include-path": path, "checks": {
            "positive_data_acceptance": {"expected-statuses": SEMANTIC_422}}}
        for path in ("/api/v1/me/sessions", "/api/v1/me/activities")
    ],
})
PATIENT_OPERATIONS = {"GET /api/v1/me/plan", "GET /api/v1/me/today", "POST /api/v1/me/sessions",
                      "POST /api/v1/me/checkins", "POST /api/v1/me/activities",
                      "GET /api/v1/me/fhir"}

# Loaded once, at collection: the schema endpoint is public and reads no data.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)
# By exclusion: with per-operation settings in CONFIG, schemathesis 4.32's include()
# keeps every operation (test_each_role_fuzzes_exactly_its_operations guards this).
patient_schema = schema.exclude(tag="clinician")
clinician_schema = schema.exclude(tag="patient")
FUZZ = settings(max_examples=MAX_EXAMPLES, deadline=None,
                suppress_health_check=list(HealthCheck))
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@schema.hook
def map_body(context: Any, body: Any) -> Any:
    """A valid ``date`` becomes one in the plan's weeks so far (a stable pick per body)."""
    if not isinstance(body, dict) or not _is_date(body.get("date")):
        return body
    pick = zlib.crc32(json.dumps(body, sort_keys=True, default=str).encode())
    day = local_today(TIME_ZONE) - timedelta(days=pick % (7 * PLAN_WEEKS_AGO + 1))
    return {**body, "date": day.isoformat()}


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open() -> Iterator[None]:
    """As Django's test client does: a request through the WSGI app must not close the
    connection the test's transaction is on (PostgreSQL would drop it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzzed_patient(clinician: User) -> User:
    """A patient of ``clinician``'s clinic, plan started four weeks ago, one open alert."""
    user = make_user("fuzz@example.org", time_zone=TIME_ZONE)
    make_plan(user, start=local_today(TIME_ZONE) - timedelta(weeks=PLAN_WEEKS_AGO))
    enrol(user, clinician)
    raise_alert(user)
    return user


def _bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_create(user=user, name='fuzz', scope='write').raw}"}


@pytest.fixture
def patient_headers(fuzzed_patient: User) -> dict[str, str]:
    return _bearer(fuzzed_patient)


@pytest.fixture
def clinician_headers(fuzzed_patient: User, clinician: User) -> dict[str, str]:
    return _bearer(clinician)


def test_each_role_fuzzes_exactly_its_operations() -> None:
    def labels(of: Any) -> set[str]:
        return {result.ok().label for result in of.get_all_operations()}

    assert PATIENT_OPERATIONS == labels(patient_schema)
    assert labels(schema) - PATIENT_OPERATIONS == labels(clinician_schema)
    assert labels(clinician_schema)


@pytest.mark.django_db
@patient_schema.parametrize()
@FUZZ
def test_the_patient_operations_hold_to_their_schema(case: Any,
                                                      patient_headers: dict[str, str]) -> None:
    case.call_and_validate(headers=patient_headers)


@pytest.mark.django_db
@clinician_schema.parametrize()
@FUZZ
def test_the_clinician_operations_hold_to_their_schema(
    case: Any, clinician_headers: dict[str, str]
) -> None:
    case.call_and_validate(headers=clinician_headers)
