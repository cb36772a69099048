"""Raising alerts for a patient's clinicians, and their lifecycle.

De-duplication. The engine reports its alerts again on every decision for as
long as their condition holds (R-PERSIST for weeks, R-REDFLAG until the next
session), so alerts are kept as one row per *unresolved* (patient, rule),
guarded by a partial unique constraint. Each raise carries a ``trigger``, the
thing that raised it:

* rules that judge the latest session (R-REDFLAG, R-DURING, R-LIMB, R-AFTER,
  R-TALK, R-MORNING): ``session:<date of that session>``;
* rules over a window (R-FLARE, R-PERSIST, R-WEEK, R-ADHERE): ``week:<Monday>``
  of the day decided, so a persisting condition is one occurrence a week;
* a red-flag lock: ``lock:<id>``; an adverse event: ``ae:<id>``.

A raise with the trigger the unresolved alert already has changes nothing (so
re-deciding, or running the daily job twice, is idempotent). A new trigger
updates the alert with the latest occurrence (message, time, decision), counts
one more occurrence and keeps the most urgent severity; an acknowledged alert
whose severity rises opens again. After a clinician resolves an alert, the
same trigger does not raise it again; a new one raises a new alert.

Only enrolled patients get alerts: a self-guided patient has no clinician to
see them (their decisions still carry the engine's alerts). A new critical
alert emails the responsible clinician after the transaction commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backstride.core import vocab
from backstride.core.progression import week_start
from backstride.web.accounts.models import User
from backstride.web.alerts.models import Alert
from backstride.web.audit.services import Action, audit_record
from backstride.web.caseload.models import Enrolment
from backstride.web.safety.models import RedFlagLock

log = logging.getLogger(__name__)

SESSION_RULES = frozenset({"R-REDFLAG", "R-DURING", "R-LIMB", "R-AFTER", "R-TALK", "R-MORNING"})
_RANK = {Alert.Severity.CRITICAL: 0, Alert.Severity.HIGH: 1, Alert.Severity.LOW: 2}


@dataclass(frozen=True)
class Occurrence:
    """One time a rule fired for a patient."""

    rule: str
    severity: str
    message: str
    trigger: str
    at: datetime
    decision_id: int | None = None


def trigger_for(rule: str, *, made_on: date, latest_session: date | None) -> str:
    """What raised ``rule`` (see the module docstring)."""
    if rule in SESSION_RULES and latest_session is not None:
        return f"session:{latest_session.isoformat()}"
    return f"week:{week_start(made_on).isoformat()}"


def rank(severity: str) -> int:
    """0 for critical, 1 high, 2 low: the caseload queue's order."""
    return _RANK[Alert.Severity(severity)]


def occurrence_apply(current: Alert | None, occurrence: Occurrence, *,
                     patient_id: int) -> tuple[Alert, bool]:
    """Fold ``occurrence`` into the patient's unresolved alert for its rule; no queries.

    Returns the (possibly new, unsaved) alert and whether it changed. The
    simulator's bulk path uses this too, so both follow the same rules.
    """
    if current is None:
        return Alert(
            patient_id=patient_id, rule=occurrence.rule, severity=occurrence.severity,
            message=occurrence.message, trigger=occurrence.trigger,
            first_raised_at=occurrence.at, last_raised_at=occurrence.at,
            decision_id=occurrence.decision_id,
        ), True
    escalated = rank(occurrence.severity) < rank(current.severity)
    if occurrence.trigger == current.trigger and not escalated:
        return current, False
    if occurrence.trigger != current.trigger:
        current.occurrences += 1
    current.severity = occurrence.severity if escalated else current.severity
    current.message = occurrence.message
    current.trigger = occurrence.trigger
    current.last_raised_at = occurrence.at
    current.decision_id = occurrence.decision_id or current.decision_id
    if escalated and current.status == Alert.Status.ACKNOWLEDGED:
        current.status = Alert.Status.OPEN
    return current, True


def alert_raise(*, patient: User, occurrence: Occurrence) -> Alert | None:
    """Raise ``occurrence`` for an enrolled patient: the new or updated alert, or ``None``
    when nothing changed (self-guided patient, same occurrence again, or resolved)."""
    if not Enrolment.objects.filter(patient=patient).exists():
        return None
    return _raise(patient, occurrence)


def alerts_for_decision(*, patient: User, decision: object,
                        latest_session: date | None) -> list[Alert]:
    """Raise the alerts the engine attached to a stored Decision (``runlog.Decision``)."""
    stored: Iterable[Mapping[str, str]] = decision.alerts  # type: ignore[attr-defined]
    if not stored or not Enrolment.objects.filter(patient=patient).exists():
        return []
    raised = []
    for item in stored:
        occurrence = Occurrence(
            rule=item["rule"], severity=item["severity"], message=item["message"],
            trigger=trigger_for(item["rule"], made_on=decision.made_on,  # type: ignore[attr-defined]
                                latest_session=latest_session),
            at=timezone.now(), decision_id=decision.pk,  # type: ignore[attr-defined]
        )
        alert = _raise(patient, occurrence)
        if alert is not None:
            raised.append(alert)
    return raised


