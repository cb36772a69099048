"""Writes for clinics: enrolment, overrides, notes, clearance and lifting a red-flag lock.

Every function is keyword-only, runs in one transaction and raises
``ValidationError`` (keyed by form field) for a request it refuses, so a
page shows the reason next to the field and keeps what was typed.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backstride.core import ladder
from backstride.core.errors import PlanError
from backstride.core.evidence import CONSERVATIVE_SESSIONS_PER_WEEK
from backstride.core.plans import Profile
from backstride.web.accounts.models import User
from backstride.web.accounts.services import user_signup
from backstride.web.accounts.timezones import local_today
from backstride.web.audit.services import Action, audit_record, current_actor
from backstride.web.caseload.models import (
    ClearanceDecision,
    Clinic,
    ClinicMembership,
    Enrolment,
    Invitation,
    Note,
    Override,
)
from backstride.web.programs.models import Plan
from backstride.web.programs.services import plan_reschedule
from backstride.web.safety import services as safety
from backstride.web.safety.models import RedFlagLock

INVITATION_DAYS = 14  # design choice: a link older than two weeks is stale
_PLAN_FIELDS = {"days": "weekdays", "weekdays": "weekdays",
                "sessions_per_week": "sessions_per_week", "profile": "sessions_per_week"}


# --- Clinics and enrolment ----------------------------------------------------------------


def clinic_create(*, name: str) -> Clinic:
    with transaction.atomic():
        clinic = Clinic(name=name.strip())
        clinic.full_clean()
        clinic.save()
    return clinic


def clinician_create(*, clinic: Clinic, email: str, password: str, time_zone: str,
                     first_name: str = "", last_name: str = "") -> User:
    """A clinician account in ``clinic`` (operations and the demo; no sign-up page)."""
    with transaction.atomic():
        user = User(email=User.objects.normalize_email(email).lower(), time_zone=time_zone,
                    role=User.Role.CLINICIAN, first_name=first_name, last_name=last_name)
        user.set_password(password)
        user.full_clean()
        user.save()
        ClinicMembership.objects.create(clinic=clinic, clinician=user)
    return user


def invitation_create(*, clinician: User, clinic: Clinic, email: str = "",
                      patient: User | None = None, now: datetime | None = None) -> Invitation:
    """A single-use link to join ``clinic``, valid for INVITATION_DAYS."""
    moment = now or timezone.now()
    with transaction.atomic():
        invitation = Invitation(
            clinic=clinic, created_by=clinician, token=secrets.token_urlsafe(32),
            email=email.strip().lower(), patient=patient, created_at=moment,
            expires_at=moment + timedelta(days=INVITATION_DAYS),
        )
        invitation.full_clean()
        invitation.save()
    return invitation


def patient_create(*, clinician: User, clinic: Clinic, email: str, first_name: str,
                   last_name: str, time_zone: str) -> Invitation:
    """Create a patient account in ``clinic``; the returned link lets them set a password."""
    with transaction.atomic():
        patient = User(email=User.objects.normalize_email(email).lower(), time_zone=time_zone,
                       role=User.Role.PATIENT, first_name=first_name.strip(),
                       last_name=last_name.strip())
        patient.set_unusable_password()
        patient.full_clean()
        patient.save()
        audit_record(actor=clinician, action=Action.CREATE, patient=patient, obj=patient)
        _enrol(patient, clinic, clinician, Enrolment.Via.CLINICIAN)
        return invitation_create(clinician=clinician, clinic=clinic, email=patient.email,
                                 patient=patient)


def invitation_accept(*, invitation: Invitation, user: User,
                      now: datetime | None = None) -> Enrolment:
    """Use the link once: ``user`` (a patient in no clinic yet) joins its clinic."""
    with transaction.atomic():
        invitation = _usable(invitation, now)
        if invitation.patient_id is not None and invitation.patient_id != user.pk:
            raise ValidationError(_("This link was made for another account."))
        if not user.is_patient:
            raise ValidationError(_("Clinician accounts cannot join a clinic as a patient."))
        enrolment = Enrolment.objects.filter(patient=user).first()
        if enrolment is None:
            enrolment = _enrol(user, invitation.clinic, invitation.created_by,
                               Enrolment.Via.INVITATION)
            audit_record(actor=current_actor(user), action=Action.CREATE, patient=user,
                         obj=enrolment)
        elif enrolment.clinic_id != invitation.clinic_id:
            raise ValidationError(_("You already belong to a clinic: a patient belongs to one "
                                    "clinic at most."))
        invitation.used_at = now or timezone.now()
        invitation.used_by = user
        invitation.save(update_fields=["used_at", "used_by"])
    return enrolment


def join_with_signup(*, invitation: Invitation, email: str, password: str, time_zone: str,
                     first_name: str = "", last_name: str = "") -> User:
    """A new patient signs up through a link and joins its clinic, in one step."""
    with transaction.atomic():
        _usable(invitation, None)
        user = user_signup(email=email, password=password, time_zone=time_zone)
        user.first_name, user.last_name = first_name.strip(), last_name.strip()
        user.save(update_fields=["first_name", "last_name"])
        invitation_accept(invitation=invitation, user=user)
    return user


def join_with_activation(*, invitation: Invitation, password: str) -> User:
    """A patient a clinician created chooses a password through their link."""
    with transaction.atomic():
        invitation = _usable(invitation, None)
        user = User.objects.select_for_update().get(pk=invitation.patient_id)
        user.set_password(password)
        user.save(update_fields=["password"])
        invitation_accept(invitation=invitation, user=user)
    return user


def _usable(invitation: Invitation, now: datetime | None) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.usable(now):
        raise ValidationError(_("This link has expired or was already used. Ask your clinic "
                                "for a new one."))
    return invitation


def _enrol(patient: User, clinic: Clinic, clinician: User, via: str) -> Enrolment:
    enrolment = Enrolment(patient=patient, clinic=clinic, responsible=clinician, via=via)
    enrolment.full_clean()
    enrolment.save()
    return enrolment


# --- Overrides (C-OVERRIDE) ------------------------------------------------------------------


class StaleEdit(Exception):
    """The form was made from an older version of the patient's program (HTTP 409)."""

    def __init__(self, enrolment: Enrolment) -> None:
        super().__init__(f"enrolment {enrolment.pk} is at version {enrolment.version}")
        self.enrolment = enrolment


