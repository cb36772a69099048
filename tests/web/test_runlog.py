"""Today, the timer page, the session log, the check-in and the decision page."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from backstride.core.errors import HistoryError
from backstride.web.accounts.timezones import local_today
from backstride.web.programs.models import Plan
from backstride.web.runlog import services as runlog_services
from backstride.web.runlog.models import Checkin, Decision, SessionLog
from backstride.web.runlog.services import checkin_create
from backstride.web.safety.models import RedFlagLock
from tests.web.conftest import log_session, login

pytestmark = pytest.mark.django_db


def log_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "client_id": str(uuid.uuid4()), "date": local_today("Europe/London").isoformat(),
        "status": "done", "pain_before": "3", "pain_during": "4", "pain_after": "3",
        "talk_test_ok": "yes", "run_minutes": "", "other_knee": "", "other_ankle": "",
        "other_hip": "", "other_foot": "",
    }
    data.update(overrides)
    return data


def test_today_shows_the_first_session_at_level_1(patient_client: Client) -> None:
    html = patient_client.get(reverse("runlog:today")).content.decode()
    assert "Today's run-walk" in html
    assert "Level 1" in html and "run 15 s" in html and "walk 1 min 30 s" in html
    assert reverse("runlog:timer") in html
    assert "R-PROGRESS" in html  # why this session


def test_the_timer_page_carries_the_whole_session_and_the_test_clock(
    patient_client: Client,
) -> None:
    html = patient_client.get(reverse("runlog:timer") + "?speed=60").content.decode()
    steps = json.loads(re.search(r'id="timer-steps" type="application/json">(.*?)</script>',
                                 html).group(1))
    assert [s["kind"] for s in steps[:3]] == ["warm_up", "run", "walk"]
    assert steps[-1]["kind"] == "cool_down"
    assert sum(s["seconds"] for s in steps) == 30 * 60
    assert 'data-speed="60.0"' in html
    assert "timer.js" in html


def test_the_test_clock_is_bounded(patient_client: Client) -> None:
    html = patient_client.get(reverse("runlog:timer") + "?speed=1e9").content.decode()
    assert 'data-speed="600.0"' in html
    html = patient_client.get(reverse("runlog:timer") + "?speed=fast").content.decode()
    assert 'data-speed="1.0"' in html


def test_the_log_form_takes_over_what_the_timer_measured(patient_client: Client) -> None:
    html = patient_client.get(reverse("runlog:log") + "?status=partial&ran=200").content.decode()
    assert 'value="3.3"' in html
    assert re.search(r'value="partial"[^>]*checked', html)
    assert re.search(r'name="client_id" value="[0-9a-f-]{36}"', html)


def test_logging_a_session_shows_the_decision_with_reasons(patient_client: Client,
                                                           patient: Any) -> None:
    response = patient_client.post(reverse("runlog:log"), log_data(), follow=True)
    html = response.content.decode()
    log = SessionLog.objects.get(patient=patient)
    assert (log.level, log.run_seconds, log.status) == (1, 165, "done")
    decision = Decision.objects.get(session_log=log)
    assert decision.decision == "repeat"  # next morning not known yet (R-MORNING)
    assert "Repeat this level" in html and "R-MORNING" in html and "SILBERNAGEL-2007" in html
    assert "Tomorrow morning, check in" in html


def test_a_repeated_submit_never_makes_a_second_row(patient_client: Client,
                                                    patient: Any) -> None:
    data = log_data()
    first = patient_client.post(reverse("runlog:log"), data)
    second = patient_client.post(reverse("runlog:log"), data)
    assert first["Location"] == second["Location"]
    assert SessionLog.objects.filter(patient=patient).count() == 1
    assert Decision.objects.filter(patient=patient).count() == 1


def test_a_second_log_on_the_same_date_is_refused_and_nothing_is_lost(
    patient_client: Client, patient: Any
) -> None:
    patient_client.post(reverse("runlog:log"), log_data())
    response = patient_client.post(reverse("runlog:log"), log_data(pain_before="5"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "You already logged a session on this date." in html
    assert re.search(r'name="pain_before" value="5"[^>]*checked', html)
    assert SessionLog.objects.get(patient=patient).pain_before == 3


def test_missing_and_out_of_range_answers_are_named_and_the_rest_kept(
    patient_client: Client, patient: Any
) -> None:
    response = patient_client.post(reverse("runlog:log"), log_data(
        pain_before="", pain_during="11", talk_test_ok="", other_knee="4", run_minutes="-1"))
    assert response.status_code == 422
    html = response.content.decode()
    assert html.count("Choose a number from 0 to 10.") == 1
    assert "Select a valid choice. 11 is not one of the available choices." in html
    assert "Answer yes or no." in html
    assert "greater than or equal to 0" in html
    assert re.search(r'<option value="4" selected>', html)  # knee pain kept
    assert not SessionLog.objects.exists()


def test_a_future_date_or_one_before_the_plan_is_refused(patient_client: Client) -> None:
    today = local_today("Europe/London")
    for day, message in ((today + timedelta(days=1), "cannot be in the future"),
                         (today - timedelta(days=1), "when your plan started")):
        response = patient_client.post(reverse("runlog:log"), log_data(date=day.isoformat()))
        assert message in response.content.decode()


def test_a_missed_session_needs_no_scores(patient_client: Client, patient: Any) -> None:
    patient_client.post(reverse("runlog:log"), log_data(
        status="missed", pain_before="", pain_during="", pain_after="", talk_test_ok=""))
    log = SessionLog.objects.get(patient=patient)
    assert (log.status, log.pain_before, log.run_seconds) == ("missed", None, 0)


def test_walking_home_records_pain_over_5_and_goes_back_a_level(patient: Any) -> None:
    plan = Plan.objects.get(patient=patient)
    Plan.objects.filter(pk=plan.pk).update(start=plan.start - timedelta(days=2))
    today = local_today(patient.time_zone)
    log_session(patient, plan, today - timedelta(days=2))
    checkin_create(patient=patient, plan=plan, client_id=uuid.uuid4(), rest_pain=2,
                   pain_next_morning=2, symptoms=[], today=today - timedelta(days=1))
    client = login(Client(), patient)
    assert "Level 2" in client.get(reverse("runlog:today")).content.decode()
    walked = {"status": "partial", "walked_home": "True", "run_minutes": "1"}
    response = client.post(reverse("runlog:log"), log_data(**walked, pain_during="4"))
    assert "choose 6 or more" in response.content.decode()
    response = client.post(reverse("runlog:log"), log_data(**walked, pain_during="7"),
                           follow=True)
    html = response.content.decode()
    assert "Go back a level" in html and "From level 2 to level 1." in html
    assert "R-DURING" in html
    log = SessionLog.objects.get(patient=patient, date=today)
    assert (log.walked_home, log.pain_during, log.run_seconds) == (True, 7, 60)


def test_the_walk_home_link_prefills_a_partial_session(patient_client: Client) -> None:
    html = patient_client.get(reverse("runlog:log") + "?walked_home=1&ran=45").content.decode()
    assert "You stopped because pain went above 5" in html
    assert re.search(r'value="partial"[^>]*checked', html)
    assert 'name="walked_home" value="True"' in html


def test_a_red_flag_in_a_log_stops_running_at_once(patient_client: Client,
                                                   patient: Any) -> None:
    response = patient_client.post(reverse("runlog:log"), log_data(
        symptoms=["saddle_numbness"]), follow=True)
    html = response.content.decode()
    assert "Stop running" in html and "R-REDFLAG" in html
    assert 'class="lock-banner lock-banner--emergency"' in html
    assert RedFlagLock.objects.get(patient=patient).source == "session_log"
    today = patient_client.get(reverse("runlog:today")).content.decode()
    assert reverse("runlog:timer") not in today
    assert patient_client.get(reverse("runlog:log")).status_code == 302


def test_the_morning_check_in_settles_yesterday_and_the_plan_moves_up(patient: Any) -> None:
    plan = Plan.objects.get(patient=patient)
    Plan.objects.filter(pk=plan.pk).update(start=plan.start - timedelta(days=1))
    today = local_today(patient.time_zone)
    log_session(patient, plan, today - timedelta(days=1), pain_before=3)
    client = login(Client(), patient)
    html = client.get(reverse("runlog:today")).content.decode()
    assert "how did your back take yesterday" in html
    form = client.get(reverse("runlog:checkin")).content.decode()
    assert "Before the session it was 3/10" in form
    response = client.post(reverse("runlog:checkin"), {
        "client_id": str(uuid.uuid4()), "rest_pain": "2", "pain_next_morning": "3"}, follow=True)
    html = response.content.decode()
    assert "Move up a level" in html and "From level 1 to level 2." in html
    assert SessionLog.objects.get(patient=patient).pain_next_morning == 3
    assert "Level 2" in client.get(reverse("runlog:today")).content.decode()


def test_a_second_check_in_today_updates_the_first(patient: Any) -> None:
    plan = Plan.objects.get(patient=patient)
    for pain in (2, 4):
        checkin_create(patient=patient, plan=plan, client_id=uuid.uuid4(), rest_pain=pain,
                       pain_next_morning=None, symptoms=[])
    assert list(Checkin.objects.values_list("rest_pain", flat=True)) == [4]


def test_a_retried_check_in_is_stored_once(patient: Any) -> None:
    plan = Plan.objects.get(patient=patient)
    client_id = uuid.uuid4()
    first = checkin_create(patient=patient, plan=plan, client_id=client_id, rest_pain=2,
                           pain_next_morning=None, symptoms=[])
    again = checkin_create(patient=patient, plan=plan, client_id=client_id, rest_pain=2,
                           pain_next_morning=None, symptoms=[])
    assert (first.created, again.created) == (True, False)
    assert again.decision == first.decision
    assert Decision.objects.count() == 1


def test_a_retry_committed_between_the_checks_is_not_a_second_check_in(
    patient: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two posts of one check-in race: the second sees no row by client id, then
    finds the first one's committed row for today. It is the same post, not an update."""
    plan = Plan.objects.get(patient=patient)
    client_id = uuid.uuid4()
    first = checkin_create(patient=patient, plan=plan, client_id=client_id, rest_pain=2,
                           pain_next_morning=None, symptoms=[])
    monkeypatch.setattr(runlog_services, "_existing", lambda *args: None)
    again = checkin_create(patient=patient, plan=plan, client_id=client_id, rest_pain=2,
                           pain_next_morning=None, symptoms=[])
    assert (False, first.row.pk, first.decision) == (again.created, again.row.pk, again.decision)
    assert Decision.objects.filter(checkin=first.row).count() == 1


