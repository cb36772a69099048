"""Issue 8, part 3: scaling curves, and the engine per call.

Caseload queue (``/clinic/``) and cohort report (``/clinic/reports/cohort/``),
the whole pages through every middleware, with Django's test client in this
process, on PostgreSQL, for one clinician whose clinic has 100, 1,000 and
10,000 simulated patients: median time and spread and the number of
queries. Targets: the same number of queries at every size; time growing no
worse than linearly (time per patient not rising).

The page is the clinic-wide queue (``?scope=clinic``) of one clinician: its
first page of 50 rows, with the sorting, the filter counts and the totals
computed over every patient of the clinic (so its work grows with the clinic
while what it draws does not). The
100-patient clinic is simulated; the 1,000-patient one is the load test's
(part 2); for 10,000 the same clinic gets nine more copies of its 1,000
patients under new accounts, every row they own copied inside PostgreSQL
(``bench/copies.py``; simulating and writing 9,000 more took five minutes),
which changes nothing the queue or the report reads per patient.

The engine: ``decide_next`` over a 12-week history and a 12-week
``build_plan``, per call (targets under 1 ms and under 5 ms); the same
builders as ``bench/test_engine.py``.
"""

from __future__ import annotations

import gc
import itertools
import os
import time
from dataclasses import dataclass
from typing import Any

from backstride.core.plans import PlanRequest, build_plan
from backstride.core.progression import decide_next
from bench import copies, webapp
from bench.measure import FRAGMENTS, Check, Section, Timing, spread, table, timed
from bench.test_engine import START, twelve_weeks

SIZES = (100, 1_000, 10_000)
SMOKE_SIZES = (4, 2 * webapp.SMOKE_CLINIC_SIZE, 4 * webapp.SMOKE_CLINIC_SIZE)
DECIDE_MS, PLAN_MS = 1.0, 5.0  # issue 8
# HOOK (issue 8, part 3): the cohort report of the clinician's clinic, measured at every
# size exactly as the queue is. It was built in another issue while this one was under
# way; should its URL name change, this is the one line to follow it (a name that does
# not resolve is reported as "not measured", never silently dropped).
COHORT_REPORT_URL_NAME = "caseload:cohort_report"
LINEAR_SLACK = 1.25  # time per patient may wobble this much between sizes before it counts


@dataclass(frozen=True)
class Point:
    page: str
    size: int
    timing: Timing
    queries: int
    rows: int | None
    collections: int  # garbage collections (all generations) during one request


def grow_clinic(seeded: webapp.Seeded, size: int) -> webapp.Seeded:
    """The clinic of ``seeded`` grown to ``size`` patients with copies of its patients.

    Every row its patients own is copied inside PostgreSQL (``bench/copies.py``)
    under new accounts given to a third clinician, so the load test's two
    clinicians keep their 500 each.
    """
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from backstride.web.accounts.models import User
    from backstride.web.caseload.models import Clinic, ClinicMembership, Enrolment
    from backstride.web.simulation import loader

    clinic = Clinic.objects.get(name=seeded.clinic)
    source = list(Enrolment.objects.filter(clinic=clinic).values_list("patient_id", flat=True))
    if len(source) >= size:
        return webapp.Seeded(seeded.clinic, seeded.clinician, size, None)
    started = time.perf_counter()
    clinician = User.objects.create(
        email=seeded.clinician.replace("clinician-", "clinician3-"),
        password=make_password(webapp.PASSWORD), role=User.Role.CLINICIAN,
        time_zone=loader.TIME_ZONE, first_name="Bench", last_name="Copies")
    ClinicMembership.objects.create(clinic=clinic, clinician=clinician)
    copies.copy_patients(source, size // len(source) - 1, responsible=clinician.pk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as load_clinic does: the planner needs fresh statistics
    return webapp.Seeded(seeded.clinic, seeded.clinician, size, time.perf_counter() - started)


class QueryCount:
    """Counts every query this connection executes (``connection.execute_wrapper``)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def measure_page(client: Any, url: str, page: str, size: int, *, smoke: bool) -> Point:
    from django.db import connection

    client.get(url)  # the warm-up (the first page after logging in does a little more)
    counter = QueryCount()
    collections = sum(stat["collections"] for stat in gc.get_stats())
    with connection.execute_wrapper(counter):
        response = client.get(url)  # the query count
    collections = sum(stat["collections"] for stat in gc.get_stats()) - collections
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code} for a clinic of {size}")
    body = response.content.decode()
    if os.environ.get("BENCH_PROFILE") and not smoke:
        _profile(client, url, f"{page.replace(' ', '-')}-{size}")
    timing = timed(lambda: client.get(url), budget=0 if smoke else 3.0,
                   min_runs=1 if smoke else 3, max_runs=10, warm_up=False)
    rows = body.count('class="qrow ') if page == "caseload queue" else None
    return Point(page, size, timing, counter.count, rows, collections)


def _profile(client: Any, url: str, name: str) -> None:
    """``BENCH_PROFILE=1``: one request under pyinstrument, to var/bench/profile-<name>.txt."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    client.get(url)
    profiler.stop()
    FRAGMENTS.mkdir(parents=True, exist_ok=True)
    (FRAGMENTS / f"profile-{name}.txt").write_text(
        profiler.output_text(unicode=False, color=False))


def clinician_client(email: str) -> Any:
    """A test client signed in through the log-in form and the second factor."""
    from django.test import Client
    from django.urls import reverse

    account = webapp.clinicians_by_email([email])[0]
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": email,
                                                       "password": webapp.PASSWORD})
    if response.status_code == 302 and "two-factor" in response["Location"]:
        client.post(response["Location"], {"code": account["codes"].pop()})
    return client


