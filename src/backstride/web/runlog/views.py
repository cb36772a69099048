"""Today, the interval timer, the session log, the check-in, decisions and progress."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backstride.core.errors import BackstrideError
from backstride.web.accounts.access import consent_redirect, consent_required, patient_required
from backstride.web.accounts.timezones import local_today
from backstride.web.activities import selectors as activity_selectors
from backstride.web.activities import services as activity_services
from backstride.web.activities.forms import upload_form
from backstride.web.caseload.selectors import clearance_latest, overrides_for_patient
from backstride.web.citations import with_citations
from backstride.web.errors import add_core_error
from backstride.web.forms import posted
from backstride.web.outcomes import selectors as outcome_selectors
from backstride.web.programs.models import Plan
from backstride.web.programs.selectors import plan_current
from backstride.web.runlog import charts, presentation, selectors, services, today_cache
from backstride.web.runlog.digest import today_digest
from backstride.web.runlog.forms import CheckinForm, SessionLogForm
from backstride.web.runlog.models import SessionLog
from backstride.web.safety.context_processors import red_flag_banner
from backstride.web.safety.selectors import red_flag_lock_open

MAX_SPEED = 600.0  # the timer's test clock: at most 10 minutes a second
CLEARANCE_SHOWN_DAYS = 14  # a clearance result stays on the today page this long


@patient_required
def today(request: HttpRequest) -> HttpResponse:
    """The day's session, advice and news: the content comes from the cache when unchanged.

    One query of its own (the state digest, with the consent that
    ``consent_required`` would read) when nothing changed since the page was
    last shown; otherwise the engine decides again (``runlog.today_cache``).
    """
    day = local_today(request.user.time_zone)
    digest = today_digest(request.user, day)
    if digest is None:
        return redirect("home")
    if not digest.consented:
        return consent_redirect(request)
    if not digest.has_plan:
        return redirect("home")
    content = today_cache.content_for(request, day, digest, lambda: _today_content(request, day))
    if content is None:  # the plan went between the digest and the render
        return redirect("home")
    return render(request, "runlog/today.html", {
        "content": content.for_request(request),
        "nav_enrolled": digest.nav_enrolled, "nav_unread": digest.nav_unread,
        **red_flag_banner(content.lock),
    })


def _today_content(request: HttpRequest, day: date) -> today_cache.Content | None:
    """The page's own part for ``day``, decided by the engine (on a cache miss)."""
    plan = plan_current(request.user)
    if plan is None:
        return None
    state = selectors.today_for(request.user, plan, day)
    lock = red_flag_lock_open(request.user)
    prescription = state.decision.next_session.as_dict() if state.decision else None
    reasons = state.decision.as_dict()["reasons"] if state.decision else []
    return today_cache.content_rendered("runlog/_today.html", {
        "plan": plan,
        "state": state,
        "prescription": prescription,
        "groups": presentation.bout_groups(prescription["intervals"]) if prescription else [],
        "decision_reasons": with_citations(reasons),
        "logged_decision": state.logged.decisions.first() if state.logged else None,
        "before_start": day < plan.start,
        # The lock is read once, for this and for the banner.
        "can_run": _running_allowed(plan, lock) and state.logged is None and state.runs_today,
        "red_flag_lock": lock,
        "clinician": _from_clinician(request.user, day),
        # Journey step 6: today's recordings, and the upload that brings one in.
        "imported": activity_selectors.activities_for_session(request.user, day),
        "upload_form": upload_form(),
        # O-SCHED: the questionnaires open this week and not yet finished.
        "due": outcome_selectors.due_for(request.user, plan, day),
    }, lock=lock)


def _from_clinician(patient: Any, day: Any) -> dict[str, Any]:
    """What the patient's clinician changed, with the reasons, and the clearance result."""
    clearance = clearance_latest(patient)
    return {"overrides": overrides_for_patient(patient, limit=3), "clearance": clearance,
            "recent": (clearance is not None
                       and (day - clearance.created_at.date()).days <= CLEARANCE_SHOWN_DAYS)}


def _can_run(request: HttpRequest, plan: Plan) -> bool:
    return _running_allowed(plan, red_flag_lock_open(request.user))


def _running_allowed(plan: Plan, lock: object | None) -> bool:
    """Running needs a cleared plan and no open red-flag lock."""
    return not plan.locked and lock is None


def _running_refusal(request: HttpRequest, plan: Plan | None) -> HttpResponse | None:
    """No plan, a plan waiting for clearance, or a red-flag lock: no running, no run log."""
    if plan is None:
        return redirect("home")
    if not _can_run(request, plan):
        messages.warning(request, _("Running is locked for now: see the advice on this page."))
        return redirect("runlog:today")
    return None


@consent_required
def timer(request: HttpRequest) -> HttpResponse:
    plan = plan_current(request.user)
    refusal = _running_refusal(request, plan)
    if refusal is not None:
        return refusal
    day = local_today(request.user.time_zone)
    state = selectors.today_for(request.user, plan, day)
    # Only on a planned run-walk day (P-DAYS), not yet logged, with running in it.
    if state.logged is not None or not state.is_run_day or not state.runs_today:
        return redirect("runlog:today")
    prescription = state.decision.next_session.as_dict()
    return render(request, "runlog/timer.html", {
        "steps": presentation.timeline(prescription),
        "prescription": prescription,
        "speed": _speed(request.GET.get("speed")),
        "log_url": reverse("runlog:log"),
    })


