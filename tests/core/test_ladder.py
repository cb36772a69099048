"""The level ladder honours P-START, P-ONEVAR, P-CAP, P-SHAPE and P-DOSE."""

from __future__ import annotations

import itertools

import pytest

from backstride.core.evidence import (
    CAP_RATIO,
    COOL_DOWN_SECONDS,
    FIRST_RUN_BOUT_SECONDS,
    LONGEST_RUN_BOUT_SECONDS,
    SESSION_MINUTES,
    WARM_UP_SECONDS,
)
from backstride.core.ladder import (
    BLOCK_SECONDS,
    LADDER,
    MIN_RUN_BOUT_SECONDS,
    TOP_LEVEL,
    IntervalKind,
    Level,
    capped_session,
    level,
    no_running_session,
    prescription_from_dict,
    run_walk_session,
)

ADJACENT = list(itertools.pairwise(LADDER))
SESSION_SECONDS = SESSION_MINUTES * 60


def _ids(value: object) -> str:
    return f"level-{value.number}" if isinstance(value, Level) else str(value)


# --- P-START ----------------------------------------------------------------


def test_level_1_run_bouts_last_15_seconds() -> None:
    assert FIRST_RUN_BOUT_SECONDS == LADDER[0].run_seconds == 15


def test_the_top_level_run_bouts_last_about_3_minutes() -> None:
    assert LONGEST_RUN_BOUT_SECONDS == LADDER[-1].run_seconds == 180


def test_levels_are_numbered_1_to_the_top_in_order() -> None:
    assert [lv.number for lv in LADDER] == list(range(1, TOP_LEVEL + 1))


def test_level_lookup_clamps_to_the_ends_of_the_ladder() -> None:
    assert level(0).number == 1
    assert level(TOP_LEVEL + 5).number == TOP_LEVEL


# --- P-ONEVAR ---------------------------------------------------------------


@pytest.mark.parametrize(("lower", "upper"), ADJACENT, ids=_ids)
def test_adjacent_levels_change_the_run_bout_or_the_walk_bout_never_both(
    lower: Level, upper: Level
) -> None:
    changed = (lower.run_seconds != upper.run_seconds, lower.walk_seconds != upper.walk_seconds)
    assert changed in ((True, False), (False, True))


@pytest.mark.parametrize(("lower", "upper"), ADJACENT, ids=_ids)
def test_the_run_bout_never_shrinks_and_the_walk_bout_never_grows(
    lower: Level, upper: Level
) -> None:
    assert upper.run_seconds >= lower.run_seconds
    assert upper.walk_seconds <= lower.walk_seconds


# --- P-CAP ------------------------------------------------------------------


@pytest.mark.parametrize(("lower", "upper"), ADJACENT, ids=_ids)
def test_each_level_runs_longer_than_the_one_below_but_within_the_cap(
    lower: Level, upper: Level
) -> None:
    assert lower.running_seconds < upper.running_seconds <= CAP_RATIO * lower.running_seconds


# --- P-SHAPE and P-DOSE -----------------------------------------------------


@pytest.mark.parametrize("lv", LADDER, ids=_ids)
def test_every_level_fits_in_the_run_walk_block(lv: Level) -> None:
    assert lv.block_seconds <= BLOCK_SECONDS


@pytest.mark.parametrize("lv", LADDER, ids=_ids)
def test_every_session_lasts_30_minutes(lv: Level) -> None:
    assert run_walk_session(lv).total_seconds == SESSION_SECONDS


@pytest.mark.parametrize("lv", LADDER, ids=_ids)
def test_every_session_is_warm_up_then_block_then_cool_down(lv: Level) -> None:
    session = run_walk_session(lv)
    kinds = [i.kind for i in session.intervals]

    assert kinds[0] is IntervalKind.WARM_UP
    assert kinds[-1] is IntervalKind.COOL_DOWN
    assert set(kinds[1:-1]) == {IntervalKind.RUN, IntervalKind.WALK}
    assert [i.seconds for i in session.warm_up] == [WARM_UP_SECONDS]
    assert [i.seconds for i in session.cool_down] == [COOL_DOWN_SECONDS]


@pytest.mark.parametrize("lv", LADDER, ids=_ids)
def test_a_session_runs_exactly_the_levels_running_time(lv: Level) -> None:
    session = run_walk_session(lv)

    assert session.running_seconds == lv.running_seconds
    assert session.level == lv.number
    assert not session.capped


