"""Home, the screening wizard and its result, plan set-up and the plan calendar."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backstride.core.errors import BackstrideError, PlanError
from backstride.web.accounts.access import consent_required
from backstride.web.accounts.selectors import consent_current
from backstride.web.accounts.timezones import local_today
from backstride.web.citations import with_citations
from backstride.web.errors import add_core_error
from backstride.web.forms import posted
from backstride.web.programs import forms, selectors, services
from backstride.web.programs.models import Plan, Screening
from backstride.web.runlog.selectors import logs_by_date
from backstride.web.safety.selectors import red_flag_lock_open

DRAFT = "screening_draft"


def home(request: HttpRequest) -> HttpResponse:
    """The front door: a welcome for visitors; a patient goes to their next step, a
    clinician to the caseload."""
    user = request.user
    if user.is_authenticated and user.role == user.Role.CLINICIAN:
        return redirect("caseload:queue")
    if not user.is_authenticated or not user.is_patient:
        return render(request, "programs/welcome.html")
    if consent_current(user) is None:
        return redirect("accounts:consent")
    screening = selectors.screening_latest(user)
    if screening is None:
        return redirect("programs:screening_start")
    if selectors.plan_current(user) is not None:
        return redirect("runlog:today")
    return redirect("programs:screening_result", pk=screening.pk)


# --- Screening ---------------------------------------------------------------------


@consent_required
def screening_start(request: HttpRequest) -> HttpResponse:
    request.session.pop(DRAFT, None)
    return render(request, "programs/screening_start.html", {
        "steps": _steps_for(request, current=None),
        "latest": selectors.screening_latest(request.user),
    })


@consent_required
@require_http_methods(["GET", "POST"])
def screening_step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in forms.STEP_SLUGS:
        raise Http404
    draft: dict[str, dict[str, Any]] = request.session.get(DRAFT, {})
    missing = _first_missing(draft, before=step)
    if missing is not None:
        return redirect("programs:screening_step", step=missing)
    form_class = forms.step_form(step)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            draft[step] = form.cleaned_data
            request.session[DRAFT] = draft
            following = _next_step(step)
            if following is None:
                return redirect("programs:screening_review")
            return redirect("programs:screening_step", step=following)
    else:
        form = form_class(initial=forms.initial_for(form_class, draft.get(step, {})))
    return render(request, "programs/screening_step.html", {
        "form": form, "step": step, "steps": _steps_for(request, current=step),
        "previous": _previous_step(step),
    })


@consent_required
@require_http_methods(["GET", "POST"])
def screening_review(request: HttpRequest) -> HttpResponse:
    draft: dict[str, dict[str, Any]] = request.session.get(DRAFT, {})
    missing = _first_missing(draft, before=None)
    if missing is not None:
        return redirect("programs:screening_step", step=missing)
    if request.method == "POST":
        try:
            screening = services.screening_submit(
                patient=request.user, data=forms.screening_data(draft)
            )
        except BackstrideError as error:
            return _show_core_error(request, draft, error)
        request.session.pop(DRAFT, None)
        return redirect("programs:screening_result", pk=screening.pk)
    return render(request, "programs/screening_review.html", {
        "answers": _review_rows(draft), "steps": _steps_for(request, current="review"),
    })


def _show_core_error(request: HttpRequest, draft: dict[str, dict[str, Any]],
                     error: BackstrideError) -> HttpResponse:
    """A core validation error: back to the step that asked the field, answers kept."""
    step = forms.FIELD_STEP.get(error.field, forms.STEP_SLUGS[0])
    form_class = forms.step_form(step)
    form = form_class(forms.as_post_data(form_class, draft.get(step, {})))
    form.is_valid()
    add_core_error(form, error)
    return render(request, "programs/screening_step.html", {
        "form": form, "step": step, "steps": _steps_for(request, current=step),
        "previous": _previous_step(step),
    }, status=422)


@consent_required
def screening_result(request: HttpRequest, pk: int) -> HttpResponse:
    screening = selectors.screening_for_patient(request.user, pk)
    return render(request, "programs/screening_result.html", {
        "screening": screening,
        "reasons": with_citations(screening.reasons),
        "is_latest": selectors.screening_latest(request.user) == screening,
        "can_plan": screening.outcome in services.PLANNABLE,
        "plan": selectors.plan_current(request.user),
    })


def _first_missing(draft: dict[str, Any], *, before: str | None) -> str | None:
    for slug in forms.STEP_SLUGS:
        if slug == before:
            return None
        if slug not in draft:
            return slug
    return None


def _next_step(step: str) -> str | None:
    index = forms.STEP_SLUGS.index(step)
    return forms.STEP_SLUGS[index + 1] if index + 1 < len(forms.STEP_SLUGS) else None


def _previous_step(step: str) -> str | None:
    index = forms.STEP_SLUGS.index(step)
    return forms.STEP_SLUGS[index - 1] if index > 0 else None


def _steps_for(request: HttpRequest, *, current: str | None) -> list[dict[str, Any]]:
    draft = request.session.get(DRAFT, {})
    rows = [{"slug": slug, "title": form.title, "done": slug in draft, "current": slug == current}
            for slug, form in forms.STEPS]
    rows.append({"slug": "review", "title": _("Check and send"), "done": False,
                 "current": current == "review"})
    return rows


def _review_rows(draft: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each step's questions with the answers given, in words."""
    sections = []
    for slug, form_class in forms.STEPS:
        form = form_class(initial=forms.initial_for(form_class, draft.get(slug, {})))
        rows = [(field.label, forms.answer_text(field, draft[slug].get(name)))
                for name, field in form.fields.items()]
        sections.append({"slug": slug, "title": form_class.title, "rows": rows})
    return sections


