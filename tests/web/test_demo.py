"""``manage.py demo``: an idempotent demo runner whose history the engine decided."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from backstride.web.accounts.models import User
from backstride.web.runlog.management.commands.demo import EMAIL, PASSWORD
from backstride.web.runlog.models import Decision, SessionLog

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_demo_seeds_two_weeks_once_and_always_prints_the_login() -> None:
    first = run_demo()
    assert "Seeded" in first and f"{EMAIL} / {PASSWORD}" in first
    logs = SessionLog.objects.filter(patient__email=EMAIL)
    assert 5 <= logs.count() <= 7
    count = logs.count()
    second = run_demo()
    assert "nothing seeded" in second and EMAIL in second
    assert count == logs.count()
    assert User.objects.get(email=EMAIL).check_password(PASSWORD)


def test_every_demo_log_carries_the_engines_decision() -> None:
    run_demo()
    for log in SessionLog.objects.all():  # the runner's and the demo clinic's
        decision = Decision.objects.get(session_log=log)
        assert decision.reasons and all(r["rule"].startswith(("R-", "P-"))
                                        for r in decision.reasons)
    levels = list(SessionLog.objects.filter(patient__email=EMAIL).order_by("date")
                  .values_list("level", flat=True))
    assert levels[0] == 1 and max(levels) > 1  # it progressed, as the engine decided


def test_the_demo_leaves_a_database_with_accounts_alone() -> None:
    User.objects.create_user("someone@example.org", "x" * 12, time_zone="UTC")
    assert "nothing seeded" in run_demo()
    assert not User.objects.filter(email=EMAIL).exists()
