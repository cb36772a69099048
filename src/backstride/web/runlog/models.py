"""Session logs, morning check-ins and the engine's decision after each of them.

Every log carries the id its page generated (``client_id``): a retried submit
finds the row it already made instead of adding a second one. Dates are the
patient's local dates; timestamps are UTC.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

PAIN = [MinValueValidator(0), MaxValueValidator(10)]


def _pain_0_10(model: str, field: str) -> models.CheckConstraint:
    q = models.Q(**{f"{field}__isnull": True}) | models.Q(
        **{f"{field}__gte": 0, f"{field}__lte": 10}
    )
    return models.CheckConstraint(condition=q, name=f"{model}_{field}_0_10")


class SessionLog(models.Model):
    class Status(models.TextChoices):
        DONE = "done", _("Done as planned")
        PARTIAL = "partial", _("Started, not finished")
        MISSED = "missed", _("Not done")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_logs"
    )
    client_id = models.UUIDField(unique=True)
    date = models.DateField(help_text=_("The patient's local date of the session."))
    level = models.PositiveSmallIntegerField(help_text=_("Ladder level the session was at."))
    prescription = models.JSONField(help_text=_("What was prescribed (core as_dict)."))
    status = models.CharField(max_length=8, choices=Status)
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    pain_during = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    pain_next_morning = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    talk_test_ok = models.BooleanField(null=True, blank=True)
    other_pain = models.JSONField(default=dict, blank=True, help_text=_("{site: 0-10}"))
    symptoms = models.JSONField(default=list, blank=True, help_text=_("Red-flag ids."))
    run_seconds = models.PositiveIntegerField(default=0)
    walked_home = models.BooleanField(
        default=False, help_text=_("Ended early with the 'pain over 5' button (R-DURING).")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("date", "pk")
        constraints = (
            models.UniqueConstraint(fields=["patient", "date"], name="one_session_per_day"),
            _pain_0_10("session", "pain_before"),
            _pain_0_10("session", "pain_during"),
            _pain_0_10("session", "pain_after"),
            _pain_0_10("session", "pain_next_morning"),
        )

    def __str__(self) -> str:
        return f"{self.patient} session {self.date} ({self.status})"


class Checkin(models.Model):
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins"
    )
    client_id = models.UUIDField(unique=True)
    date = models.DateField()
    rest_pain = models.PositiveSmallIntegerField(validators=PAIN)
    symptoms = models.JSONField(default=list, blank=True, help_text=_("Red-flag ids."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date", "pk")
        constraints = (
            models.UniqueConstraint(fields=["patient", "date"], name="one_checkin_per_day"),
            _pain_0_10("checkin", "rest_pain"),
        )

    def __str__(self) -> str:
        return f"{self.patient} check-in {self.date}: {self.rest_pain}/10"


class Decision(models.Model):
    """What ``core.progression.decide_next`` said after a log or a check-in."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Move up a level")
        REPEAT = "repeat", _("Repeat this level")
        REGRESS = "regress", _("Go back a level")
        PAUSE_RUNNING = "pause_running", _("Pause running")
        STOP = "stop", _("Stop running")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="decisions"
    )
    session_log = models.ForeignKey(
        SessionLog, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions"
    )
    checkin = models.ForeignKey(
        Checkin, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions"
    )
    made_on = models.DateField(help_text=_("The 'today' the engine was given."))
    decision = models.CharField(max_length=16, choices=Kind)
    level = models.PositiveSmallIntegerField()
    next_level = models.PositiveSmallIntegerField()
    next_session = models.JSONField()
    alerts = models.JSONField(default=list, blank=True)
    reasons = models.JSONField(default=list)
    advice = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(session_log__isnull=False) | models.Q(checkin__isnull=False),
                name="decision_has_a_trigger",
            ),
        )
        indexes = (models.Index(fields=["patient", "-created_at"], name="decision_latest"),)

    def __str__(self) -> str:
        return f"{self.patient} {self.made_on}: {self.decision} to level {self.next_level}"
