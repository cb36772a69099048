"""Core dataclasses ↔ ORM rows, for screenings and plans. The only place they meet."""

from __future__ import annotations

from backstride.core import plans as core_plans
from backstride.core import triage as core_triage
from backstride.web.programs.models import Plan, PlanDay, Screening


def screening_fields(result: core_triage.TriageResult) -> dict[str, object]:
    """The Screening columns that hold a triage result."""
    data = result.as_dict()
    return {
        "outcome": str(result.outcome),
        "profile": data["profile"] or "",
        "flags": data["flags"],
        "reasons": data["reasons"],
        "advice": data["advice"],
    }


def unsupported_fields(error: core_triage.UnsupportedScreeningError) -> dict[str, object]:
    """The Screening columns for a T-AGE refusal (under 18): its advice and reasons."""
    return {
        "outcome": Screening.Outcome.UNSUPPORTED,
        "profile": "",
        "flags": [],
        "reasons": [r.as_dict() for r in error.reasons],
        "advice": [core_triage.MINOR_MESSAGE, *error.advice],
    }


def plan_day_rows(plan: Plan, core_plan: core_plans.Plan) -> list[PlanDay]:
    """One unsaved PlanDay row per day of ``core_plan``."""
    return [
        PlanDay(
            plan=plan,
            date=day.date,
            week=day.week,
            kind=str(day.kind),
            title=day.title,
            session_number=day.session_number,
            prescription=None if day.prescription is None else day.prescription.as_dict(),
            notes=list(day.notes),
            rules=list(day.rules),
        )
        for day in core_plan.days
    ]
