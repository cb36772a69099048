"""A patient's access history, for the clinicians of their clinic."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backstride.web.audit import selectors
from backstride.web.caseload.access import clinician_required, patient_for_clinician


@clinician_required
def access_history(request: HttpRequest, patient_id: int) -> HttpResponse:
    person = patient_for_clinician(request.user, patient_id)
    return render(request, "audit/access_history.html", {
        "patient": person, "rows": selectors.access_history(person),
        "limit": selectors.HISTORY_ROWS,
    })
