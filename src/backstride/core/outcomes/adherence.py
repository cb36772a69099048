"""Adherence: completed run-walk sessions over prescribed ones (O-ADHERENCE)."""

from __future__ import annotations

from backstride.core import fields as f
from backstride.core.errors import BackstrideError
from backstride.core.evidence import TRIAL_ADHERENCE

_DECIMALS = 9  # a ratio of 0.7000000000000001 from upstream arithmetic still meets 0.70


def adherence(completed: int, prescribed: int) -> float | None:
    """Completed ÷ prescribed run-walk sessions, a fraction from 0 to 1.

    ``None`` when nothing was prescribed (adherence is undefined, not 0 or 1).
    Counts are whole sessions; a negative count, or more completed sessions
    than prescribed, raises :class:`BackstrideError` naming the field: it
    means the counts were taken over different periods, and clamping to 1.0
    would hide that.
    """
    done = f.integer(completed, "completed", BackstrideError, low=0)
    total = f.integer(prescribed, "prescribed", BackstrideError, low=0)
    if done > total:
        raise BackstrideError(
            "completed", f"{done} completed sessions exceed the {total} prescribed"
        )
    return None if total == 0 else done / total


def meets_trial_adherence(ratio: float | None) -> bool:
    """Whether an adherence ``ratio`` (0-1) reaches the trial's 70% (O-ADHERENCE).

    ``None`` (nothing prescribed) does not meet it.
    """
    if ratio is None:
        return False
    value = f.number(ratio, "adherence", BackstrideError, low=0, high=1)
    return round(value, _DECIMALS) >= TRIAL_ADHERENCE
