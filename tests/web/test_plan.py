"""Plan set-up and the plan calendar."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from backstride.core.errors import PlanError
from backstride.web.accounts.timezones import local_today
from backstride.web.programs.models import Plan, PlanDay
from backstride.web.programs.services import plan_create, screening_submit
from tests.web.conftest import eligible_answers, login, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def screened(new_user: Any) -> Any:
    screening_submit(patient=new_user, data=eligible_answers())
    return new_user


def post_plan(client: Client, **data: Any) -> Any:
    return client.post(reverse("programs:plan_setup"), data)


def test_a_plan_is_12_weeks_with_run_walk_on_the_chosen_days(screened: Any) -> None:
    client = login(Client(), screened)
    start = local_today(screened.time_zone)
    days = [start.weekday(), (start.weekday() + 2) % 7, (start.weekday() + 4) % 7]
    response = post_plan(client, start=start.isoformat(), weekdays=days, sessions_per_week=3)
    assert response["Location"] == reverse("programs:plan")
    plan = Plan.objects.get(patient=screened)
    assert (plan.weeks, plan.clearance, plan.baseline_pain) == (12, "not_required", 3.0)
    rows = list(plan.days.all())
    assert len(rows) == 84
    run_days = [d for d in rows if d.kind == PlanDay.Kind.RUN_WALK]
    assert len(run_days) == 36
    assert {d.date.weekday() for d in run_days} == set(days)
    assert {d.kind for d in rows} == {"run_walk", "cross_training", "strength", "rest"}


def test_the_calendar_shows_weeks_and_days(patient_client: Client) -> None:
    html = patient_client.get(reverse("programs:plan")).content.decode()
    assert "Week 12" in html
    assert html.count('class="day day--') == 84
    assert "day--today" in html and "P-DAYS" in html


def test_consecutive_days_are_refused_with_the_core_reason(screened: Any) -> None:
    client = login(Client(), screened)
    start = local_today(screened.time_zone)
    response = post_plan(client, start=start.isoformat(), weekdays=[0, 1, 3],
                         sessions_per_week=3)
    assert response.status_code == 422
    html = response.content.decode()
    assert "never consecutive" in html
    assert re.search(r'value="0"[^>]*id="id_weekdays_0" checked', html)  # the choice is kept
    assert not Plan.objects.exists()


def test_the_number_of_days_must_match_sessions_a_week(screened: Any) -> None:
    client = login(Client(), screened)
    response = post_plan(client, start=local_today("UTC").isoformat(), weekdays=[0, 2],
                         sessions_per_week=3)
    assert "choose exactly 3" in response.content.decode()


def test_a_start_in_the_past_is_refused(screened: Any) -> None:
    client = login(Client(), screened)
    past = local_today(screened.time_zone) - timedelta(days=1)
    response = post_plan(client, start=past.isoformat(), weekdays=[0, 2, 4],
                         sessions_per_week=3)
    assert "Choose today or a later date." in response.content.decode()


def test_missing_answers_are_named(screened: Any) -> None:
    response = post_plan(login(Client(), screened))
    html = response.content.decode()
    assert "Choose the days you will run-walk." in html
    assert html.count("This field is required.") == 2


def test_outside_the_trial_population_gets_two_sessions_a_week(new_user: Any) -> None:
    screening = screening_submit(patient=new_user, data=eligible_answers(age=50))
    assert screening.profile == "conservative"
    client = login(Client(), new_user)
    html = client.get(reverse("programs:plan_setup")).content.decode()
    assert "2 run-walk sessions a week" in html
    assert 'name="sessions_per_week" value="3"' not in html
    with pytest.raises(PlanError):
        plan_create(patient=new_user, screening=screening, start=local_today("UTC"),
                    weekdays=[0, 2, 4], sessions_per_week=3)


def test_clearance_drafts_a_locked_plan_without_running(new_user: Any) -> None:
    plan = make_plan(new_user, age=60)
    assert plan.clearance == "pending"
    client = login(Client(), new_user)
    html = client.get(reverse("runlog:today")).content.decode()
    assert "Waiting for clearance." in html
    assert reverse("runlog:timer") not in html
    assert client.get(reverse("runlog:timer"))["Location"] == reverse("runlog:today")
    assert client.get(reverse("runlog:log"))["Location"] == reverse("runlog:today")


def test_a_new_plan_replaces_the_current_one(patient: Any) -> None:
    old = Plan.objects.get(patient=patient)
    make_plan(patient)
    assert Plan.objects.filter(patient=patient).count() == 2
    assert Plan.objects.get(patient=patient, is_current=True) != old
