"""Invariants of every valid plan and of the ladder, checked with Hypothesis."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.core.errors import PlanError
from backstride.core.evidence import (
    CADENCE_CUE_MAX,
    CADENCE_CUE_MIN,
    CAP_RATIO,
    CAP_WINDOW_DAYS,
    CONSERVATIVE_SESSIONS_PER_WEEK,
    SESSION_MINUTES,
)
from backstride.core.ladder import LADDER, TOP_LEVEL, IntervalKind, Prescription, capped_session
from backstride.core.plans import (
    DAYS_PER_WEEK,
    MAX_PLAN_WEEKS,
    WEEKDAY_NAMES,
    DayKind,
    Plan,
    PlanRequest,
    build_plan,
    cadence_cue,
    parse_weekdays,
)

# A plan of up to a year takes a few milliseconds; keep each test well under a second.
FAST = settings(max_examples=60, deadline=None)


def _non_consecutive(days: tuple[int, ...]) -> bool:
    return all((d + 1) % DAYS_PER_WEEK not in days for d in days)


WEEKDAY_SETS = {
    n: [c for c in itertools.combinations(range(7), n) if _non_consecutive(c)] for n in (2, 3)
}


@st.composite
def valid_requests(draw: st.DrawFn) -> PlanRequest:
    """Any request build_plan must accept: 2 or 3 spaced weekdays, 1-52 weeks, any start."""
    profile = draw(st.sampled_from(["standard", "conservative"]))
    sessions = CONSERVATIVE_SESSIONS_PER_WEEK if profile == "conservative" else draw(
        st.sampled_from([2, 3])
    )
    return PlanRequest(
        start=draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))),
        weekdays=draw(st.sampled_from(WEEKDAY_SETS[sessions])),
        weeks=draw(st.integers(min_value=1, max_value=MAX_PLAN_WEEKS)),
        sessions_per_week=sessions,
        profile=profile,
    )


plans = valid_requests().map(build_plan)


def _running(plan: Plan) -> list[tuple[date, int]]:
    return [
        (d.date, d.prescription.running_seconds)
        for d in plan.run_walk_days()
        if d.prescription is not None
    ]


# --- The plan -----------------------------------------------------------------


@FAST
@given(plans)
def test_no_session_runs_more_than_110_percent_of_the_longest_in_the_previous_30_days(
    plan: Plan,
) -> None:
    sessions = _running(plan)
    for i, (day, seconds) in enumerate(sessions):
        window = [s for d, s in sessions[:i] if (day - d).days <= CAP_WINDOW_DAYS]
        if window:
            assert seconds <= CAP_RATIO * max(window)


@FAST
@given(plans)
def test_no_two_run_walk_days_are_consecutive(plan: Plan) -> None:
    dates = [d.date for d in plan.run_walk_days()]

    assert all(b - a >= timedelta(days=2) for a, b in itertools.pairwise(dates))


@FAST
@given(plans)
def test_every_7_day_stretch_has_a_rest_day(plan: Plan) -> None:
    kinds = [d.kind for d in plan.days]

    for first in range(len(kinds) - DAYS_PER_WEEK + 1):
        assert DayKind.REST in kinds[first : first + DAYS_PER_WEEK]


@FAST
@given(plans)
def test_the_plan_covers_every_date_once_with_the_requested_sessions(plan: Plan) -> None:
    request = plan.request
    expected = [request.start + timedelta(days=i) for i in range(request.weeks * DAYS_PER_WEEK)]

    assert [d.date for d in plan.days] == expected
    assert len(plan.run_walk_days()) == request.weeks * request.sessions_per_week


@FAST
@given(plans)
def test_every_run_walk_day_has_a_30_minute_prescription_and_no_other_day_has_one(
    plan: Plan,
) -> None:
    for day in plan.days:
        if day.kind is DayKind.RUN_WALK:
            assert day.prescription is not None
            assert day.prescription.total_seconds == SESSION_MINUTES * 60
        else:
            assert day.prescription is None
            assert day.session_number is None


def _bouts(prescription: Prescription) -> tuple[int, int]:
    """(run bout, walk bout) in seconds; the first walk, as the last is padded to fill."""
    run = next(i.seconds for i in prescription.block if i.kind is IntervalKind.RUN)
    walk = next(i.seconds for i in prescription.block if i.kind is IntervalKind.WALK)
    return run, walk


@FAST
@given(plans)
def test_successive_projected_sessions_change_one_variable_at_most(plan: Plan) -> None:
    bouts = [_bouts(d.prescription) for d in plan.run_walk_days() if d.prescription]

    for (run_a, walk_a), (run_b, walk_b) in itertools.pairwise(bouts):
        assert (run_a != run_b) + (walk_a != walk_b) <= 1
        assert run_b >= run_a and walk_b <= walk_a


# --- The ladder ---------------------------------------------------------------


@given(st.integers(min_value=1, max_value=TOP_LEVEL - 1))
def test_adjacent_ladder_levels_differ_in_one_variable(number: int) -> None:
    lower, upper = LADDER[number - 1], LADDER[number]
    changed = (lower.run_seconds != upper.run_seconds, lower.walk_seconds != upper.walk_seconds)

    assert changed in ((True, False), (False, True))


@given(
    st.integers(min_value=1, max_value=TOP_LEVEL),
    st.floats(min_value=0, max_value=2000, allow_nan=False),
)
def test_a_capped_session_never_runs_more_than_its_cap(number: int, cap: float) -> None:
    assert capped_session(number, cap).running_seconds <= cap


# --- Input --------------------------------------------------------------------


@given(
    st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=7, unique=True),
    st.data(),
)
def test_parse_weekdays_reads_any_spelling_of_any_set_of_days(
    weekdays: list[int], data: st.DataObject
) -> None:
    def spell(day: int) -> str:
        name = data.draw(st.sampled_from([WEEKDAY_NAMES[day], WEEKDAY_NAMES[day][:3]]))
        return name.upper() if data.draw(st.booleans()) else name

    text = ",".join(spell(d) for d in weekdays)

    assert parse_weekdays(text) == tuple(sorted(weekdays))


@given(st.sets(st.integers(min_value=0, max_value=6), min_size=2, max_size=3))
def test_weekdays_next_to_each_other_are_always_refused(weekdays: set[int]) -> None:
    chosen = tuple(sorted(weekdays))
    request = PlanRequest(date(2025, 1, 6), chosen, sessions_per_week=len(chosen))
    try:
        build_plan(request)
    except PlanError as error:
        assert not _non_consecutive(chosen)
        assert error.field == "weekdays"
    else:
        assert _non_consecutive(chosen)


@given(st.floats(min_value=1, max_value=300, allow_nan=False))
def test_the_cadence_cue_stays_within_5_to_10_percent(cadence: float) -> None:
    low, high = cadence_cue(cadence)

    assert cadence < low <= high <= cadence * (1 + CADENCE_CUE_MAX)
    assert low >= cadence * (1 + CADENCE_CUE_MIN)