def _speed(value: str | None) -> float:
    try:
        speed = float(value or 1)
    except ValueError:
        return 1.0
    return min(max(speed, 1.0), MAX_SPEED)


@consent_required
@require_http_methods(["GET", "POST"])
def session_log(request: HttpRequest) -> HttpResponse:
    plan = plan_current(request.user)
    refusal = _running_refusal(request, plan)
    if refusal is not None:
        return refusal
    day = local_today(request.user.time_zone)
    form = SessionLogForm(posted(request), today=day, earliest=plan.start,
                          initial=_log_initial(request, day))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        minutes = data["run_minutes"]
        try:
            logged = services.session_log_create(
                patient=request.user, plan=plan, client_id=data["client_id"], day=data["date"],
                status=data["status"], pain_before=data["pain_before"],
                pain_during=data["pain_during"], pain_after=data["pain_after"],
                talk_test_ok=data["talk_test_ok"], other_pain=form.other_pain(),
                symptoms=data["symptoms"], walked_home=data["walked_home"],
                run_seconds=_run_seconds(request, data["date"], minutes), today=day,
            )
        except BackstrideError as error:
            add_core_error(form, error)
        else:
            activity_services.activities_attach_log(patient=request.user, log=logged.row)
            return redirect("runlog:decision", pk=logged.decision.pk)
    return render(request, "runlog/session_log.html", {"form": form},
                  status=422 if form.errors else 200)


def _log_initial(request: HttpRequest, day: Any) -> dict[str, Any]:
    """A new client id for this page, and whatever the timer handed over."""
    query = request.GET
    walked_home = query.get("walked_home") == "1"
    initial: dict[str, Any] = {
        "client_id": uuid.uuid4(),
        "date": query.get("date") or day,
        "walked_home": walked_home,
        "status": query.get("status") if query.get("status") in SessionLog.Status.values else None,
    }
    if walked_home:
        initial["status"] = SessionLog.Status.PARTIAL
    ran = query.get("ran", "")
    if not ran.isdigit():  # nothing from the timer: what a watch file recorded, if any
        day_of_log = _day(initial["date"])
        recorded = (None if day_of_log is None
                    else activity_selectors.imported_running_seconds(request.user, day_of_log))
        ran = "" if recorded is None else str(recorded)
    if ran.isdigit():
        initial["run_minutes"] = round(int(ran) / 60, 1)
    return initial


def _run_seconds(request: HttpRequest, day: date, minutes: float | None) -> int | None:
    """Seconds run: a watch file's exact time when the minutes shown were taken from it."""
    if minutes is None:
        return None
    recorded = activity_selectors.imported_running_seconds(request.user, day)
    if recorded is not None and round(recorded / 60, 1) == minutes:
        return recorded  # the form shows tenths of a minute; keep the file's seconds
    return round(minutes * 60)


def _day(value: Any) -> Any:
    """A date from the query string (or the date itself); ``None`` if it is not one."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


@consent_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest) -> HttpResponse:
    plan = plan_current(request.user)
    if plan is None:
        return redirect("home")
    day = local_today(request.user.time_zone)
    yesterday = selectors.session_on(request.user, day - timedelta(days=1))
    existing = selectors.checkin_on(request.user, day)
    initial: dict[str, Any] = {"client_id": uuid.uuid4()}
    if existing is not None:
        initial.update(rest_pain=existing.rest_pain, symptoms=existing.symptoms)
    if yesterday is not None:
        initial["pain_next_morning"] = yesterday.pain_next_morning
    form = CheckinForm(posted(request), yesterday=yesterday, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            logged = services.checkin_create(
                patient=request.user, plan=plan, client_id=data["client_id"],
                rest_pain=data["rest_pain"], pain_next_morning=data.get("pain_next_morning"),
                symptoms=data["symptoms"], today=day,
            )
        except BackstrideError as error:
            add_core_error(form, error)
        else:
            return redirect("runlog:decision", pk=logged.decision.pk)
    return render(request, "runlog/checkin.html", {
        "form": form, "existing": existing, "yesterday": yesterday,
    }, status=422 if form.errors else 200)


@consent_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    stored = selectors.decision_for_patient(request.user, pk)
    session = stored.next_session
    return render(request, "runlog/decision.html", {
        "decision": stored,
        "reasons": with_citations(stored.reasons),
        "groups": presentation.bout_groups(session.get("intervals", [])),
        "next_session": session,
        "next_run_day": selectors.next_run_day(request.user, stored.made_on),
        "is_latest": selectors.decision_latest(request.user) == stored,
    })


@consent_required
def progress(request: HttpRequest) -> HttpResponse:
    plan = plan_current(request.user)
    if plan is None:
        return redirect("home")
    day = local_today(request.user.time_zone)
    data = selectors.progress_for(request.user, plan, day)
    return render(request, "runlog/progress.html", {
        "plan": plan,
        "data": data,
        "results": outcome_selectors.results_for(request.user, plan),
        "pain_chart": charts.pain_chart(data.pain),
        "minutes_chart": charts.minutes_chart(data.weeks),
        "level_chart": charts.level_chart(data.levels),
    })
