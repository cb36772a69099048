"""Alerts for a patient's clinicians: raised by the engine, missed sessions and red flags.

Lifecycle: open → acknowledged → resolved, each step with who, when and an
optional note. At most one unresolved alert per patient and rule (a database
constraint): a rule that fires again updates that alert with its latest
occurrence instead of adding a row (see ``alerts.services``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Alert(models.Model):
    class Severity(models.TextChoices):
        # The engine's one scale (core.progression.Severity), most urgent first.
        CRITICAL = "critical", _("Critical")
        HIGH = "high", _("High")
        LOW = "low", _("Low")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    patient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="alerts")
    rule = models.CharField(max_length=24, help_text=_("The rule id that raised it."))
    severity = models.CharField(max_length=8, choices=Severity)
    message = models.TextField()
    status = models.CharField(max_length=16, choices=Status, default=Status.OPEN)
    trigger = models.CharField(
        max_length=64, help_text=_("What raised the latest occurrence, e.g. session:2026-03-02."))
    occurrences = models.PositiveIntegerField(default=1)
    first_raised_at = models.DateTimeField(default=timezone.now)
    last_raised_at = models.DateTimeField(default=timezone.now)
    decision = models.ForeignKey("runlog.Decision", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    acknowledged_note = models.TextField(blank=True, max_length=2000)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolved_note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ("-last_raised_at", "-pk")
        constraints = (
            models.UniqueConstraint(
                fields=["patient", "rule"], condition=~models.Q(status="resolved"),
                name="one_unresolved_alert_per_rule",
            ),
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True) | models.Q(resolved_by__isnull=False),
                name="alert_resolved_by_someone",
            ),
        )
        indexes = (models.Index(fields=["patient", "status"], name="alert_patient_status"),)

    def __str__(self) -> str:
        return f"{self.patient} {self.severity} {self.rule} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
