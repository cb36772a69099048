"""Simulated patients into the database, fast: bulk inserts, the engine run in memory.

``load_clinic`` writes what the real services would have written for each
simulated history (accounts, consent, screening, plan and days, logs,
check-ins, every decision, red-flag locks, enrolment, de-duplicated alerts)
in a few bulk inserts per table, so 1,000 patients take seconds, not the
minutes that a request per log would. Alerts are folded with
``alerts.services.occurrence_apply``, the same rules as a live raise; the
critical-alert email is not sent for simulated data.
"""

from __future__ import annotations

import random
import uuid
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from backstride.web.accounts import consent
from backstride.web.accounts.models import Consent, User
from backstride.web.alerts.models import Alert
from backstride.web.alerts.services import Occurrence, lock_message, occurrence_apply, trigger_for
from backstride.web.caseload.models import Clinic, ClinicMembership, Enrolment, Note
from backstride.web.messaging.models import Message
from backstride.web.programs import mapping as program_mapping
from backstride.web.programs.models import Plan, PlanDay, Screening
from backstride.web.runlog import mapping as runlog_mapping
from backstride.web.runlog.models import Checkin, Decision, SessionLog
from backstride.web.safety.models import RedFlagLock
from backstride.web.safety.services import advice_for
from backstride.web.simulation import outcomes
from backstride.web.simulation.patients import SimPatient, simulate_clinic

BATCH = 1000
REVIEW_DAYS = 2  # the simulated clinician resolves an alert two days after it last fired
TIME_ZONE = "Europe/London"
_PATIENT_MESSAGES = (
    "My knee was a bit sore after Saturday. Should I keep going at this level?",
    "Work is busy this week, I might miss Wednesday. Is that OK?",
    "Back felt stiff this morning but eased after walking.",
    "Can I swap Friday's session to Saturday?",
    "Really enjoying the runs, 2 minutes feels easy now!",
)
_CLINICIAN_MESSAGES = (
    "Thanks for logging so consistently. Keep the pace conversational.",
    "Great progress this week. Remember the cool-down stretches.",
)


@dataclass(frozen=True)
class Loaded:
    clinic: Clinic
    clinician: User
    patients: list[User]


def load_clinic(*, count: int, seed: int, today: date, clinic_name: str,
                clinician_email: str, password: str, email_domain: str,
                time_zone: str = TIME_ZONE, weeks_in: int | None = None) -> Loaded:
    """Simulate ``count`` patients and write them, with one clinician, to a new clinic.

    ``weeks_in``: see ``patients.persona_for`` (by default each patient's own).
    """
    simulated = simulate_clinic(count, seed=seed, today=today, weeks_in=weeks_in)
    hashed = make_password(password)  # one hash for everyone: hashing 1,000 times takes minutes
    with transaction.atomic():
        clinic = Clinic.objects.create(name=clinic_name)
        clinician = User.objects.create(email=clinician_email, password=hashed,
                                        role=User.Role.CLINICIAN, time_zone=time_zone,
                                        first_name="Sam", last_name="Okafor")
        ClinicMembership.objects.create(clinic=clinic, clinician=clinician)
        writer = _Writer(clinic, clinician, today, time_zone, random.Random(seed))
        patients = writer.write(simulated, hashed, email_domain)
        _refresh_planner_statistics()
    return Loaded(clinic, clinician, patients)


