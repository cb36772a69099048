"""What the API answers with, and the one place ORM rows and core results become it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any, Literal

from ninja import Schema

from backstride.core import progression as core
from backstride.web.activities.models import ImportedActivity
from backstride.web.alerts.models import Alert
from backstride.web.caseload import selectors as caseload
from backstride.web.caseload.presentation import name_of
from backstride.web.programs.models import Plan, PlanDay
from backstride.web.runlog.models import Checkin, Decision, SessionLog
from backstride.web.runlog.selectors import Today

StepKind = Literal["warm_up", "run", "walk", "cool_down", "cross_training"]
DecisionKind = Literal["progress", "repeat", "regress", "pause_running", "stop"]
LogStatus = Literal["done", "partial", "missed"]
Severity = Literal["critical", "high", "low"]


# --- Patients ----------------------------------------------------------------------------


class StepOut(Schema):
    kind: StepKind
    seconds: int
    note: str


class PrescriptionOut(Schema):
    """A session as the engine prescribes it; ``level`` is null for a session without running."""

    level: int | None
    capped: bool
    warm_up: list[StepOut]
    intervals: list[StepOut]
    cool_down: list[StepOut]
    other: list[StepOut]
    total_running_seconds: int
    total_seconds: int


class ReasonOut(Schema):
    rule: str
    text: str
    sources: list[str]


class EngineAlertOut(Schema):
    severity: Severity
    rule: str
    message: str


class DecisionOut(Schema):
    """What the engine decided after a log or check-in, with the rules behind it."""

    id: int
    made_on: dt.date
    decision: DecisionKind
    level: int
    next_level: int
    next_session: PrescriptionOut
    alerts: list[EngineAlertOut]
    reasons: list[ReasonOut]
    advice: list[str]


class SessionLogOut(Schema):
    id: int
    client_id: uuid.UUID
    date: dt.date
    status: LogStatus
    level: int
    prescription: PrescriptionOut
    pain_before: int | None
    pain_during: int | None
    pain_after: int | None
    pain_next_morning: int | None
    talk_test_ok: bool | None
    other_pain: dict[str, int]
    symptoms: list[str]
    run_seconds: int
    walked_home: bool
    created_at: dt.datetime
    decision: DecisionOut | None


class CheckinOut(Schema):
    id: int
    client_id: uuid.UUID
    date: dt.date
    rest_pain: int
    symptoms: list[str]
    created_at: dt.datetime
    decision: DecisionOut | None


class PlanDayOut(Schema):
    date: dt.date
    week: int
    kind: Literal["run_walk", "cross_training", "strength", "rest"]
    title: str
    session_number: int | None
    prescription: PrescriptionOut | None
    logged: LogStatus | None


class PlanOut(Schema):
    """The current plan; ``locked`` while it waits for a clinician's clearance."""

    id: int
    start: dt.date
    weeks: int
    sessions_per_week: int
    weekdays: list[int]
    profile: str
    clearance: Literal["not_required", "pending", "cleared", "low_impact"]
    locked: bool
    days: list[PlanDayOut]


class TodayOut(Schema):
    """Today in the patient's time zone: the planned day, its log, or what to do now."""

    date: dt.date
    plan_day: PlanDayOut | None
    logged: SessionLogOut | None
    prescription: PrescriptionOut | None
    reasons: list[ReasonOut]
    running_locked: bool
    needs_checkin: bool
    next_run_day: dt.date | None


class ActivityOut(Schema):
    id: int
    original_name: str
    source_format: Literal["fit", "gpx", "tcx"]
    sport: str
    device: str
    start: dt.datetime | None
    local_date: dt.date | None
    duration_seconds: float
    distance_m: float | None
    running_seconds: int
    walking_seconds: int
    run_bouts: int
    running_cadence: float | None
    session_date: dt.date | None
    session_log_id: int | None
    planned_running_seconds: int | None
    compliance: Literal["green", "amber", "red", ""]
    warnings: list[str]
    created_at: dt.datetime


class ImportOut(Schema):
    """``imported`` (201) or ``duplicate`` (200: that file or recording was already here)."""

    result: Literal["imported", "duplicate"]
    reason: str
    activity: ActivityOut