def test_a_log_committed_by_a_racing_post_is_answered_as_a_retry(
    patient: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The racing post's row appears after the date check: the database's unique
    constraint, not a validation error, decides, and the retry gets the first row."""
    plan = Plan.objects.get(patient=patient)
    client_id = uuid.uuid4()
    today = local_today(patient.time_zone)
    fields: dict[str, Any] = {
        "patient": patient, "plan": plan, "client_id": client_id, "day": today,
        "status": "done", "pain_before": 1, "pain_during": 2, "pain_after": 1,
        "talk_test_ok": True, "other_pain": {}, "symptoms": [], "run_seconds": None}
    first = runlog_services.session_log_create(**fields)
    seen = iter([None, first.row])  # invisible at the first look, there after the insert
    monkeypatch.setattr(runlog_services, "_existing", lambda *args: next(seen))
    monkeypatch.setattr(SessionLog.objects, "filter", _no_row_yet(SessionLog.objects.filter))
    again = runlog_services.session_log_create(**fields)
    assert (False, first.row.pk) == (again.created, again.row.pk)
    assert SessionLog.objects.filter(patient=patient).count() == 1


def _no_row_yet(filter_: Any) -> Any:
    """``SessionLog.objects.filter`` whose first ``.exists()`` says no (the racing row
    was not committed yet); later queries see the database as it is."""
    calls = {"n": 0}

    def patched(*args: Any, **kwargs: Any) -> Any:
        query = filter_(*args, **kwargs)
        calls["n"] += 1
        if calls["n"] == 1:
            query = query.none()
        return query
    return patched


def test_a_warning_sign_at_check_in_locks_running(patient_client: Client, patient: Any) -> None:
    patient_client.post(reverse("runlog:checkin"), {
        "client_id": str(uuid.uuid4()), "rest_pain": "2", "symptoms": ["fever_or_unwell"]})
    lock = RedFlagLock.objects.get(patient=patient)
    assert (lock.advice, lock.source) == ("doctor", "checkin")
    assert 'lock-banner--doctor' in patient_client.get(reverse("runlog:progress")).content.decode()


def test_another_patients_client_id_is_never_reused(patient: Any, other_patient: Any) -> None:
    row = SessionLog.objects.get(patient=other_patient)
    theirs = Checkin.objects.get(patient=other_patient)
    plan = Plan.objects.get(patient=patient)
    with pytest.raises(HistoryError):
        checkin_create(patient=patient, plan=plan, client_id=theirs.client_id, rest_pain=1,
                       pain_next_morning=None, symptoms=[])
    from backstride.web.runlog.services import session_log_create

    with pytest.raises(HistoryError):
        session_log_create(patient=patient, plan=plan, client_id=row.client_id,
                           day=local_today(patient.time_zone), status="missed",
                           pain_before=None, pain_during=None, pain_after=None,
                           talk_test_ok=None, other_pain={}, symptoms=[], run_seconds=None)


def test_the_progress_page_draws_charts_with_a_table_fallback(patient: Any) -> None:
    plan = Plan.objects.get(patient=patient)
    today = local_today(patient.time_zone)
    log_session(patient, plan, today, pain_before=3, pain_after=2)
    html = login(Client(), patient).get(reverse("runlog:progress")).content.decode()
    assert html.count("<svg viewBox=\"0 0 640 260\"") == 3
    assert "Back pain around each session" in html and "Running minutes per week" in html
    assert "<table>" in html and "Show as a table" in html
    assert "1<span>/1</span>" in html  # completed / prescribed so far


def test_an_empty_progress_page_says_what_will_appear(patient_client: Client) -> None:
    assert "charts appear after your first" in patient_client.get(
        reverse("runlog:progress")).content.decode()


def test_a_flare_at_check_in_pauses_running_for_low_impact(patient: Any) -> None:
    plan = Plan.objects.get(patient=patient)
    today = local_today(patient.time_zone)
    for day in (today - timedelta(days=1), today):
        logged = checkin_create(patient=patient, plan=plan, client_id=uuid.uuid4(), rest_pain=7,
                                pain_next_morning=None, symptoms=[], today=day)
    assert logged.decision.decision == "pause_running"
    client = login(Client(), patient)
    html = client.get(reverse("runlog:today")).content.decode()
    assert "No running today" in html and "R-FLARE" in html
    assert reverse("runlog:timer") not in html
    assert client.get(reverse("runlog:timer"))["Location"] == reverse("runlog:today")
    assert not RedFlagLock.objects.exists()  # a flare pauses; it does not lock
