"""The screening wizard, the result page and the red-flag lock it can raise."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from backstride.core.errors import ScreeningError
from backstride.web.programs.models import Screening
from backstride.web.programs.services import screening_submit
from backstride.web.safety.models import RedFlagLock
from tests.web.conftest import eligible_answers, latest_screening

pytestmark = pytest.mark.django_db


def step_posts(**overrides: Any) -> dict[str, dict[str, Any]]:
    """The POST data of each wizard step for an eligible adult, with overrides."""
    steps: dict[str, dict[str, Any]] = {
        "about": {"age": "34", "sex": "female", "episode_weeks": "30", "pain_now": "3",
                  "pain_week_avg": "3", "flare_now": "no", "runs_per_month_last_3_months": "0"},
        "legs": {"leg_pain": "none", "leg_pain_worse_than_back": "no",
                 "leg_numbness_or_weakness": "no"},
        "warning-signs": {},
        "health": {"pregnant_or_postpartum": "no", "lower_limb_injury": "no",
                   "in_rehab_restricting_running": "no"},
    }
    for step, data in overrides.items():
        steps[step.replace("_", "-")].update(data)
    return steps


def run_wizard(client: Client, **overrides: Any) -> Any:
    for step, data in step_posts(**overrides).items():
        response = client.post(reverse("programs:screening_step", args=[step]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
    return client.post(reverse("programs:screening_review"), follow=True)


def test_an_eligible_adult_is_told_to_start_with_reasons_and_sources(new_client: Client,
                                                                      new_user: Any) -> None:
    response = run_wizard(new_client)
    html = response.content.decode()
    assert "You can start the run-walk program" in html
    assert "T-RUN" in html and "ASTEROID-2025" in html
    assert reverse("programs:plan_setup") in html
    assert latest_screening(new_user).outcome == Screening.Outcome.RUN_WALK


def test_the_review_page_shows_the_answers_in_words(new_client: Client) -> None:
    for step, data in step_posts().items():
        new_client.post(reverse("programs:screening_step", args=[step]), data)
    html = new_client.get(reverse("programs:screening_review")).content.decode()
    assert "No leg pain" in html and "Female" in html


def test_a_step_with_bad_answers_keeps_them_and_says_what_to_fix(new_client: Client) -> None:
    data = {**step_posts()["about"], "age": "34", "pain_now": "", "episode_weeks": "-3"}
    response = new_client.post(reverse("programs:screening_step", args=["about"]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a number from 0 to 10." in html
    assert "greater than or equal to 0" in html
    assert 'value="34"' in html  # what was typed stays
    assert 'aria-invalid="true"' in html


def test_steps_cannot_be_skipped(new_client: Client) -> None:
    response = new_client.get(reverse("programs:screening_step", args=["health"]))
    assert response["Location"] == reverse("programs:screening_step", args=["about"])
    assert new_client.get(reverse("programs:screening_step", args=["nope"])).status_code == 404


def test_going_back_to_a_step_shows_the_earlier_answers(new_client: Client) -> None:
    new_client.post(reverse("programs:screening_step", args=["about"]), step_posts()["about"])
    html = new_client.get(reverse("programs:screening_step", args=["about"])).content.decode()
    assert 'value="34"' in html
    assert 'value="no" required id="id_flare_now_1" checked' in html


def test_an_injury_needs_its_weeks(new_client: Client) -> None:
    for step in ("about", "legs", "warning-signs"):
        new_client.post(reverse("programs:screening_step", args=[step]), step_posts()[step])
    data = {**step_posts()["health"], "lower_limb_injury": "yes"}
    response = new_client.post(reverse("programs:screening_step", args=["health"]), data)
    assert "Say how many weeks ago" in response.content.decode()


def test_a_cauda_equina_symptom_means_emergency_no_plan_and_a_banner_everywhere(
    new_client: Client, new_user: Any
) -> None:
    html = run_wizard(new_client, warning_signs={"red_flags": ["bladder_change"]}).content.decode()
    assert "Go to an emergency department now" in html
    assert "T-CES" in html and "IFOMPT-2020" in html
    lock = RedFlagLock.objects.get(patient=new_user)
    assert (lock.advice, lock.symptoms, lock.cleared_at) == ("emergency", ["bladder_change"], None)
    for page in ("education:cards", "programs:screening_start"):
        assert 'class="lock-banner' in new_client.get(reverse(page)).content.decode()
    response = new_client.get(reverse("programs:plan_setup"))
    assert response["Location"] == reverse("programs:screening_result",
                                           args=[latest_screening(new_user).pk])


def test_a_clean_screening_after_a_red_flag_does_not_lift_the_lock(
    new_client: Client, new_user: Any
) -> None:
    run_wizard(new_client, warning_signs={"red_flags": ["fever_or_unwell"]})
    html = run_wizard(new_client).content.decode()
    assert "Running is locked by an earlier warning sign" in html
    assert new_client.get(reverse("programs:plan_setup")).status_code == 302


def test_a_serious_red_flag_means_a_doctor_first(new_client: Client, new_user: Any) -> None:
    html = run_wizard(new_client, warning_signs={"red_flags": ["history_of_cancer"]})
    assert "See a doctor before any running" in html.content.decode()
    assert RedFlagLock.objects.get(patient=new_user).advice == "doctor"


def test_under_18_is_refused_with_advice_and_no_plan(new_client: Client, new_user: Any) -> None:
    html = run_wizard(new_client, about={"age": "16"}).content.decode()
    assert "Backstride is for adults only" in html
    assert "T-AGE" in html
    assert latest_screening(new_user).outcome == Screening.Outcome.UNSUPPORTED
    assert new_client.get(reverse("programs:plan_setup")).status_code == 302


def test_under_18_with_a_cauda_equina_symptom_still_gets_emergency_advice(new_user: Any) -> None:
    screening = screening_submit(patient=new_user, data=eligible_answers(
        age=16, red_flags=["saddle_numbness"]))
    assert screening.outcome == Screening.Outcome.UNSUPPORTED
    assert any("emergency" in line for line in screening.advice)
    assert RedFlagLock.objects.get(patient=new_user).advice == "emergency"


def test_over_55_needs_clearance_and_may_draft_a_locked_plan(new_client: Client) -> None:
    html = run_wizard(new_client, about={"age": "60"}).content.decode()
    assert "A clinician needs to clear you first" in html
    assert "Draft my plan" in html


def test_a_flare_means_low_impact_first_and_no_plan(new_client: Client) -> None:
    html = run_wizard(new_client, about={"flare_now": "yes"}).content.decode()
    assert "Low-impact exercise first" in html and "Screen again" in html
    assert new_client.get(reverse("programs:plan_setup")).status_code == 302


def test_the_core_validates_what_the_forms_let_through(new_user: Any) -> None:
    with pytest.raises(ScreeningError) as caught:
        screening_submit(patient=new_user, data=eligible_answers(pain_now=11))
    assert caught.value.field == "pain_now"
    assert not Screening.objects.exists()


def test_a_core_error_is_shown_on_the_step_that_asked_for_the_field(new_client: Client) -> None:
    for step, data in step_posts().items():
        new_client.post(reverse("programs:screening_step", args=[step]), data)
    session = new_client.session
    session["screening_draft"]["legs"]["leg_pain"] = "ankle"  # as if tampered with
    session.save()
    response = new_client.post(reverse("programs:screening_review"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Leg symptoms" in html and "Select a valid choice" in html


def test_the_review_names_warning_signs_in_words(new_client: Client) -> None:
    for step, data in step_posts(warning_signs={"red_flags": ["bladder_change"]}).items():
        new_client.post(reverse("programs:screening_step", args=[step]), data)
    html = new_client.get(reverse("programs:screening_review")).content.decode()
    assert "New trouble passing urine or controlling the bladder" in html
