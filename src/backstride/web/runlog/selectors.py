"""Reads for logs, check-ins and decisions, scoped to one patient."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import OuterRef, Subquery
from django.http import Http404

from backstride.core import outcomes
from backstride.core import progression as core
from backstride.core.ladder import Prescription
from backstride.web.accounts.models import User
from backstride.web.audit.services import audit_read
from backstride.web.caseload.models import Override
from backstride.web.programs.models import Plan, PlanDay
from backstride.web.programs.selectors import plan_day_and_next_run
from backstride.web.runlog import mapping
from backstride.web.runlog.models import Checkin, Decision, SessionLog
from backstride.web.safety.models import RedFlagLock


def history_for(*, patient: User, plan: Plan, before: date | None = None,
                logs: Iterable[SessionLog] | None = None) -> core.History:
    """The engine's view of the patient, with the overrides in force now.

    Three queries: the logs (unless ``logs``, every one of the patient's, is
    given), the check-ins and the overrides.
    """
    return mapping.to_history(
        baseline_pain=plan.baseline_pain,
        logs=SessionLog.objects.filter(patient=patient) if logs is None else logs,
        checkins=Checkin.objects.filter(patient=patient),
        before=before,
        overrides=override_state(patient),
    )


def override_state(patient: User) -> mapping.OverrideState:
    """What clinicians have set for ``patient`` (nothing for a self-guided patient): one query."""
    level = (Override.objects.filter(patient=OuterRef("pk"), kind=Override.Kind.SET_LEVEL)
             .order_by("-created_at", "-pk"))
    cleared = (RedFlagLock.objects.filter(patient=OuterRef("pk"), cleared_at__isnull=False)
               .order_by("-cleared_at"))
    row = User.objects.filter(pk=patient.pk).values(
        "enrolment__running_paused", "enrolment__hold_progression",
        level=Subquery(level.values("level")[:1]),
        level_at=Subquery(level.values("created_at")[:1]),
        cleared_at=Subquery(cleared.values("cleared_at")[:1]),
    ).first()
    if row is None:
        return mapping.NO_OVERRIDES
    return mapping.OverrideState(
        running_paused=bool(row["enrolment__running_paused"]),
        hold_progression=bool(row["enrolment__hold_progression"]),
        level=row["level"], level_set_at=row["level_at"], red_flags_cleared_at=row["cleared_at"],
    )


def next_decision(*, patient: User, plan: Plan, today: date,
                  before: date | None = None) -> core.Decision:
    """What the engine says today, from every log (or those before ``before``)."""
    history = history_for(patient=patient, plan=plan, before=before)
    return core.decide_next(history, today=today)


def prescription_for(*, patient: User, plan: Plan, day: date) -> tuple[int, Prescription]:
    """The level and session the engine prescribes for ``day`` (level 1 for the first)."""
    decision = next_decision(patient=patient, plan=plan, today=day, before=day)
    session = decision.next_session
    return (session.level or decision.next_level), session


def decision_for_patient(patient: User, pk: int) -> Decision:
    """The patient's own decision ``pk`` (with its log or check-in); 404 otherwise."""
    decision = (Decision.objects.select_related("session_log", "checkin")
                .filter(patient=patient, pk=pk).first())
    if decision is None:
        raise Http404
    audit_read(patient=patient, obj=decision)
    return decision


def session_log_for_patient(patient: User, pk: int) -> SessionLog:
    log = SessionLog.objects.filter(patient=patient, pk=pk).first()
    if log is None:
        raise Http404
    audit_read(patient=patient, obj=log)
    return log


def decision_latest(patient: User) -> Decision | None:
    return Decision.objects.filter(patient=patient).first()


def logs_by_date(patient: User, start: date, end: date) -> dict[date, SessionLog]:
    logs = SessionLog.objects.filter(patient=patient, date__gte=start, date__lte=end)
    return {log.date: log for log in logs}


def checkin_on(patient: User, day: date) -> Checkin | None:
    return Checkin.objects.filter(patient=patient, date=day).first()


def session_on(patient: User, day: date) -> SessionLog | None:
    return SessionLog.objects.filter(patient=patient, date=day).first()


@dataclass(frozen=True)
class Today:
    """Everything the today page shows, decided by the engine for the patient's date."""

    date: date
    plan_day: PlanDay | None
    logged: SessionLog | None
    decision: core.Decision | None  # live: the engine's answer for today
    next_run_day: PlanDay | None
    needs_checkin: bool  # yesterday's session still lacks its next-morning pain

    @property
    def is_run_day(self) -> bool:
        return self.plan_day is not None and self.plan_day.kind == PlanDay.Kind.RUN_WALK

    @property
    def runs_today(self) -> bool:
        """Whether the engine's session for today has running in it."""
        return self.decision is not None and self.decision.next_session.level is not None


