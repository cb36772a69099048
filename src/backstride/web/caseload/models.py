"""Clinics, who belongs to them, and what clinicians decide for their patients.

A clinic has clinicians (each in one clinic); a patient belongs to at most one
clinic, with a responsible clinician (:class:`Enrolment`). A patient without
an enrolment is self-guided and sees none of this. Overrides, notes and
clearance decisions are append-only records with who, when and why; the
override state the engine reads is kept on the enrolment.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backstride.core.ladder import TOP_LEVEL

USER = settings.AUTH_USER_MODEL


class Clinic(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class ClinicMembership(models.Model):
    """A clinician works in one clinic."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    clinician = models.OneToOneField(USER, on_delete=models.CASCADE,
                                     related_name="clinic_membership")
    joined_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.clinician} at {self.clinic}"


class Enrolment(models.Model):
    """A patient under a clinic's care; the override state the engine reads (C-OVERRIDE)."""

    class Via(models.TextChoices):
        INVITATION = "invitation", _("Invitation link")
        CLINICIAN = "clinician", _("Created by a clinician")
        DEMO = "demo", _("Demo data")

    patient = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="enrolment")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="enrolments")
    responsible = models.ForeignKey(USER, on_delete=models.PROTECT,
                                    related_name="responsible_for")
    via = models.CharField(max_length=16, choices=Via)
    enrolled_at = models.DateTimeField(default=timezone.now)
    running_paused = models.BooleanField(default=False)
    hold_progression = models.BooleanField(default=False)
    version = models.PositiveIntegerField(
        default=0, help_text=_("One more at every override: a form made from an older "
                               "version is refused as stale (409)."))

    class Meta:
        indexes = (models.Index(fields=["clinic", "responsible"], name="enrolment_caseload"),)

    def __str__(self) -> str:
        return f"{self.patient} at {self.clinic}"


class Invitation(models.Model):
    """A single-use, expiring link that enrols a patient in a clinic.

    ``patient`` is set when a clinician created the account: the link then
    lets that person choose a password instead of signing up.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="invitations")
    created_by = models.ForeignKey(USER, on_delete=models.CASCADE,
                                   related_name="invitations_sent")
    token = models.CharField(max_length=64, unique=True)
    email = models.EmailField(blank=True, help_text=_("Who it was meant for (optional)."))
    patient = models.ForeignKey(USER, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="activation_links")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="invitations_used")

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"Invitation to {self.clinic} ({self.email or 'anyone'})"

    def usable(self, now: datetime | None = None) -> bool:
        return self.used_at is None and (now or timezone.now()) < self.expires_at


class Override(models.Model):
    """One change a clinician made to a patient's program, with the reason (C-OVERRIDE)."""

    class Kind(models.TextChoices):
        SET_LEVEL = "set_level", _("Set the level")
        PAUSE_RUNNING = "pause_running", _("Pause running")
        RESUME_RUNNING = "resume_running", _("Resume running")
        HOLD_PROGRESSION = "hold_progression", _("Hold progression")
        RELEASE_HOLD = "release_hold", _("Lift the hold")
        SESSIONS_PER_WEEK = "sessions_per_week", _("Change sessions per week")

    patient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="overrides")
    clinician = models.ForeignKey(USER, on_delete=models.PROTECT,
                                  related_name="overrides_made")
    kind = models.CharField(max_length=24, choices=Kind)
    level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(TOP_LEVEL)])
    sessions_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    weekdays = models.JSONField(default=list, blank=True, help_text=_("0 = Monday."))
    reason = models.TextField(_("reason"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=["patient", "kind", "-created_at"],
                                name="override_latest"),)

    def __str__(self) -> str:
        return f"{self.patient}: {self.kind} by {self.clinician}"


class Note(models.Model):
    """A clinician's note about a patient: clinicians only, never shown to the patient."""

    patient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="clinical_notes")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="notes_written")
    body = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"Note on {self.patient} by {self.author}"


class ClearanceDecision(models.Model):
    """A clinician's answer to a plan waiting for clearance (T- rules' clearance_required)."""

    class Outcome(models.TextChoices):
        CLEARED = "cleared", _("Cleared to run-walk")
        LOW_IMPACT = "low_impact", _("Low-impact for now")

    patient = models.ForeignKey(USER, on_delete=models.CASCADE,
                                related_name="clearance_decisions")
    plan = models.ForeignKey("programs.Plan", on_delete=models.CASCADE,
                             related_name="clearance_decisions")
    clinician = models.ForeignKey(USER, on_delete=models.PROTECT,
                                  related_name="clearances_made")
    outcome = models.CharField(max_length=16, choices=Outcome)
    profile = models.CharField(max_length=16, blank=True)
    note = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.patient}: {self.outcome}"


class Reminder(models.Model):
    """Something to remind a patient of, queued by the daily job (one per kind and day)."""

    class Kind(models.TextChoices):
        CHECKIN = "checkin", _("Morning check-in")

    patient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=Kind)
    for_date = models.DateField(help_text=_("The patient's local date it is for."))
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["patient", "kind", "for_date"],
                                    name="one_reminder_per_kind_and_day"),
        )

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.patient} on {self.for_date}"
