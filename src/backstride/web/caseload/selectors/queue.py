"""Reads for the clinician's lists: the caseload queue, the clearance queue, invitations.

The queue makes the same number of queries for 10 patients as for 500
(``tests/web/test_caseload_queries.py``): one query per kind of row for the
whole caseload, then plain Python per patient.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from backstride.core import outcomes
from backstride.core.progression import week_start
from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.alerts.models import Alert
from backstride.web.alerts.services import rank
from backstride.web.caseload import presentation
from backstride.web.caseload.models import Clinic, Enrolment, Invitation, Override
from backstride.web.messaging.models import Message
from backstride.web.programs.models import Plan, PlanDay, Screening
from backstride.web.runlog.models import Checkin, Decision, SessionLog
from backstride.web.runlog.selectors import adherence_counts
from backstride.web.safety.models import RedFlagLock

INACTIVE_DAYS = 7  # the queue's "inactive" filter (issue #4)
SPARK_SESSIONS = 10  # sessions drawn in a queue row's sparkline
UNRESOLVED = (Alert.Status.OPEN, Alert.Status.ACKNOWLEDGED)
NO_RUNNING = (Decision.Kind.PAUSE_RUNNING, Decision.Kind.STOP)


class Filter(StrEnum):
    ALL = "all"
    CLEARANCE = "clearance"
    PAUSED = "paused"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class AlertCounts:
    critical: int = 0
    high: int = 0
    low: int = 0

    @property
    def total(self) -> int:
        return self.critical + self.high + self.low


@dataclass(frozen=True)
class QueueRow:
    patient: User
    responsible: User
    plan: Plan | None
    week: int | None
    level: int | None
    adherence_week: float | None
    adherence_all: float | None
    last_pain: tuple[int | None, int | None, int | None] | None  # before, after, next morning
    last_pain_date: date | None
    spark: presentation.Spark | None
    trend: float | None
    alerts: AlertCounts
    top_alert: Alert | None
    last_contact: datetime | None
    inactive_days: int | None
    unread: int
    needs_clearance: bool
    paused: bool
    held: bool
    locked: bool

    def sort_key(self) -> tuple[Any, ...]:
        """Open alerts (critical, high, low), then lower adherence, then rising pain."""
        adherence = 1.0 if self.adherence_all is None else self.adherence_all
        return (-self.alerts.critical, -self.alerts.high, -self.alerts.low, adherence,
                -(self.trend or 0.0), presentation.name_of(self.patient).lower())

    def matches(self, wanted: Filter) -> bool:
        return {
            Filter.ALL: True,
            Filter.CLEARANCE: self.needs_clearance,
            Filter.PAUSED: self.paused,
            Filter.INACTIVE: self.inactive_days is not None
            and self.inactive_days >= INACTIVE_DAYS and not self.needs_clearance,
        }[wanted]


@dataclass(frozen=True)
class Queue:
    rows: list[QueueRow]
    counts: dict[Filter, int]
    total: int


def caseload_queue(*, clinic: Clinic, clinician: User, mine: bool = True,
                   wanted: Filter = Filter.ALL, search: str = "",
                   now: datetime | None = None) -> Queue:
    """The clinician's patients in order of who needs attention first."""
    now = now or timezone.now()
    # PostgreSQL refuses a NUL in a text query (a 500): a name never has one.
    scoped = _scoped(clinic, clinician if mine else None, search.replace("\x00", "").strip())
    enrolments = _annotated(scoped)
    data = _QueueData.load(scoped.values("patient_id"))
    rows = sorted((_row(e, data, now) for e in enrolments), key=QueueRow.sort_key)
    counts = {f: sum(1 for r in rows if r.matches(f)) for f in Filter}
    return Queue([r for r in rows if r.matches(wanted)], counts, len(rows))


def _scoped(clinic: Clinic, responsible: User | None, search: str) -> QuerySet[Enrolment]:
    rows = Enrolment.objects.filter(clinic=clinic)
    if responsible is not None:
        rows = rows.filter(responsible=responsible)
    if search:
        rows = rows.filter(Q(patient__first_name__icontains=search)
                           | Q(patient__last_name__icontains=search)
                           | Q(patient__email__icontains=search))
    return rows


