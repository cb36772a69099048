"""P-CADENCE: when a running step rate is low for its speed, and the cue that follows."""

from __future__ import annotations

import pytest

from backstride.core.errors import PlanError
from backstride.core.evidence import (
    CADENCE_LOW_AT_REFERENCE_SPM,
    CADENCE_LOW_SLOPE,
    CADENCE_REFERENCE_SPEED,
    RULES,
)
from backstride.core.plans import cadence_cue, cadence_low_for_speed


def test_the_low_cadence_line_is_a_labelled_design_choice_of_p_cadence() -> None:
    thresholds = {t.name: t for t in RULES["P-CADENCE"].thresholds}
    for name in ("CADENCE_LOW_AT_REFERENCE_SPM", "CADENCE_REFERENCE_SPEED", "CADENCE_LOW_SLOPE"):
        assert thresholds[name].design_choice, name


def test_below_the_line_at_the_reference_speed_is_low() -> None:
    speed = CADENCE_REFERENCE_SPEED
    assert cadence_low_for_speed(CADENCE_LOW_AT_REFERENCE_SPM - 1, speed)
    assert not cadence_low_for_speed(CADENCE_LOW_AT_REFERENCE_SPM, speed)


def test_the_same_step_rate_is_low_at_a_higher_speed_but_not_at_a_lower_one() -> None:
    cadence = CADENCE_LOW_AT_REFERENCE_SPM + CADENCE_LOW_SLOPE / 2  # 155 spm
    assert not cadence_low_for_speed(cadence, CADENCE_REFERENCE_SPEED)
    assert cadence_low_for_speed(cadence, CADENCE_REFERENCE_SPEED + 1.0)
    assert not cadence_low_for_speed(cadence - 5, CADENCE_REFERENCE_SPEED - 1.0)


def test_the_cue_for_a_low_step_rate_is_five_to_ten_percent_more() -> None:
    assert cadence_low_for_speed(140, 2.5)
    assert (147.0, 154.0) == tuple(round(v, 1) for v in cadence_cue(140))


@pytest.mark.parametrize(("cadence", "speed"), [(0, 2.5), (150, 0), (float("nan"), 2.5),
                                                (150, float("inf"))])
def test_nonsense_is_refused(cadence: float, speed: float) -> None:
    with pytest.raises(PlanError):
        cadence_low_for_speed(cadence, speed)
