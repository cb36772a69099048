"""Writes for session logs and check-ins. Each write asks the engine what comes next.

Both writes are idempotent on the page-generated ``client_id``: a retried
submit (double tap, flaky network, back-and-resubmit) returns the row the first
one made. The unique constraint is the real guard; the lookup first keeps the
common case free of an IntegrityError.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backstride.core import progression as core
from backstride.core.errors import HistoryError
from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.alerts.services import alert_for_lock, alerts_for_decision
from backstride.web.audit.services import Action, audit_record, current_actor
from backstride.web.programs.models import Plan
from backstride.web.runlog import mapping
from backstride.web.runlog.models import Checkin, Decision, SessionLog
from backstride.web.runlog.selectors import history_for, prescription_for
from backstride.web.safety.models import RedFlagLock
from backstride.web.safety.selectors import red_flag_lock_open
from backstride.web.safety.services import red_flag_lock_create


@dataclass(frozen=True)
class Logged:
    """The result of a log or check-in: the row, the engine's decision, and whether new."""

    row: SessionLog | Checkin
    decision: Decision
    created: bool


def session_log_create(
    *, patient: User, plan: Plan, client_id: uuid.UUID, day: date, status: str,
    pain_before: int | None, pain_during: int | None, pain_after: int | None,
    talk_test_ok: bool | None, other_pain: Mapping[str, int], symptoms: Sequence[str],
    run_seconds: int | None, walked_home: bool = False, today: date | None = None,
) -> Logged:
    """Store one session log, decide what comes next, lock running on red flags.

    ``run_seconds`` ``None`` means "as prescribed" for a session done, 0 otherwise.

    Raises ``HistoryError`` (``.field``) for a date in the future or a date that
    already has a log.
    """
    today = today or local_today(patient.time_zone)
    if day > today:
        raise HistoryError("date", _("The session date cannot be in the future."))
    with transaction.atomic():
        existing = _existing(SessionLog, client_id, patient)
        if existing is not None:
            return Logged(existing, _decision_of(existing), created=False)
        if SessionLog.objects.filter(patient=patient, date=day).exists():
            raise HistoryError("date", _("You already logged a session on this date."))
        level, prescription = prescription_for(patient=patient, plan=plan, day=day)
        if run_seconds is None:
            done = status == SessionLog.Status.DONE
            run_seconds = prescription.running_seconds if done else 0
        log = SessionLog(
            patient=patient, client_id=client_id, date=day, level=level,
            prescription=prescription.as_dict(), status=status, pain_before=pain_before,
            pain_during=pain_during, pain_after=pain_after, talk_test_ok=talk_test_ok,
            other_pain=dict(other_pain), symptoms=list(symptoms), run_seconds=run_seconds,
            walked_home=walked_home,
        )
        _clean_new(log)
        if not _saved(log):
            existing = _existing(SessionLog, client_id, patient)
            if existing is None:
                raise HistoryError("date", _("You already logged a session on this date."))
            return Logged(existing, _decision_of(existing), created=False)
        audit_record(actor=current_actor(patient), action=Action.CREATE, patient=patient,
                     obj=log)
        decision = _decide(patient=patient, plan=plan, today=today, session_log=log)
        if log.symptoms:
            # Any red flag locks running, even on a back-dated log the engine does not
            # judge as the latest session (R-REDFLAG judges only the latest).
            _lock(patient, log.symptoms, RedFlagLock.Source.SESSION_LOG)
        else:
            _lock_if_stopped(patient, decision, log.symptoms, RedFlagLock.Source.SESSION_LOG)
    return Logged(log, decision, created=True)


def checkin_create(
    *, patient: User, plan: Plan, client_id: uuid.UUID, rest_pain: int,
    pain_next_morning: int | None, symptoms: Sequence[str], today: date | None = None,
) -> Logged:
    """Store today's check-in (a second one today updates it) and decide again.

    ``pain_next_morning`` goes to yesterday's session, when there was one.
    Red-flag symptoms lock running at once.
    """
    today = today or local_today(patient.time_zone)
    with transaction.atomic():
        existing = _existing(Checkin, client_id, patient)
        if existing is not None:
            return Logged(existing, _decision_of(existing), created=False)
        checkin = Checkin.objects.select_for_update().filter(patient=patient, date=today).first()
        if checkin is not None and checkin.client_id == client_id:
            # The same post, committed by another request since ``_existing`` looked.
            return Logged(checkin, _decision_of(checkin), created=False)
        if checkin is None:
            checkin = Checkin(patient=patient, client_id=client_id, date=today,
                              rest_pain=rest_pain, symptoms=list(symptoms))
        else:  # the latest answer of the day wins; symptoms are never dropped
            checkin.client_id = client_id
            checkin.rest_pain = rest_pain
            checkin.symptoms = sorted(set(checkin.symptoms) | set(symptoms))
        _clean_new(checkin)
        if not _saved(checkin):
            existing = _existing(Checkin, client_id, patient)
            if existing is None:
                raise HistoryError("date", _("Today's check-in was just saved. Reload the page."))
            return Logged(existing, _decision_of(existing), created=False)
        audit_record(actor=current_actor(patient), action=Action.CREATE, patient=patient,
                     obj=checkin)
        if pain_next_morning is not None:
            _record_next_morning(patient, today - timedelta(days=1), pain_next_morning)
        decision = _decide(patient=patient, plan=plan, today=today, checkin=checkin)
        if symptoms:
            _lock(patient, symptoms, RedFlagLock.Source.CHECKIN)
        else:
            _lock_if_stopped(patient, decision, [], RedFlagLock.Source.CHECKIN)
    return Logged(checkin, decision, created=True)


