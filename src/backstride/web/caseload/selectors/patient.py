"""Reads for one patient's page: screening, plan, charts, timeline, alerts, notes, events."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backstride.core.compliance import compliance
from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.adverse_events.models import AdverseEvent
from backstride.web.alerts.models import Alert
from backstride.web.alerts.services import rank
from backstride.web.caseload import presentation
from backstride.web.caseload.models import ClearanceDecision, Enrolment, Note, Override
from backstride.web.messaging.models import Message
from backstride.web.programs.models import Plan, Screening
from backstride.web.runlog.models import Checkin, Decision, SessionLog
from backstride.web.runlog.selectors import Progress, progress_for
from backstride.web.safety.models import RedFlagLock

TIMELINE_DAYS = 28  # the patient page shows four weeks unless asked for all


@dataclass(frozen=True)
class TimelineEntry:
    date: date
    log: SessionLog | None
    checkin: Checkin | None
    decisions: list[Decision]
    compliance: str | None = None
    prescribed_seconds: int = 0


@dataclass(frozen=True)
class Overview:
    patient: User
    enrolment: Enrolment
    today: date
    screening: Screening | None
    answers: list[tuple[str, str]]
    plan: Plan | None
    week: int | None
    progress: Progress | None
    timeline: list[TimelineEntry]
    timeline_complete: bool
    alerts: list[Alert]
    overrides: list[Override]
    notes: list[Note]
    adverse_events: list[AdverseEvent]
    locks: list[RedFlagLock]
    clearances: list[ClearanceDecision]
    level: int | None
    unread: int

    @property
    def open_alerts(self) -> list[Alert]:
        return [a for a in self.alerts if a.status != Alert.Status.RESOLVED]

    @property
    def closed_alerts(self) -> list[Alert]:
        return [a for a in self.alerts if a.status == Alert.Status.RESOLVED]

    @property
    def open_locks(self) -> list[RedFlagLock]:
        return [lock for lock in self.locks if lock.cleared_at is None]


def patient_overview(*, patient: User, everything: bool = False,
                     now: datetime | None = None) -> Overview:
    """Everything the clinician's patient page shows (``patient`` is already scoped)."""
    today = local_today(patient.time_zone, now)
    screening = Screening.objects.filter(patient=patient).first()
    plan = Plan.objects.filter(patient=patient, is_current=True).first()
    progress = progress_for(patient, plan, today) if plan is not None else None
    since = None if everything else today - timedelta(days=TIMELINE_DAYS)
    timeline = _timeline(patient, since)
    alerts = list(Alert.objects.filter(patient=patient).select_related(
        "acknowledged_by", "resolved_by"))
    alerts.sort(key=lambda a: (a.status == Alert.Status.RESOLVED, rank(a.severity),
                               -a.last_raised_at.timestamp()))
    return Overview(
        patient=patient, enrolment=patient.enrolment, today=today, screening=screening,
        answers=presentation.screening_answers(screening.answers) if screening else [],
        plan=plan, week=presentation.program_week(plan, today), progress=progress,
        timeline=timeline, timeline_complete=everything,
        alerts=alerts,
        overrides=list(Override.objects.filter(patient=patient).select_related("clinician")),
        notes=list(Note.objects.filter(patient=patient).select_related("author")),
        adverse_events=list(AdverseEvent.objects.filter(patient=patient)
                            .select_related("reported_by")),
        locks=list(RedFlagLock.objects.filter(patient=patient).select_related("cleared_by")),
        clearances=list(ClearanceDecision.objects.filter(patient=patient)
                        .select_related("clinician")),
        level=_current_level(patient, progress),
        unread=Message.objects.filter(patient=patient, sender=patient,
                                      read_at__isnull=True).count(),
    )


def _timeline(patient: User, since: date | None) -> list[TimelineEntry]:
    """Sessions and check-ins, newest first, each with the engine's decisions (3 queries)."""
    logs = SessionLog.objects.filter(patient=patient)
    checkins = Checkin.objects.filter(patient=patient)
    decisions = Decision.objects.filter(patient=patient).order_by("created_at", "pk")
    if since is not None:
        logs, checkins = logs.filter(date__gte=since), checkins.filter(date__gte=since)
        decisions = decisions.filter(made_on__gte=since)
    by_log: dict[int, list[Decision]] = defaultdict(list)
    by_checkin: dict[int, list[Decision]] = defaultdict(list)
    for d in decisions:
        (by_log[d.session_log_id] if d.session_log_id else by_checkin[d.checkin_id]).append(d)
    entries = [_log_entry(log, by_log.get(log.pk, [])) for log in logs]
    entries += [TimelineEntry(c.date, None, c, by_checkin.get(c.pk, [])) for c in checkins]
    # A check-in is made in the morning, before that day's session.
    entries.sort(key=lambda e: (e.date, e.log is not None), reverse=True)
    return entries


def _log_entry(log: SessionLog, decisions: list[Decision]) -> TimelineEntry:
    prescribed = int(log.prescription.get("total_running_seconds", 0))
    colour = str(compliance(prescribed, log.run_seconds)) if prescribed else None
    return TimelineEntry(log.date, log, None, decisions, colour, prescribed)


def _current_level(patient: User, progress: Progress | None) -> int | None:
    latest = progress.latest if progress is not None else None
    level_set = Override.objects.filter(patient=patient, kind=Override.Kind.SET_LEVEL).first()
    if level_set is not None and (latest is None or level_set.created_at > latest.created_at):
        return level_set.level
    return latest.next_level if latest is not None else None


def overrides_for_patient(patient: User, *, limit: int = 5) -> list[Override]:
    """The latest overrides, for the patient's own today page (reasons included)."""
    return list(Override.objects.filter(patient=patient).select_related("clinician")[:limit])


def clearance_latest(patient: User) -> ClearanceDecision | None:
    return ClearanceDecision.objects.filter(patient=patient).select_related("clinician").first()
