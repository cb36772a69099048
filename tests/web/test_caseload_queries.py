"""The caseload queue makes as many queries for 500 patients as for 10 (no N+1)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backstride.web.caseload.views.queue import PAGE_SIZE
from backstride.web.simulation.loader import load_clinic
from tests.web.conftest import login

pytestmark = pytest.mark.django_db

# session, user, membership, nav count, enrolments, plans, days, logs, ...; and since issue
# #7 the two-factor device and the audit row (with the clinician's audit party).
MAX_QUERIES = 20


def clinician_with(count: int, seed: int) -> Client:
    loaded = load_clinic(count=count, seed=seed, today=timezone.localdate(),
                         clinic_name=f"Clinic {count}", password="x" * 12,
                         clinician_email=f"ep{count}@example.org",
                         email_domain=f"c{count}.example")
    return login(Client(), loaded.clinician)


QUERIES = ("", "?scope=clinic&filter=paused", "?q=a&filter=inactive", "?page=4")


def test_the_queue_makes_a_constant_number_of_queries(django_assert_max_num_queries: Any
                                                      ) -> None:
    few, many = clinician_with(10, seed=1), clinician_with(500, seed=2)
    for client in (few, many):  # a clinician's first page makes their audit party
        client.get(reverse("caseload:queue"))
    for query in QUERIES:
        url = reverse("caseload:queue") + query
        with CaptureQueriesContext(connection) as baseline:
            assert few.get(url).status_code == 200
        assert len(baseline) <= MAX_QUERIES, query
        with django_assert_max_num_queries(len(baseline)):
            response = many.get(url)
        assert response.status_code == 200
        if not query:
            html = response.content.decode()
            assert html.count('class="qrow ') == PAGE_SIZE
            assert f"1–{PAGE_SIZE} of 500 shown" in html and 'rel="next" href="?page=2"' in html


def test_the_pages_of_the_queue_hold_every_patient_once_in_order() -> None:
    client = clinician_with(120, seed=3)
    url = reverse("caseload:queue") + "?scope=clinic&page="
    seen = []
    for number in (1, 2, 3):
        html = client.get(url + str(number)).content.decode()
        seen += re.findall(r'class="qrow [^"]*" data-patient="(\d+)"', html)
    assert len(seen) == 120 == len(set(seen))
    html = client.get(url + "99").content.decode()  # past the end: the last page
    assert re.findall(r'data-patient="(\d+)"', html) == seen[100:]
    assert 'rel="prev" href="?scope=clinic&amp;page=2"' in html and 'rel="next"' not in html


def test_the_patient_page_makes_a_constant_number_of_queries(
        django_assert_max_num_queries: Any) -> None:
    from backstride.web.caseload.models import Enrolment

    client = clinician_with(12, seed=5)
    client.get(reverse("caseload:queue"))  # the clinician's first page makes their audit party
    counts = []
    for enrolment in Enrolment.objects.select_related("patient")[:12]:
        url = reverse("caseload:patient", args=[enrolment.patient_id]) + "?timeline=all"
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert max(counts) - min(counts) <= 2, counts  # screening/plan/lock present or not
