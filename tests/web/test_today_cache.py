"""The today page's cached content: a new state is always a new page, never a stale copy.

``runlog.today_cache`` keeps the content under the patient's state digest
(``runlog.digest``). These tests hold the digest to two promises: it covers
every table the uncached page reads (so a new read cannot slip past it), and
after each kind of write a patient or a clinician makes, the page shows what an
uncached render shows.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.activities.models import ImportedActivity
from backstride.web.activities.services import activity_set_date
from backstride.web.caseload import services as caseload
from backstride.web.messaging.services import message_send, thread_mark_read
from backstride.web.outcomes import selectors as outcome_selectors
from backstride.web.outcomes import services as outcome_services
from backstride.web.programs.models import Plan
from backstride.web.runlog import digest, today_cache, views
from backstride.web.runlog.models import SessionLog
from backstride.web.runlog.services import checkin_create, session_log_running_update
from backstride.web.safety.selectors import red_flag_lock_open
from backstride.web.safety.services import red_flag_lock_create
from tests.core.test_licensed_definitions import invented
from tests.web.clinics import enrol
from tests.web.conftest import (
    log_session,
    login,
    make_plan,
    make_user,
    upload_activity,
)

pytestmark = pytest.mark.django_db

TODAY = reverse("runlog:today")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')

# Tables the page reads that the digest need not cover, and why.
NOT_IN_THE_DIGEST = {
    "django_session": "the request's own session, read for every request",
    "accounts_user": "the signed-in patient (the time zone, all the content uses of the row, is "
                     "in the key) and the clinicians joined to overrides and clearances by "
                     "select_related (the content shows none of their fields)",
    "audit_party": "the audit trail of the request itself",
    "programs_screening": "joined to the plan by plan_current; no field of it reaches the "
                          "content, and a plan's screening never changes",
    "caseload_clinic": "joined to reach the clinic's questionnaires, which the digest covers "
                       "through the enrolment's clinic",
}


def page(client: Client) -> str:
    response = client.get(TODAY)
    assert 200 == response.status_code
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())


def uncached(client: Client) -> str:
    cache.clear()
    return page(client)


def read_tables(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', sql))


# --- Personas --------------------------------------------------------------------------


@pytest.fixture
def runner(clinician: User) -> User:
    """A clinic patient in week 2 whose run-walk day is today; three sessions checked in."""
    user = make_user("runner@example.org")
    today = _today(user)
    plan = make_plan(user, start=today - timedelta(days=7))
    for ago in (7, 5, 3):
        log_session(user, plan, today - timedelta(days=ago))
        checkin_create(patient=user, plan=plan, client_id=uuid.uuid4(), rest_pain=2,
                       pain_next_morning=2, symptoms=[], today=today - timedelta(days=ago - 1))
    enrol(user, clinician)
    return user


def _today(user: User) -> date:
    return local_today(user.time_zone)


def plan_of(user: User) -> Plan:
    return Plan.objects.get(patient=user, is_current=True)


# --- The digest covers what the page reads -----------------------------------------------


def test_the_digest_covers_every_table_the_uncached_page_reads(
        runner: User, clinician: User, clinic: Any) -> None:
    """Run on both paths of the content: today not yet logged (the engine replays every
    log and check-in) and today logged (the log's decision); with a lock, an override, a
    message, a recording and a clinic questionnaire, so every query has rows to read."""
    outcome_services.questionnaires_load(clinic=clinic, data=[invented("odi")])
    caseload.override_create(clinician=clinician, patient=runner, kind="hold_progression",
                             reason="Knee niggle")
    message_send(patient=runner, sender=clinician, body="How did Saturday go?")
    red_flag_lock_create(patient=runner, symptoms=["fever_or_unwell"], rules=["R-REDFLAG"],
                         source="checkin")
    upload_activity(runner, _today(runner))
    client = login(Client(), runner)
    statements: list[str] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql != digest.SQL and sql.lstrip().upper().startswith("SELECT"):
            statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        uncached(client)
    log_session(runner, plan_of(runner), _today(runner))
    with connection.execute_wrapper(capture):
        uncached(client)
    read = set().union(*(read_tables(sql) for sql in statements))
    assert {"runlog_sessionlog", "runlog_checkin", "runlog_decision"} <= read  # it sees them
    assert set() == read - digest.DIGEST_TABLES - set(NOT_IN_THE_DIGEST)


def test_the_cached_page_is_the_uncached_page_and_costs_no_engine_replay(
        runner: User, monkeypatch: pytest.MonkeyPatch) -> None:
    client = login(Client(), runner)
    first = page(client)
    monkeypatch.setattr(views.selectors, "today_for", _must_not_run)
    assert first == page(client)
    assert "Today's run-walk" in first


def _must_not_run(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the engine ran for a page whose state had not changed")


# --- Every kind of write shows at once ----------------------------------------------------


def _log_today(user: User, clinician: User) -> None:
    log_session(user, plan_of(user), _today(user))


def _settle_yesterday(user: User, clinician: User) -> None:
    checkin_create(patient=user, plan=plan_of(user), client_id=uuid.uuid4(), rest_pain=2,
                   pain_next_morning=2, symptoms=[], today=_today(user))


def _check_in_again_with_more_pain(user: User, clinician: User) -> None:
    # Rest pain 7 yesterday and now today too: a flare (R-FLARE) pauses running.
    checkin_create(patient=user, plan=plan_of(user), client_id=uuid.uuid4(), rest_pain=7,
                   pain_next_morning=None, symptoms=[], today=_today(user))


def _override(kind: str, **values: Any) -> Callable[[User, User], None]:
    def write(user: User, clinician: User) -> None:
        caseload.override_create(clinician=clinician, patient=user, kind=kind,
                                 reason="Clinical judgement", **values)
    return write


def _red_flag(user: User, clinician: User) -> None:
    red_flag_lock_create(patient=user, symptoms=["fever_or_unwell"], rules=["R-REDFLAG"],
                         source="checkin")


def _clear_the_lock(user: User, clinician: User) -> None:
    lock = red_flag_lock_open(user)
    assert lock is not None
    caseload.red_flag_lock_lift(clinician=clinician, lock=lock, note="GP: viral",
                                doctor_seen=True)


def _message(user: User, clinician: User) -> None:
    message_send(patient=user, sender=clinician, body="How did Saturday go?")


def _read_the_thread(user: User, clinician: User) -> None:
    thread_mark_read(patient=user, reader=user)


def _answer(finish: bool) -> Callable[[User, User], None]:
    def write(user: User, clinician: User) -> None:
        measure = outcome_selectors.measure_for(user, "pain")
        assert measure is not None
        outcome_services.response_save(patient=user, plan=plan_of(user), measure=measure,
                                       week=1, answers={"pain": 4}, finish=finish,
                                       today=_today(user))
    return write


def _clinic_loads_a_questionnaire(user: User, clinician: User) -> None:
    outcome_services.questionnaires_load(clinic=clinician.clinic_membership.clinic,
                                         data=[invented("odi")])


def _import_todays_run(user: User, clinician: User) -> None:
    upload_activity(user, _today(user))


def _date_an_undated_recording(user: User, clinician: User) -> None:
    activity = ImportedActivity.objects.get(patient=user)
    activity_set_date(activity=activity, day=_today(user), today=_today(user))


def _new_plan(user: User, clinician: User) -> None:
    make_plan(user, start=_today(user) + timedelta(days=3))


def _reschedule(user: User, clinician: User) -> None:
    today = _today(user)
    caseload.override_create(clinician=clinician, patient=user, kind="sessions_per_week",
                             reason="Two is plenty", sessions_per_week=2,
                             weekdays=[(today.weekday() + 1) % 7, (today.weekday() + 4) % 7])


def _with_pain_yesterday_and_a_calm_check_in_today(user: User, clinician: User) -> None:
    for day, pain in ((_today(user) - timedelta(days=1), 7), (_today(user), 2)):
        checkin_create(patient=user, plan=plan_of(user), client_id=uuid.uuid4(), rest_pain=pain,
                       pain_next_morning=None, symptoms=[], today=day)


def _with_an_undated_recording(user: User, clinician: User) -> None:
    # Recorded before the plan began: matched to no session, not shown today.
    activity = upload_activity(user, _today(user) - timedelta(days=10)).activity
    ImportedActivity.objects.filter(pk=activity.pk).update(start=None, local_date=None)


def _with_a_log_yesterday(user: User, clinician: User) -> None:
    # Yesterday's session without its next-morning pain: the page asks for the check-in.
    log_session(user, plan_of(user), _today(user) - timedelta(days=1))


WRITES = {
    "session log": (None, _log_today, "Done for today"),
    "check-in settling yesterday": (_with_a_log_yesterday, _settle_yesterday, None),
    "second check-in today": (_with_pain_yesterday_and_a_calm_check_in_today,
                              _check_in_again_with_more_pain, "R-FLARE"),
    "pause running": (None, _override("pause_running"), "Pause running"),
    "hold progression": (None, _override("hold_progression"), "Hold progression"),
    "set level": (None, _override("set_level", level=6), "A clinician set the level to 6"),
    "sessions per week": (None, _reschedule, None),
    "red-flag lock": (None, _red_flag, "Running is locked until a clinician clears it"),
    "lock cleared": (_red_flag, _clear_the_lock, None),
    "message from the clinician": (None, _message, 'class="count">1'),
    "thread read": (_message, _read_the_thread, None),
    "questionnaire started": (None, _answer(finish=False), "(started: finish it)"),
    "questionnaire finished": (_answer(finish=False), _answer(finish=True), None),
    "clinic questionnaire loaded": (None, _clinic_loads_a_questionnaire, None),
    "activity import": (None, _import_todays_run, "Recorded run"),
    "recording dated": (_with_an_undated_recording, _date_an_undated_recording, "Recorded run"),
    "new plan": (None, _new_plan, "Your plan starts soon"),
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_after_each_kind_of_write_the_page_shows_the_change(
        write: str, runner: User, clinician: User) -> None:
    setup, change, shown = WRITES[write]
    if setup is not None:
        setup(runner, clinician)
    client = login(Client(), runner)
    before = page(client)
    assert before == page(client)  # now served from the cache
    change(runner, clinician)
    after = page(client)
    assert after != before, "the write changed nothing on the page: a useless case"
    assert uncached(client) == after
    if shown is not None:
        assert shown in after


def signature(user: User, table: str) -> Any:
    """The digest's values for ``table`` (the parts follow the joined columns)."""
    state = digest.today_digest(user, _today(user))
    assert state is not None
    parts = state.values[-len(digest.PARTS):]
    return dict(zip([part.table for part in digest.PARTS], parts, strict=True))[table]


def _more_symptoms_same_pain(user: User, clinician: User) -> None:
    checkin_create(patient=user, plan=plan_of(user), client_id=uuid.uuid4(), rest_pain=2,
                   pain_next_morning=None, symptoms=["fever_or_unwell"], today=_today(user))


def _running_from_the_watch(user: User, clinician: User) -> None:
    log = SessionLog.objects.filter(patient=user).latest("date")
    session_log_running_update(patient=user, plan=plan_of(user), log=log, run_seconds=300)


def _with_a_calm_check_in_today(user: User, clinician: User) -> None:
    checkin_create(patient=user, plan=plan_of(user), client_id=uuid.uuid4(), rest_pain=2,
                   pain_next_morning=None, symptoms=[], today=_today(user))


# Each table's own values move with each kind of write to it, whatever else moves along.
OWN_VALUES = {
    "a log": ("runlog_sessionlog", None, _log_today),
    "a next-morning pain": ("runlog_sessionlog", _with_a_log_yesterday, _settle_yesterday),
    "running from a watch": ("runlog_sessionlog", None, _running_from_the_watch),
    "a check-in": ("runlog_checkin", None, _settle_yesterday),
    "a second check-in, more pain": ("runlog_checkin", _with_a_calm_check_in_today,
                                     _check_in_again_with_more_pain),
    "a second check-in, more symptoms": ("runlog_checkin", _with_a_calm_check_in_today,
                                         _more_symptoms_same_pain),
    "a decision": ("runlog_decision", None, _log_today),
    "an override": ("caseload_override", None, _override("pause_running")),
    "a reschedule": ("programs_planday", None, _reschedule),
    "a lock": ("safety_redflaglock", None, _red_flag),
    "a clearance of the lock": ("safety_redflaglock", _red_flag, _clear_the_lock),
    "an import": ("activities_importedactivity", None, _import_todays_run),
    "a dating": ("activities_importedactivity", _with_an_undated_recording,
                 _date_an_undated_recording),
    "a clinic questionnaire": ("outcomes_questionnaire", None, _clinic_loads_a_questionnaire),
    "a draft": ("outcomes_questionnaireresponse", None, _answer(finish=False)),
    "a draft finished": ("outcomes_questionnaireresponse", _answer(finish=False),
                         _answer(finish=True)),
    "a finished one reopened": ("outcomes_questionnaireresponse", _answer(finish=True),
                                _answer(finish=False)),
}


@pytest.mark.parametrize("write", OWN_VALUES, ids=list(OWN_VALUES))
def test_each_write_moves_its_own_tables_values(write: str, runner: User,
                                                clinician: User) -> None:
    """Not only the page: the written table's own values move, so no table's coverage
    rests on another table moving in the same transaction (a log also adds a decision)."""
    table, setup, change = OWN_VALUES[write]
    if setup is not None:
        setup(runner, clinician)
    before = signature(runner, table)
    change(runner, clinician)
    assert signature(runner, table) != before


def test_the_plan_and_the_enrolment_move_with_an_override_and_a_new_plan(
        runner: User, clinician: User) -> None:
    day = _today(runner)
    state = digest.today_digest(runner, day)
    _override("hold_progression")(runner, clinician)
    held = digest.today_digest(runner, day)
    _new_plan(runner, clinician)
    planned = digest.today_digest(runner, day)
    assert state is not None and held is not None and planned is not None
    joined = len(state.values) - len(digest.PARTS)
    assert state.values[:joined] != held.values[:joined] != planned.values[:joined]


def test_a_clearance_decision_shows_at_once(clinician: User) -> None:
    waiting = make_user("waiting@example.org")
    make_plan(waiting, conditions=["disc_herniation"])
    enrol(waiting, clinician)
    client = login(Client(), waiting)
    assert "Waiting for clearance" in page(client)
    before = signature(waiting, "caseload_clearancedecision")
    caseload.clearance_decide(clinician=clinician, patient=waiting, outcome="cleared",
                              note="Fine to start gently")
    after = page(client)
    assert "Cleared to run-walk" in after and "Fine to start gently" in after
    assert uncached(client) == after
    assert signature(waiting, "caseload_clearancedecision") != before


def test_the_next_local_day_is_a_new_page(runner: User, monkeypatch: pytest.MonkeyPatch) -> None:
    client = login(Client(), runner)
    today = page(client)
    tomorrow = _today(runner) + timedelta(days=1)
    monkeypatch.setattr(views, "local_today", lambda zone: tomorrow)
    assert page(client) != today
    assert uncached(client) == page(client)


def test_a_patient_without_consent_is_sent_to_the_consent_page() -> None:
    user = make_user("new@example.org", consent=False)
    response = login(Client(), user).get(TODAY)
    assert 302 == response.status_code
    assert response["Location"].startswith(reverse("accounts:consent"))


def test_a_patient_without_a_plan_is_sent_home(new_client: Client) -> None:
    response = new_client.get(TODAY)
    assert (302, reverse("home")) == (response.status_code, response["Location"])


# --- What is never cached ---------------------------------------------------------------


def test_each_response_carries_its_own_working_csrf_token(runner: User) -> None:
    """The upload form's token is this request's, even when the content is cached."""
    client = login(Client(enforce_csrf_checks=True), runner)
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                         client.get(TODAY).content.decode()) for _ in range(2)]
    assert all(len(found) >= 2 for found in tokens)  # the log-out and the upload forms
    assert not set(tokens[0]) & set(tokens[1])  # masked afresh for every response
    response = client.post(reverse("activities:upload"), {"csrfmiddlewaretoken": tokens[1][-1]})
    assert 403 != response.status_code


