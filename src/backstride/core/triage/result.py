"""What triage returns: the result, its advice, STarT Back scores, and the T-AGE refusal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from backstride.core import vocab
from backstride.core.errors import ScreeningError
from backstride.core.evidence import (
    ADULT_AGE,
    CONSERVATIVE_SESSIONS_PER_WEEK,
    STARTBACK_PSYCHOSOCIAL_HIGH,
    Reason,
    reason,
)
from backstride.core.triage.outcome import Outcome, Profile

OUTSIDE_EVIDENCE = "outside_evidence"  # T-ENVELOPE
PSYCHOSOCIAL_HIGH = "psychosocial_high"  # T-STARTBACK


# --- STarT Back ------------------------------------------------------------------


@dataclass(frozen=True)
class StartBackScore:
    """STarT Back Tool scores: the total (0-9) and the psychosocial subscale (0-5)."""

    total: int
    psychosocial: int

    @classmethod
    def of(cls, answers: Sequence[int]) -> StartBackScore:
        """Score nine 0/1 answers; items 5-9 (1-based) form the psychosocial subscale."""
        subscale = sum(answers[item - 1] for item in vocab.STARTBACK_PSYCHOSOCIAL_ITEMS)
        return cls(total=sum(answers), psychosocial=subscale)

    @property
    def psychosocial_high(self) -> bool:
        """T-STARTBACK: the subscale reaches the high-risk threshold."""
        return self.psychosocial >= STARTBACK_PSYCHOSOCIAL_HIGH

    def as_dict(self) -> dict[str, object]:
        """JSON-ready scores."""
        return {"total": self.total, "psychosocial": self.psychosocial,
                "psychosocial_high": self.psychosocial_high}


def startback_reason(score: StartBackScore | None) -> Reason | None:
    """T-STARTBACK: a note for a clinician when the psychosocial subscale is high."""
    if score is None or not score.psychosocial_high:
        return None
    return reason("T-STARTBACK", (
        f"STarT Back psychosocial subscale is {score.psychosocial}/"
        f"{len(vocab.STARTBACK_PSYCHOSOCIAL_ITEMS)}, "
        f"{STARTBACK_PSYCHOSOCIAL_HIGH} or more: a clinician should look at it"
    ))


# --- The result ------------------------------------------------------------------

# What to do now, per outcome, in the person's words (CLINICAL.md §1, first table).
ADVICE: Mapping[Outcome, tuple[str, ...]] = MappingProxyType({
    Outcome.EMERGENCY: (
        "Go to an emergency department now. If you cannot get there, call your local "
        "emergency number.",
        "Do not run or exercise, and do not wait to see if it settles.",
    ),
    Outcome.URGENT_REVIEW: (
        "See a doctor within the next few days, before any running.",
        "No run-walk plan is made until a doctor has seen you.",
    ),
    Outcome.CLEARANCE_REQUIRED: (
        "A clinician must clear you for running first.",
        "Your run-walk plan is drafted but stays locked until a clinician signs it off.",
    ),
    Outcome.LOW_IMPACT_FIRST: (
        "For now, keep active with low-impact exercise: walking, cycling, swimming or the "
        "elliptical.",
        "Screen again when the flare settles; running can start then.",
    ),
    Outcome.RUN_WALK: (
        "Start the graded run-walk program: short running bouts between walks, at a pace "
        "at which you can still talk.",
    ),
})
CONSERVATIVE_ADVICE = (
    f"Start with {CONSERVATIVE_SESSIONS_PER_WEEK} run-walk sessions a week: the trial "
    "studied people a little different from you, so the plan goes more gently."
)
MINOR_MESSAGE = f"Backstride supports adults ({ADULT_AGE} and over) only."
MINOR_ADVICE = "Please ask a doctor or physiotherapist about exercise for back pain."


@dataclass(frozen=True)
class TriageResult:
    """The outcome of a screening, why, and what to do now.

    ``reasons`` are most severe first; ``flags`` are sorted; ``profile`` is
    ``None`` when no plan may be made (``emergency``, ``urgent_review``).
    """

    outcome: Outcome
    reasons: tuple[Reason, ...]
    flags: tuple[str, ...] = ()
    profile: Profile | None = None
    advice: tuple[str, ...] = ()
    startback: StartBackScore | None = None

    @property
    def rules(self) -> tuple[str, ...]:
        """The ids of the rules that fired, in reason order."""
        return tuple(r.rule for r in self.reasons)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready data, as ``backstride triage`` prints it."""
        profile = self.profile
        return {
            "outcome": str(self.outcome),
            "reasons": [r.as_dict() for r in self.reasons],
            "flags": list(self.flags),
            "profile": None if profile is None else str(profile),
            "sessions_per_week": None if profile is None else profile.sessions_per_week,
            "advice": list(self.advice),
            "startback": None if self.startback is None else self.startback.as_dict(),
        }


class UnsupportedScreeningError(ScreeningError):
    """T-AGE: the person is under 18. Red-flag advice is still given.

    ``emergency`` says a cauda equina feature was reported; ``advice`` says what
    to do now; ``reasons`` carry T-AGE and any red-flag rule that fired.
    """

    def __init__(self, message: str, *, advice: tuple[str, ...],
                 reasons: tuple[Reason, ...], emergency: bool) -> None:
        super().__init__("age", message)
        self.advice = advice
        self.reasons = reasons
        self.emergency = emergency
