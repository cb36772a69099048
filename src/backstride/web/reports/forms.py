"""The cohort report's filters: an enrolment date range and the responsible clinician."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backstride.web.accounts.models import User
from backstride.web.caseload.presentation import name_of


class CohortFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Enrolled from"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("to"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    clinician = forms.ModelChoiceField(label=_("Responsible clinician"), required=False,
                                       queryset=User.objects.none(),
                                       empty_label=_("Every clinician"))

    def __init__(self, *args: Any, clinicians: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["clinician"]
        field.queryset = User.objects.filter(pk__in=[c.pk for c in clinicians])  # type: ignore[attr-defined]
        field.label_from_instance = name_of  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the range is before its start."))
        return cleaned
