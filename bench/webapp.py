"""The web benchmarks' shared machinery: Django, seeding, gunicorn, sessions, locust.

Every server started here listens on 127.0.0.1 only and is stopped in a
``finally`` (its whole process group), and every load run is bounded in time.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.measure import REPO

SETTINGS = "bench.site.settings"
PASSWORD = "bench-run-walk-1"  # every simulated account's (the simulator hashes it once)
CLINIC_SIZE = 500  # two clinics of 500: 1,000 patients, and the 500-patient queue of the target
SMOKE_CLINIC_SIZE = 12
SEED = 8  # issue 8
# Issue 8: "1,000 patients × 12 weeks of history". Every simulated patient who is running
# is in the program's 12th week (11 whole weeks and 0-6 days in); those waiting for
# clearance have no history yet and those finishing have just done all 12.
WEEKS_IN = 11
STATIC_CODES = 40  # backup codes per clinician: each real log-in through the form uses one
LOOPBACK = "127.0.0.1"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def database_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def django_ready() -> None:
    """Django with the benchmark site's settings, migrated (idempotent)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def clinic_name(size: int, letter: str) -> str:
    return f"Bench clinic {letter} ({size} patients)"


@dataclass(frozen=True)
class Seeded:
    clinic: str
    clinician: str
    size: int
    seconds: float | None  # None: it was there already


def seed_clinic(size: int, letter: str, *, seed: int = SEED) -> Seeded:
    """A clinic of ``size`` simulated patients with one clinician (made once per database)."""
    from django.utils import timezone

    from backstride.web.caseload.models import Clinic
    from backstride.web.simulation.loader import load_clinic

    name = clinic_name(size, letter)
    email = f"clinician-{letter.lower()}{size}@bench.example"
    if Clinic.objects.filter(name=name).exists():
        return Seeded(name, email, size, None)
    started = time.perf_counter()
    # Each clinic its own seed: the loader draws client ids from it, and they are unique.
    load_clinic(count=size, seed=seed * 1_000_003 + ord(letter) * 100_003 + size,
                today=timezone.localdate(),
                clinic_name=name, clinician_email=email, password=PASSWORD,
                email_domain=f"{letter.lower()}{size}.bench.example", weeks_in=WEEKS_IN)
    return Seeded(name, email, size, time.perf_counter() - started)


LOAD_CLINIC_PATIENTS = 2 * CLINIC_SIZE


def load_clinic_size(smoke: bool) -> int:
    return 2 * (SMOKE_CLINIC_SIZE if smoke else CLINIC_SIZE)


