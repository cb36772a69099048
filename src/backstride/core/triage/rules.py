"""The T- rules as data (CLINICAL.md §1): each rule id, its outcome, and what it sees.

:data:`CHECKS` pairs each rule id with the outcome it leads to and a predicate
that says, in plain words, what it saw (or ``None``). T-AGE under 18,
T-ENVELOPE (:func:`outside_trial`) and T-STARTBACK are not outcome checks;
:mod:`.evaluation` handles them around the checks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from backstride.core import vocab
from backstride.core.evidence import (
    ACUTE_EPISODE_WEEKS_BELOW,
    ACUTE_PAIN_NOW_ABOVE,
    CLEARANCE_AGE_ABOVE,
    ENVELOPE_AGE_ABOVE,
    ENVELOPE_EPISODE_WEEKS_BELOW,
    ENVELOPE_RUNS_PER_MONTH_ABOVE,
    FLARE_PAIN_NOW_ABOVE,
    FLARE_WEEK_AVG_AT_LEAST,
    LIMB_INJURY_RECENT_WEEKS,
)
from backstride.core.fields import number_text
from backstride.core.triage.outcome import Outcome
from backstride.core.triage.screening import Screening


@dataclass(frozen=True)
class Check:
    """One T- rule: its id, the outcome it leads to, and what it looks for.

    ``sees`` returns a plain sentence saying what triggered the rule, or ``None``.
    """

    rule: str
    outcome: Outcome
    sees: Callable[[Screening], str | None]


def _joined(*findings: tuple[bool, str]) -> str | None:
    """The texts of the findings that hold, as one sentence; ``None`` if none hold."""
    seen = [text for holds, text in findings if holds]
    return "; ".join(seen) if seen else None


def _reported(what: str, ids: Sequence[str]) -> str | None:
    if not ids:
        return None
    listed = "; ".join(f"{vocab.LABELS[i]} ({i})" for i in ids)
    return f"{what} reported: {listed}"


def _sees_cauda_equina(s: Screening) -> str | None:
    ids = [i for i in s.red_flags if i in vocab.CAUDA_EQUINA]
    return _reported("Cauda equina feature", ids)


def _sees_serious_red_flag(s: Screening) -> str | None:
    ids = [i for i in s.red_flags if i in vocab.SERIOUS]
    return _reported("Serious red flag", ids)


def _sees_older_age(s: Screening) -> str | None:
    # Under 18 never gets here: triage() refuses it first (T-AGE).
    older = s.age > CLEARANCE_AGE_ABOVE
    return _joined((older, f"Age is {s.age}, over {CLEARANCE_AGE_ABOVE}"))


def _sees_radicular_pain(s: Screening) -> str | None:
    below_knee_deficit = s.leg_pain == "below_knee" and s.leg_numbness_or_weakness
    return _joined(
        (s.leg_pain_worse_than_back, "Leg pain is worse than back pain"),
        (below_knee_deficit, "Leg pain reaches below the knee, with numbness or weakness"),
    )


def _sees_structural_condition(s: Screening) -> str | None:
    return _reported("Diagnosed condition", s.conditions)


def _sees_restricting_rehab(s: Screening) -> str | None:
    return _joined(
        (s.in_rehab_restricting_running, "In a supervised rehab programme that restricts running")
    )


def _sees_other_clearance(s: Screening) -> str | None:
    weeks = s.lower_limb_injury_weeks_ago
    recent = weeks is not None and weeks <= LIMB_INJURY_RECENT_WEEKS
    return _joined(
        (s.pregnant_or_postpartum, "Pregnant or under 12 months postpartum"),
        (recent, f"Lower-limb injury {number_text(weeks)} weeks ago, "
                 f"{LIMB_INJURY_RECENT_WEEKS} weeks or less"),
    )


def _sees_pre_exercise_yes(s: Screening) -> str | None:
    return _reported("'Yes' on the pre-exercise screen", s.pre_exercise_yes)


def _sees_flare(s: Screening) -> str | None:
    return _joined(
        (s.flare_now, "A flare-up is happening now"),
        (s.pain_now > FLARE_PAIN_NOW_ABOVE,
         f"Pain at rest is {s.pain_now}/10, above {FLARE_PAIN_NOW_ABOVE}/10"),
        (s.pain_week_avg >= FLARE_WEEK_AVG_AT_LEAST,
         f"Average pain over the last week is {number_text(s.pain_week_avg)}/10, "
         f"{FLARE_WEEK_AVG_AT_LEAST}/10 or more"),
    )


def _sees_acute_episode(s: Screening) -> str | None:
    acute = s.episode_weeks < ACUTE_EPISODE_WEEKS_BELOW and s.pain_now > ACUTE_PAIN_NOW_ABOVE
    return _joined((acute, (
        f"The episode began {number_text(s.episode_weeks)} weeks ago, under "
        f"{ACUTE_EPISODE_WEEKS_BELOW} weeks, and pain at rest is {s.pain_now}/10, "
        f"above {ACUTE_PAIN_NOW_ABOVE}/10"
    )))


# Table order of CLINICAL.md §1, which is also most severe first.
CHECKS: tuple[Check, ...] = (
    Check("T-CES", Outcome.EMERGENCY, _sees_cauda_equina),
    Check("T-SERIOUS", Outcome.URGENT_REVIEW, _sees_serious_red_flag),
    Check("T-AGE", Outcome.CLEARANCE_REQUIRED, _sees_older_age),
    Check("T-RADIC", Outcome.CLEARANCE_REQUIRED, _sees_radicular_pain),
    Check("T-STRUCT", Outcome.CLEARANCE_REQUIRED, _sees_structural_condition),
    Check("T-REHAB", Outcome.CLEARANCE_REQUIRED, _sees_restricting_rehab),
    Check("T-OTHER", Outcome.CLEARANCE_REQUIRED, _sees_other_clearance),
    Check("T-APSS", Outcome.CLEARANCE_REQUIRED, _sees_pre_exercise_yes),
    Check("T-FLARE", Outcome.LOW_IMPACT_FIRST, _sees_flare),
    Check("T-ACUTE", Outcome.LOW_IMPACT_FIRST, _sees_acute_episode),
)

RUN_TEXT = "No triage rule stops or delays running"  # T-RUN


def outside_trial(s: Screening) -> str | None:
    """T-ENVELOPE: how ``s`` differs from the trial's population, or ``None``."""
    # ASTEROID enrolled 18-45-year-old non-runners with chronic pain.
    # Over 55 counts too: it is further still from the trial (and needs clearance).
    weeks, runs = number_text(s.episode_weeks), number_text(s.runs_per_month_last_3_months)
    return _joined(
        (s.age > ENVELOPE_AGE_ABOVE, f"age {s.age}, over {ENVELOPE_AGE_ABOVE}"),
        (s.episode_weeks < ENVELOPE_EPISODE_WEEKS_BELOW,
         f"episode of {weeks} weeks, under {ENVELOPE_EPISODE_WEEKS_BELOW}"),
        (s.runs_per_month_last_3_months > ENVELOPE_RUNS_PER_MONTH_ABOVE,
         f"already running {runs} times a month, more than {ENVELOPE_RUNS_PER_MONTH_ABOVE}"),
    )
