from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backstride.web.messaging.models import MAX_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Write a message first.")})
