"""``manage.py demo``: seed a demo runner with two weeks of history, and a demo clinic, once.

Idempotent: it seeds only an empty database (the clinic also joins a database
holding only the demo runner), and always prints the demo logins. The clinic's
40 patients come from ``backstride.web.simulation``.
The history is played day by day through the real services, so every decision
in it is ``core.progression.decide_next``'s own.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from backstride.web.accounts.models import Consent, User
from backstride.web.accounts.services import consent_accept
from backstride.web.accounts.timezones import local_today
from backstride.web.programs.models import Plan, PlanDay, Screening
from backstride.web.programs.services import plan_create, screening_submit
from backstride.web.runlog.services import checkin_create, session_log_create
from backstride.web.simulation import demo as demo_clinic
from backstride.web.simulation.demo import seed_demo_clinic

EMAIL = "demo@backstride.example"
PASSWORD = "run-walk-demo"
HISTORY_DAYS = 14
SEED = 2025  # the same history every time

SCREENING = {
    "age": 36, "sex": "female", "episode_weeks": 40, "pain_now": 3, "pain_week_avg": 3,
    "leg_pain": "none", "leg_pain_worse_than_back": False, "leg_numbness_or_weakness": False,
    "red_flags": [], "conditions": [], "pre_exercise_yes": [], "flare_now": False,
    "runs_per_month_last_3_months": 0, "pregnant_or_postpartum": False,
    "lower_limb_injury_weeks_ago": None, "in_rehab_restricting_running": False,
}


class Command(BaseCommand):
    help = "Seed a demo runner with two weeks of history (only when the database is empty)."

    def handle(self, *args: Any, **options: Any) -> None:
        today = local_today(settings.BACKSTRIDE_TIME_ZONE)
        if User.objects.exists():
            self.stdout.write("Database already has accounts: nothing seeded.")
        else:
            with transaction.atomic():
                seed(today)
            self.stdout.write(self.style.SUCCESS("Seeded a demo runner with two weeks of history."))
        # The demo clinic (issue #4) joins an empty database, or one holding only the runner.
        if set(User.objects.values_list("email", flat=True)) <= {EMAIL}:
            seed_demo_clinic(today)
            self.stdout.write(self.style.SUCCESS(
                f"Seeded the demo clinic: one clinician, {demo_clinic.PATIENTS} patients."))
        if User.objects.filter(email=EMAIL).exists():
            self.stdout.write(f"Demo login: {EMAIL} / {PASSWORD}  at http://127.0.0.1:8000/")
        if User.objects.filter(email=demo_clinic.CLINICIAN_EMAIL).exists():
            self.stdout.write(f"Clinician login: {demo_clinic.CLINICIAN_EMAIL} / "
                              f"{demo_clinic.CLINICIAN_PASSWORD}  at http://127.0.0.1:8000/clinic/")
            sample = demo_clinic.sample_patient_email()
            if sample:
                self.stdout.write(f"A patient of the clinic: {sample} / "
                                  f"{demo_clinic.PATIENT_PASSWORD}")


def seed(today: date) -> User:
    user = User.objects.create_user(EMAIL, PASSWORD, time_zone=settings.BACKSTRIDE_TIME_ZONE)
    consent_accept(user=user)
    screening = screening_submit(patient=user, data=SCREENING)
    start = today - timedelta(days=HISTORY_DAYS)
    weekdays = sorted({start.weekday(), (start.weekday() + 2) % 7, (start.weekday() + 4) % 7})
    plan = plan_create(patient=user, screening=screening, start=start, weekdays=weekdays,
                       sessions_per_week=3)
    # The account "began" the day before the plan, as a real one would have.
    began = timezone.now() - timedelta(days=HISTORY_DAYS + 1)
    Screening.objects.filter(pk=screening.pk).update(created_at=began)
    Consent.objects.filter(user=user).update(accepted_at=began)
    play(user, plan, start, today, random.Random(SEED))
    return user


def play(user: User, plan: Plan, start: date, today: date, rng: random.Random) -> None:
    """Each day until yesterday: the morning check-in, then the session if one is planned."""
    run_days = set(plan.days.filter(kind=PlanDay.Kind.RUN_WALK).values_list("date", flat=True))
    ran_yesterday = False
    for offset in range((today - start).days):
        day = start + timedelta(days=offset)
        if ran_yesterday or rng.random() < 0.3:
            # Most mornings are settled; now and then the back is a little sore (R-MORNING).
            morning = rng.choice([2, 2, 3, 3, 4]) if ran_yesterday else None
            checkin_create(patient=user, plan=plan, client_id=uuid.uuid4(),
                           rest_pain=rng.choice([2, 2, 3]), pain_next_morning=morning,
                           symptoms=[], today=day)
        ran_yesterday = day in run_days
        if ran_yesterday:
            log(user, plan, day, rng)


def log(user: User, plan: Plan, day: date, rng: random.Random) -> None:
    before = rng.choice([2, 3, 3])
    session_log_create(
        patient=user, plan=plan, client_id=uuid.uuid4(), day=day, status="done",
        pain_before=before, pain_during=before + rng.choice([0, 1, 1]),
        pain_after=before + rng.choice([-1, 0, 0]), talk_test_ok=rng.random() > 0.1,
        other_pain={"knee": 2} if rng.random() < 0.2 else {}, symptoms=[], run_seconds=None,
        today=day,
    )
