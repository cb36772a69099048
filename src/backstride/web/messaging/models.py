"""One thread per enrolled patient, between the patient and their clinic's clinicians."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL
MAX_LENGTH = 4000


class Message(models.Model):
    patient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="thread_messages",
                                help_text=_("Whose thread it belongs to."))
    sender = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="messages_sent")
    body = models.TextField(_("message"), max_length=MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True,
                                   help_text=_("When the other side first opened it."))

    class Meta:
        ordering = ("created_at", "pk")
        indexes = (models.Index(fields=["patient", "created_at"], name="message_thread"),)

    def __str__(self) -> str:
        return f"{self.sender} in {self.patient}'s thread"

    @property
    def from_patient(self) -> bool:
        return self.sender_id == self.patient_id
