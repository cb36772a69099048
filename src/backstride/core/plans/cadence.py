"""P-CADENCE: the optional step-rate cue, offered only when cadence is low for the speed."""

from __future__ import annotations

import math

from backstride.core.errors import PlanError
from backstride.core.evidence import (
    CADENCE_CUE_MAX,
    CADENCE_CUE_MIN,
    CADENCE_LOW_AT_REFERENCE_SPM,
    CADENCE_LOW_SLOPE,
    CADENCE_REFERENCE_SPEED,
)


def cadence_cue(cadence_spm: float) -> tuple[float, float]:
    """P-CADENCE: the optional cue range, in steps a minute, for a current step rate.

    From CADENCE_CUE_MIN to CADENCE_CUE_MAX above ``cadence_spm`` (steps a
    minute) at the same speed, never more. PlanError (a ValueError) unless
    ``cadence_spm`` is a positive, finite number.
    """
    if not math.isfinite(cadence_spm) or cadence_spm <= 0:
        raise PlanError("cadence_spm", f"must be a positive number of steps a minute, got "
                        f"{cadence_spm}")
    return cadence_spm * (1 + CADENCE_CUE_MIN), cadence_spm * (1 + CADENCE_CUE_MAX)


def low_cadence_below(speed_mps: float) -> float:
    """P-CADENCE (design choice): below this step rate (steps/min), running at ``speed_mps`` is low.

    CADENCE_LOW_AT_REFERENCE_SPM at CADENCE_REFERENCE_SPEED m/s, rising
    CADENCE_LOW_SLOPE steps a minute per m/s faster. PlanError unless the speed
    is a positive, finite number.
    """
    _check_positive("speed_mps", speed_mps)
    return CADENCE_LOW_AT_REFERENCE_SPM + CADENCE_LOW_SLOPE * (speed_mps - CADENCE_REFERENCE_SPEED)


def cadence_low_for_speed(cadence_spm: float, speed_mps: float) -> bool:
    """P-CADENCE: whether a running step rate is low for its speed (:func:`low_cadence_below`).

    Only then is the optional cue (:func:`cadence_cue`) offered. PlanError
    unless both are positive, finite numbers.
    """
    _check_positive("cadence_spm", cadence_spm)
    return cadence_spm < low_cadence_below(speed_mps)


def _check_positive(name: str, value: float) -> None:
    if not math.isfinite(value) or value <= 0:
        raise PlanError(name, f"must be a positive number, got {value}")
