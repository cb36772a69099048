"""The five triage outcomes and the two dosing profiles (CLINICAL.md §1)."""

from __future__ import annotations

from enum import StrEnum

from backstride.core.evidence import CONSERVATIVE_SESSIONS_PER_WEEK, SESSIONS_PER_WEEK


class Outcome(StrEnum):
    """The five triage outcomes, declared most severe first (CLINICAL.md §1)."""

    EMERGENCY = "emergency"
    URGENT_REVIEW = "urgent_review"
    CLEARANCE_REQUIRED = "clearance_required"
    LOW_IMPACT_FIRST = "low_impact_first"
    RUN_WALK = "run_walk"

    @property
    def severity(self) -> int:
        """Higher is more severe: ``run_walk`` is 0, ``emergency`` is 4."""
        members = list(type(self))
        return len(members) - 1 - members.index(self)

    @property
    def allows_plan(self) -> bool:
        """Whether a plan may be drafted (locked for clearance, low-impact in a flare)."""
        return self not in NO_PLAN

    @property
    def allows_running_now(self) -> bool:
        """Whether running may start today, without a clinician or a re-screen."""
        return self is Outcome.RUN_WALK


NO_PLAN = frozenset({Outcome.EMERGENCY, Outcome.URGENT_REVIEW})


class Profile(StrEnum):
    """How a plan is dosed: standard (P-DOSE) or conservative (T-ENVELOPE)."""

    STANDARD = "standard"
    CONSERVATIVE = "conservative"

    @property
    def sessions_per_week(self) -> int:
        """Run-walk sessions a week this profile starts with."""
        if self is Profile.CONSERVATIVE:
            return CONSERVATIVE_SESSIONS_PER_WEEK
        return SESSIONS_PER_WEEK
