"""The plan, progress and today pages make as many queries for 30 sessions as for 3; the
today page served from its cache makes five."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backstride.web.programs.models import Plan
from tests.web.conftest import history, login, make_plan, make_user

pytestmark = pytest.mark.django_db

# session, user, lock, plan, days, logs, check-ins, decisions, imports, ...; and the audit
# row (issue #7): the person's audit party (made on first use: 4 queries, else 1) and the row.
MAX_QUERIES = 21
# The today page whose content is cached (runlog.today_cache): the session, the user, the
# state digest (with the consent and the navigation's count) and the audit party and row.
CACHED_TODAY_QUERIES = 5


def client_with_history(sessions: int) -> Client:
    user = make_user(f"p{sessions}@example.org")
    make_plan(user)
    history(user, Plan.objects.get(patient=user), sessions)
    client = login(Client(), user)
    return client


@pytest.mark.parametrize("url_name", ["programs:plan", "runlog:progress", "runlog:today"])
def test_queries_do_not_grow_with_the_number_of_sessions(
    url_name: str, django_assert_max_num_queries: Any
) -> None:
    url = reverse(url_name)
    few = client_with_history(3)
    with CaptureQueriesContext(connection) as baseline:
        assert few.get(url).status_code == 200
    assert len(baseline) <= MAX_QUERIES
    many = client_with_history(30)
    with django_assert_max_num_queries(len(baseline)):
        assert many.get(url).status_code == 200


def test_the_today_page_served_from_the_cache_makes_five_queries(
        django_assert_num_queries: Any) -> None:
    client = client_with_history(30)
    assert client.get(reverse("runlog:today")).status_code == 200  # renders and keeps it
    with django_assert_num_queries(CACHED_TODAY_QUERIES):
        assert client.get(reverse("runlog:today")).status_code == 200
