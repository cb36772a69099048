"""The session log and the morning check-in."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backstride.core import vocab
from backstride.core.evidence import DURING_PAIN_ABOVE
from backstride.web.forms import (
    Checkboxes,
    Choices,
    pain_field,
    red_flag_choices,
    yes_no_field,
)
from backstride.web.runlog.models import SessionLog

SITE_LABELS = {"knee": _("Knee"), "ankle": _("Ankle"), "hip": _("Hip"), "foot": _("Foot")}
SITE_CHOICES = [("", _("No pain"))] + [(n, str(n)) for n in range(1, 11)]


def symptoms_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Any of these warning signs, new since your last log?"),
        required=False, widget=Checkboxes,
        choices=red_flag_choices(),
        help_text=_("Rare, but serious: ticking one stops running and tells you what to do."),
    )


class SessionLogForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    walked_home = forms.BooleanField(required=False, widget=forms.HiddenInput)
    date = forms.DateField(
        label=_("Date of the session"), widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date, e.g. 2025-03-03.")},
    )
    status = forms.ChoiceField(label=_("How did it go?"), choices=SessionLog.Status.choices,
                               widget=Choices)
    pain_before = pain_field(_("Back pain just before the session"), required=False)
    pain_during = pain_field(_("Worst back pain during the session"), required=False)
    pain_after = pain_field(_("Back pain just after the session"), required=False)
    talk_test_ok = yes_no_field(
        _("Could you talk in full sentences while running?"),
        help_text=_("The talk test: if not, the pace was too hard."),
    )
    run_minutes = forms.FloatField(
        label=_("Minutes of running (not counting walking)"), required=False,
        min_value=0, max_value=180,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        help_text=_("Filled in by the timer; leave it if you did the session as planned."),
    )
    other_knee = forms.TypedChoiceField(label=_("Knee"), choices=SITE_CHOICES, coerce=int,
                                        empty_value=None, required=False)
    other_ankle = forms.TypedChoiceField(label=_("Ankle"), choices=SITE_CHOICES, coerce=int,
                                         empty_value=None, required=False)
    other_hip = forms.TypedChoiceField(label=_("Hip"), choices=SITE_CHOICES, coerce=int,
                                       empty_value=None, required=False)
    other_foot = forms.TypedChoiceField(label=_("Foot"), choices=SITE_CHOICES, coerce=int,
                                        empty_value=None, required=False)
    symptoms = symptoms_field()

    PAIN_FIELDS = ("pain_before", "pain_during", "pain_after")
    SITE_FIELDS = tuple(f"other_{site}" for site in vocab.PAIN_SITES)

    def __init__(self, *args: Any, today: date, earliest: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.earliest = earliest
        self.fields["talk_test_ok"].required = False
        self.fields["date"].widget.attrs.update(max=today.isoformat(), min=earliest.isoformat())

    def clean_date(self) -> date:
        day: date = self.cleaned_data["date"]
        if day > self.today:
            raise forms.ValidationError(_("The session date cannot be in the future."))
        if day < self.earliest:
            raise forms.ValidationError(
                _("Choose a date from %(day)s, when your plan started.")
                % {"day": self.earliest.isoformat()}
            )
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("status") == SessionLog.Status.MISSED:
            # Nothing to score for a session not done; the answers are not kept.
            for name in (*self.PAIN_FIELDS, "talk_test_ok", "run_minutes", *self.SITE_FIELDS):
                cleaned[name] = None
            return cleaned
        for name in self.PAIN_FIELDS:
            if name not in self.errors and cleaned.get(name) is None:
                self.add_error(name, _("Choose a number from 0 to 10."))
        if "talk_test_ok" not in self.errors and cleaned.get("talk_test_ok") is None:
            self.add_error("talk_test_ok", _("Answer yes or no."))
        partial = cleaned.get("status") == SessionLog.Status.PARTIAL
        if partial and cleaned.get("run_minutes") is None:
            self.add_error("run_minutes", _("Say roughly how many minutes you ran."))
        during = cleaned.get("pain_during")
        if cleaned.get("walked_home") and during is not None and during <= DURING_PAIN_ABOVE:
            self.add_error("pain_during", _(
                "You ended the session because pain went over %(limit)d: choose %(min)d or more, "
                "or go back and continue the session."
            ) % {"limit": DURING_PAIN_ABOVE, "min": DURING_PAIN_ABOVE + 1})
        return cleaned

    def other_pain(self) -> dict[str, int]:
        return {
            site: score for site in vocab.PAIN_SITES
            if (score := self.cleaned_data.get(f"other_{site}")) is not None
        }

    def site_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SITE_FIELDS]


class CheckinForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    rest_pain = pain_field(_("How bad is your back pain at rest, right now?"))
    pain_next_morning = pain_field(
        _("Back pain this morning, the morning after yesterday's session"),
    )
    symptoms = symptoms_field()

    def __init__(self, *args: Any, yesterday: SessionLog | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if yesterday is None or yesterday.status == SessionLog.Status.MISSED:
            del self.fields["pain_next_morning"]
        elif yesterday.pain_before is not None:
            self.fields["pain_next_morning"].help_text = _(
                "Before the session it was %(before)d/10. This tells the plan how your back "
                "took it (0 = no pain, 10 = the worst pain you can imagine)."
            ) % {"before": yesterday.pain_before}
