"""Reporting an adverse event: by the patient, or by a clinician for a patient."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backstride.core.errors import BackstrideError
from backstride.web.accounts.access import consent_required
from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.adverse_events.forms import AdverseEventForm
from backstride.web.adverse_events.services import adverse_event_record
from backstride.web.caseload.access import clinician_required, patient_for_clinician
from backstride.web.errors import add_core_error
from backstride.web.forms import posted


@consent_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    return _record(request, request.user, "adverse_events/report.html", reverse("runlog:today"))


@clinician_required
@require_http_methods(["GET", "POST"])
def clinician_record(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_clinician(request.user, patient_id)
    done = reverse("caseload:patient", args=[patient.pk]) + "#adverse-events"
    return _record(request, patient, "caseload/adverse_event.html", done)


def _record(request: HttpRequest, patient: User, template: str, done: str) -> HttpResponse:
    today = local_today(patient.time_zone)
    form = AdverseEventForm(posted(request), today=today, initial={"date": today})
    if request.method == "POST" and form.is_valid():
        try:
            adverse_event_record(patient=patient, reported_by=request.user,
                                 data=form.core_data(), today=today)
        except BackstrideError as error:
            add_core_error(form, error)
        else:
            messages.success(request, _("Thank you: the event is recorded."))
            return redirect(done)
    return render(request, template, {"form": form, "patient": patient},
                  status=422 if form.errors else 200)