def _annotated(rows: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Each enrolment with its latest decision and latest level set by a clinician."""
    latest = Decision.objects.filter(patient=OuterRef("patient")).order_by("-created_at", "-pk")
    level_set = (Override.objects.filter(patient=OuterRef("patient"),
                                         kind=Override.Kind.SET_LEVEL)
                 .order_by("-created_at", "-pk"))
    return rows.select_related("patient", "responsible").annotate(
        decision_kind=Subquery(latest.values("decision")[:1]),
        decision_level=Subquery(latest.values("next_level")[:1]),
        decision_at=Subquery(latest.values("created_at")[:1]),
        set_level=Subquery(level_set.values("level")[:1]),
        set_level_at=Subquery(level_set.values("created_at")[:1]),
    )


@dataclass
class _QueueData:
    """Every row the queue needs, for all its patients, in one query per kind."""

    plans: dict[int, Plan] = field(default_factory=dict)
    run_days: dict[int, list[date]] = field(default_factory=lambda: defaultdict(list))
    logs: dict[int, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    last_checkin: dict[int, date] = field(default_factory=dict)
    alerts: dict[int, list[Alert]] = field(default_factory=lambda: defaultdict(list))
    messages: dict[int, tuple[datetime | None, int]] = field(default_factory=dict)
    locked: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, patients: QuerySet[Any]) -> _QueueData:
        data = cls()
        plans = Plan.objects.filter(patient__in=patients, is_current=True)
        data.plans = {p.patient_id: p for p in plans}
        for patient_id, day in PlanDay.objects.filter(
                plan__in=plans, kind=PlanDay.Kind.RUN_WALK).values_list("plan__patient_id",
                                                                         "date"):
            data.run_days[patient_id].append(day)
        for row in SessionLog.objects.filter(patient__in=patients).order_by("date").values_list(
                "patient_id", "date", "status", "pain_before", "pain_after",
                "pain_next_morning"):
            data.logs[row[0]].append(row[1:])
        data.last_checkin = dict(Checkin.objects.filter(patient__in=patients).values(
            "patient_id").annotate(last=Max("date")).values_list("patient_id", "last"))
        for alert in Alert.objects.filter(patient__in=patients, status__in=UNRESOLVED):
            data.alerts[alert.patient_id].append(alert)
        for patient_id, last, unread in Message.objects.filter(patient__in=patients).values(
                "patient_id").annotate(last=Max("created_at"), unread=Count(
                    "pk", filter=Q(read_at__isnull=True, sender=F("patient")))).values_list(
                "patient_id", "last", "unread"):
            data.messages[patient_id] = (last, unread)
        data.locked = set(RedFlagLock.objects.filter(
            patient__in=patients, cleared_at__isnull=True).values_list("patient_id", flat=True))
        return data


def _row(enrolment: Any, data: _QueueData, now: datetime) -> QueueRow:
    patient = enrolment.patient
    today = local_today(patient.time_zone, now)
    plan = data.plans.get(patient.pk)
    logs = data.logs.get(patient.pk, [])
    ran = [log for log in logs if log[1] != SessionLog.Status.MISSED and log[0] <= today]
    alerts = sorted(data.alerts.get(patient.pk, []), key=lambda a: (rank(a.severity),
                                                                     a.last_raised_at))
    last_contact, unread = data.messages.get(patient.pk, (None, 0))
    locked = patient.pk in data.locked
    paused = enrolment.running_paused or locked or enrolment.decision_kind in NO_RUNNING
    return QueueRow(
        patient=patient, responsible=enrolment.responsible, plan=plan,
        week=presentation.program_week(plan, today),
        level=_level(enrolment),
        adherence_week=_adherence(plan, data, logs, today, since=week_start(today)),
        adherence_all=_adherence(plan, data, logs, today),
        last_pain=tuple(ran[-1][2:5]) if ran else None,  # type: ignore[arg-type]
        last_pain_date=ran[-1][0] if ran else None,
        spark=presentation.sparkline([r[2] for r in ran[-SPARK_SESSIONS:]]),
        trend=presentation.trend([r[2] for r in ran]),
        alerts=AlertCounts(*(sum(1 for a in alerts if a.severity == s)
                             for s in Alert.Severity.values)),
        top_alert=alerts[0] if alerts else None,
        last_contact=last_contact, unread=unread,
        inactive_days=_inactive_days(enrolment, ran, data.last_checkin.get(patient.pk), today),
        needs_clearance=plan is not None and plan.locked,
        paused=paused, held=enrolment.hold_progression, locked=locked,
    )


def _level(enrolment: Any) -> int | None:
    """The level the next session starts from: a newer level set by a clinician wins."""
    if enrolment.set_level is not None and (
            enrolment.decision_at is None or enrolment.set_level_at > enrolment.decision_at):
        return int(enrolment.set_level)
    return enrolment.decision_level


def _adherence(plan: Plan | None, data: _QueueData, logs: list[tuple[Any, ...]], today: date,
               since: date | None = None) -> float | None:
    if plan is None:
        return None
    completed, prescribed = adherence_counts(data.run_days.get(plan.patient_id, []),
                                             [(log[0], log[1]) for log in logs], today,
                                             since=since)
    return outcomes.adherence(completed, prescribed)


def _inactive_days(enrolment: Enrolment, ran: list[tuple[Any, ...]], checkin: date | None,
                   today: date) -> int:
    """Days since the last session or check-in (or since enrolling, for neither)."""
    days = [d for d in (ran[-1][0] if ran else None, checkin) if d is not None]
    last = max(days) if days else local_today(enrolment.patient.time_zone, enrolment.enrolled_at)
    return (today - last).days


# --- The clearance queue ---------------------------------------------------------------------


@dataclass(frozen=True)
class ClearanceItem:
    patient: User
    plan: Plan
    screening: Screening
    answers: list[tuple[str, str]]
    waiting_days: int


def clearance_queue(*, clinic: Clinic, now: datetime | None = None) -> list[ClearanceItem]:
    """Plans waiting for clearance (or kept on low-impact), oldest first, with the answers."""
    now = now or timezone.now()
    plans = (Plan.objects.filter(patient__enrolment__clinic=clinic, is_current=True,
                                 clearance__in=(Plan.Clearance.PENDING,
                                                Plan.Clearance.LOW_IMPACT))
             .select_related("patient", "screening").order_by("created_at"))
    return [ClearanceItem(p.patient, p, p.screening,
                          presentation.screening_answers(p.screening.answers),
                          (now - p.created_at).days) for p in plans]


def locks_open(*, clinic: Clinic) -> list[RedFlagLock]:
    return list(RedFlagLock.objects.filter(patient__enrolment__clinic=clinic,
                                           cleared_at__isnull=True)
                .select_related("patient").order_by("created_at"))


def invitations_open(*, clinic: Clinic, now: datetime | None = None) -> list[Invitation]:
    return list(Invitation.objects.filter(clinic=clinic, used_at__isnull=True,
                                          expires_at__gt=now or timezone.now())
                .select_related("created_by", "patient"))


def counts_for(rows: Iterable[QueueRow]) -> AlertCounts:
    rows = list(rows)
    return AlertCounts(sum(r.alerts.critical for r in rows), sum(r.alerts.high for r in rows),
                       sum(r.alerts.low for r in rows))
