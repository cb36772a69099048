"""One patient's clinician report (the page and the PDF for the referrer, one template).

Screening outcome with its reasons, the plan, adherence, pain and running
time over the program, every decision with its rules and the clinician's
changes with their reasons, adverse events, questionnaire scores over time
with the O-MCID judgement. Clinicians' private notes are not in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.adverse_events.models import AdverseEvent
from backstride.web.caseload import presentation
from backstride.web.caseload.models import ClearanceDecision, Override
from backstride.web.outcomes.selectors import Result, results_for
from backstride.web.programs.models import Plan, Screening
from backstride.web.runlog.models import Decision
from backstride.web.runlog.selectors import Progress, progress_for


@dataclass(frozen=True)
class PatientReport:
    patient: User
    generated_at: datetime
    today: date
    screening: Screening | None
    answers: list[tuple[str, str]]
    plan: Plan | None
    week: int | None
    progress: Progress | None
    decisions: list[Decision]
    overrides: list[Override]
    clearances: list[ClearanceDecision]
    adverse_events: list[AdverseEvent]
    results: list[Result]

    @property
    def level(self) -> int | None:
        latest = self.progress.latest if self.progress else None
        return latest.next_level if latest is not None else None


def patient_report(*, patient: User, now: datetime | None = None) -> PatientReport:
    """Everything the report shows (``patient`` already scoped to the clinician)."""
    now = now or timezone.now()
    today = local_today(patient.time_zone, now)
    screening = Screening.objects.filter(patient=patient).first()
    plan = Plan.objects.filter(patient=patient, is_current=True).first()
    return PatientReport(
        patient=patient, generated_at=now, today=today, screening=screening,
        answers=presentation.screening_answers(screening.answers) if screening else [],
        plan=plan, week=presentation.program_week(plan, today),
        progress=progress_for(patient, plan, today) if plan is not None else None,
        decisions=list(Decision.objects.filter(patient=patient)
                       .select_related("session_log", "checkin").order_by("created_at", "pk")),
        overrides=list(Override.objects.filter(patient=patient).select_related("clinician")
                       .order_by("created_at", "pk")),
        clearances=list(ClearanceDecision.objects.filter(patient=patient)
                        .select_related("clinician").order_by("created_at", "pk")),
        adverse_events=list(AdverseEvent.objects.filter(patient=patient)
                            .select_related("reported_by").order_by("date", "pk")),
        results=results_for(patient, plan),
    )
