"""The message thread: the patient's own, and the clinician's view of a patient's."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from backstride.web.accounts.access import consent_required
from backstride.web.accounts.models import User
from backstride.web.caseload.access import clinician_required, patient_for_clinician
from backstride.web.caseload.models import Enrolment
from backstride.web.errors import add_validation_error
from backstride.web.forms import posted
from backstride.web.messaging import selectors, services
from backstride.web.messaging.forms import MessageForm


@consent_required
@require_http_methods(["GET", "POST"])
def patient_thread(request: HttpRequest) -> HttpResponse:
    enrolment = (Enrolment.objects.select_related("clinic", "responsible")
                 .filter(patient=request.user).first())
    return _thread(request, request.user, "messaging/thread.html", {"enrolment": enrolment})


@clinician_required
@require_http_methods(["GET", "POST"])
def clinician_thread(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_clinician(request.user, patient_id)
    return _thread(request, patient, "caseload/messages.html", {})


def _thread(request: HttpRequest, patient: User, template: str,
            context: dict[str, object]) -> HttpResponse:
    """Show the thread (marking the other side's messages read) and send a new one."""
    form = MessageForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(patient=patient, sender=request.user,
                                  body=form.cleaned_data["body"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return redirect(request.path + "#latest")
    services.thread_mark_read(patient=patient, reader=request.user)
    return render(request, template, {
        **context, "patient": patient, "form": form, "messages_list": selectors.thread(patient),
    }, status=422 if form.errors else 200)
