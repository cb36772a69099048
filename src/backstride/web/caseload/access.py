"""Who may open a clinician page, and which patients they may see.

``clinician_required``: signed in (else the login page), past the second
factor (else the code step, or setting one up: required for clinicians), a
clinician in a clinic (else 404, so a patient never learns the page exists). Every object a
clinician page names goes through a ``*_for_clinician`` helper scoped to the
clinician's own clinic: anyone else's is a 404, never a 403 that confirms it;
each one the clinician may see is an audit row (``audit_read``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from backstride.web.accounts import two_factor
from backstride.web.accounts.models import User
from backstride.web.alerts.models import Alert
from backstride.web.audit.services import audit_read
from backstride.web.caseload.models import Clinic, ClinicMembership
from backstride.web.safety.models import RedFlagLock

View = Callable[..., HttpResponse]


def clinician_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        step = two_factor.step_url(request, request.get_full_path())
        if step is not None:
            return redirect(step)
        if request.user.role != User.Role.CLINICIAN:
            raise Http404
        membership = (ClinicMembership.objects.select_related("clinic")
                      .filter(clinician=request.user).first())
        if membership is None:
            raise Http404
        request.clinic = membership.clinic  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def clinic_of(request: HttpRequest) -> Clinic:
    return request.clinic  # type: ignore[attr-defined,no-any-return]


def patient_for_clinician(clinician: User, patient_id: int) -> User:
    """A patient of the clinician's own clinic; 404 for anyone else."""
    patient = (User.objects.select_related("enrolment__responsible")
               .filter(pk=patient_id, role=User.Role.PATIENT,
                       enrolment__clinic__memberships__clinician=clinician).first())
    if patient is None:
        raise Http404
    audit_read(patient=patient)
    return patient


def alert_for_clinician(clinician: User, alert_id: int) -> Alert:
    alert = (Alert.objects.select_related("patient")
             .filter(pk=alert_id, patient__enrolment__clinic__memberships__clinician=clinician)
             .first())
    if alert is None:
        raise Http404
    audit_read(patient=alert.patient, obj=alert)
    return alert


def lock_for_clinician(clinician: User, patient: User, lock_id: int) -> RedFlagLock:
    """One of ``patient``'s red-flag locks (``patient`` already scoped to the clinician)."""
    lock = RedFlagLock.objects.filter(pk=lock_id, patient=patient).first()
    if lock is None:
        raise Http404
    audit_read(patient=patient, obj=lock)
    return lock