def seed_load_clinic(smoke: bool) -> Seeded:
    """The load test's clinic: 1,000 simulated patients, two clinicians with 500 each.

    The loader gives every patient to the clinic's one clinician; the second half
    is handed to a second clinician, so each one's own queue ("mine", the
    default) holds 500 patients and the clinic-wide one 1,000.
    """
    from backstride.web.accounts.models import User
    from backstride.web.caseload.models import Clinic, ClinicMembership, Enrolment

    size = load_clinic_size(smoke)
    seeded = seed_clinic(size, "L")
    clinic = Clinic.objects.get(name=seeded.clinic)
    second_email = seeded.clinician.replace("clinician-", "clinician2-")
    if not User.objects.filter(email=second_email).exists():
        first = User.objects.get(email=seeded.clinician)
        second = User.objects.create(email=second_email, password=first.password,
                                     role=User.Role.CLINICIAN, time_zone=first.time_zone,
                                     first_name="Ada", last_name="Mensah")
        ClinicMembership.objects.create(clinic=clinic, clinician=second)
        ids = list(Enrolment.objects.filter(clinic=clinic).order_by("patient_id")
                   .values_list("patient_id", flat=True))
        Enrolment.objects.filter(clinic=clinic, patient_id__in=ids[size // 2:]).update(
            responsible=second)
    return seeded


def history_weeks() -> tuple[float, int]:
    """Mean and longest weeks of logged history over the simulated patients."""
    from django.db.models import Max, Min

    from backstride.web.runlog.models import SessionLog

    spans = [(r["last"] - r["first"]).days / 7 for r in SessionLog.objects.values("patient")
             .annotate(first=Min("date"), last=Max("date"))]
    return (sum(spans) / len(spans) if spans else 0.0, round(max(spans, default=0)))


# --- Accounts the load test signs in as -------------------------------------------------


def patients_to_log(clinic: str, limit: int) -> list[dict[str, Any]]:
    """Patients free to log (a current, unlocked plan, no red-flag lock), with unlogged dates."""
    from backstride.web.accounts.timezones import local_today
    from backstride.web.programs.models import Plan
    from backstride.web.runlog.models import SessionLog
    from backstride.web.safety.models import RedFlagLock

    plans = (Plan.objects.filter(patient__enrolment__clinic__name=clinic, is_current=True)
             .exclude(clearance=Plan.Clearance.PENDING)
             .select_related("patient").order_by("patient_id"))
    out = []
    for plan in plans[:limit]:
        if plan.locked or RedFlagLock.objects.filter(patient=plan.patient,
                                                     cleared_at__isnull=True).exists():
            continue
        today = local_today(plan.patient.time_zone)
        logged = set(SessionLog.objects.filter(patient=plan.patient).values_list("date",
                                                                                  flat=True))
        days = [plan.start + timedelta(days=i) for i in range((today - plan.start).days + 1)]
        free = [d.isoformat() for d in days if d not in logged and d <= today]
        if free:
            out.append({"email": plan.patient.email, "free_dates": free, "id": plan.patient_id})
    return out


def clinicians(clinics: list[str]) -> list[dict[str, Any]]:
    """Each clinic's clinician, with backup codes for a real two-factor log-in."""
    from backstride.web.caseload.models import ClinicMembership

    return _with_codes(ClinicMembership.objects.filter(clinic__name__in=clinics))


def clinicians_by_email(emails: list[str]) -> list[dict[str, Any]]:
    from backstride.web.caseload.models import ClinicMembership

    return _with_codes(ClinicMembership.objects.filter(clinician__email__in=emails))


def _with_codes(memberships: Any) -> list[dict[str, Any]]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from backstride.web.accounts import two_factor
    from backstride.web.caseload.models import Enrolment

    out = []
    for membership in memberships.select_related("clinician", "clinic"):
        user = membership.clinician
        device, _ = StaticDevice.objects.get_or_create(user=user, name="Backup codes",
                                                       defaults={"confirmed": True})
        codes = [two_factor.backup_code_new() for _ in range(STATIC_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=device,
                                                     token=two_factor.backup_code_stored(c))
                                         for c in codes])
        patients = list(Enrolment.objects.filter(clinic=membership.clinic)
                        .values_list("patient_id", flat=True))
        out.append({"email": user.email, "codes": codes, "patients": patients})
    return out


def sign_in(base: str, account: dict[str, Any]) -> dict[str, Any]:
    """Log in through the real form (and the second factor, for a clinician); the cookies."""
    import requests

    session = requests.Session()
    login = f"{base}/accounts/login/"
    page = session.get(login, timeout=30)
    token = _CSRF.search(page.text)
    response = session.post(login, timeout=60, allow_redirects=False, headers={"Referer": login},
                            data={"username": account["email"], "password": PASSWORD,
                                  "csrfmiddlewaretoken": token.group(1) if token else ""})
    if response.status_code != 302:
        raise RuntimeError(f"log-in of {account['email']} answered {response.status_code}")
    location = response.headers.get("Location", "")
    if "two-factor" in location:
        step = session.get(base + location if location.startswith("/") else location, timeout=30)
        token = _CSRF.search(step.text)
        code = account["codes"].pop()
        response = session.post(step.url, timeout=30, allow_redirects=False,
                                headers={"Referer": step.url},
                                data={"code": code,
                                      "csrfmiddlewaretoken": token.group(1) if token else ""})
        if response.status_code != 302:
            raise RuntimeError(f"second factor of {account['email']}: {response.status_code}")
    return {**account, "sessionid": session.cookies.get("sessionid"),
            "csrftoken": session.cookies.get("csrftoken")}


# --- Servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def server_env(media: Path) -> dict[str, str]:
    """Production settings from the environment: debug off, a secret, plain HTTP on loopback."""
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": SETTINGS, "BACKSTRIDE_DEBUG": "0",
        "BACKSTRIDE_SECRET_KEY": "bench-only-secret-key-" + "x" * 40, "BACKSTRIDE_HTTPS": "0",
        "BACKSTRIDE_MEDIA_DIR": str(media), "BACKSTRIDE_LOG_LEVEL": "WARNING",
        "BACKSTRIDE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    })
    return env


