"""The running lock: red-flag symptoms stop all running until a clinician clears it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RedFlagLock(models.Model):
    class Advice(models.TextChoices):
        EMERGENCY = "emergency", _("Go to an emergency department now")
        DOCTOR = "doctor", _("See a doctor within days")

    class Source(models.TextChoices):
        SCREENING = "screening", _("Screening")
        SESSION_LOG = "session_log", _("Session log")
        CHECKIN = "checkin", _("Check-in")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="red_flag_locks"
    )
    advice = models.CharField(max_length=16, choices=Advice)
    symptoms = models.JSONField(default=list, help_text=_("Red-flag ids (core vocabulary)."))
    rules = models.JSONField(default=list, help_text=_("Rule ids that raised the lock."))
    source = models.CharField(max_length=16, choices=Source)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by a clinician once a doctor has seen the patient: who cleared it, when, and why.
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="cleared_red_flag_locks",
    )
    clearance_note = models.TextField(blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = (models.Index(fields=["patient", "cleared_at"], name="lock_patient_open"),)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(cleared_at__isnull=True) | models.Q(cleared_by__isnull=False),
                name="lock_cleared_by_someone",
            ),
        )

    def __str__(self) -> str:
        state = "cleared" if self.cleared_at else "open"
        return f"{self.patient} {self.advice} lock ({state})"
