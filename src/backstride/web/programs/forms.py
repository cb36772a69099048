"""The screening wizard's steps and the plan set-up form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backstride.core import vocab
from backstride.core.plans import WEEKDAY_NAMES
from backstride.web.forms import (
    Checkboxes,
    Choices,
    initial_yes_no,
    pain_field,
    red_flag_choices,
    yes_no_field,
)


def _label(vocab_id: str) -> str:
    return _(vocab.LABELS[vocab_id])


class AboutForm(forms.Form):
    title = _("About you and your back")
    age = forms.IntegerField(
        label=_("Age"), min_value=0, max_value=120,
        help_text=_("In whole years."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sex = forms.ChoiceField(
        label=_("Sex"), widget=Choices,
        choices=[("female", _("Female")), ("male", _("Male")),
                 ("other", _("Other, or would rather not say"))],
    )
    episode_weeks = forms.FloatField(
        label=_("How many weeks ago did this episode of back pain begin?"),
        min_value=0, max_value=5200, help_text=_("An estimate is fine, e.g. 20."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    pain_now = pain_field(_("How bad is your back pain at rest, right now?"))
    pain_week_avg = pain_field(_("On average, how bad was your back pain over the last week?"))
    flare_now = yes_no_field(
        _("Are you having a flare-up right now?"),
        help_text=_("A spell when the pain is clearly worse than usual."),
    )
    runs_per_month_last_3_months = forms.FloatField(
        label=_("Over the last 3 months, how many times a month did you run?"),
        min_value=0, max_value=100, help_text=_("0 if you have not been running."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )


class LegsForm(forms.Form):
    title = _("Leg symptoms")
    leg_pain = forms.ChoiceField(
        label=_("Does pain go down a leg?"), widget=Choices,
        choices=[("none", _("No leg pain")), ("above_knee", _("Yes, but not below the knee")),
                 ("below_knee", _("Yes, below the knee"))],
    )
    leg_pain_worse_than_back = yes_no_field(_("Is the leg pain worse than the back pain?"),
                                            help_text=_("Answer no if you have no leg pain."))
    leg_numbness_or_weakness = yes_no_field(_("Do you have numbness or weakness in a leg?"))


class RedFlagsForm(forms.Form):
    title = _("Warning signs")
    intro = _("Tick anything that is true for you now. These are rare, but they need a "
              "doctor before any exercise. If none apply, leave them all unticked.")
    red_flags = forms.MultipleChoiceField(
        label=_("Do you have any of these?"), required=False, widget=Checkboxes,
        choices=red_flag_choices(),
    )


class HealthForm(forms.Form):
    title = _("Your health")
    conditions = forms.MultipleChoiceField(
        label=_("Has a doctor diagnosed any of these?"), required=False, widget=Checkboxes,
        choices=[(i, _label(i)) for i in vocab.CONDITIONS],
    )
    pre_exercise_yes = forms.MultipleChoiceField(
        label=_("Do any of these apply to you?"), required=False, widget=Checkboxes,
        choices=[(i, _label(i)) for i in vocab.PRE_EXERCISE],
    )
    pregnant_or_postpartum = yes_no_field(
        _("Are you pregnant, or did you give birth less than 12 months ago?")
    )
    lower_limb_injury = yes_no_field(_("Have you ever injured a hip, leg, knee, ankle or foot?"))
    lower_limb_injury_weeks_ago = forms.FloatField(
        label=_("If yes: how many weeks ago was the most recent injury?"),
        required=False, min_value=0, max_value=5200,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    in_rehab_restricting_running = yes_no_field(
        _("Are you in a supervised rehab programme that tells you not to run?")
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        weeks = cleaned.get("lower_limb_injury_weeks_ago")
        if cleaned.get("lower_limb_injury") and weeks is None:
            self.add_error("lower_limb_injury_weeks_ago",
                           _("Say how many weeks ago the injury was (an estimate is fine)."))
        if cleaned.get("lower_limb_injury") is False:
            cleaned["lower_limb_injury_weeks_ago"] = None
        return cleaned


# (slug, form); the order of the wizard.
STEPS: tuple[tuple[str, type[forms.Form]], ...] = (
    ("about", AboutForm),
    ("legs", LegsForm),
    ("warning-signs", RedFlagsForm),
    ("health", HealthForm),
)
STEP_SLUGS = tuple(slug for slug, _form in STEPS)
# A core field name → the step whose form asks it (to show a core error in the right place).
FIELD_STEP = {name: slug for slug, form in STEPS for name in form.base_fields}
FIELD_STEP["lower_limb_injury_weeks_ago"] = "health"


def step_form(slug: str) -> type[forms.Form]:
    return dict(STEPS)[slug]


def initial_for(form_class: type[forms.Form], stored: dict[str, Any]) -> dict[str, Any]:
    """A step's stored answers as form initial data (booleans back to yes/no)."""
    initial = dict(stored)
    for name, field in form_class.base_fields.items():
        if isinstance(field.widget, Choices) and isinstance(field, forms.TypedChoiceField):
            initial[name] = initial_yes_no(stored.get(name))
    return initial