@contextlib.contextmanager
def gunicorn(port: int, media: Path, *, workers: int = 2) -> Iterator[str]:
    """``gunicorn`` with ``workers`` sync workers on 127.0.0.1:``port``; its base URL."""
    command = [sys.executable, "-m", "gunicorn", "backstride.web.wsgi:application",
               "--bind", f"{LOOPBACK}:{port}", "--workers", str(workers),
               "--worker-class", "sync", "--timeout", "60", "--graceful-timeout", "5",
               "--log-level", "warning"]
    with _process(command, server_env(media), "gunicorn") as _:
        base = f"http://{LOOPBACK}:{port}"
        wait_for(f"{base}/bench/minimal/")
        yield base


@contextlib.contextmanager
def _process(command: list[str], env: dict[str, str], name: str,
             cwd: Path = REPO) -> Iterator[subprocess.Popen[bytes]]:
    descriptor, log_name = tempfile.mkstemp(prefix=f"bench-{name}-", suffix=".log")
    try:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=descriptor,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield process
        finally:
            stop(process)
            tail = Path(log_name).read_text(errors="replace")[-2000:]
            if process.returncode not in (0, -signal.SIGTERM, None) and tail.strip():
                print(f"[{name} log]\n{tail}", file=sys.stderr)
    finally:
        os.close(descriptor)
        os.unlink(log_name)


def stop(process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """SIGTERM to the process group, SIGKILL after ``timeout``: nothing is left behind."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.3)


def warm(base: str, paths: list[str], cookie: str, times: int = 4) -> str:
    """A few requests to each page first, so both workers have loaded code and templates.

    Returns the last page's body.
    """
    body = ""
    for path in paths:
        for _ in range(times):
            request = urllib.request.Request(base + path, headers={"Cookie": cookie})
            with contextlib.suppress(OSError), urllib.request.urlopen(request,
                                                                      timeout=120) as page:
                body = page.read().decode(errors="replace")
    return body


# --- Locust --------------------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    high: float


@dataclass
class LoadRun:
    label: str
    seconds: float
    users: int
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    accepted: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def locust(base: str, users_file: Path, classes: list[str], *, users: int, seconds: float,
           label: str, dates: str = "0/1") -> LoadRun:
    """One bounded headless locust run against ``base`` (loopback), its per-endpoint stats."""
    if not base.startswith(f"http://{LOOPBACK}:"):
        raise ValueError("load tests target loopback only")
    with tempfile.TemporaryDirectory(prefix="bench-locust-") as tmp:
        prefix = Path(tmp) / "run"
        accepted = Path(tmp) / "accepted.json"
        env = dict(os.environ, BENCH_LOAD_USERS=str(users_file),
                   BENCH_LOAD_ACCEPTED=str(accepted), BENCH_LOAD_DATES=dates)
        command = [sys.executable, "-m", "locust", "-f", str(REPO / "bench" / "locustfile.py"),
                   "--headless", "--host", base, "--users", str(users),
                   "--spawn-rate", str(max(users, 1)), "--run-time", f"{seconds:.0f}s",
                   "--stop-timeout", "10", "--reset-stats", "--csv", str(prefix),
                   "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
                   *classes]
        # Bounded: locust stops itself after --run-time; the timeout is a second fence.
        done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True,
                              timeout=seconds + 90, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"locust failed ({done.returncode}):\n{done.stderr[-3000:]}")
        run = LoadRun(label, seconds, users)
        with open(f"{prefix}_stats.csv") as stats:
            for row in csv.DictReader(stats):
                if row["Name"] == "Aggregated":
                    continue
                run.endpoints[row["Name"]] = Endpoint(
                    row["Name"], int(row["Request Count"]), int(row["Failure Count"]),
                    float(row["Requests/s"]), _pct(row, "50%"), _pct(row, "95%"),
                    _pct(row, "99%"), float(row["Max Response Time"] or 0))
        with open(f"{prefix}_failures.csv") as failures:
            run.failures = [f"{r['Name']}: {r['Error']} ×{r['Occurrences']}"
                            for r in csv.DictReader(failures)]
        if accepted.exists():
            run.accepted = json.loads(accepted.read_text())
    return run


def _pct(row: dict[str, str], column: str) -> float:
    value = row.get(column, "")
    return float(value) if value not in ("", "N/A") else 0.0


def logs_present(client_ids: list[str]) -> int:
    from backstride.web.runlog.models import SessionLog

    present = 0
    for start in range(0, len(client_ids), 1000):
        present += SessionLog.objects.filter(client_id__in=client_ids[start:start + 1000]).count()
    return present