def test_a_session_as_dict_lists_its_parts_and_totals() -> None:
    data = run_walk_session(LADDER[0]).as_dict()

    assert data["level"] == 1
    assert data["total_running_seconds"] == LADDER[0].running_seconds
    assert data["total_seconds"] == SESSION_SECONDS
    warm_up = data["warm_up"]
    assert isinstance(warm_up, list)
    assert [row["seconds"] for row in warm_up] == [WARM_UP_SECONDS]


# --- capped_session ---------------------------------------------------------


def test_capped_session_keeps_the_level_when_there_is_no_history() -> None:
    # None means no running in the window; restarting at level 1 is the caller's job.
    assert capped_session(5, None).level == 5


def test_capped_session_keeps_the_level_when_the_cap_does_not_bind() -> None:
    session = capped_session(5, level(5).running_seconds)

    assert session.level == 5
    assert not session.capped


def test_capped_session_lowers_to_the_highest_level_that_fits() -> None:
    cap = level(7).running_seconds + 1  # between levels 7 and 8

    session = capped_session(12, cap)

    assert session.level == 7
    assert session.capped
    assert session.running_seconds <= cap


def test_capped_session_shortens_level_1_bouts_when_even_level_1_does_not_fit() -> None:
    first = LADDER[0]
    cap = first.running_seconds - 1

    session = capped_session(3, cap)

    bouts = [i.seconds for i in session.intervals if i.kind is IntervalKind.RUN]
    assert session.level == 1
    assert session.capped
    assert len(bouts) == first.repeats
    assert all(MIN_RUN_BOUT_SECONDS <= b < first.run_seconds for b in bouts)
    assert session.running_seconds <= cap
    assert session.total_seconds == SESSION_SECONDS


def test_capped_session_does_fewer_shortest_bouts_when_shortened_bouts_would_be_too_short() -> None:
    cap = MIN_RUN_BOUT_SECONDS * LADDER[0].repeats - 1

    session = capped_session(1, cap)

    bouts = [i.seconds for i in session.intervals if i.kind is IntervalKind.RUN]
    assert set(bouts) == {MIN_RUN_BOUT_SECONDS}
    assert len(bouts) < LADDER[0].repeats
    assert session.total_seconds == SESSION_SECONDS


def test_capped_session_has_no_running_when_the_cap_is_below_one_shortest_bout() -> None:
    session = capped_session(4, MIN_RUN_BOUT_SECONDS - 1)

    assert session.level is None
    assert session.running_seconds == 0
    assert session.total_seconds == SESSION_SECONDS


def test_capped_session_never_exceeds_the_cap() -> None:
    caps = [c / 4 for c in range(0, 4 * (LADDER[-1].running_seconds + 20))]
    for cap, number in itertools.product(caps, (1, TOP_LEVEL // 2, TOP_LEVEL)):
        session = capped_session(number, cap)
        assert session.running_seconds <= cap, (number, cap)
        assert session.total_seconds == SESSION_SECONDS, (number, cap)


# --- Edge cases once found as defects -------------------------------------------


def test_a_session_with_no_repeats_keeps_its_warm_up() -> None:
    session = run_walk_session(LADDER[0], repeats=0)

    assert [i.seconds for i in session.warm_up] == [WARM_UP_SECONDS]


def test_a_session_without_running_because_of_the_cap_is_marked_capped() -> None:
    assert capped_session(4, MIN_RUN_BOUT_SECONDS - 1).capped


@pytest.mark.parametrize("session", [
    *(run_walk_session(lv) for lv in LADDER), capped_session(1, 40), capped_session(1, 3),
    no_running_session("Cycle 30 minutes"),
], ids=lambda s: f"level-{s.level}-{s.running_seconds}s")
def test_a_stored_prescription_reads_back_as_the_same_prescription(session):
    assert session == prescription_from_dict(session.as_dict())


def test_a_malformed_stored_prescription_is_a_value_error():
    with pytest.raises(ValueError):
        prescription_from_dict({"level": 1, "intervals": [{"kind": "sprint", "seconds": 5}]})
    with pytest.raises(ValueError):
        prescription_from_dict({"level": "one", "intervals": []})