def screening_data(steps: dict[str, dict[str, Any]]) -> dict[str, object]:
    """The wizard's answers in the shape ``core.triage.parse_screening`` reads."""
    merged: dict[str, object] = {}
    for slug in STEP_SLUGS:
        merged.update(steps.get(slug, {}))
    merged.pop("lower_limb_injury", None)  # a web-only question: weeks ago is the answer
    return merged


class PlanForm(forms.Form):
    start = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The first day of week 1."),
        error_messages={"invalid": _("Enter a date, e.g. 2025-03-03.")},
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Run-walk days"), coerce=int, widget=Checkboxes,
        choices=[(n, _(name.capitalize())) for n, name in enumerate(WEEKDAY_NAMES)],
        help_text=_("Choose as many days as sessions a week, with a day off between them."),
        error_messages={"required": _("Choose the days you will run-walk.")},
    )
    sessions_per_week = forms.TypedChoiceField(
        label=_("Run-walk sessions a week"), coerce=int, widget=Choices,
        choices=[(2, _("2 a week")), (3, _("3 a week (as in the trial)"))],
    )

    def __init__(self, *args: Any, today: Any, conservative: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        if conservative:
            field = self.fields["sessions_per_week"]
            field.choices = [(2, _("2 a week"))]
            field.help_text = _("Your screening suggests a gentler start: 2 sessions a week.")

    def clean_start(self) -> Any:
        start = self.cleaned_data["start"]
        if start < self.today:
            raise forms.ValidationError(_("Choose today or a later date."), code="past")
        if (start - self.today).days > 90:
            raise forms.ValidationError(_("Choose a date within the next 90 days."),
                                        code="far")
        return start


def as_post_data(form_class: type[forms.Form], stored: dict[str, Any]) -> dict[str, Any]:
    """Stored answers as the POST data that would have produced them (to re-bind a form)."""
    data: dict[str, Any] = {}
    for name, value in initial_for(form_class, stored).items():
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def answer_text(field: forms.Field, value: Any) -> str:
    """An answer in the words the form offered (for the review page)."""
    if value is None or value == [] or value == "":
        return str(_("None")) if isinstance(field, forms.MultipleChoiceField) else "–"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    labels = {str(k): str(v) for k, v in _flat(getattr(field, "choices", []))}
    if isinstance(value, list):
        return "; ".join(labels.get(str(v), str(v)) for v in value)
    if labels:
        return labels.get(str(value), str(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _flat(choices: Any) -> list[tuple[Any, Any]]:
    """Choices with their groups opened: [(value, label), ...]."""
    flat: list[tuple[Any, Any]] = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(label)
        else:
            flat.append((value, label))
    return flat