def decision_out(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    fields = ("id", "made_on", "decision", "level", "next_level", "next_session", "alerts",
              "reasons", "advice")
    return {name: getattr(decision, name) for name in fields}


def session_log_out(log: SessionLog, decision: Decision | None) -> dict[str, Any]:
    fields = ("id", "client_id", "date", "status", "level", "prescription", "pain_before",
              "pain_during", "pain_after", "pain_next_morning", "talk_test_ok", "other_pain",
              "symptoms", "run_seconds", "walked_home", "created_at")
    return {**{name: getattr(log, name) for name in fields}, "decision": decision_out(decision)}


def checkin_out(checkin: Checkin, decision: Decision | None) -> dict[str, Any]:
    fields = ("id", "client_id", "date", "rest_pain", "symptoms", "created_at")
    return {**{name: getattr(checkin, name) for name in fields},
            "decision": decision_out(decision)}


def plan_day_out(day: PlanDay, logged: SessionLog | None) -> dict[str, Any]:
    fields = ("date", "week", "kind", "title", "session_number", "prescription")
    return {**{name: getattr(day, name) for name in fields},
            "logged": None if logged is None else logged.status}


def plan_out(plan: Plan, logs: Mapping[dt.date, SessionLog]) -> dict[str, Any]:
    fields = ("id", "start", "weeks", "sessions_per_week", "weekdays", "profile", "clearance",
              "locked")
    return {**{name: getattr(plan, name) for name in fields},
            "days": [plan_day_out(day, logs.get(day.date)) for day in plan.days.all()]}


def today_out(state: Today, *, running_locked: bool) -> dict[str, Any]:
    live: core.Decision | None = state.decision
    logged = state.logged
    return {
        "date": state.date,
        "plan_day": None if state.plan_day is None else plan_day_out(state.plan_day, logged),
        "logged": None if logged is None else session_log_out(logged, logged.decisions.first()),
        "prescription": None if live is None else live.next_session.as_dict(),
        "reasons": [] if live is None else [r.as_dict() for r in live.reasons],
        "running_locked": running_locked,
        "needs_checkin": state.needs_checkin,
        "next_run_day": None if state.next_run_day is None else state.next_run_day.date,
    }


def activity_out(activity: ImportedActivity) -> dict[str, Any]:
    fields = ("id", "original_name", "source_format", "sport", "device", "start", "local_date",
              "duration_seconds", "distance_m", "running_seconds", "walking_seconds",
              "run_bouts", "running_cadence", "session_log_id", "planned_running_seconds",
              "compliance", "warnings", "created_at")
    day = activity.plan_day.date if activity.plan_day is not None else None
    return {**{name: getattr(activity, name) for name in fields}, "session_date": day}


# --- Clinicians ----------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str
    email: str


class AlertOut(Schema):
    """An alert for a patient's clinicians (open → acknowledged → resolved)."""

    id: int
    patient: PersonOut
    rule: str
    severity: Severity
    message: str
    status: Literal["open", "acknowledged", "resolved"]
    occurrences: int
    first_raised_at: dt.datetime
    last_raised_at: dt.datetime
    acknowledged_at: dt.datetime | None
    resolved_at: dt.datetime | None


class AlertCountsOut(Schema):
    critical: int
    high: int
    low: int


class LastPainOut(Schema):
    date: dt.date
    before: int | None
    after: int | None
    next_morning: int | None


class CaseloadRowOut(Schema):
    patient: PersonOut
    responsible: PersonOut
    week: int | None
    level: int | None
    adherence_week: float | None
    adherence_all: float | None
    last_pain: LastPainOut | None
    trend: float | None
    alerts: AlertCountsOut
    top_alert_id: int | None
    last_contact: dt.datetime | None
    inactive_days: int | None
    unread_messages: int
    needs_clearance: bool
    paused: bool
    held: bool
    locked: bool


class CaseloadOut(Schema):
    """Patients in the order the caseload queue shows them: who needs attention first."""

    total: int
    patients: list[CaseloadRowOut]


def person_out(user: Any) -> dict[str, Any]:
    return {"id": user.pk, "name": name_of(user), "email": user.email}


def alert_out(alert: Alert) -> dict[str, Any]:
    fields = ("id", "rule", "severity", "message", "status", "occurrences", "first_raised_at",
              "last_raised_at", "acknowledged_at", "resolved_at")
    return {**{name: getattr(alert, name) for name in fields},
            "patient": person_out(alert.patient)}


def caseload_row_out(row: caseload.QueueRow) -> dict[str, Any]:
    pain = None
    if row.last_pain is not None and row.last_pain_date is not None:
        before, after, morning = row.last_pain
        pain = {"date": row.last_pain_date, "before": before, "after": after,
                "next_morning": morning}
    return {
        "patient": person_out(row.patient), "responsible": person_out(row.responsible),
        "week": row.week, "level": row.level, "adherence_week": row.adherence_week,
        "adherence_all": row.adherence_all, "last_pain": pain, "trend": row.trend,
        "alerts": {"critical": row.alerts.critical, "high": row.alerts.high,
                   "low": row.alerts.low},
        "top_alert_id": None if row.top_alert is None else row.top_alert.pk,
        "last_contact": row.last_contact, "inactive_days": row.inactive_days,
        "unread_messages": row.unread, "needs_clearance": row.needs_clearance,
        "paused": row.paused, "held": row.held, "locked": row.locked,
    }