def alert_for_lock(*, lock: RedFlagLock) -> Alert | None:
    """A critical alert for a red-flag lock, under the rule that raised the lock."""
    rule = "R-REDFLAG" if "R-REDFLAG" in lock.rules or not lock.rules else lock.rules[0]
    return alert_raise(patient=lock.patient, occurrence=Occurrence(
        rule=rule, severity=Alert.Severity.CRITICAL, message=lock_message(lock),
        trigger=f"lock:{lock.pk}", at=timezone.now()))


def lock_message(lock: RedFlagLock) -> str:
    symptoms = ", ".join(str(_(vocab.LABELS.get(s, s))).lower() for s in lock.symptoms)
    return _("Red flag reported in the %(source)s: %(symptoms)s. Advice given: %(advice)s.") % {
        "source": lock.get_source_display().lower(),
        "symptoms": symptoms or _("see the screening"), "advice": lock.get_advice_display()}


def _raise(patient: User, occurrence: Occurrence) -> Alert | None:
    with transaction.atomic():
        current = (Alert.objects.select_for_update()
                   .filter(patient=patient, rule=occurrence.rule)
                   .exclude(status=Alert.Status.RESOLVED).first())
        if current is None and Alert.objects.filter(
                patient=patient, rule=occurrence.rule, status=Alert.Status.RESOLVED,
                trigger=occurrence.trigger).exists():
            return None  # a clinician already resolved this very occurrence
        was = None if current is None else current.severity
        counted = None if current is None else current.occurrences
        alert, changed = occurrence_apply(current, occurrence, patient_id=patient.pk)
        if not changed:
            return None  # this occurrence was already raised: nothing new to say
        alert.full_clean(validate_constraints=False)
        if counted is not None and alert.occurrences != counted:
            # The database adds the occurrence (F()), not the value read above.
            alert.occurrences = F("occurrences") + (alert.occurrences - counted)
        try:
            with transaction.atomic():
                alert.save()
                if counted is not None:
                    alert.refresh_from_db(fields=["occurrences"])
        except IntegrityError:
            # A concurrent raise made the unresolved alert first: fold into that one.
            return _raise(patient, occurrence)
        audit_record(actor=None, action=Action.CREATE if current is None else Action.UPDATE,
                     patient=patient, obj=alert)
        if alert.severity == Alert.Severity.CRITICAL and was != Alert.Severity.CRITICAL:
            transaction.on_commit(lambda: email_critical(alert.pk))
    return alert


def email_critical(alert_id: int) -> None:
    """Tell the responsible clinician a critical alert is waiting (no health details)."""
    alert = Alert.objects.select_related("patient__enrolment__responsible").get(pk=alert_id)
    responsible = alert.patient.enrolment.responsible
    link = settings.SITE_URL + reverse("caseload:patient", args=[alert.patient_id])
    body = _("A critical alert (%(rule)s) was raised for one of your patients.\n\n"
             "Open it in Backstride: %(link)s\n\n"
             "For privacy this email carries no health details.") % {
        "rule": alert.rule, "link": link}
    try:
        send_mail(_("Backstride: a critical alert for one of your patients"), body,
                  settings.DEFAULT_FROM_EMAIL, [responsible.email])
    except Exception:  # an email outage must never undo or hide the alert itself
        log.exception("could not email critical alert %s", alert_id)


# --- Lifecycle ------------------------------------------------------------------------


def alert_acknowledge(*, alert: Alert, clinician: User, note: str = "",
                      now: datetime | None = None) -> Alert:
    """Open → acknowledged, with who, when and an optional note."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.status != Alert.Status.OPEN:
            raise ValidationError({"note": _("This alert is already %(status)s.")
                                   % {"status": alert.get_status_display().lower()}})
        _acknowledge(alert, clinician, note, now or timezone.now())
        alert.full_clean(validate_constraints=False)
        alert.save()
        audit_record(actor=clinician, action=Action.UPDATE, patient=alert.patient, obj=alert)
    return alert


def alert_resolve(*, alert: Alert, clinician: User, note: str = "",
                  now: datetime | None = None) -> Alert:
    """Acknowledged (or open: both steps at once) → resolved, with who, when and a note."""
    moment = now or timezone.now()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.status == Alert.Status.RESOLVED:
            raise ValidationError({"note": _("This alert is already resolved.")})
        if alert.status == Alert.Status.OPEN:
            _acknowledge(alert, clinician, "", moment)
        alert.status = Alert.Status.RESOLVED
        alert.resolved_at, alert.resolved_by, alert.resolved_note = moment, clinician, note
        alert.full_clean(validate_constraints=False)
        alert.save()
        audit_record(actor=clinician, action=Action.UPDATE, patient=alert.patient, obj=alert)
    return alert


def _acknowledge(alert: Alert, clinician: User, note: str, moment: datetime) -> None:
    alert.status = Alert.Status.ACKNOWLEDGED
    alert.acknowledged_at, alert.acknowledged_by, alert.acknowledged_note = (
        moment, clinician, note)