def _refresh_planner_statistics() -> None:
    """Tell PostgreSQL's planner how big the tables just became.

    A bulk load of tens of thousands of rows leaves the statistics saying the
    tables are empty until autovacuum runs (never, inside a test transaction),
    and the queue's queries then get nested-loop plans that took minutes on 500
    patients. ANALYZE inside the transaction sees its own rows.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class _Writer:
    def __init__(self, clinic: Clinic, clinician: User, today: date, time_zone: str,
                 rng: random.Random) -> None:
        self.clinic, self.clinician, self.today, self.rng = clinic, clinician, today, rng
        self.zone = zoneinfo.ZoneInfo(time_zone)
        self.time_zone = time_zone

    def at(self, day: date, hour: int = 8) -> datetime:
        """A simulated moment: ``hour`` o'clock local on ``day``."""
        return datetime.combine(day, time(hour), tzinfo=self.zone)

    def write(self, sims: Sequence[SimPatient], hashed: str, domain: str) -> list[User]:
        users = User.objects.bulk_create([
            User(email=f"patient{s.index + 1:04d}@{domain}", password=hashed,
                 first_name=s.first_name, last_name=s.last_name, time_zone=self.time_zone,
                 role=User.Role.PATIENT) for s in sims], batch_size=BATCH)
        pairs = list(zip(sims, users, strict=True))
        began = {u.pk: self.at(self._began(s), 7) for s, u in pairs}
        Consent.objects.bulk_create([Consent(user=u, version=consent.CURRENT_VERSION)
                                     for u in users], batch_size=BATCH)
        Enrolment.objects.bulk_create([
            Enrolment(patient=u, clinic=self.clinic, responsible=self.clinician,
                      via=Enrolment.Via.DEMO, enrolled_at=began[u.pk]) for u in users],
            batch_size=BATCH)
        screenings = Screening.objects.bulk_create(
            [Screening(patient=u, **s.screening) for s, u in pairs], batch_size=BATCH)
        _backdate(screenings, [began[u.pk] for u in users])
        plans = self._plans(pairs, screenings, began)
        locks = self._locks(pairs)
        decisions = self._logs_and_decisions(pairs, plans)
        self._alerts(pairs, decisions, locks)
        self._messages(pairs)
        # Issue #6: outcomes after everything else, on their own random stream, so the
        # histories above are the same as before they existed.
        odi = outcomes.demo_odi(self.clinic)
        outcomes.write_outcomes(pairs, plans, self.today, odi, random.Random(len(users)))
        outcomes.write_adverse_events(pairs, plans, self.today, self.clinician)
        return users

    def _began(self, sim: SimPatient) -> date:
        if sim.plan is not None:
            return sim.plan.request.start - timedelta(days=1)
        return self.today - timedelta(days=3)

    def _plans(self, pairs: list[tuple[SimPatient, User]], screenings: list[Screening],
               began: dict[int, datetime]) -> dict[int, Plan]:
        rows, built = [], []
        for (sim, user), screening in zip(pairs, screenings, strict=True):
            if sim.plan is None:
                continue
            request = sim.plan.request
            rows.append(Plan(
                patient=user, screening=screening, start=request.start,
                weekdays=list(request.weekdays), sessions_per_week=request.sessions_per_week,
                weeks=request.weeks, profile=str(request.profile),
                baseline_pain=float(sim.answers["pain_week_avg"]),
                reasons=[r.as_dict() for r in sim.plan.reasons],
                clearance=(Plan.Clearance.PENDING if sim.needs_clearance
                           else Plan.Clearance.NOT_REQUIRED)))
            built.append(sim.plan)
        plans = Plan.objects.bulk_create(rows, batch_size=BATCH)
        _backdate(plans, [began[p.patient_id] for p in plans])
        PlanDay.objects.bulk_create(
            [day for plan, core_plan in zip(plans, built, strict=True)
             for day in program_mapping.plan_day_rows(plan, core_plan)], batch_size=BATCH * 5)
        return {p.patient_id: p for p in plans}

    def _locks(self, pairs: list[tuple[SimPatient, User]]) -> dict[int, RedFlagLock]:
        rows = []
        for sim, user in pairs:
            if sim.lock is None:
                continue
            _day, source, symptoms = sim.lock
            rules = ["T-SERIOUS"] if source == "screening" else ["R-REDFLAG"]
            rows.append(RedFlagLock(patient=user, advice=advice_for(symptoms),
                                    symptoms=sorted(symptoms), rules=rules, source=source))
        locks = RedFlagLock.objects.bulk_create(rows, batch_size=BATCH)
        moments = {user.pk: self.at(sim.lock[0], 18) for sim, user in pairs if sim.lock}
        _backdate(locks, [moments[lock.patient_id] for lock in locks])
        return {lock.patient_id: lock for lock in locks}

    def _logs_and_decisions(self, pairs: list[tuple[SimPatient, User]],
                            plans: dict[int, Plan]) -> dict[int, list[tuple[Any, Decision]]]:
        logs, checkins = [], []
        for sim, user in pairs:
            logs += [_log_row(user, log, self.rng) for log in sim.logs]
            checkins += [Checkin(patient=user, client_id=_uuid(self.rng), date=c.day,
                                 rest_pain=c.rest_pain) for c in sim.checkins]
        logs = SessionLog.objects.bulk_create(logs, batch_size=BATCH)
        checkins = Checkin.objects.bulk_create(checkins, batch_size=BATCH)
        log_at, checkin_at, rows, made = 0, 0, [], []
        for sim, user in pairs:
            own_logs = logs[log_at:log_at + len(sim.logs)]
            own_checkins = checkins[checkin_at:checkin_at + len(sim.checkins)]
            log_at, checkin_at = log_at + len(sim.logs), checkin_at + len(sim.checkins)
            for sd in sim.decisions:
                trigger = {"session_log": own_logs[sd.index]} if sd.trigger == "log" else \
                    {"checkin": own_checkins[sd.index]}
                rows.append(Decision(patient=user, made_on=sd.made_on, **trigger,
                                     **runlog_mapping.decision_fields(sd.decision)))
                made.append((user.pk, sd))
        decisions = Decision.objects.bulk_create(rows, batch_size=BATCH)
        by_patient: dict[int, list[tuple[Any, Decision]]] = {}
        for (patient_id, sd), row in zip(made, decisions, strict=True):
            by_patient.setdefault(patient_id, []).append((sd, row))
        return by_patient

    def _alerts(self, pairs: list[tuple[SimPatient, User]],
                decisions: dict[int, list[tuple[Any, Decision]]],
                locks: dict[int, RedFlagLock]) -> None:
        """Each patient's alerts, folded in time order exactly as live raises fold them.

        The clinician is simulated too: an alert is resolved REVIEW_DAYS after
        its latest occurrence, so what is still open is this weekend's.
        """
        rows: list[Alert] = []
        self.resolved: list[Alert] = []
        for _sim, user in pairs:
            unresolved: dict[str, Alert] = {}
            events = [(self.at(sd.made_on, 8), sd, row) for sd, row in decisions.get(user.pk, [])]
            lock = locks.get(user.pk)
            for moment, sd, row in events:
                for item in row.alerts:
                    self._fold(unresolved, user, Occurrence(
                        rule=item["rule"], severity=item["severity"], message=item["message"],
                        trigger=trigger_for(item["rule"], made_on=sd.made_on,
                                            latest_session=sd.latest_session),
                        at=moment, decision_id=row.pk))
            if lock is not None:
                rule = "R-REDFLAG" if "R-REDFLAG" in lock.rules else lock.rules[0]
                self._fold(unresolved, user, Occurrence(
                    rule=rule, severity=Alert.Severity.CRITICAL, message=lock_message(lock),
                    trigger=f"lock:{lock.pk}", at=lock.created_at))
            for alert in unresolved.values():
                self._review(alert, self.at(self.today, 8))
            rows += [a for a in unresolved.values() if a.status != Alert.Status.RESOLVED]
        Alert.objects.bulk_create(rows + self.resolved, batch_size=BATCH)

    def _fold(self, unresolved: dict[str, Alert], user: User, occurrence: Occurrence) -> None:
        current = unresolved.get(occurrence.rule)
        if current is not None and self._review(current, occurrence.at):
            del unresolved[occurrence.rule]
            if current.trigger == occurrence.trigger:
                return  # resolved: the same occurrence does not raise it again
            current = None
        alert, _changed = occurrence_apply(current, occurrence, patient_id=user.pk)
        unresolved[occurrence.rule] = alert

    def _review(self, alert: Alert, now: datetime) -> bool:
        """Resolve ``alert`` as the clinician would have by ``now``; whether they had."""
        reviewed = alert.last_raised_at + timedelta(days=REVIEW_DAYS)
        if reviewed > now:
            return False
        if alert.severity == Alert.Severity.CRITICAL:
            # A red flag stays open until a doctor has seen the patient: acknowledged only.
            alert.status = Alert.Status.ACKNOWLEDGED
            alert.acknowledged_at, alert.acknowledged_by = reviewed, self.clinician
            alert.acknowledged_note = "Called the patient: GP appointment booked."
            return False
        alert.status = Alert.Status.RESOLVED
        alert.acknowledged_at = alert.resolved_at = reviewed
        alert.acknowledged_by = alert.resolved_by = self.clinician
        alert.resolved_note = "Reviewed with the patient."
        self.resolved.append(alert)
        return True

    def _messages(self, pairs: list[tuple[SimPatient, User]]) -> None:
        """A Monday inbox: some unread questions from patients, a few older replies."""
        rows, notes = [], []
        for sim, user in pairs:
            if sim.plan is None or self.rng.random() > 0.3:
                continue
            asked = self.at(self.today - timedelta(days=self.rng.randint(1, 3)), 19)
            if self.rng.random() < 0.4:
                rows.append(Message(patient=user, sender=self.clinician,
                                    body=self.rng.choice(_CLINICIAN_MESSAGES),
                                    created_at=asked - timedelta(days=4),
                                    read_at=asked - timedelta(days=3)))
            rows.append(Message(patient=user, sender=user, created_at=asked,
                                body=self.rng.choice(_PATIENT_MESSAGES)))
            if sim.persona.kind == "sensitive":
                notes.append(Note(patient=user, author=self.clinician, created_at=asked,
                                  body="Sensitive back: progress gently, check mornings."))
        Message.objects.bulk_create(rows, batch_size=BATCH)
        Note.objects.bulk_create(notes, batch_size=BATCH)


def _log_row(user: User, log: Any, rng: random.Random) -> SessionLog:
    return SessionLog(
        patient=user, client_id=_uuid(rng),
        date=log.day, level=log.level, prescription=log.prescription.as_dict(),
        status=str(log.status), pain_before=log.pain_before, pain_during=log.pain_during,
        pain_after=log.pain_after, pain_next_morning=log.pain_next_morning,
        talk_test_ok=log.talk_test_ok, other_pain=dict(log.other_pain),
        symptoms=list(log.symptoms), run_seconds=log.run_seconds, walked_home=log.walked_home,
    )


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _backdate(rows: Sequence[Any], moments: Sequence[datetime]) -> None:
    """Give bulk-created rows their simulated ``created_at`` (``auto_now_add`` set it to now)."""
    if not rows:
        return
    for row, moment in zip(rows, moments, strict=True):
        row.created_at = moment
    type(rows[0]).objects.bulk_update(rows, ["created_at"], batch_size=BATCH)
