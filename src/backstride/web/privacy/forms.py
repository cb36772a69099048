"""Confirming an erasure: the account's password, or a typed phrase when it has none."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backstride.web.accounts.models import User

PHRASE = "erase my account"


class EraseForm(forms.Form):
    confirm = forms.CharField(strip=False, max_length=200)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["confirm"]
        if self.by_password:
            field.label = _("Your password")
            field.widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})
            field.help_text = _("Type your password to confirm: this cannot be undone.")
        else:
            field.label = _("Type: %(phrase)s") % {"phrase": PHRASE}
            field.help_text = _("This cannot be undone.")
        field.error_messages["required"] = _("Confirm before anything is erased.")

    @property
    def by_password(self) -> bool:
        return self.user.has_usable_password()

    def clean_confirm(self) -> str:
        value: str = self.cleaned_data["confirm"]
        ok = (self.user.check_password(value) if self.by_password
              else value.strip().casefold() == PHRASE)
        if not ok:
            raise forms.ValidationError(
                _("That is not your password.") if self.by_password
                else _("Type the phrase exactly as shown."), code="mismatch")
        return value
