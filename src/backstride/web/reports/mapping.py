"""ORM rows → ``core.export_records``: the one place the exports meet the database.

``patient_exports`` maps any number of patients in a constant number of
queries (one per table), so a clinic's FHIR bundle or sessions CSV costs the
same queries for 10 patients as for 1,000. Ids are ours and stable, so a
re-export updates rather than duplicates (STYLE.md, "stable exports"): the
patient's is a UUID derived from the account id (pseudonymous: no name,
email or exact age leaves in an export), a log's or check-in's is its
client id, the rest ``<kind>-<pk>``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from backstride.core import export_records as records
from backstride.core.outcomes import AdverseEvent as CoreAdverseEvent
from backstride.core.outcomes import AdverseEventType, Seriousness
from backstride.core.plans import DayKind
from backstride.core.progression import Checkin as CoreCheckin
from backstride.web.accounts.models import User
from backstride.web.adverse_events.models import AdverseEvent
from backstride.web.outcomes.models import QuestionnaireResponse
from backstride.web.outcomes.selectors import BUILT_IN
from backstride.web.programs.models import Plan, PlanDay, Screening
from backstride.web.runlog.mapping import to_session_record
from backstride.web.runlog.models import Checkin, Decision, SessionLog

# Pinned: changing it changes every exported patient id (and so every FHIR id).
PATIENT_ID_NAMESPACE = uuid.UUID("6d1f3c0e-5b7a-5e39-9a51-3b0c2d4e8f10")
_NAMES = {m.key: m.name for m in BUILT_IN}


def patient_pseudonym(patient_id: int) -> str:
    """The stable pseudonymous id of a patient in every export."""
    return str(uuid.uuid5(PATIENT_ID_NAMESPACE, f"patient:{patient_id}"))


def patient_export(patient: User) -> records.PatientExport | None:
    """One patient's export; ``None`` before they have a program (nothing to export)."""
    exports = patient_exports([patient])
    return exports[0] if exports else None


def patient_exports(patients: Iterable[User]) -> list[records.PatientExport]:
    """The exports of ``patients`` that have a current plan, in the order given."""
    people = list(patients)
    rows = _Rows.load([p.pk for p in people])
    return [_export(p, rows) for p in people if p.pk in rows.plans]


class _Rows:
    """Every row the exports need, for all the patients at once (one query per table)."""

    def __init__(self) -> None:
        self.plans: dict[int, Plan] = {}
        self.sex: dict[int, str | None] = {}
        self.days: dict[int, list[PlanDay]] = defaultdict(list)
        self.logs: dict[int, list[SessionLog]] = defaultdict(list)
        self.decisions: dict[int, Decision] = {}
        self.checkins: dict[int, list[Checkin]] = defaultdict(list)
        self.responses: dict[int, list[QuestionnaireResponse]] = defaultdict(list)
        self.events: dict[int, list[AdverseEvent]] = defaultdict(list)

    @classmethod
    def load(cls, ids: list[int]) -> _Rows:
        rows = cls()
        rows.plans = {p.patient_id: p for p in Plan.objects.filter(patient__in=ids,
                                                                   is_current=True)}
        for s in Screening.objects.filter(patient__in=ids).order_by("created_at", "pk"):
            rows.sex[s.patient_id] = s.answers.get("sex")  # the latest screening wins
        for d in PlanDay.objects.filter(plan__in=[p.pk for p in rows.plans.values()]):
            rows.days[d.plan_id].append(d)
        for log in SessionLog.objects.filter(patient__in=ids):
            rows.logs[log.patient_id].append(log)
        # The latest decision after each log is the one that stands.
        for decision in Decision.objects.filter(patient__in=ids, session_log__isnull=False
                                                ).order_by("created_at", "pk"):
            rows.decisions[decision.session_log_id] = decision  # type: ignore[index]
        for c in Checkin.objects.filter(patient__in=ids):
            rows.checkins[c.patient_id].append(c)
        for r in (QuestionnaireResponse.objects.filter(patient__in=ids, status="complete")
                  .select_related("questionnaire")):
            rows.responses[r.patient_id].append(r)
        for e in AdverseEvent.objects.filter(patient__in=ids):
            rows.events[e.patient_id].append(e)
        return rows


def _export(patient: User, rows: _Rows) -> records.PatientExport:
    plan = rows.plans[patient.pk]
    return records.PatientExport(
        patient=records.PatientRecord(
            id=patient_pseudonym(patient.pk), sex=rows.sex.get(patient.pk),
            time_zone=patient.time_zone, enrolled_on=plan.start,
            program_baseline_pain=plan.baseline_pain),
        planned=tuple(_planned(d) for d in rows.days[plan.pk]),
        sessions=tuple(_logged(log, rows.decisions.get(log.pk)) for log in rows.logs[patient.pk]
                       if log.pk in rows.decisions),
        checkins=tuple(records.CheckinRecord(id=str(c.client_id),
                                             checkin=CoreCheckin(c.date, c.rest_pain))
                       for c in rows.checkins[patient.pk]),
        questionnaires=tuple(_questionnaire(r) for r in rows.responses[patient.pk]),
        adverse_events=tuple(_adverse_event(e) for e in rows.events[patient.pk]),
    )


def _planned(day: PlanDay) -> records.PlannedSession:
    prescription: dict[str, Any] = day.prescription or {}
    return records.PlannedSession(
        id=f"planday-{day.pk}", date=day.date, kind=DayKind(day.kind), title=day.title,
        level=prescription.get("level"),
        running_seconds=int(prescription.get("total_running_seconds") or 0))


def _logged(log: SessionLog, decision: Decision | None) -> records.LoggedSession:
    assert decision is not None
    return records.LoggedSession(
        id=str(log.client_id), session=to_session_record(log), decision=decision.decision,
        next_level=decision.next_level, logged_at=log.created_at,
        reasons=tuple(str(r["rule"]) for r in decision.reasons))


def _questionnaire(response: QuestionnaireResponse) -> records.QuestionnaireRecord:
    name = response.questionnaire.name if response.questionnaire else _NAMES.get(
        response.key, response.key)
    return records.QuestionnaireRecord(
        id=f"questionnaire-response-{response.pk}", questionnaire=response.key, name=str(name),
        date=response.date, answers=_answers(response), total=float(response.total or 0.0),
        subscales={k: float(v) for k, v in response.subscales.items()},
        band=response.band or None)


def _answers(response: QuestionnaireResponse) -> dict[str, int | None]:
    """Item id → value. The PSFS's activities are the person's own words: ratings only."""
    answers: dict[str, Any] = response.answers
    if response.key == "psfs":
        return {f"activity-{n}": row.get("score")
                for n, row in enumerate(answers.get("activities", []), start=1)}
    return {str(k): v for k, v in answers.items()}


def _adverse_event(event: AdverseEvent) -> records.AdverseEventRecord:
    return records.AdverseEventRecord(id=f"adverse-event-{event.pk}", event=CoreAdverseEvent(
        date=event.date, type=AdverseEventType(event.type),
        seriousness=Seriousness(event.seriousness), description=event.description))
