"""Locust users for the load benchmark (issue 8, parts 2 and 4). Loopback only.

``bench/load.py`` starts this with ``locust --headless`` for a bounded time and
hands over, in the JSON file named by ``BENCH_LOAD_USERS``, the sessions it
opened through the real login form: patients (with dates they have not
logged yet) and clinicians (with their clinic's patient ids). Each class is
one workload; ``BENCH_LOAD_ACCEPTED`` names the file where the client ids of
the logs the server accepted are written at the end, so the benchmark can
check that every one of them is in the database.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import uuid
from typing import Any
from urllib.parse import urlsplit

import gevent
from locust import FastHttpUser, between, constant, events, task
from locust.exception import StopUser

_USERS: dict[str, Any] = json.loads(open(os.environ["BENCH_LOAD_USERS"]).read())  # noqa: SIM115
# Runs that post logs get disjoint dates ("i/k": every k-th date from the i-th), so a
# later run never posts a date an earlier one already logged.
_SLICE = os.environ.get("BENCH_LOAD_DATES", "0/1").split("/")
for _account in _USERS["patients"]:
    _account["free_dates"] = _account["free_dates"][int(_SLICE[0])::int(_SLICE[1])]
_PATIENTS = itertools.cycle(_USERS["patients"])
_CLINICIANS = itertools.cycle(_USERS["clinicians"])
_LOCK = threading.Lock()
ACCEPTED: list[str] = []
RETRY_SHARE = 0.1  # this share of posts is sent twice with the same client id
_DECISION = re.compile(r"/decisions/\d+/$")


def _host_allowed(host: str | None) -> None:
    address = urlsplit(host or "").hostname or ""
    if not (address == "localhost" or address.startswith("127.")):
        raise SystemExit(f"load tests target loopback only, not {address!r}")


@events.init.add_listener
def _only_loopback(environment: Any, **_kw: Any) -> None:
    _host_allowed(environment.host)


@events.quitting.add_listener
def _write_accepted(environment: Any, **_kw: Any) -> None:
    path = os.environ.get("BENCH_LOAD_ACCEPTED")
    if path:
        with open(path, "w") as out:
            json.dump(ACCEPTED, out)


class _Signed(FastHttpUser):
    """A user whose session the benchmark opened; every request carries its cookies."""

    abstract = True
    account: dict[str, Any]

    def on_start(self) -> None:
        # People arrive at their own moments: a user's first request waits a think time
        # too (none for the no-wait users), or every user of a run would send its first
        # request in the same instant, a burst of all of them at once that no clinic
        # sees and that set the p99 of every endpoint (bench/profile_notes.md).
        gevent.sleep(self.wait_time())
        self.next_account()

    def next_account(self) -> None:
        with _LOCK:
            self.account = next(self.accounts())
        self.headers = {"Cookie": f"sessionid={self.account['sessionid']}; "
                                  f"csrftoken={self.account['csrftoken']}"}

    def accounts(self) -> Any:
        return _PATIENTS

    def page(self, path: str, name: str) -> None:
        """GET a page that must answer 200 itself (a redirect means the session was lost)."""
        with self.client.get(path, name=name, headers=self.headers, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")


class MinimalUser(_Signed):
    """The baseline: a view with no database work, behind the same middleware and session."""

    wait_time = constant(0)

    @task
    def minimal(self) -> None:
        self.page("/bench/minimal/", "minimal view")


class TodayUser(_Signed):
    wait_time = constant(0)

    @task
    def today(self) -> None:
        self.page("/today/", "today")


class LogFormUser(_Signed):
    wait_time = constant(0)

    @task
    def form(self) -> None:
        self.page(f"/log/?date={self.account['free_dates'][0]}", "log form")


class LogPostUser(_Signed):
    """Posts session logs as fast as the server takes them (each on a date not yet logged)."""

    wait_time = constant(0)

    @task
    def log(self) -> None:
        post_log(self, with_form=False)


class QueueUser(_Signed):
    wait_time = constant(0)

    def accounts(self) -> Any:
        return _CLINICIANS

    @task
    def queue(self) -> None:
        self.page("/clinic/", "caseload queue (500)")


class PatientPageUser(_Signed):
    wait_time = constant(0)

    def accounts(self) -> Any:
        return _CLINICIANS

    @task
    def patient(self) -> None:
        patient_id = random.choice(self.account["patients"])
        self.page(f"/clinic/patients/{patient_id}/", "clinician: patient page")


class PatientUser(_Signed):
    """A patient: opens today (three times as often as logging), logs a session."""

    wait_time = between(0.5, 2.0)

    @task(3)
    def today(self) -> None:
        self.page("/today/", "today")

    @task(1)
    def log(self) -> None:
        post_log(self)


class ClinicianUser(_Signed):
    """A clinician: the queue (as its refresh would), then a patient's page."""

    wait_time = between(3.0, 8.0)

    def accounts(self) -> Any:
        return _CLINICIANS

    @task(1)
    def queue(self) -> None:
        self.page("/clinic/", "caseload queue (500)")

    @task(2)
    def patient(self) -> None:
        patient_id = random.choice(self.account["patients"])
        self.page(f"/clinic/patients/{patient_id}/", "clinician: patient page")


def post_log(user: _Signed, *, with_form: bool = True) -> None:
    """The log form (as a person opens it), then its POST; 302 to the decision is acceptance.

    A patient with every date logged hands over to the next signed-in patient.
    """
    for _ in range(len(_USERS["patients"])):
        if user.account["free_dates"]:
            break
        user.next_account()
    dates = user.account["free_dates"]
    if not dates:
        raise StopUser  # nothing left to log in this run
    day = dates.pop()
    if with_form:
        user.page(f"/log/?date={day}", "log form")
    client_id = str(uuid.uuid4())
    form = {
        "csrfmiddlewaretoken": user.account["csrftoken"], "client_id": client_id, "date": day,
        "status": "done", "pain_before": "2", "pain_during": "3", "pain_after": "2",
        "talk_test_ok": "yes", "run_minutes": "", "walked_home": "",
    }
    sends = 2 if random.random() < RETRY_SHARE else 1
    for attempt in range(sends):
        name = "log POST" if attempt == 0 else "log POST (retry, same client id)"
        with user.client.post("/log/", data=form, name=name, headers=user.headers,
                              allow_redirects=False, catch_response=True) as response:
            location = response.headers.get("Location") or ""
            if response.status_code == 302 and _DECISION.search(location):
                if attempt == 0:
                    with _LOCK:
                        ACCEPTED.append(client_id)
            else:
                response.failure(f"status {response.status_code} {location}")
