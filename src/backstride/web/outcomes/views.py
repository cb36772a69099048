"""Answering a questionnaire (patient), and loading a definitions file (clinician)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backstride.core.errors import QuestionnaireError
from backstride.web.accounts.access import consent_required
from backstride.web.accounts.timezones import local_today
from backstride.web.caseload.access import clinic_of, clinician_required
from backstride.web.errors import add_core_error
from backstride.web.forms import posted
from backstride.web.outcomes import selectors, services
from backstride.web.outcomes.forms import DefinitionsUploadForm, LicensedForm, PainForm, PsfsForm
from backstride.web.outcomes.models import Questionnaire
from backstride.web.programs.models import Plan
from backstride.web.programs.selectors import plan_current

MAX_DEFINITIONS_BYTES = 2_000_000  # a definitions file is text: a few kilobytes


@consent_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, key: str, week: int) -> HttpResponse:
    """One questionnaire of one O-SCHED week: finish it, or save a draft for later."""
    plan = plan_current(request.user)
    measure = selectors.measure_for(request.user, key)
    if plan is None or measure is None:
        raise Http404
    today = local_today(request.user.time_zone)
    now = selectors.program_week(plan, today)
    if now is None or measure.open_week(now) != week:
        messages.info(request, _("%(name)s is not open for week %(week)d now.") % {
            "name": measure.name, "week": week})
        return redirect("runlog:today")
    saved = selectors.response_for(plan, key, week)
    form = _form(measure, plan, posted(request), saved.answers if saved else {})
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, plan, measure, week, today)
        if done is not None:
            return done
    return render(request, "outcomes/answer.html", {
        "form": form, "measure": measure, "week": week, "saved": saved,
        "definition": measure.definition,
    }, status=422 if form.errors else 200)


def _form(measure: selectors.Measure, plan: Plan, data: Any, answers: dict[str, Any]
          ) -> Any:
    if measure.key == selectors.PAIN:
        return PainForm(data, initial=PainForm.initial_from(answers))
    if measure.key == selectors.PSFS:
        return PsfsForm(data, fixed=selectors.psfs_activities(plan),
                        initial=PsfsForm.initial_from(answers))
    assert measure.definition is not None
    return LicensedForm(data, definition=measure.definition,
                        initial=LicensedForm.initial_from(answers))


def _save(request: HttpRequest, form: Any, plan: Plan, measure: selectors.Measure, week: int,
          today: Any) -> HttpResponse | None:
    finish = request.POST.get("action") != "save"
    try:
        saved = services.response_save(patient=request.user, plan=plan, measure=measure,
                                       week=week, answers=form.answers(), finish=finish,
                                       today=today)
    except QuestionnaireError as error:
        add_core_error(form, error)
        return None
    if saved.problem is not None:
        form.add_error(None, saved.problem)
        return None
    if saved.response.complete:
        messages.success(request, _("Thank you: %(name)s is done.") % {"name": measure.name})
    else:
        messages.info(request, _("Saved as a draft: finish it this week."))
    return redirect("runlog:today")


@clinician_required
@require_http_methods(["GET", "POST"])
def definitions(request: HttpRequest) -> HttpResponse:
    """The clinic's licensed definitions, and the upload that loads a new file."""
    clinic = clinic_of(request)
    form = DefinitionsUploadForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            loaded = services.questionnaires_load(clinic=clinic, loaded_by=request.user,
                                                  data=_json(form.cleaned_data["file"]))
        except QuestionnaireError as error:
            form.add_error("file", _("The file was not loaded: %(error)s") % {"error": error})
        else:
            names = ", ".join(f"{x.questionnaire.name} {x.questionnaire.version}" for x in loaded)
            messages.success(request, _("Loaded: %(names)s.") % {"names": names})
            return redirect("caseload:questionnaires")
    return render(request, "outcomes/definitions.html", {
        "form": form,
        "loaded": Questionnaire.objects.filter(clinic=clinic).select_related("loaded_by"),
    }, status=422 if form.errors else 200)


def _json(upload: Any) -> object:
    if upload.size > MAX_DEFINITIONS_BYTES:
        raise QuestionnaireError("file", "is too large for a definitions file")
    try:
        return json.loads(upload.read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise QuestionnaireError("file", f"is not JSON ({error})") from None

