"""Shared form pieces: the 0-10 scale, yes/no questions, and the form renderer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from backstride.core import vocab

PAIN_CHOICES = [(n, str(n)) for n in range(11)]


class FormRenderer(TemplatesSetting):
    """Our own field template: label, help and errors tied to the input for screen readers."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class PainScale(forms.RadioSelect):
    template_name = "forms/pain_scale.html"
    option_template_name = "forms/pain_scale_option.html"


class Choices(forms.RadioSelect):
    template_name = "forms/choices.html"


class Checkboxes(forms.CheckboxSelectMultiple):
    template_name = "forms/choices.html"


def pain_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.TypedChoiceField:
    """A 0-10 pain score: 0 no pain, 10 the worst pain imaginable."""
    return forms.TypedChoiceField(
        label=label,
        choices=PAIN_CHOICES,
        coerce=int,
        empty_value=None,
        required=required,
        widget=PainScale,
        help_text=help_text or _("0 = no pain, 10 = the worst pain you can imagine."),
        error_messages={"required": _("Choose a number from 0 to 10.")},
    )


def yes_no_field(label: Any, *, help_text: Any = "") -> forms.TypedChoiceField:
    """A yes/no question that must be answered (no answer is not the same as 'no')."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=Choices,
        help_text=help_text,
        error_messages={"required": _("Answer yes or no.")},
    )


def initial_yes_no(value: object) -> str | None:
    """The radio value for a stored boolean, so a re-shown form keeps the answer."""
    if value is None:
        return None
    return "yes" if value else "no"


def posted(request: HttpRequest) -> QueryDict | None:
    """The POST data to bind a form to, or ``None`` for a GET (an empty POST still binds)."""
    return request.POST if request.method == "POST" else None


def red_flag_choices() -> list[tuple[Any, list[tuple[str, Any]]]]:
    """The red-flag vocabulary in two groups: emergency signs, then doctor signs."""
    return [
        (_("Signs that need an emergency department"),
         [(i, _(vocab.LABELS[i])) for i in vocab.CAUDA_EQUINA]),
        (_("Signs that need a doctor"), [(i, _(vocab.LABELS[i])) for i in vocab.SERIOUS]),
    ]
