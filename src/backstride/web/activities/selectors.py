"""Reads for imported activities, scoped to one patient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from backstride.core.plans import cadence_cue, cadence_low_for_speed, low_cadence_below
from backstride.core.progression import week_start
from backstride.web.accounts.models import User
from backstride.web.activities.models import ImportedActivity
from backstride.web.audit.services import audit_read
from backstride.web.programs.models import Plan, PlanDay
from backstride.web.runlog.models import SessionLog
from backstride.web.runlog.presentation import timeline
from backstride.web.runlog.selectors import prescription_for
from backstride.web.safety.selectors import red_flag_lock_open


def activity_for_patient(patient: User, pk: int) -> ImportedActivity:
    """The patient's own activity ``pk`` (with its session); 404 for anyone else's."""
    activity = (ImportedActivity.objects.select_related("plan_day", "session_log")
                .filter(patient=patient, pk=pk).first())
    if activity is None:
        raise Http404
    audit_read(patient=patient, obj=activity)
    return activity


def session_prescription(patient: User, plan: Plan, plan_day: PlanDay,
                         log: SessionLog | None) -> dict[str, Any] | None:
    """What the session was given (the log's), else what the engine gives for its date.

    ``None`` while running is locked (a plan waiting for clearance, a red flag):
    no running was planned.
    """
    if log is not None:
        return log.prescription
    if plan.locked or red_flag_lock_open(patient) is not None:
        return None
    _level, prescription = prescription_for(patient=patient, plan=plan, day=plan_day.date)
    return prescription.as_dict()


def planned_prescription(activity: ImportedActivity) -> dict[str, Any] | None:
    """The prescription of the session ``activity`` matched, if it matched one."""
    if activity.plan_day is None:
        return None
    return session_prescription(activity.patient, activity.plan_day.plan, activity.plan_day,
                                activity.session_log)


def prescription_steps(prescription: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The prescription's steps in the order they are done."""
    return timeline(prescription) if prescription else []


def log_url(activity: ImportedActivity, today: date) -> str | None:
    """The session log form for a matched, not yet logged session, its running time filled in."""
    day = activity.plan_day.date if activity.plan_day is not None else None
    if day is None or activity.session_log_id is not None or day > today:
        return None
    if SessionLog.objects.filter(patient=activity.patient, date=day).exists():
        return None
    query = urlencode({"date": day.isoformat(), "ran": activity.running_seconds})
    return f"{reverse('runlog:log')}?{query}"


def activities_of(patient: User) -> QuerySet[ImportedActivity]:
    """Every activity of the patient, newest first, with its session (one query)."""
    return ImportedActivity.objects.filter(patient=patient).select_related("plan_day")


def activities_for_session(patient: User, day: date) -> list[ImportedActivity]:
    """The activities matched to the current plan's session on ``day``, or recorded that day."""
    matched = Q(plan_day__plan__is_current=True, plan_day__date=day)
    return list(ImportedActivity.objects.filter(Q(local_date=day) | matched, patient=patient))


def imported_running_seconds(patient: User, day: date) -> int | None:
    """The running time recorded for the session on ``day`` (the longest recording), if any."""
    matched = [a.running_seconds for a in activities_for_session(patient, day)
               if a.plan_day_id is not None]
    return max(matched) if matched else None


# --- Form cues (P-CADENCE) ---------------------------------------------------------------


@dataclass(frozen=True)
class CadenceWeek:
    """Mean running cadence (steps/min) and speed (m/s) of one calendar week's recordings."""

    monday: date
    cadence: float
    speed: float | None


@dataclass(frozen=True)
class CadenceCue:
    """P-CADENCE: the latest week's step rate is low for its speed: the optional cue range."""

    cadence: float
    speed: float
    low: float
    high: float


def cadence_weeks(activities: list[ImportedActivity]) -> list[CadenceWeek]:
    """Running cadence per calendar week, weighted by running time; weeks without it left out."""
    totals: dict[date, list[float]] = {}
    for a in activities:
        if a.running_cadence is None or not a.running_seconds or a.local_date is None:
            continue
        week = totals.setdefault(week_start(a.local_date), [0.0, 0.0, 0.0, 0.0])
        week[0] += a.running_cadence * a.running_seconds
        week[1] += a.running_seconds
        if a.running_distance_m:
            week[2] += a.running_distance_m
            week[3] += a.running_seconds
    return [CadenceWeek(monday, w[0] / w[1], w[2] / w[3] if w[3] else None)
            for monday, w in sorted(totals.items())]


def cadence_low_line(weeks: list[CadenceWeek]) -> list[float | None]:
    """For each week, the step rate below which its speed counts as low (P-CADENCE)."""
    return [None if w.speed is None else low_cadence_below(w.speed) for w in weeks]


def cadence_cue_for(weeks: list[CadenceWeek]) -> CadenceCue | None:
    """The cue for the latest week, only when its step rate is low for its speed."""
    if not weeks:
        return None
    return _cue(weeks[-1].cadence, weeks[-1].speed)


def activity_cadence_cue(activity: ImportedActivity) -> CadenceCue | None:
    """The cue for one recording, only when its running step rate is low for its speed."""
    speed = None
    if activity.running_distance_m and activity.running_seconds:
        speed = activity.running_distance_m / activity.running_seconds
    return _cue(activity.running_cadence, speed)


def _cue(cadence: float | None, speed: float | None) -> CadenceCue | None:
    # Without a speed there is no telling whether a step rate is low: no cue, ever.
    if not cadence or not speed or not cadence_low_for_speed(cadence, speed):
        return None
    low, high = cadence_cue(cadence)
    return CadenceCue(cadence, speed, low, high)

