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
from functools import cached_property
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
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
from backstride.web.safety.models import RedFlagLock

INACTIVE_DAYS = 7  # the queue's "inactive" filter (issue #4)
SPARK_SESSIONS = 10  # sessions drawn in a queue row's sparkline (and read for its trend)
UNRESOLVED = (Alert.Status.OPEN, Alert.Status.ACKNOWLEDGED)
# The fields a queue row shows (and the API and CSV rows): loading only these keeps a
# 500-row queue from decoding every plan's JSON and every account's whole row. Reading
# another field of a row would cost a query per row (tests/web/test_caseload_queries.py).
PERSON_FIELDS = ("id", "email", "first_name", "last_name", "time_zone")
ENROLMENT_FIELDS = ("id", "clinic_id", "patient_id", "responsible_id", "enrolled_at",
                    "running_paused", "hold_progression")
PLAN_FIELDS = ("id", "patient_id", "start", "weeks", "clearance", "is_current")
NO_RUNNING = (Decision.Kind.PAUSE_RUNNING, Decision.Kind.STOP)
SEVERITIES = tuple(Alert.Severity.values)  # critical, high, low: AlertCounts' order


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
    pains: tuple[int | None, ...]  # pain before each of the last sessions run, oldest first
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

    @cached_property
    def spark(self) -> presentation.Spark | None:
        """Drawn only for the rows a page shows, not for every row sorted."""
        return presentation.sparkline(self.pains)

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
    enrolments = list(_annotated(scoped))
    zones = {e.patient.time_zone for e in enrolments}
    data = _QueueData.load(scoped.values("patient_id"), zones, now)
    # A handful of clinicians are responsible for the whole caseload: read each once.
    data.responsible = User.objects.only(*PERSON_FIELDS).in_bulk(
        {e.responsible_id for e in enrolments})
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
    people = [f"patient__{name}" for name in PERSON_FIELDS]
    return rows.select_related("patient").only(*ENROLMENT_FIELDS, *people).annotate(
        decision_kind=Subquery(latest.values("decision")[:1]),
        decision_level=Subquery(latest.values("next_level")[:1]),
        decision_at=Subquery(latest.values("created_at")[:1]),
        set_level=Subquery(level_set.values("level")[:1]),
        set_level_at=Subquery(level_set.values("created_at")[:1]),
    )


@dataclass(frozen=True)
class _Adherence:
    """Completed and prescribed run-walk sessions, this week and overall (O-ADHERENCE)."""

    completed_week: int = 0
    prescribed_week: int = 0
    completed_all: int = 0
    prescribed_all: int = 0


