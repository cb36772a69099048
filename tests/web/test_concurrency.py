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
