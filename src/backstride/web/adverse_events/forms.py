"""Reporting an adverse event (O-AE); the core validates it again on save."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backstride.web.adverse_events.models import AdverseEvent
from backstride.web.forms import Choices


class AdverseEventForm(forms.Form):
    date = forms.DateField(label=_("When did it start?"),
                           widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"invalid": _("Enter a date, e.g. 2025-03-03.")})
    type = forms.ChoiceField(label=_("What happened?"), choices=AdverseEvent.Type.choices,
                             widget=Choices)
    seriousness = forms.ChoiceField(
        label=_("How serious was it?"), choices=AdverseEvent.Seriousness.choices, widget=Choices,
        help_text=_("Serious: you needed a doctor or hospital, or it stopped your daily life."))
    description = forms.CharField(label=_("What happened, in your words"), required=False,
                                  max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = today.isoformat()

    def core_data(self) -> dict[str, object]:
        data = self.cleaned_data
        return {"date": data["date"], "type": data["type"], "seriousness": data["seriousness"],
                "description": data["description"]}
