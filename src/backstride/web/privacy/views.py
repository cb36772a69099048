"""A patient's own data: the page, the ZIP of everything, the FHIR bundle, and erasure."""

from __future__ import annotations

import json

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from backstride.core.export_records import ExportError
from backstride.web.accounts.access import patient_required
from backstride.web.audit.services import Action, audit_record
from backstride.web.forms import posted
from backstride.web.privacy import services
from backstride.web.privacy.forms import PHRASE, EraseForm
from backstride.web.programs.selectors import plan_current
from backstride.web.reports.selectors import patient_fhir_bundle
from backstride.web.reports.views import JSON_TYPE, attachment


# Patient pages, but not behind consent: a person who withdrew (or never gave) consent
# still has the right to take their data and to be erased.
@patient_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/my_data.html", {
        "has_plan": plan_current(request.user) is not None,
    })


@patient_required
def archive(request: HttpRequest) -> HttpResponse:
    return attachment(services.patient_archive(patient=request.user), "application/zip",
                      "backstride-my-data.zip")


@patient_required
def fhir_bundle(request: HttpRequest) -> HttpResponse:
    try:
        bundle = patient_fhir_bundle(request.user)
    except ExportError:
        return render(request, "privacy/my_data.html", {"has_plan": False}, status=409)
    audit_record(actor=request.user, action=Action.EXPORT, patient=request.user,
                 obj=("fhir", request.user.pk))
    return attachment(json.dumps(bundle, indent=1), JSON_TYPE, "backstride-fhir.json")


@patient_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    form = EraseForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        patient = request.user
        logout(request)
        services.account_erase(patient=patient)
        return render(request, "privacy/erased.html")
    return render(request, "privacy/erase.html", {"form": form, "phrase": PHRASE},
                  status=422 if form.errors else 200)
