"""Outcome questionnaires: the licensed definitions a clinic loaded, and every answer.

O-LICENCE: the 0-10 weekly pain scale and the PSFS are built in (``key``
``pain`` and ``psfs``, no definition row); ODI, RMDQ, STarT Back, PROMIS and
any other licensed tool is a :class:`Questionnaire` a clinic loaded from its
own definitions file. Loading a new version keeps the old row (answers point
at the version they were given against) and makes the new one current.

A :class:`QuestionnaireResponse` is a ``draft`` until it is complete: a draft
has no score, so an unfinished questionnaire is never reported as if it were.
``week`` is the O-SCHED week it belongs to (0 = enrolment, 6, 12; any week
for pain), counted from the plan's start.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backstride.web.caseload.models import Clinic
from backstride.web.programs.models import Plan

USER = settings.AUTH_USER_MODEL


class Questionnaire(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="questionnaires")
    key = models.CharField(max_length=64, help_text=_("The definition's id, e.g. odi."))
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=100)
    licence = models.TextField()
    definition = models.JSONField(help_text=_("As loaded: core questionnaire_from_dict input."))
    is_current = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+",
                                  help_text=_("Empty when loaded by the management command."))

    class Meta:
        ordering = ("key", "-loaded_at", "-pk")
        constraints = (
            models.UniqueConstraint(fields=["clinic", "key"], condition=models.Q(is_current=True),
                                    name="one_current_questionnaire_per_key"),
        )

    def __str__(self) -> str:
        return f"{self.clinic}: {self.name} {self.version}"


class QuestionnaireResponse(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Not finished")
        COMPLETE = "complete", _("Complete")

    patient = models.ForeignKey(USER, on_delete=models.CASCADE,
                                related_name="questionnaire_responses")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE,
                             related_name="questionnaire_responses")
    key = models.CharField(max_length=64, help_text=_("pain, psfs, or a loaded definition's id."))
    questionnaire = models.ForeignKey(Questionnaire, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="responses")
    week = models.PositiveSmallIntegerField(help_text=_("O-SCHED week, 0-12."))
    date = models.DateField(help_text=_("The patient's local date it was last saved."))
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.DRAFT)
    total = models.FloatField(null=True, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    band = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("week", "key", "pk")
        constraints = (
            models.UniqueConstraint(fields=["plan", "key", "week"],
                                    name="one_response_per_measure_and_week"),
            models.CheckConstraint(
                condition=models.Q(status="draft", total__isnull=True)
                | models.Q(status="complete", total__isnull=False),
                name="response_scored_only_when_complete"),
        )
        indexes = (models.Index(fields=["patient", "status", "week"], name="response_outcomes"),)

    def __str__(self) -> str:
        return f"{self.patient} {self.key} week {self.week} ({self.status})"

    @property
    def complete(self) -> bool:
        return self.status == self.Status.COMPLETE
