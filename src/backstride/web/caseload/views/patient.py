"""One patient for the clinician: the overview, and every action taken from it.

Each action has its own URL; a GET shows the form on its own and a rejected
POST shows it again with the errors next to the fields and the input kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backstride.web.accounts.models import User
from backstride.web.adverse_events.forms import AdverseEventForm
from backstride.web.alerts import services as alert_services
from backstride.web.caseload import selectors, services
from backstride.web.caseload.access import (
    alert_for_clinician,
    clinician_required,
    lock_for_clinician,
    patient_for_clinician,
)
from backstride.web.caseload.forms import (
    AlertActionForm,
    ClearanceForm,
    LockClearForm,
    NoteForm,
    OverrideForm,
)
from backstride.web.citations import with_citations
from backstride.web.errors import add_validation_error
from backstride.web.forms import posted
from backstride.web.messaging.forms import MessageForm
from backstride.web.outcomes.selectors import results_for
from backstride.web.runlog import charts


@clinician_required
def patient(request: HttpRequest, patient_id: int) -> HttpResponse:
    person = patient_for_clinician(request.user, patient_id)
    overview = selectors.patient_overview(patient=person,
                                          everything=request.GET.get("timeline") == "all")
    today = overview.today
    context: dict[str, Any] = {
        "o": overview, "patient": person,
        "screening_reasons": with_citations(overview.screening.reasons)
        if overview.screening else [],
        "override_form": _override_form(None, person), "note_form": NoteForm(),
        "ae_form": AdverseEventForm(today=today, initial={"date": today}),
        "alert_form": AlertActionForm(), "message_form": MessageForm(),
        "clearance_form": ClearanceForm(), "lock_form": LockClearForm(),
        "results": results_for(person, overview.plan),
    }
    if overview.progress is not None:
        context.update(pain_chart=charts.pain_chart(overview.progress.pain),
                       minutes_chart=charts.minutes_chart(overview.progress.weeks),
                       level_chart=charts.level_chart(overview.progress.levels))
    return render(request, "caseload/patient.html", context)


def _override_form(data: Any, person: User) -> OverrideForm:
    enrolment = person.enrolment
    return OverrideForm(data, paused=enrolment.running_paused, held=enrolment.hold_progression,
                        version=enrolment.version)


def _action(request: HttpRequest, person: User, form: forms.Form, *, title: str,
            done: str, write: Any, anchor: str, **extra: Any) -> HttpResponse:
    """Validate ``form``, call ``write(cleaned_data)``; back to the patient page on success."""
    if request.method == "POST" and form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, done)
            return redirect(reverse("caseload:patient", args=[person.pk]) + anchor)
    return render(request, "caseload/action.html", {
        "patient": person, "form": form, "title": title, "action": request.path, **extra,
    }, status=422 if form.errors else 200)


@clinician_required
@require_http_methods(["GET", "POST"])
def override(request: HttpRequest, patient_id: int) -> HttpResponse:
    person = patient_for_clinician(request.user, patient_id)
    try:
        return _action(request, person, _override_form(posted(request), person),
                       title=_("Change the program"), done=_("Saved. The patient sees the "
                                                             "change and its reason."),
                       anchor="#actions",
                       write=lambda data: services.override_create(
                           clinician=request.user, patient=person, **data))
    except services.StaleEdit as stale:
        return _stale_override(request, person, stale.enrolment)


def _stale_override(request: HttpRequest, person: User, current: Any) -> HttpResponse:
    """409: someone changed the program since this form was made; nothing was saved."""
    state = [_("running paused") if current.running_paused else _("running allowed"),
             _("progression held") if current.hold_progression else _("progression free")]
    person.enrolment = current
    data = request.POST.copy()
    data["version"] = str(current.version)  # saving again now applies to the current program
    form = _override_form(data, person)
    form.is_valid()
    return render(request, "caseload/action.html", {
        "patient": person, "form": form, "title": _("Change the program"),
        "action": request.path,
        "conflict": _("Someone else changed this patient's program while you were editing, so "
                      "your change was not saved. It is now: %(state)s. Check it, then save "
                      "again if your change still applies.") % {"state": ", ".join(state)},
    }, status=409)


@clinician_required
@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest, patient_id: int) -> HttpResponse:
    person = patient_for_clinician(request.user, patient_id)
    return _action(request, person, NoteForm(posted(request)), title=_("Add a note"),
                   done=_("Note added."), anchor="#notes",
                   write=lambda data: services.note_add(author=request.user, patient=person,
                                                        body=data["body"]))


@clinician_required
@require_http_methods(["GET", "POST"])
def clearance(request: HttpRequest, patient_id: int) -> HttpResponse:
    person = patient_for_clinician(request.user, patient_id)
    return _action(request, person, ClearanceForm(posted(request)),
                   title=_("Clearance"), done=_("Clearance decided. The patient sees the "
                                                "result and your note."),
                   anchor="#actions",
                   write=lambda data: services.clearance_decide(
                       clinician=request.user, patient=person, **data))


@clinician_required
@require_http_methods(["GET", "POST"])
def lock_clear(request: HttpRequest, patient_id: int, lock_id: int) -> HttpResponse:
    person = patient_for_clinician(request.user, patient_id)
    lock = lock_for_clinician(request.user, person, lock_id)
    return _action(request, person, LockClearForm(posted(request)),
                   title=_("Clear the red-flag lock"),
                   done=_("Lock cleared: running can start again."), anchor="#actions",
                   lock=lock,
                   write=lambda data: services.red_flag_lock_lift(
                       clinician=request.user, lock=lock, **data))


@clinician_required
@require_http_methods(["GET", "POST"])
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = alert_for_clinician(request.user, alert_id)
    return _action(request, alert.patient, AlertActionForm(posted(request)),
                   title=_("Acknowledge the alert"), done=_("Alert acknowledged."),
                   anchor="#alerts", alert=alert,
                   write=lambda data: alert_services.alert_acknowledge(
                       alert=alert, clinician=request.user, note=data["note"]))


@clinician_required
@require_http_methods(["GET", "POST"])
def alert_resolve(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = alert_for_clinician(request.user, alert_id)
    return _action(request, alert.patient, AlertActionForm(posted(request)),
                   title=_("Resolve the alert"), done=_("Alert resolved."), anchor="#alerts",
                   alert=alert,
                   write=lambda data: alert_services.alert_resolve(
                       alert=alert, clinician=request.user, note=data["note"]))
