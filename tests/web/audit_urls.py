"""The app's URLs plus two views that forget every audit helper (test_audit's fallback)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from backstride.web.urls import urlpatterns as app_urlpatterns


def forgetful_clinician_page(request: HttpRequest, patient_id: int) -> HttpResponse:
    return HttpResponse(f"patient {patient_id}: a page that calls no audit helper")


def forgetful_patient_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("my data, shown by a page that calls no audit helper")


urlpatterns = [
    *app_urlpatterns,
    path("forgetful/<int:patient_id>/", forgetful_clinician_page, name="forgetful_clinician"),
    path("forgetful/mine/", forgetful_patient_page, name="forgetful_patient"),
]