def override_create(
    *, clinician: User, patient: User, kind: str, reason: str, level: int | None = None,
    sessions_per_week: int | None = None, weekdays: Sequence[int] = (),
    today: date | None = None, version: int | None = None,
) -> Override:
    """Record one override with its reason and put it in force.

    The engine reads the state from the enrolment (pause, hold) and the
    latest level set (``runlog.selectors.override_state``); a change of
    sessions per week reschedules the plan from the patient's today.
    ``version`` is the enrolment's version the clinician's form was made
    from: if another change came first, ``StaleEdit`` (nothing is saved).
    Every override adds one to the version, counted by the database (F()).
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Say why: the patient sees the reason.")})
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(patient=patient)
        if version is not None and version != enrolment.version:
            raise StaleEdit(enrolment)
        _apply(enrolment, kind, level)
        row = Override(patient=patient, clinician=clinician, kind=kind, reason=reason.strip(),
                       level=level if kind == Override.Kind.SET_LEVEL else None)
        if kind == Override.Kind.SESSIONS_PER_WEEK:
            row.sessions_per_week, row.weekdays = sessions_per_week, sorted(weekdays)
            _reschedule(patient, sessions_per_week, weekdays,
                        today or local_today(patient.time_zone))
        row.full_clean()
        row.save()
        # The version test again in the UPDATE itself: right even where
        # select_for_update is a no-op (SQLite, where IMMEDIATE serialises writes).
        same = {} if version is None else {"version": version}
        changed = Enrolment.objects.filter(pk=enrolment.pk, **same).update(
            running_paused=enrolment.running_paused, hold_progression=enrolment.hold_progression,
            version=F("version") + 1)
        if not changed:
            raise StaleEdit(Enrolment.objects.get(pk=enrolment.pk))
        audit_record(actor=clinician, action=Action.CREATE, patient=patient, obj=row)
    return row


def _apply(enrolment: Enrolment, kind: str, level: int | None) -> None:
    """Change the enrolment's override state, refusing a change that changes nothing."""
    K = Override.Kind
    refusals = {
        K.PAUSE_RUNNING: (enrolment.running_paused, _("Running is already paused.")),
        K.RESUME_RUNNING: (not enrolment.running_paused, _("Running is not paused.")),
        K.HOLD_PROGRESSION: (enrolment.hold_progression, _("Progression is already held.")),
        K.RELEASE_HOLD: (not enrolment.hold_progression, _("Progression is not held.")),
    }
    refused, message = refusals.get(kind, (False, ""))
    if refused:
        raise ValidationError({"kind": message})
    if kind == K.SET_LEVEL and (level is None or not 1 <= level <= ladder.TOP_LEVEL):
        raise ValidationError({"level": _("Choose a level from 1 to %(top)d.")
                               % {"top": ladder.TOP_LEVEL}})
    if kind in (K.PAUSE_RUNNING, K.RESUME_RUNNING):
        enrolment.running_paused = kind == K.PAUSE_RUNNING
    if kind in (K.HOLD_PROGRESSION, K.RELEASE_HOLD):
        enrolment.hold_progression = kind == K.HOLD_PROGRESSION


