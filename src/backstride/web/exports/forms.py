from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backstride.web.exports.models import CalendarFeed
from backstride.web.forms import Choices


class ReminderForm(forms.Form):
    reminder = forms.ChoiceField(label=_("When to remind you"), required=False, widget=Choices,
                                 choices=CalendarFeed.Reminder.choices)