def _existing(model: type[SessionLog] | type[Checkin], client_id: uuid.UUID,
              patient: User) -> SessionLog | Checkin | None:
    row = model.objects.filter(client_id=client_id).first()
    if row is not None and row.patient_id != patient.pk:
        # Another person's id: never reveal or reuse their row.
        raise HistoryError("client_id", _("This form has expired. Reload the page."))
    return row


def _clean_new(row: SessionLog | Checkin) -> None:
    """Validate the fields, leaving the one-per-day and client-id uniqueness to the
    database: checked here, a row committed concurrently a moment ago would surface
    as a validation error (422) instead of the retry ``_saved`` recognises."""
    row.full_clean(validate_unique=False, validate_constraints=False)


def _saved(row: SessionLog | Checkin) -> bool:
    """Save in a savepoint; ``False`` when a concurrent submit won the unique constraint."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return False
    return True


def _decision_of(row: SessionLog | Checkin) -> Decision:
    return row.decisions.order_by("-created_at", "-pk").first()  # type: ignore[union-attr]


def _record_next_morning(patient: User, day: date, pain: int) -> None:
    log = SessionLog.objects.select_for_update().filter(patient=patient, date=day).first()
    if log is not None and log.status != SessionLog.Status.MISSED:
        log.pain_next_morning = pain
        log.full_clean(validate_unique=False)
        log.save(update_fields=["pain_next_morning", "updated_at"])
        audit_record(actor=current_actor(patient), action=Action.UPDATE, patient=patient,
                     obj=log)


def _decide(*, patient: User, plan: Plan, today: date, session_log: SessionLog | None = None,
            checkin: Checkin | None = None) -> Decision:
    """Ask the engine, store its decision and raise its alerts for the clinicians."""
    history = history_for(patient=patient, plan=plan)
    result = core.decide_next(history, today=today)
    decision = Decision(patient=patient, session_log=session_log, checkin=checkin,
                        made_on=today, **mapping.decision_fields(result))
    decision.full_clean()
    decision.save()
    audit_record(actor=current_actor(patient), action=Action.CREATE, patient=patient,
                 obj=decision)
    latest = history.sessions[-1].date if history.sessions else None
    alerts_for_decision(patient=patient, decision=decision, latest_session=latest)
    return decision


def _lock_if_stopped(patient: User, decision: Decision, symptoms: Sequence[str],
                     source: str) -> None:
    """A stop locks running; a lock already open stands until a clinician clears it."""
    if decision.decision != Decision.Kind.STOP or red_flag_lock_open(patient) is not None:
        return
    # A check-in has no symptoms of its own here: the stop is the latest session's.
    latest = (SessionLog.objects.filter(patient=patient).order_by("-date")
              .values_list("symptoms", flat=True).first())
    _lock(patient, symptoms or latest or [], source)


def _lock(patient: User, symptoms: Sequence[str], source: str) -> None:
    lock = red_flag_lock_create(patient=patient, symptoms=symptoms, rules=["R-REDFLAG"],
                                source=source)
    alert_for_lock(lock=lock)


def session_log_running_update(*, patient: User, plan: Plan, log: SessionLog, run_seconds: int,
                               today: date | None = None) -> Decision:
    """Set a logged session's running time from what a watch recorded, and decide again.

    Imported activities call this (journey step 6), so P-CAP counts what was
    actually run. The new decision is stored like any other; the log's answers
    are left as the person gave them.
    """
    today = today or local_today(patient.time_zone)
    with transaction.atomic():
        row = SessionLog.objects.select_for_update().get(pk=log.pk, patient=patient)
        row.run_seconds = run_seconds
        row.full_clean(validate_unique=False)
        row.save(update_fields=["run_seconds", "updated_at"])
        audit_record(actor=current_actor(patient), action=Action.UPDATE, patient=patient,
                     obj=row)
        return _decide(patient=patient, plan=plan, today=today, session_log=row)
