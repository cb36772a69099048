"""Triage: one screening in, one outcome out, every reason explained (CLINICAL.md §1).

:func:`triage` runs every check of :data:`~.rules.CHECKS`; the most severe
outcome wins and every fired rule is reported, most severe first. T-AGE under
18 is refused first; T-ENVELOPE and T-STARTBACK add notes, never an outcome.
"""

from __future__ import annotations

from collections.abc import Sequence

from backstride.core.evidence import ADULT_AGE, CONSERVATIVE_SESSIONS_PER_WEEK, Reason, reason
from backstride.core.triage.outcome import NO_PLAN, Outcome, Profile
from backstride.core.triage.result import (
    ADVICE,
    CONSERVATIVE_ADVICE,
    MINOR_ADVICE,
    MINOR_MESSAGE,
    OUTSIDE_EVIDENCE,
    PSYCHOSOCIAL_HIGH,
    StartBackScore,
    TriageResult,
    UnsupportedScreeningError,
    startback_reason,
)
from backstride.core.triage.rules import CHECKS, RUN_TEXT, Check, outside_trial
from backstride.core.triage.screening import Screening


def triage(screening: Screening) -> TriageResult:
    """Evaluate every T- rule on ``screening``; the most severe outcome wins.

    Raises :class:`UnsupportedScreeningError` for a person under 18 (T-AGE).
    """
    _refuse_minors(screening)
    seen = sorted(_seen(screening, CHECKS), key=lambda pair: -pair[0].outcome.severity)
    outcome = seen[0][0].outcome if seen else Outcome.RUN_WALK
    reasons = tuple(reason(c.rule, text) for c, text in seen) or (reason("T-RUN", RUN_TEXT),)
    profile = _profile(screening, outcome)
    flags, notes = _notes(screening, profile)
    return TriageResult(
        outcome=outcome,
        reasons=reasons + notes,
        flags=flags,
        profile=profile,
        advice=_advice(outcome, profile),
        startback=_startback(screening),
    )


def _seen(s: Screening, checks: Sequence[Check]) -> list[tuple[Check, str]]:
    """The checks that fire, each with what it saw, in the order given."""
    return [(check, text) for check in checks if (text := check.sees(s)) is not None]


def _profile(s: Screening, outcome: Outcome) -> Profile | None:
    if not outcome.allows_plan:
        return None
    return Profile.STANDARD if outside_trial(s) is None else Profile.CONSERVATIVE


def _startback(s: Screening) -> StartBackScore | None:
    return None if s.startback is None else StartBackScore.of(s.startback)


def _notes(s: Screening, profile: Profile | None) -> tuple[tuple[str, ...], tuple[Reason, ...]]:
    """Flags and reasons that never change the outcome (T-ENVELOPE, T-STARTBACK)."""
    flags: list[str] = []
    notes: list[Reason] = []
    outside = outside_trial(s)
    if profile is Profile.CONSERVATIVE and outside is not None:
        flags.append(OUTSIDE_EVIDENCE)
        notes.append(reason("T-ENVELOPE", f"Outside the trial's population: {outside}; "
                            f"conservative profile, {CONSERVATIVE_SESSIONS_PER_WEEK} "
                            "run-walk sessions a week"))
    startback = startback_reason(_startback(s))
    if startback is not None:
        flags.append(PSYCHOSOCIAL_HIGH)
        notes.append(startback)
    return tuple(sorted(flags)), tuple(notes)


def _advice(outcome: Outcome, profile: Profile | None) -> tuple[str, ...]:
    if outcome is Outcome.RUN_WALK and profile is Profile.CONSERVATIVE:
        return (*ADVICE[outcome], CONSERVATIVE_ADVICE)
    return ADVICE[outcome]


def _refuse_minors(s: Screening) -> None:
    """T-AGE: refuse under-18s, still giving emergency or doctor advice for red flags."""
    if s.age >= ADULT_AGE:
        return
    age = reason("T-AGE", f"Age is {s.age}, under {ADULT_AGE}")
    flags = _seen(s, [c for c in CHECKS if c.outcome in NO_PLAN])
    # Safety bias: a refusal must not hide red-flag advice (T-CES; T-SERIOUS too).
    advice = ADVICE[flags[0][0].outcome] if flags else (MINOR_ADVICE,)
    raise UnsupportedScreeningError(
        " ".join((MINOR_MESSAGE, *advice)),
        advice=advice,
        reasons=(age, *(reason(c.rule, text) for c, text in flags)),
        emergency=any(c.outcome is Outcome.EMERGENCY for c, _ in flags),
    )
