"""Upload one file or several, the list of imported runs, one run, its original file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backstride.core.errors import ImportFormatError
from backstride.web.accounts.access import consent_required
from backstride.web.accounts.timezones import local_today
from backstride.web.activities import selectors, services, uploads
from backstride.web.activities.forms import (
    ActivityDateForm,
    BulkUploadForm,
    UploadForm,
    upload_form,
)
from backstride.web.activities.models import ImportedActivity
from backstride.web.errors import add_core_error
from backstride.web.forms import posted
from backstride.web.runlog import charts


@consent_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = upload_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            imported = _import(request, form.cleaned_data["file"], form.cleaned_data["day"])
        except ImportFormatError as error:
            _file_error(form, error)
        else:
            if imported.duplicate:
                messages.info(request, _("You had already uploaded this run: here it is."))
            return redirect("activities:detail", pk=imported.activity.pk)
    for name in uploads.refused(request):  # skipped while the body was read
        form.errors["file"] = form.error_class([services.too_large(name)])
    return render(request, "activities/upload.html", {"form": form},
                  status=422 if form.errors else 200)


def _import(request: HttpRequest, upload: UploadedFile, day: Any) -> services.Imported:
    """Refuse an oversized upload before reading it into memory, then import it."""
    name = services.clean_name(upload.name or "")
    if (upload.size or 0) > settings.BACKSTRIDE_UPLOAD_MAX_BYTES:
        raise ImportFormatError("file", services.too_large(name))
    return services.activity_import(patient=request.user, data=upload.read(), filename=name,
                                    day=day, today=local_today(request.user.time_zone))


def _file_error(form: UploadForm, error: ImportFormatError) -> None:
    """The reason on its field, as written: it starts with the file's name, kept as it is."""
    form.add_error("day" if error.field == "date" else "file", error.message)


@dataclass(frozen=True)
class BulkRow:
    name: str
    outcome: str  # imported, duplicate, rejected
    reason: str = ""
    activity: ImportedActivity | None = None


@consent_required
@require_http_methods(["GET", "POST"])
def bulk_upload(request: HttpRequest) -> HttpResponse:
    form = BulkUploadForm(request.POST, request.FILES) if request.method == "POST" else (
        BulkUploadForm())
    rows: list[BulkRow] = []
    if request.method == "POST" and form.is_valid():
        rows = [_bulk_row(request, upload) for upload in form.cleaned_data["files"]]
    too_large = [BulkRow(services.clean_name(name), "rejected", services.too_large(name))
                 for name in uploads.refused(request)]
    if too_large:
        rows += too_large
        form.errors.pop("files", None)  # each file is reported in its own row
    return render(request, "activities/bulk.html", {"form": form, "rows": rows},
                  status=422 if form.errors else 200)


def _bulk_row(request: HttpRequest, upload: UploadedFile) -> BulkRow:
    name = services.clean_name(upload.name or "")
    try:
        imported = _import(request, upload, None)
    except ImportFormatError as error:
        return BulkRow(name, "rejected", error.message)
    return BulkRow(name, "duplicate" if imported.duplicate else "imported",
                   activity=imported.activity)


@consent_required
def activity_list(request: HttpRequest) -> HttpResponse:
    activities = list(selectors.activities_of(request.user))
    weeks = selectors.cadence_weeks(activities)
    return render(request, "activities/list.html", {
        "activities": activities,
        "cadence_weeks": weeks,
        "cadence_chart": charts.cadence_chart(weeks, selectors.cadence_low_line(weeks)),
        "cue": selectors.cadence_cue_for(weeks),
    })


@consent_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_for_patient(request.user, pk)
    today = local_today(request.user.time_zone)
    date_form = ActivityDateForm(posted(request), today=today)
    if request.method == "POST" and date_form.is_valid():
        try:
            services.activity_set_date(activity=activity, day=date_form.cleaned_data["day"],
                                       today=today)
        except ImportFormatError as error:
            add_core_error(date_form, error, aliases={"date": "day"})
        else:
            return redirect("activities:detail", pk=activity.pk)
    planned = selectors.planned_prescription(activity)
    steps = selectors.prescription_steps(planned)
    return render(request, "activities/detail.html", {
        "activity": activity,
        "planned": planned,
        "planned_steps": steps,
        "chart": charts.bouts_chart(steps, activity.bouts),
        "cue": selectors.activity_cadence_cue(activity),
        "date_form": date_form,
        "log_url": selectors.log_url(activity, today),
    }, status=422 if date_form.errors else 200)


@consent_required
def activity_original(request: HttpRequest, pk: int) -> HttpResponse:
    """The uploaded file as it was, to its owner only, always as a download."""
    activity = selectors.activity_for_patient(request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    response = FileResponse(activity.original.open("rb"), as_attachment=True,
                            filename=activity.original_name,
                            content_type="application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    return response
