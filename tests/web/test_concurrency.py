"""Concurrent submits of the same log (double tap, retry) make one row: real threads.

Run on PostgreSQL (scripts/with-postgres.sh); SQLite's test database is in
memory and shared by one connection, so the threads would not be concurrent.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from django.db import connection, connections

from backstride.web.accounts.timezones import local_today
from backstride.web.programs.models import Plan
from backstride.web.runlog.models import Decision, SessionLog
from backstride.web.runlog.services import session_log_create
from tests.web.conftest import make_plan, make_user

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_eight_simultaneous_submits_of_one_log_make_one_row() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (scripts/with-postgres.sh)")
    user = make_user("race@example.org")
    make_plan(user)
    plan = Plan.objects.get(patient=user)
    client_id = uuid.uuid4()
    barrier = threading.Barrier(THREADS)
    results: list[Any] = []

    def submit() -> None:
        try:
            barrier.wait()
            results.append(session_log_create(
                patient=user, plan=plan, client_id=client_id,
                day=local_today(user.time_zone), status="done", pain_before=3, pain_during=3,
                pain_after=3, talk_test_ok=True, other_pain={}, symptoms=[], run_seconds=None,
            ))
        except Exception as error:
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not [r for r in results if isinstance(r, Exception)], results
    assert SessionLog.objects.count() == 1
    assert Decision.objects.count() == 1
    assert sum(r.created for r in results) == 1


# --- Issue #7: no lost update under load ---------------------------------------------------

REQUESTS = 25  # per thread


@pytest.mark.django_db(transaction=True)
def test_eight_threads_of_25_logs_and_overrides_each_lose_no_write() -> None:
    """8 threads, each logging a session for 25 patients and overriding each one's level.

    Every patient gets 8 logs (one per thread, on that thread's day) and 8
    overrides racing for the same enrolment row: all 200 of each must be
    stored, and each enrolment's version (counted with F()) must be exactly 8.
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (scripts/with-postgres.sh)")
    from datetime import timedelta

    from backstride.web.caseload import services as caseload
    from backstride.web.caseload.models import Enrolment, Override
    from tests.web.clinics import enrol, make_clinician

    clinician = make_clinician("ep@load.example", caseload.clinic_create(name="Load"))
    patients = []
    for n in range(REQUESTS):
        user = make_user(f"load{n}@example.org")
        today = local_today(user.time_zone)
        make_plan(user, start=today - timedelta(days=THREADS + 2))
        enrol(user, clinician)
        patients.append((user, Plan.objects.get(patient=user), today))
    barrier = threading.Barrier(THREADS)
    accepted: list[tuple[str, int]] = []
    errors: list[BaseException] = []

    def work(thread: int) -> None:
        try:
            barrier.wait()
            for n, (user, plan, today) in enumerate(patients):
                logged = session_log_create(
                    patient=user, plan=plan, client_id=uuid.uuid4(),
                    day=today - timedelta(days=thread), status="done", pain_before=2,
                    pain_during=3, pain_after=2, talk_test_ok=True, other_pain={},
                    symptoms=[], run_seconds=None, today=today)
                accepted.append(("log", logged.row.pk))
                row = caseload.override_create(
                    clinician=clinician, patient=user, kind="set_level",
                    level=1 + (thread + n) % 4, reason=f"thread {thread}, patient {n}")
                accepted.append(("override", row.pk))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    logs = {pk for kind, pk in accepted if kind == "log"}
    overrides = {pk for kind, pk in accepted if kind == "override"}
    assert THREADS * REQUESTS == len(logs) == len(overrides)
    assert logs == set(SessionLog.objects.values_list("pk", flat=True))
    assert overrides == set(Override.objects.values_list("pk", flat=True))
    assert THREADS * REQUESTS == Decision.objects.filter(session_log__isnull=False).count()
    assert {THREADS} == set(Enrolment.objects.values_list("version", flat=True))
