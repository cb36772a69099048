"""Forms of the clinician pages and of joining a clinic."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from backstride.core.ladder import TOP_LEVEL
from backstride.core.plans import WEEKDAY_NAMES
from backstride.web.accounts.forms import SignupForm
from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import time_zone_names
from backstride.web.caseload.models import ClearanceDecision, Override
from backstride.web.forms import Checkboxes, Choices

WEEKDAY_CHOICES = [(n, _(name.capitalize())) for n, name in enumerate(WEEKDAY_NAMES)]


def note_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=2000, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Add a note.")},
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Patient's email (optional)"), required=False,
                             help_text=_("Only to remember who the link is for."))


class PatientCreateForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    time_zone = forms.ChoiceField(label=_("Time zone"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(n, n.replace("_", " ")) for n in time_zone_names()]
        self.fields["time_zone"].initial = settings.BACKSTRIDE_TIME_ZONE

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email already exists."))
        return email


class JoinSignupForm(SignupForm):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    field_order = ("first_name", "last_name", "email", "password", "time_zone")


class ActivationForm(forms.Form):
    password = forms.CharField(
        label=_("Choose a password"), strip=False,
        help_text=_("At least 10 characters; not only numbers, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password


class OverrideForm(forms.Form):
    kind = forms.ChoiceField(label=_("Change"), choices=Override.Kind.choices, widget=Choices)
    level = forms.IntegerField(
        label=_("Level"), required=False, min_value=1, max_value=TOP_LEVEL,
        help_text=_("For “Set the level”: 1 to %(top)d. P-CAP still limits a jump.")
        % {"top": TOP_LEVEL},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sessions_per_week = forms.TypedChoiceField(
        label=_("Sessions a week"), required=False, coerce=int, empty_value=None,
        choices=[("", "–"), (2, "2"), (3, "3")],
        help_text=_("For “Change sessions per week”, with the weekdays below."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Run-walk weekdays"), required=False, coerce=int, choices=WEEKDAY_CHOICES,
        widget=Checkboxes, help_text=_("Never two days in a row (P-DAYS)."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The patient sees this reason."),
        error_messages={"required": _("Say why: the patient sees the reason.")},
    )
    # The program's version this form was made from: an older one is a stale edit (409).
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, paused: bool = False, held: bool = False,
                 version: int = 0, **kwargs: Any) -> None:
        """Offer only the changes that change something (the service refuses the others)."""
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = version
        K = Override.Kind
        hidden = {K.PAUSE_RUNNING if paused else K.RESUME_RUNNING,
                  K.HOLD_PROGRESSION if held else K.RELEASE_HOLD}
        self.fields["kind"].choices = [c for c in K.choices if c[0] not in hidden]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind == Override.Kind.SET_LEVEL and cleaned.get("level") is None \
                and "level" not in self.errors:
            self.add_error("level", _("Choose a level from 1 to %(top)d.") % {"top": TOP_LEVEL})
        if kind == Override.Kind.SESSIONS_PER_WEEK:
            if cleaned.get("sessions_per_week") is None:
                self.add_error("sessions_per_week", _("Choose 2 or 3 sessions a week."))
            elif len(cleaned.get("weekdays") or []) != cleaned["sessions_per_week"]:
                self.add_error("weekdays", _("Tick as many weekdays as sessions a week."))
        return cleaned


class AlertActionForm(forms.Form):
    note = note_field(_("Note (optional)"), required=False)


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note for clinicians"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Clinicians only: the patient never sees notes."),
                           error_messages={"required": _("Write the note first.")})


class ClearanceForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=ClearanceDecision.Outcome.choices,
                                widget=Choices)
    conservative = forms.BooleanField(
        label=_("Use the conservative profile: 2 run-walk sessions a week"), required=False)
    note = note_field(_("Note for the patient"),
                      help_text=_("The patient sees this with the decision."))


class LockClearForm(forms.Form):
    doctor_seen = forms.BooleanField(
        label=_("A doctor has seen the patient about these symptoms"),
        error_messages={"required": _("Clear a lock only once a doctor has seen the patient.")},
    )
    note = note_field(_("What the doctor found or advised"))