@dataclass
class _QueueData:
    """What the queue needs for all its patients, in one query per kind of row.

    The database does the counting: adherence comes back as four numbers per
    patient and the logs as each patient's last ``SPARK_SESSIONS`` sessions run,
    so the rows read grow with the caseload, not with the length of everyone's
    history. Dates are each patient's own: ``today`` and this week's Monday per
    time zone (a caseload has a handful), passed to SQL as a CASE on the zone.
    """

    today: dict[str, tuple[date, date]] = field(default_factory=dict)  # zone: today, Monday
    plans: dict[int, Plan] = field(default_factory=dict)
    adherence: dict[int, _Adherence] = field(default_factory=dict)
    ran: dict[int, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    last_checkin: dict[int, date] = field(default_factory=dict)
    alerts: dict[int, list[Alert]] = field(default_factory=lambda: defaultdict(list))
    messages: dict[int, tuple[datetime | None, int]] = field(default_factory=dict)
    locked: set[int] = field(default_factory=set)
    responsible: dict[int, User] = field(default_factory=dict)

    @classmethod
    def load(cls, patients: QuerySet[Any], zones: Iterable[str], now: datetime) -> _QueueData:
        data = cls()
        for zone in zones:
            today = local_today(zone, now)
            data.today[zone] = (today, week_start(today))
        if not data.today:
            return data
        plans = Plan.objects.filter(patient__in=patients, is_current=True)
        data.plans = {p.patient_id: p for p in plans.only(*PLAN_FIELDS)}
        data.adherence = data._adherence(plans)
        data.ran = data._last_sessions_run(patients)
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

    def local(self, zone_field: str, which: int) -> Case:
        """Each row's patient's today (``which`` 0) or this week's Monday (1), in SQL."""
        return Case(*(When(**{zone_field: zone}, then=Value(days[which]))
                      for zone, days in self.today.items()), output_field=DateField())

    def _adherence(self, plans: QuerySet[Plan]) -> dict[int, _Adherence]:
        """``runlog.selectors.adherence_counts`` as four counts per patient, in one query.

        A planned day counts as prescribed once past, or logged today; completed
        means logged ``done`` on a planned day. Each planned run-walk day is
        joined to the log of its date, if any (one log per patient and date).
        """
        zone = "plan__patient__time_zone"
        logged = FilteredRelation("plan__patient__session_logs",
                                  condition=Q(plan__patient__session_logs__date=F("date")))
        past, today = Q(date__lt=F("today")), Q(date=F("today"), log__id__isnull=False)
        done = Q(date__lte=F("today"), log__status=SessionLog.Status.DONE)
        week = Q(date__gte=F("monday"))
        rows = (PlanDay.objects.filter(plan__in=plans, kind=PlanDay.Kind.RUN_WALK)
                .annotate(log=logged, today=self.local(zone, 0), monday=self.local(zone, 1))
                .values("plan__patient_id")
                # Count dates, not ids: the index holds the dates.
                .annotate(past_week=Count("date", filter=past & week),
                          past_all=Count("date", filter=past),
                          done_week=Count("date", filter=done & week),
                          done_all=Count("date", filter=done),
                          today_logged=Count("date", filter=today))
                .order_by())
        return {row["plan__patient_id"]: _Adherence(
            completed_week=row["done_week"], completed_all=row["done_all"],
            prescribed_week=row["past_week"] + row["today_logged"],
            prescribed_all=row["past_all"] + row["today_logged"]) for row in rows}

    def _last_sessions_run(self, patients: QuerySet[Any]) -> dict[int, list[tuple[Any, ...]]]:
        """Each patient's last ``SPARK_SESSIONS`` sessions run up to their today, oldest first."""
        latest = Window(RowNumber(), partition_by=F("patient_id"),
                        order_by=F("date").desc())
        rows = (SessionLog.objects.filter(patient__in=patients)
                .exclude(status=SessionLog.Status.MISSED)
                .annotate(today=self.local("patient__time_zone", 0))
                .filter(date__lte=F("today"))
                .annotate(recent=latest).filter(recent__lte=SPARK_SESSIONS)
                .order_by("patient_id", "date")
                .values_list("patient_id", "date", "status", "pain_before", "pain_after",
                             "pain_next_morning"))
        ran: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for row in rows:
            ran[row[0]].append(row[1:])
        return ran


def _row(enrolment: Any, data: _QueueData, now: datetime) -> QueueRow:
    patient = enrolment.patient
    today, _monday = data.today[patient.time_zone]
    plan = data.plans.get(patient.pk)
    ran = data.ran.get(patient.pk, [])
    alerts = sorted(data.alerts.get(patient.pk, []), key=lambda a: (rank(a.severity),
                                                                     a.last_raised_at))
    last_contact, unread = data.messages.get(patient.pk, (None, 0))
    locked = patient.pk in data.locked
    paused = enrolment.running_paused or locked or enrolment.decision_kind in NO_RUNNING
    counts = data.adherence.get(patient.pk, _Adherence())
    return QueueRow(
        patient=patient, responsible=data.responsible[enrolment.responsible_id], plan=plan,
        week=presentation.program_week(plan, today),
        level=_level(enrolment),
        adherence_week=None if plan is None else outcomes.adherence(counts.completed_week,
                                                                    counts.prescribed_week),
        adherence_all=None if plan is None else outcomes.adherence(counts.completed_all,
                                                                   counts.prescribed_all),
        last_pain=tuple(ran[-1][2:5]) if ran else None,  # type: ignore[arg-type]
        last_pain_date=ran[-1][0] if ran else None,
        pains=tuple(r[2] for r in ran[-SPARK_SESSIONS:]),
        trend=presentation.trend([r[2] for r in ran]),
        alerts=AlertCounts(*(sum(1 for a in alerts if a.severity == s) for s in SEVERITIES)),
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
