"""Simultaneous raises of one alert, and simultaneous overrides, on PostgreSQL with threads.

SQLite's test database is one in-memory connection, so the threads would not
be concurrent there (as in test_concurrency.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from backstride.web.alerts.models import Alert
from backstride.web.caseload import services
from backstride.web.caseload.models import Enrolment, Override
from tests.web.clinics import enrol, make_clinician, raise_alert
from tests.web.conftest import make_plan, make_user

THREADS = 8


def race(work: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(THREADS)
    results: list[Any] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            results.append(work(n))
        except Exception as error:
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def people(transactional_db: Any) -> tuple[Any, Any]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (scripts/with-postgres.sh)")
    clinician = make_clinician("ep@race.example", services.clinic_create(name="Race"))
    patient = make_user("race@example.org")
    make_plan(patient)
    enrol(patient, clinician)
    return clinician, patient


def test_eight_simultaneous_raises_make_one_alert_with_every_occurrence(people: Any) -> None:
    _clinician, patient = people
    results = race(lambda n: raise_alert(patient, trigger=f"session:{n}"))
    assert not [r for r in results if isinstance(r, Exception)], results
    (alert,) = Alert.objects.filter(patient=patient)
    assert THREADS == alert.occurrences


def test_eight_simultaneous_pauses_make_one_override(people: Any) -> None:
    clinician, patient = people
    results = race(lambda n: services.override_create(
        clinician=clinician, patient=patient, kind="pause_running", reason=f"try {n}"))
    assert 1 == sum(isinstance(r, Override) for r in results)
    assert THREADS - 1 == sum(isinstance(r, ValidationError) for r in results)
    assert Enrolment.objects.get(patient=patient).running_paused


def test_eight_simultaneous_overrides_from_one_page_version_save_exactly_one(
    people: Any,
) -> None:
    """Issue #7: the same stale form submitted 8 times at once; one wins, 7 are told (409)."""
    clinician, patient = people
    version = Enrolment.objects.get(patient=patient).version
    results = race(lambda n: services.override_create(
        clinician=clinician, patient=patient, kind="set_level", level=1 + n % 4,
        reason=f"try {n}", version=version))
    assert 1 == sum(isinstance(r, Override) for r in results)
    assert THREADS - 1 == sum(isinstance(r, services.StaleEdit) for r in results)
    assert version + 1 == Enrolment.objects.get(patient=patient).version
