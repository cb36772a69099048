"""Upload forms: one file (with a date for a file that has none), or several at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

ACCEPT = ".fit,.gpx,.tcx,.gz,.zip"  # a hint for the file picker; the bytes decide


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Activity file from your watch or app"),
        help_text=_("FIT, GPX or TCX (also zipped or gzipped), up to %(mb)d MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": _("Choose a file to upload.")},
    )
    day = forms.DateField(
        label=_("Date of the run (only if the file has none)"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date, e.g. 2025-03-03.")},
    )

    def __init__(self, *args: Any, max_mb: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.help_text = field.help_text % {"mb": max_mb}


def upload_form(request: HttpRequest | None = None) -> UploadForm:
    """The upload form, bound to the request's POST data and files when it is a POST."""
    max_mb = int(settings.BACKSTRIDE_UPLOAD_MAX_BYTES // 10**6)
    if request is not None and request.method == "POST":
        return UploadForm(request.POST, request.FILES, max_mb=max_mb)
    return UploadForm(max_mb=max_mb)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class BulkUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Activity files"),
        help_text=_("Choose several FIT, GPX or TCX files at once; each is reported below."),
        error_messages={"required": _("Choose at least one file.")},
    )


class ActivityDateForm(forms.Form):
    day = forms.DateField(
        label=_("When did you do this run?"), widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date, e.g. 2025-03-03."),
                        "required": _("Choose the date of the run.")},
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].widget.attrs["max"] = today.isoformat()