def run(*, smoke: bool = False) -> Section:
    engine = engine_points(smoke)
    if webapp.database_url() is None:
        markdown = "**Caseload not run:** DATABASE_URL is not a PostgreSQL URL.\n\n" + engine[0]
        return Section("scaling", "3. Scaling curves", markdown, [
            Check("scaling", "caseload measured on PostgreSQL", "not run", False), *engine[1]])
    webapp.django_ready()
    from django.urls import NoReverseMatch, reverse

    small, base = (SMOKE_SIZES if smoke else SIZES)[:2]
    large = (SMOKE_SIZES if smoke else SIZES)[2]
    load_clinic = webapp.seed_load_clinic(smoke)
    from backstride.web.caseload.models import Enrolment

    have = Enrolment.objects.filter(clinic__name=load_clinic.clinic).count()
    if have != base:  # grown by an earlier run of this part on the same database
        raise RuntimeError(f"the load clinic has {have} patients, not {base}: run the "
                           "scaling part on a fresh database (make bench makes one)")
    points, seeding = [], []
    for step in (lambda: webapp.seed_clinic(small, "S"), lambda: load_clinic,
                 lambda: grow_clinic(load_clinic, large)):
        seeded = step()
        seeding.append(seeded)
        client = clinician_client(seeded.clinician)
        # The clinic-wide queue: the same page at every size (a clinician's own is 500).
        points.append(measure_page(client, reverse("caseload:queue") + "?scope=clinic",
                                   "caseload queue", seeded.size, smoke=smoke))
        try:
            cohort = reverse(COHORT_REPORT_URL_NAME)
        except NoReverseMatch:
            cohort = None
        if cohort is not None:
            points.append(measure_page(client, cohort, "cohort report", seeded.size,
                                       smoke=smoke))
    return _section(points, seeding, engine, smoke)


def engine_points(smoke: bool) -> tuple[str, list[Check]]:
    history = twelve_weeks()
    today = history.sessions[-1].date
    request = PlanRequest(start=START, weekdays=(0, 2, 5), weeks=12, sessions_per_week=3)
    budget, runs = (0.0, 1) if smoke else (2.0, 50)
    decide = timed(lambda: decide_next(history, today=today), budget=budget, min_runs=runs,
                   max_runs=5000)
    plan = timed(lambda: build_plan(request), budget=budget, min_runs=runs, max_runs=2000)
    markdown = "### Engine, per call\n\n" + table(
        ["call", "runs", "ms (min / median / max)", "target"],
        [("decide_next, 12-week history (36 sessions, 36 check-ins)", decide.runs, spread(decide),
          f"< {DECIDE_MS:g} ms"),
         ("build_plan, 12 weeks × 3 sessions", plan.runs, spread(plan), f"< {PLAN_MS:g} ms")])
    checks = [
        Check("scaling", f"decide_next over 12 weeks < {DECIDE_MS:g} ms (median)",
              f"{decide.median * 1000:.3f} ms", decide.median * 1000 < DECIDE_MS),
        Check("scaling", f"12-week plan generation < {PLAN_MS:g} ms (median)",
              f"{plan.median * 1000:.3f} ms", plan.median * 1000 < PLAN_MS),
    ]
    return markdown, checks


def _section(points: list[Point], seeding: list[webapp.Seeded],
             engine: tuple[str, list[Check]], smoke: bool) -> Section:
    rows, checks = [], []
    for page in dict.fromkeys(p.page for p in points):
        series = [p for p in points if p.page == page]
        for p in series:
            per = p.timing.median / p.size * 1000
            rows.append((page, f"{p.size:,}", spread(p.timing), f"{per:.3f}", p.queries,
                         "—" if p.rows is None else p.rows, p.collections))
        counts = {p.queries for p in series}
        checks.append(Check("scaling", f"{page}: query count constant over "
                            f"{', '.join(f'{p.size:,}' for p in series)} patients",
                            " / ".join(str(p.queries) for p in series), len(counts) == 1))
        per_patient = [p.timing.median / p.size for p in series]
        linear = all(b <= a * LINEAR_SLACK for a, b in itertools.pairwise(per_patient))
        growth = series[-1].timing.median / series[0].timing.median
        checks.append(Check(
            "scaling", f"{page}: time grows no worse than linearly "
            f"({series[0].size:,} → {series[-1].size:,} patients)",
            f"×{growth:.1f} for ×{series[-1].size // series[0].size} patients",
            linear))
    if not any(p.page == "cohort report" for p in points):
        rows.append(("cohort report", "—", "not measured: COHORT_REPORT_URL_NAME in "
                     "bench/scaling.py does not resolve", "—", "—", "—", "—"))
    seeded = ", ".join(f"{s.size:,} in {s.seconds:.0f} s" if s.seconds is not None
                       else f"{s.size:,} (already there)" for s in seeding)
    markdown = "\n\n".join([
        __doc__.split("\n\n", 1)[1].strip(),
        "### Clinician pages\n\n" + table(
            ["page", "patients", "ms (min / median / max)", "ms per patient", "queries",
             "rows shown", "GC runs / request"], rows),
        f"Seeded: {seeded}.",
        engine[0],
    ])
    return Section("scaling", "3. Scaling curves", markdown, [*checks, *engine[1]])