@pytest.fixture
def stored(monkeypatch: pytest.MonkeyPatch) -> list[today_cache.Content]:
    """What the page puts in the cache."""
    kept: list[today_cache.Content] = []
    keep = today_cache._set
    monkeypatch.setattr(today_cache, "_set",
                        lambda key, content: (kept.append(content), keep(key, content)))
    return kept


def test_the_cached_content_has_no_script_and_no_nonce(
        runner: User, stored: list[today_cache.Content]) -> None:
    page(login(Client(), runner))
    [content] = stored
    assert "<script" not in content.html and "nonce" not in content.html
    assert content.slot in content.html  # the upload form's token goes there


def test_content_with_a_script_is_never_stored(
        runner: User, stored: list[today_cache.Content], monkeypatch: pytest.MonkeyPatch) -> None:
    rendered = today_cache.content_rendered

    def with_script(*args: Any, **kwargs: Any) -> today_cache.Content:
        content = rendered(*args, **kwargs)
        return today_cache.Content(content.html + "<script>go()</script>", content.slot,
                                   content.lock)

    monkeypatch.setattr(today_cache, "content_rendered", with_script)
    page(login(Client(), runner))
    assert [] == stored


def test_a_request_with_a_message_waiting_is_rendered_afresh(
        runner: User, clinician: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """A message follows a write: in doubt, the engine decides again."""
    _red_flag(runner, clinician)
    client = login(Client(), runner)
    page(client)
    calls: list[object] = []
    today_for = views.selectors.today_for
    monkeypatch.setattr(views.selectors, "today_for",
                        lambda *args: calls.append(args) or today_for(*args))
    assert client.get(reverse("runlog:timer"))["Location"] == TODAY  # locked: a warning
    assert "Running is locked for now" in page(client)
    assert 1 == len(calls)
    assert "Running is locked for now" not in page(client)  # shown once; cached again
    assert 1 == len(calls)


def test_a_write_during_the_render_is_not_kept(
        runner: User, stored: list[today_cache.Content], monkeypatch: pytest.MonkeyPatch) -> None:
    """The digest is read again before storing: content rendered while the state moved
    would otherwise sit under the old state's key."""
    render = views._today_content

    def render_then_write(request: Any, day: date) -> Any:
        content = render(request, day)
        log_session(runner, plan_of(runner), day)
        return content

    monkeypatch.setattr(views, "_today_content", render_then_write)
    client = login(Client(), runner)
    page(client)
    assert [] == stored
    monkeypatch.setattr(views, "_today_content", render)
    assert "Done for today" in page(client)


def test_a_failing_cache_costs_speed_not_the_page(runner: User,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache server down")

    monkeypatch.setattr(today_cache.cache, "get", broken)
    monkeypatch.setattr(today_cache.cache, "set", broken)
    assert "Today" in page(login(Client(), runner))


def test_the_key_names_the_patient_the_day_the_language_and_the_time_zone(
        runner: User, patient: User) -> None:
    day = _today(runner)
    state = digest.today_digest(runner, day)
    assert state is not None

    def key(user: User, on: date, language: str, zone: str) -> str:
        request = type("Request", (), {"user": user})()
        with translation.override(language), timezone.override(zone):
            return today_cache.content_key(request, on, state)  # type: ignore[arg-type]

    base = key(runner, day, "en", "Europe/London")
    assert base == key(runner, day, "en", "Europe/London")
    others = [key(patient, day, "en", "Europe/London"),
              key(runner, day + timedelta(days=1), "en", "Europe/London"),
              key(runner, day, "fr", "Europe/London"),
              key(runner, day, "en", "America/New_York")]
    assert base not in others and len(set(others)) == len(others)


def test_the_unread_count_is_exact_and_not_part_of_the_key(runner: User,
                                                           clinician: User) -> None:
    day = _today(runner)
    before = digest.today_digest(runner, day)
    message_send(patient=runner, sender=clinician, body="Hello")
    after = digest.today_digest(runner, day)
    assert before is not None and after is not None
    assert (0, 1) == (before.nav_unread, after.nav_unread)
    assert before.values == after.values
