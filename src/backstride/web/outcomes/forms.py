"""Questionnaire forms: weekly pain, the PSFS, and any loaded definition, item by item.

Every item is optional in the form: a person may stop half way and save a
draft. Whether the answers are complete is the scorer's decision
(``outcomes.services``), never the form's.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backstride.core.outcomes import QuestionnaireDefinition
from backstride.core.outcomes.measures import PSFS_MAX_ACTIVITIES
from backstride.web.forms import Choices, PainScale, pain_field

PSFS_SCORES = [(n, str(n)) for n in range(11)]


class PainForm(forms.Form):
    pain = pain_field(_("Over the last 7 days, how bad was your back pain on average?"),
                      required=False)

    def answers(self) -> dict[str, Any]:
        return {"pain": self.cleaned_data["pain"]}

    @staticmethod
    def initial_from(answers: dict[str, Any]) -> dict[str, Any]:
        return {"pain": answers.get("pain")}


class PsfsForm(forms.Form):
    """Three to five activities the back makes hard, each rated 0 (unable) to 10 (as before)."""

    def __init__(self, *args: Any, fixed: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed = fixed or []
        for n in range(1, PSFS_MAX_ACTIVITIES + 1):
            self.fields[f"activity_{n}"] = forms.CharField(
                label=_("Activity %(n)d") % {"n": n}, required=False, max_length=100,
                disabled=n <= len(self.fixed))
            self.fields[f"score_{n}"] = forms.TypedChoiceField(
                label=_("How well can you do it today?"), choices=PSFS_SCORES, coerce=int,
                empty_value=None, required=False, widget=PainScale,
                help_text=_("0 = unable to do it, 10 = as well as before the back problem."))
        for n, activity in enumerate(self.fixed, start=1):
            self.initial.setdefault(f"activity_{n}", activity)

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        rows = [{"activity": (data.get(f"activity_{n}") or "").strip(),
                 "score": data.get(f"score_{n}")} for n in range(1, PSFS_MAX_ACTIVITIES + 1)]
        return {"activities": [r for r in rows if r["activity"] or r["score"] is not None]}

    @staticmethod
    def initial_from(answers: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for n, row in enumerate(answers.get("activities", []), start=1):
            initial[f"activity_{n}"], initial[f"score_{n}"] = row.get("activity"), row.get("score")
        return initial


class LicensedForm(forms.Form):
    """One radio group per item of a loaded definition, in its order."""

    def __init__(self, *args: Any, definition: QuestionnaireDefinition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        for item in definition.items:
            self.fields[item.id] = forms.TypedChoiceField(
                label=item.text, choices=[(a.value, a.label) for a in item.answers], coerce=int,
                empty_value=None, required=False, widget=Choices)

    def answers(self) -> dict[str, Any]:
        return {item.id: self.cleaned_data.get(item.id) for item in self.definition.items}

    @staticmethod
    def initial_from(answers: dict[str, Any]) -> dict[str, Any]:
        return dict(answers)


class DefinitionsUploadForm(forms.Form):
    file = forms.FileField(label=_("Definitions file (JSON)"),
                           help_text=_("The item text comes from your own licensed copy; "
                                       "Backstride checks the file against the scoring it "
                                       "ships for ODI, RMDQ and STarT Back."))
