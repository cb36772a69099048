"""The cohort report's chart axes hold any clinic's numbers (the benchmark's 10,000
patients once put 9,000 of them in one adherence bin, beyond the old table of steps)."""

from __future__ import annotations

import pytest

from backstride.web.reports import charts


@pytest.mark.parametrize("high", [0.001, 0.4, 1, 3, 7, 10, 59, 101, 640, 999, 9_000, 123_456])
def test_an_axis_covers_its_range_in_at_most_seven_round_ticks(high: float) -> None:
    bottom, top, step = charts._scale(0, high)
    assert bottom <= 0 < high <= top
    assert (top - bottom) / step <= 7
    assert step >= 0.5
    assert any(step == m * 10 ** e for m in (1, 2, 2.5, 5) for e in range(-1, 6))


def test_a_histogram_of_thousands_of_patients_is_drawn() -> None:
    figure = charts.histogram_figure("adherence", [0, 3, 12, 40, 90, 400, 900, 2_000, 9_000, 10],
                                     0.7)
    assert figure.y_ticks[-1].label == "10000"
    assert len(figure.marks) == 10
