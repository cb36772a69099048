"""Screenings and plans, stored as the engine produced them.

A screening keeps the answers and the whole triage result (reasons with their
rule and source ids), so the result page and a clinician later see exactly what
the engine said. A plan keeps the preferences and every generated day, so the
calendar never shifts when the engine changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Screening(models.Model):
    class Outcome(models.TextChoices):
        # The five core outcomes (backstride.core.triage.Outcome), plus the T-AGE refusal.
        EMERGENCY = "emergency", _("Emergency")
        URGENT_REVIEW = "urgent_review", _("See a doctor first")
        CLEARANCE_REQUIRED = "clearance_required", _("Clearance needed")
        LOW_IMPACT_FIRST = "low_impact_first", _("Low-impact first")
        RUN_WALK = "run_walk", _("Run-walk")
        UNSUPPORTED = "unsupported", _("Not supported (under 18)")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="screenings"
    )
    answers = models.JSONField(help_text=_("The validated screening, as core reads it."))
    outcome = models.CharField(max_length=24, choices=Outcome)
    profile = models.CharField(max_length=16, blank=True)
    flags = models.JSONField(default=list, blank=True)
    reasons = models.JSONField(default=list, help_text=_("[{rule, text, sources}]"))
    advice = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=["patient", "-created_at"], name="screening_latest"),)

    def __str__(self) -> str:
        return f"{self.patient} screening {self.created_at:%Y-%m-%d}: {self.outcome}"


class Plan(models.Model):
    class Clearance(models.TextChoices):
        NOT_REQUIRED = "not_required", _("Not required")
        PENDING = "pending", _("Waiting for a clinician")
        CLEARED = "cleared", _("Cleared by a clinician")
        LOW_IMPACT = "low_impact", _("Kept on low-impact by a clinician")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans"
    )
    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="plans")
    start = models.DateField()
    weekdays = models.JSONField(help_text=_("Run-walk weekdays, 0 = Monday."))
    sessions_per_week = models.PositiveSmallIntegerField()
    weeks = models.PositiveSmallIntegerField()
    profile = models.CharField(max_length=16)
    baseline_pain = models.FloatField(help_text=_("Program baseline pain at enrolment, 0-10."))
    reasons = models.JSONField(default=list)
    clearance = models.CharField(max_length=16, choices=Clearance)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="cleared_plans",
    )
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = (
            models.UniqueConstraint(
                fields=["patient"], condition=models.Q(is_current=True), name="one_current_plan"
            ),
            models.CheckConstraint(
                condition=models.Q(baseline_pain__gte=0, baseline_pain__lte=10),
                name="plan_baseline_0_10",
            ),
        )

    def __str__(self) -> str:
        return f"{self.patient} plan from {self.start}"

    @property
    def locked(self) -> bool:
        """No run-walk session until a clinician clears the plan."""
        return self.clearance in (self.Clearance.PENDING, self.Clearance.LOW_IMPACT)


class PlanDay(models.Model):
    class Kind(models.TextChoices):
        RUN_WALK = "run_walk", _("Run-walk")
        CROSS_TRAINING = "cross_training", _("Low-impact cardio")
        STRENGTH = "strength", _("Strength")
        REST = "rest", _("Rest")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    week = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=Kind)
    title = models.CharField(max_length=200)
    session_number = models.PositiveSmallIntegerField(null=True, blank=True)
    prescription = models.JSONField(null=True, blank=True,
                                    help_text=_("Projected prescription (core as_dict)."))
    notes = models.JSONField(default=list, blank=True)
    rules = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("date",)
        constraints = (
            models.UniqueConstraint(fields=["plan", "date"], name="one_plan_day_per_date"),
        )
        # The caseload queue counts each plan's run-walk days: from this index alone,
        # without reading the (wide) days themselves.
        indexes = (models.Index(fields=["plan", "kind", "date"], name="plan_day_by_kind"),)

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"
