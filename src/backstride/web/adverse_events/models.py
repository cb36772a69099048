"""Adverse events (O-AE): type and seriousness, reported by the patient or a clinician."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backstride.core.outcomes import AdverseEventType, Seriousness

USER = settings.AUTH_USER_MODEL


class AdverseEvent(models.Model):
    class Type(models.TextChoices):
        LOWER_LIMB_PAIN = AdverseEventType.LOWER_LIMB_PAIN, _("Lower-limb pain")
        BACK_PAIN_FLARE = AdverseEventType.BACK_PAIN_FLARE, _("Back-pain flare")
        FALL = AdverseEventType.FALL, _("Fall")
        CARDIOVASCULAR_OR_FAINTING = (AdverseEventType.CARDIOVASCULAR_OR_FAINTING,
                                      _("Heart, chest or fainting"))
        OTHER = AdverseEventType.OTHER, _("Something else")

    class Seriousness(models.TextChoices):
        NON_SERIOUS = Seriousness.NON_SERIOUS, _("Not serious")
        SERIOUS = Seriousness.SERIOUS, _("Serious")

    patient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="adverse_events")
    date = models.DateField(help_text=_("The local date it began."))
    type = models.CharField(max_length=32, choices=Type)
    seriousness = models.CharField(max_length=16, choices=Seriousness)
    description = models.TextField(blank=True, max_length=4000)
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT,
                                    related_name="adverse_events_reported")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-date", "-pk")

    def __str__(self) -> str:
        return f"{self.patient} {self.type} ({self.seriousness}) on {self.date}"