# --- Plan ----------------------------------------------------------------------------


@consent_required
@require_http_methods(["GET", "POST"])
def plan_setup(request: HttpRequest) -> HttpResponse:
    screening = selectors.screening_latest(request.user)
    refusal = _plan_refusal(request, screening)
    if refusal is not None:
        return refusal
    today = local_today(request.user.time_zone)
    conservative = screening.profile == "conservative"
    form = forms.PlanForm(posted(request), today=today, conservative=conservative,
                          initial=_plan_initial(today, conservative))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_create(patient=request.user, screening=screening, **form.cleaned_data)
        except PlanError as error:
            add_core_error(form, error, aliases={"days": "weekdays"})
        else:
            return redirect("programs:plan")
    return render(request, "programs/plan_setup.html", {
        "form": form, "screening": screening, "conservative": conservative,
        "current": selectors.plan_current(request.user),
    }, status=422 if form.errors else 200)


def _plan_refusal(request: HttpRequest, screening: Screening | None) -> HttpResponse | None:
    """A plan needs a screening that allows one and no open red-flag lock."""
    if screening is None:
        return redirect("programs:screening_start")
    if red_flag_lock_open(request.user) or screening.outcome not in services.PLANNABLE:
        messages.warning(request, _("Your screening result does not allow a running plan."))
        return redirect("programs:screening_result", pk=screening.pk)
    return None


def _plan_initial(today: Any, conservative: bool) -> dict[str, Any]:
    return {"start": today, "sessions_per_week": 2 if conservative else 3,
            "weekdays": [0, 3] if conservative else [0, 2, 4]}


@consent_required
def plan_calendar(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_current(request.user)
    if plan is None:
        return redirect("programs:plan_setup")
    today = local_today(request.user.time_zone)
    logs = logs_by_date(request.user, plan.start, _plan_end(plan))
    return render(request, "programs/plan_calendar.html", {
        "plan": plan,
        "weeks": selectors.plan_weeks(plan, logs, today),
        "today": today,
        "reasons": with_citations(plan.reasons),
        "end": _plan_end(plan),
    })


def _plan_end(plan: Plan) -> date:
    return plan.start + timedelta(days=plan.weeks * 7 - 1)
