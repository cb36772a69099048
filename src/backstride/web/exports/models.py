"""A patient's private calendar link, and what their calendars were last sent.

The link's token is shown once, when it is made, and stored only as its
SHA-256: whoever reads the database cannot subscribe to anyone's plan. A new
link replaces the old one, which stops working at once.

``CalendarEvent`` remembers, per plan day, the SEQUENCE and a fingerprint of
the event last exported, so an export after a change sends the same UID with
SEQUENCE + 1 (RFC 5545): calendars update the event instead of adding one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backstride.web.programs.models import PlanDay


class CalendarFeed(models.Model):
    class Reminder(models.TextChoices):
        NONE = "", _("No reminder")
        EVENING_BEFORE = "evening_before", _("At 18:00 the evening before")
        MORNING = "morning", _("At 07:00 on the day")

    patient = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True, blank=True, null=True)
    reminder = models.CharField(max_length=16, choices=Reminder, blank=True, default="")
    link_created_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.patient} calendar feed"


class CalendarEvent(models.Model):
    plan_day = models.OneToOneField(PlanDay, on_delete=models.CASCADE,
                                    related_name="calendar_event")
    sequence = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.plan_day} event, sequence {self.sequence}"