def today_for(patient: User, plan: Plan, day: date) -> Today:
    """The engine's decision for ``day`` and the plan around it.

    Two queries, and the engine's check-ins and overrides when today is not yet
    logged: the logs are read once, for today's, yesterday's and the engine's.
    """
    plan_day, upcoming = plan_day_and_next_run(plan, day)
    logs = list(SessionLog.objects.filter(patient=patient))
    on = {log.date: log for log in logs}  # one a day (one_session_per_day)
    logged = on.get(day)
    decision = None
    if logged is None:
        history = history_for(patient=patient, plan=plan, before=day, logs=logs)
        decision = core.decide_next(history, today=day)
    yesterday = on.get(day - timedelta(days=1))
    needs_checkin = (
        yesterday is not None and yesterday.status != SessionLog.Status.MISSED
        and yesterday.pain_next_morning is None
    )
    return Today(day, plan_day, logged, decision, upcoming, needs_checkin)


def next_run_day(patient: User, after: date) -> PlanDay | None:
    """The first run-walk day of the current plan after ``after``."""
    return (PlanDay.objects.filter(plan__patient=patient, plan__is_current=True,
                                   kind=PlanDay.Kind.RUN_WALK, date__gt=after)
            .order_by("date").first())


# --- Progress ------------------------------------------------------------------------


@dataclass(frozen=True)
class PainPoint:
    date: date
    before: int | None
    after: int | None
    next_morning: int | None


@dataclass(frozen=True)
class WeekMinutes:
    monday: date
    minutes: float


@dataclass(frozen=True)
class Progress:
    logs: list[SessionLog]
    pain: list[PainPoint]
    weeks: list[WeekMinutes]
    levels: list[tuple[date, int]]
    completed: int
    prescribed: int
    adherence: float | None
    meets_trial: bool
    latest: Decision | None


def progress_for(patient: User, plan: Plan, today: date) -> Progress:
    """Pain, weekly running minutes and level over time: three queries, any history length."""
    logs = list(SessionLog.objects.filter(patient=patient, date__lte=today))
    ran = [log for log in logs if log.status != SessionLog.Status.MISSED]
    run_days = plan.days.filter(kind=PlanDay.Kind.RUN_WALK, date__lte=today).values_list(
        "date", flat=True)
    completed, prescribed = adherence_counts(run_days, [(lg.date, lg.status) for lg in logs],
                                             today)
    ratio = outcomes.adherence(completed, prescribed)
    return Progress(
        logs=logs,
        pain=[PainPoint(log.date, log.pain_before, log.pain_after, log.pain_next_morning)
              for log in ran],
        weeks=_weekly_minutes(ran),
        levels=[(log.date, log.level) for log in ran],
        completed=completed,
        prescribed=prescribed,
        adherence=ratio,
        meets_trial=outcomes.meets_trial_adherence(ratio),
        latest=decision_latest(patient),
    )


def adherence_counts(run_days: Iterable[date], logs: Iterable[tuple[date, str]], today: date,
                     *, since: date | None = None) -> tuple[int, int]:
    """Completed and prescribed run-walk sessions up to ``today`` (O-ADHERENCE).

    ``logs`` are (date, status) pairs. A planned day counts as prescribed once
    it is past, or logged today; completed means logged ``done`` on a planned
    day. ``since`` leaves out earlier days (e.g. this week only).
    """
    statuses = {day: status for day, status in logs if day <= today}
    days = {d for d in run_days if d <= today and (since is None or d >= since)}
    if today not in statuses:
        days.discard(today)  # today's session counts once it is logged, not before
    completed = sum(1 for d in days if statuses.get(d) == SessionLog.Status.DONE)
    return completed, len(days)


def _weekly_minutes(logs: list[SessionLog]) -> list[WeekMinutes]:
    """Running minutes per calendar week (Monday to Sunday), no gaps between weeks."""
    if not logs:
        return []
    totals: dict[date, int] = {}
    for log in logs:
        monday = core.week_start(log.date)
        totals[monday] = totals.get(monday, 0) + log.run_seconds
    first, last = min(totals), max(totals)
    mondays = [first + timedelta(days=7 * n) for n in range((last - first).days // 7 + 1)]
    return [WeekMinutes(m, totals.get(m, 0) / 60) for m in mondays]
