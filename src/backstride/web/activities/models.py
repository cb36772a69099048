"""Imported activities: the uploaded file, what it said, and the session it matched.

The original file is kept as uploaded, under ``MEDIA_ROOT`` with a random name
(the person's file name is kept only as a label), and is only ever served by a
view that checks ownership: never from a public media URL. Times are UTC;
``local_date`` is the patient's local date of the activity.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backstride.web.programs.models import PlanDay
from backstride.web.runlog.models import SessionLog


def original_path(_instance: ImportedActivity, _filename: str) -> str:
    """A random name for the stored file: nothing of the person's file name reaches the disk."""
    return f"activities/{secrets.token_hex(16)}"


class ImportedActivity(models.Model):
    class Format(models.TextChoices):
        FIT = "fit", "FIT"
        GPX = "gpx", "GPX"
        TCX = "tcx", "TCX"

    class Compliance(models.TextChoices):
        GREEN = "green", _("As planned")
        AMBER = "amber", _("Somewhat off the plan")
        RED = "red", _("Far from the plan")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities"
    )
    original = models.FileField(upload_to=original_path, max_length=200)
    original_name = models.CharField(max_length=200, help_text=_("The uploaded file's name."))
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(help_text=_("Bytes, as uploaded."))
    source_format = models.CharField(max_length=8, choices=Format)
    sport = models.CharField(max_length=16)
    original_sport = models.CharField(max_length=100, blank=True)
    device = models.CharField(max_length=100, blank=True)
    start = models.DateTimeField(null=True, blank=True,
                                 help_text=_("UTC; empty when the device's clock was not set."))
    local_date = models.DateField(null=True, blank=True,
                                  help_text=_("The patient's local date (asked when no start)."))
    duration_seconds = models.FloatField()
    distance_m = models.FloatField(null=True, blank=True)
    running_seconds = models.PositiveIntegerField(default=0)
    walking_seconds = models.PositiveIntegerField(default=0)
    paused_seconds = models.PositiveIntegerField(default=0)
    run_bouts = models.PositiveIntegerField(default=0)
    running_distance_m = models.FloatField(null=True, blank=True)
    running_cadence = models.FloatField(null=True, blank=True, help_text=_("Steps a minute."))
    running_vertical_oscillation = models.FloatField(null=True, blank=True,
                                                     help_text=_("Millimetres."))
    bouts = models.JSONField(default=list, blank=True,
                             help_text=_("[{kind, start, duration, distance, cadence}] in s, m, "
                                         "steps/min"))
    warnings = models.JSONField(default=list, blank=True)
    plan_day = models.ForeignKey(PlanDay, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="activities")
    session_log = models.ForeignKey(SessionLog, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="activities")
    planned_running_seconds = models.PositiveIntegerField(null=True, blank=True)
    compliance = models.CharField(max_length=8, choices=Compliance, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-local_date", "-start", "-pk")
        constraints = (
            models.UniqueConstraint(fields=["patient", "sha256"], name="one_upload_per_file"),
        )
        indexes = (models.Index(fields=["patient", "start"], name="activity_start"),)

    def __str__(self) -> str:
        return f"{self.patient} {self.source_format} {self.local_date or 'undated'}"
