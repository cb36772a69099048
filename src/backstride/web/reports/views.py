"""Reports and exports for clinicians: cohort report, patient report (page and PDF), FHIR, CSV.

Every view scopes its objects first (``clinician_required``, ``patient_for_clinician``);
downloads are private and never cached.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from backstride.core.evidence import TRIAL_ADHERENCE
from backstride.core.export_records import ExportError
from backstride.formats.csv_export import DATA_DICTIONARY, DATA_DICTIONARY_NOTE
from backstride.web.accounts.models import User
from backstride.web.audit.services import Action, audit_read, audit_record
from backstride.web.caseload import selectors as caseload_selectors
from backstride.web.caseload.access import clinic_of, clinician_required, patient_for_clinician
from backstride.web.reports import charts, pdf, presentation, selectors
from backstride.web.reports.forms import CohortFilterForm
from backstride.web.reports.patient import patient_report as build_patient_report
from backstride.web.runlog import charts as runlog_charts

JSON_TYPE = "application/fhir+json"


def attachment(data: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _exported(request: HttpRequest, patients: list[User], what: str) -> None:
    """One audit row per patient whose data left in a download."""
    for person in patients:
        audit_read(patient=person, obj=(what, None), action=Action.EXPORT)


def _report(request: HttpRequest) -> tuple[selectors.CohortReport, CohortFilterForm]:
    form = CohortFilterForm(request.GET or None, clinicians=selectors.clinicians_of(
        clinic_of(request)))
    wanted: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    report = selectors.cohort_report(clinic=clinic_of(request), date_from=wanted.get("date_from"),
                                     date_to=wanted.get("date_to"),
                                     clinician=wanted.get("clinician"))
    return report, form


@clinician_required
def cohort(request: HttpRequest) -> HttpResponse:
    report, form = _report(request)
    figures = report.figures
    return render(request, "reports/cohort.html", {
        "report": report, "f": figures, "form": form, "query": request.GET.urlencode(),
        "change_charts": [charts.change_figure(f"change-{key}", rows)
                          for key, rows in presentation.changes_by_measure(figures.changes)],
        "adherence_chart": charts.histogram_figure("adherence", figures.adherence_bins,
                                                   TRIAL_ADHERENCE),
        "distance_chart": charts.distance_figure("distance", figures.distance)
        if figures.distance else None,
        "trial_adherence": TRIAL_ADHERENCE,
    })


@clinician_required
def cohort_csv(request: HttpRequest) -> HttpResponse:
    report, _form = _report(request)
    data = selectors.table_csv(presentation.COHORT_CSV_COLUMNS,
                               presentation.cohort_csv_rows(report))
    return attachment(data, "text/csv; charset=utf-8",
                      f"backstride-cohort-{report.today.isoformat()}.csv")


def _patient_context(person: Any) -> dict[str, Any]:
    report = build_patient_report(patient=person)
    context: dict[str, Any] = {"r": report, "patient": person}
    if report.progress is not None and report.progress.logs:
        context["pain_chart"] = charts.from_chart(
            "pain", runlog_charts.pain_chart(report.progress.pain))
        context["minutes_chart"] = charts.from_chart(
            "minutes", runlog_charts.minutes_chart(report.progress.weeks))
    return context


@clinician_required
def patient_report(request: HttpRequest, patient_id: int) -> HttpResponse:
    person = patient_for_clinician(request.user, patient_id)
    return render(request, "reports/patient_report.html", _patient_context(person))


@clinician_required
def patient_report_pdf(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The same template as the page, printed by WeasyPrint (print media: no toolbar)."""
    person = patient_for_clinician(request.user, patient_id)
    context = _patient_context(person)
    html = render_to_string("reports/patient_report.html", {**context, "for_print": True},
                            request=request)
    name = f"backstride-report-{person.pk}-{context['r'].today.isoformat()}.pdf"
    data = pdf.html_to_pdf(html)
    audit_record(actor=request.user, action=Action.EXPORT, patient=person,
                 obj=("report.pdf", person.pk))
    return attachment(data, "application/pdf", name)


@clinician_required
def patient_fhir(request: HttpRequest, patient_id: int) -> HttpResponse:
    person = patient_for_clinician(request.user, patient_id)
    try:
        bundle = selectors.patient_fhir_bundle(person)
    except ExportError as error:
        return render(request, "reports/no_export.html", {"patient": person, "error": error},
                      status=409)
    audit_record(actor=request.user, action=Action.EXPORT, patient=person,
                 obj=("fhir", person.pk))
    return attachment(json.dumps(bundle, indent=1), JSON_TYPE,
                      f"backstride-fhir-patient-{person.pk}.json")


@clinician_required
def clinic_fhir(request: HttpRequest) -> HttpResponse:
    clinic = clinic_of(request)
    bundle = selectors.clinic_fhir_bundle(clinic)
    _exported(request, list(selectors.clinic_patients(clinic)), "fhir")
    return attachment(json.dumps(bundle, indent=1), JSON_TYPE,
                      f"backstride-fhir-clinic-{selectors.now_stamp()}.json")


@clinician_required
def sessions_csv(request: HttpRequest) -> HttpResponse:
    clinic = clinic_of(request)
    data = selectors.sessions_csv(clinic)
    _exported(request, list(selectors.clinic_patients(clinic)), "sessions.csv")
    return attachment(data, "text/csv; charset=utf-8",
                      f"backstride-sessions-{selectors.now_stamp()}.csv")


@clinician_required
def caseload_csv(request: HttpRequest) -> HttpResponse:
    queue = caseload_selectors.caseload_queue(clinic=clinic_of(request), clinician=request.user,
                                              mine=request.GET.get("scope") != "clinic")
    _exported(request, [row.patient for row in queue.rows], "caseload.csv")
    return attachment(selectors.table_csv([c for c, _t, _m in presentation.CASELOAD_COLUMNS],
                                          presentation.caseload_rows(queue.rows)),
                      "text/csv; charset=utf-8",
                      f"backstride-caseload-{selectors.now_stamp()}.csv")


@clinician_required
def exports(request: HttpRequest) -> HttpResponse:
    """The exports page: downloads, and the data dictionary of every CSV column."""
    return render(request, "reports/exports.html", {
        "sessions_columns": DATA_DICTIONARY, "note": DATA_DICTIONARY_NOTE,
        "caseload_columns": presentation.CASELOAD_COLUMNS,
        "cohort_columns": presentation.COHORT_CSV_DICTIONARY,
        "title": _("Exports and data dictionary"),
    })
