"""Personas and builders for the web tests.

* ``patient``: a consented adult, screened eligible, with a plan starting today.
* ``other_patient``: the same, with a screening, a plan, logs, a check-in,
  decisions, an activity and an API token of their own: the objects the access
  sweep tries to reach.
* ``anonymous``: a visitor with no account (a plain test client).
* ``clinic``, ``clinician``, ``other_clinician``, ``clinic_patient``: see
  ``tests/web/clinics.py``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client

from backstride.core.ladder import level, run_walk_session
from backstride.formats.synthetic import legs_of, synthetic_tcx
from backstride.web.accounts.models import User
from backstride.web.accounts.services import consent_accept
from backstride.web.accounts.timezones import local_today
from backstride.web.activities.services import Imported, activity_import
from backstride.web.api.services import token_create
from backstride.web.programs.models import Plan, Screening
from backstride.web.programs.services import plan_create, screening_submit
from backstride.web.runlog.models import SessionLog
from backstride.web.runlog.services import Logged, checkin_create, session_log_create
from tests.web.clinics import (  # noqa: F401  (clinic personas, issue #4)
    clinic,
    clinic_patient,
    clinician,
    other_clinician,
)
from tests.web.two_factor import pass_second_factor

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: SQLite hands out the ids of rolled-back rows
    again, so one test's patient could otherwise meet another's cached today page."""
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 is deliberately slow; the tests check behaviour, not hashing cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def eligible_answers(**overrides: Any) -> dict[str, Any]:
    """A screening that triage sends to run_walk (ASTEROID's population)."""
    answers: dict[str, Any] = {
        "age": 34, "sex": "female", "episode_weeks": 30, "pain_now": 3, "pain_week_avg": 3,
        "leg_pain": "none", "leg_pain_worse_than_back": False,
        "leg_numbness_or_weakness": False, "red_flags": [], "conditions": [],
        "pre_exercise_yes": [], "flare_now": False, "runs_per_month_last_3_months": 0,
        "pregnant_or_postpartum": False, "lower_limb_injury_weeks_ago": None,
        "in_rehab_restricting_running": False,
    }
    answers.update(overrides)
    return answers


def make_user(email: str, *, consent: bool = True, time_zone: str = "Europe/London") -> User:
    user = User.objects.create_user(email, PASSWORD, time_zone=time_zone)
    if consent:
        consent_accept(user=user)
    return user


def make_plan(user: User, *, start: date | None = None, **answers: Any) -> Plan:
    screening = screening_submit(patient=user, data=eligible_answers(**answers))
    start = start or local_today(user.time_zone)
    count = 2 if screening.profile == "conservative" else 3
    weekdays = sorted({(start.weekday() + 2 * n) % 7 for n in range(count)})
    return plan_create(patient=user, screening=screening, start=start, weekdays=weekdays,
                       sessions_per_week=count)


def log_session(user: User, plan: Plan, day: date, *, today: date | None = None,
                **values: Any) -> Logged:
    fields: dict[str, Any] = {
        "status": "done", "pain_before": 3, "pain_during": 3, "pain_after": 3,
        "talk_test_ok": True, "other_pain": {}, "symptoms": [], "run_seconds": None,
    }
    fields.update(values)
    return session_log_create(patient=user, plan=plan, client_id=uuid.uuid4(), day=day,
                              today=today or day, **fields)


def history(user: User, plan: Plan, sessions: int) -> list[SessionLog]:
    """``sessions`` logged sessions every other day up to today, each checked in next morning."""
    today = local_today(user.time_zone)
    first = today - timedelta(days=2 * (sessions - 1))
    logs = []
    for n in range(sessions):
        day = first + timedelta(days=2 * n)
        logs.append(log_session(user, plan, day).row)
        if day < today:
            checkin_create(patient=user, plan=plan, client_id=uuid.uuid4(), rest_pain=2,
                           pain_next_morning=2, symptoms=[], today=day + timedelta(days=1))
    return logs  # type: ignore[return-value]


def login(client: Client, user: User, *, second_factor: bool = True) -> Client:
    """Sign ``user`` in; a clinician also passes the two-factor step (``second_factor``)."""
    client.force_login(user)
    if second_factor and user.role == User.Role.CLINICIAN:
        pass_second_factor(client, user)
    return client


@pytest.fixture
def patient(db: Any) -> User:
    user = make_user("pat@example.org")
    make_plan(user)
    return user


@pytest.fixture
def patient_client(patient: User) -> Client:
    return login(Client(), patient)


@pytest.fixture
def other_patient(db: Any) -> User:
    """Another patient with one of every patient-owned object."""
    user = make_user("other@example.org")
    today = local_today(user.time_zone)
    plan = make_plan(user, start=today - timedelta(days=2))
    token_create(user=user, name="watch sync", scope="read")
    log_session(user, plan, today - timedelta(days=2), today=today - timedelta(days=2))
    checkin_create(patient=user, plan=plan, client_id=uuid.uuid4(), rest_pain=2,
                   pain_next_morning=2, symptoms=[], today=today - timedelta(days=1))
    upload_activity(user, today - timedelta(days=2))
    return user


def upload_activity(user: User, day: date, *, legs: Any = None, hour: int = 8,
                    seed: int = 0) -> Imported:
    """Import a synthetic recording of the level-1 session (or ``legs``) started on ``day``."""
    zone = ZoneInfo(user.time_zone)
    start = datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)
    data = synthetic_tcx(legs or legs_of(run_walk_session(level(1))), start=start, seed=seed)
    return activity_import(patient=user, data=data, filename="run.tcx",
                           today=local_today(user.time_zone))


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings: Any, tmp_path_factory: Any) -> None:
    """Uploaded files go to a throwaway folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def anonymous() -> Client:
    return Client()


@pytest.fixture
def new_user(db: Any) -> User:
    """Signed up and consented, not yet screened."""
    return make_user("new@example.org")


@pytest.fixture
def new_client(new_user: User) -> Client:
    return login(Client(), new_user)


def latest_screening(user: User) -> Screening:
    return Screening.objects.filter(patient=user).first()  # type: ignore[return-value]
