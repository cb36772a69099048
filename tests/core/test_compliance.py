"""Planned against actual running time: green within ±20 %, amber within ±50 %, red beyond."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.core.compliance import Compliance, compliance, match_session_day

PLANNED = 165  # level 1: 11 × 15 s


@pytest.mark.parametrize(("actual", "expected"), [
    (165, Compliance.GREEN),
    (198, Compliance.GREEN),  # +20 % exactly: still green
    (199, Compliance.AMBER),
    (132, Compliance.GREEN),  # -20 % exactly
    (131, Compliance.AMBER),
    (247, Compliance.AMBER),  # +49.7 %
    (248, Compliance.RED),    # +50.3 %
    (83, Compliance.AMBER),   # -49.7 %
    (82, Compliance.RED),     # -50.3 %
    (0, Compliance.RED),
])
def test_the_bands_include_their_boundaries(actual: int, expected: Compliance) -> None:
    assert expected == compliance(PLANNED, actual)


def test_exactly_fifty_percent_off_is_amber() -> None:
    assert Compliance.AMBER == compliance(200, 300) == compliance(200, 100)
    assert Compliance.RED == compliance(200, 301) == compliance(200, 99)


def test_running_on_a_session_without_running_is_red() -> None:
    assert Compliance.GREEN == compliance(0, 0)
    assert Compliance.RED == compliance(0, 1)


def test_negative_seconds_are_refused() -> None:
    with pytest.raises(ValueError):
        compliance(-1, 10)


@given(st.integers(1, 10_000), st.integers(0, 20_000))
def test_the_band_only_gets_worse_further_from_the_plan(planned: int, actual: int) -> None:
    order = [Compliance.GREEN, Compliance.AMBER, Compliance.RED]
    further = actual + 1 if actual >= planned else max(actual - 1, 0)
    assert order.index(compliance(planned, further)) >= order.index(compliance(planned, actual))


# --- Matching an activity to its planned session ---------------------------------------

LONDON = ZoneInfo("Europe/London")
MON, TUE, WED, THU, FRI = (date(2025, 3, 3) + timedelta(days=n) for n in range(5))


def test_an_activity_on_a_planned_day_belongs_to_that_day() -> None:
    assert MON == match_session_day([MON, WED, FRI], day=MON)


def test_an_activity_a_day_off_the_plan_belongs_to_the_nearest_session() -> None:
    assert WED == match_session_day([WED], day=TUE)
    assert WED == match_session_day([WED], day=THU)
    assert match_session_day([FRI], day=TUE) is None  # three days away


def test_between_two_sessions_the_nearer_noon_wins_and_else_the_day_before() -> None:
    assert MON == match_session_day([MON, WED], day=TUE,
                                    local_start=datetime(2025, 3, 4, 7, 0, tzinfo=LONDON))
    assert WED == match_session_day([MON, WED], day=TUE,
                                    local_start=datetime(2025, 3, 4, 18, 0, tzinfo=LONDON))
    assert MON == match_session_day([MON, WED], day=TUE)


def test_a_session_in_the_future_is_never_matched() -> None:
    assert match_session_day([WED], day=TUE, latest=TUE) is None
    assert WED == match_session_day([WED], day=WED, latest=WED)
