"""The form that makes a personal access token."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backstride.web.api.models import AccessToken
from backstride.web.forms import Choices

EXPIRY_DAYS = {"30": 30, "90": 90, "365": 365, "never": None}
EXPIRY_CHOICES = [("30", _("In 30 days")), ("90", _("In 90 days")), ("365", _("In a year")),
                  ("never", _("Never"))]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What is it for?"), max_length=100,
                           help_text=_("A name you will recognise, e.g. 'watch sync'."))
    scope = forms.ChoiceField(label=_("Access"), choices=AccessToken.Scope.choices,
                              initial=AccessToken.Scope.READ, widget=Choices,
                              help_text=_("Read only is enough for anything that just shows "
                                          "your data."))
    expires = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, initial="90",
                                widget=Choices)

    def expires_at(self, now: datetime | None = None) -> datetime | None:
        days = EXPIRY_DAYS[self.cleaned_data["expires"]]
        return None if days is None else (now or timezone.now()) + timedelta(days=days)