def _reschedule(patient: User, sessions: int | None, weekdays: Sequence[int],
                today: date) -> None:
    plan = Plan.objects.filter(patient=patient, is_current=True).first()
    if plan is None:
        raise ValidationError({"sessions_per_week": _("The patient has no plan yet.")})
    if sessions is None:
        raise ValidationError({"sessions_per_week": _("Choose how many sessions a week.")})
    # The conservative profile (T-ENVELOPE) is exactly 2 a week: a clinician asking
    # for more lifts it, which is theirs to decide; fewer keeps it.
    keep = plan.profile == Profile.CONSERVATIVE and sessions == CONSERVATIVE_SESSIONS_PER_WEEK
    profile = Profile.CONSERVATIVE if keep else Profile.STANDARD
    try:
        plan_reschedule(plan=plan, sessions_per_week=sessions, weekdays=weekdays,
                        profile=profile, today=today)
    except PlanError as error:
        raise ValidationError({_PLAN_FIELDS.get(error.field, "weekdays"): error.message}) \
            from error


# --- Notes, clearance, locks --------------------------------------------------------------


def note_add(*, author: User, patient: User, body: str) -> Note:
    if not body.strip():
        raise ValidationError({"body": _("Write the note first.")})
    with transaction.atomic():
        note = Note(patient=patient, author=author, body=body.strip())
        note.full_clean()
        note.save()
        audit_record(actor=author, action=Action.CREATE, patient=patient, obj=note)
    return note


def clearance_decide(*, clinician: User, patient: User, outcome: str, note: str,
                     conservative: bool = False, today: date | None = None) -> ClearanceDecision:
    """Clear a plan waiting for clearance, or keep the patient on low-impact for now.

    ``conservative`` switches a cleared plan to the conservative profile (2
    run-walk sessions a week, T-ENVELOPE) from the patient's today on.
    """
    if not note.strip():
        raise ValidationError({"note": _("Add a note: the patient sees it with the result.")})
    plan = Plan.objects.filter(patient=patient, is_current=True).first()
    if plan is None or not plan.locked:
        raise ValidationError(_("This patient has no plan waiting for clearance."))
    with transaction.atomic():
        cleared = outcome == ClearanceDecision.Outcome.CLEARED
        if cleared and conservative and plan.profile != Profile.CONSERVATIVE:
            days = [plan.weekdays[0], plan.weekdays[-1]]  # already never consecutive (P-DAYS)
            plan_reschedule(plan=plan, sessions_per_week=CONSERVATIVE_SESSIONS_PER_WEEK,
                            weekdays=days, profile=Profile.CONSERVATIVE,
                            today=today or local_today(patient.time_zone))
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        plan.clearance = Plan.Clearance.CLEARED if cleared else Plan.Clearance.LOW_IMPACT
        plan.cleared_at = timezone.now() if cleared else None
        plan.cleared_by = clinician if cleared else None
        plan.full_clean()
        plan.save(update_fields=["clearance", "cleared_at", "cleared_by"])
        decision = ClearanceDecision(patient=patient, plan=plan, clinician=clinician,
                                     outcome=outcome, note=note.strip(), profile=plan.profile)
        decision.full_clean()
        decision.save()
        audit_record(actor=clinician, action=Action.CREATE, patient=patient, obj=decision)
    return decision


def red_flag_lock_lift(*, clinician: User, lock: RedFlagLock, note: str,
                       doctor_seen: bool) -> RedFlagLock:
    """Clear a red-flag lock once a doctor has seen the patient, with a note."""
    errors = {}
    if not doctor_seen:
        errors["doctor_seen"] = _("Clear a lock only once a doctor has seen the patient.")
    if not note.strip():
        errors["note"] = _("Say what the doctor found or advised.")
    if lock.cleared_at is not None:
        errors["note"] = _("This lock was already cleared.")
    if errors:
        raise ValidationError(errors)
    return safety.red_flag_lock_clear(lock=lock, clinician=clinician, note=note.strip())
