"""Run/walk segmentation against ground truth: synthetic sessions and real recordings."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.core.activity import Activity, Sample, SourceFormat, Sport
from backstride.core.ladder import level, run_walk_session
from backstride.core.segmentation import (
    MIN_BOUT_SECONDS,
    MIN_SPEED_BOUT_SECONDS,
    BoutKind,
    Segments,
    Thresholds,
    segment,
)
from backstride.formats import read_activity
from backstride.formats.synthetic import (
    Leg,
    legs_of,
    running_seconds,
    synthetic_gpx,
    synthetic_tcx,
)
from tests.formats.corpus_cache import activity

RUN, WALK, PAUSE = BoutKind.RUN, BoutKind.WALK, BoutKind.PAUSE
LEVELS = (1, 8, 14, 21)  # 15 s, 25 s, 50 s and 180 s run bouts


def run_bouts(legs: tuple[Leg, ...]) -> int:
    return sum(leg.kind is RUN for leg in legs)


def assert_well_formed(segments: Segments, activity: Activity) -> None:
    """Bouts tile the activity: contiguous, alternating, and as long as it."""
    bouts = segments.bouts
    assert bouts[0].start == 0
    for before, after in itertools.pairwise(bouts):
        assert after.start == pytest.approx(before.start + before.duration)
        assert after.kind is not before.kind
    assert sum(b.duration for b in bouts) == pytest.approx(activity.duration)
    if len(bouts) > 1:
        minimum = MIN_BOUT_SECONDS if activity.has_cadence else MIN_SPEED_BOUT_SECONDS
        assert min(b.duration for b in bouts) >= minimum


# --- Synthetic sessions: the truth is known ---------------------------------


@pytest.mark.parametrize("number", LEVELS)
def test_with_cadence_every_run_bout_is_found_to_the_second(number):
    legs = legs_of(run_walk_session(level(number)))
    recording = read_activity(synthetic_tcx(legs, seed=number))
    segments = segment(recording)
    assert segments.summary.run_bouts == run_bouts(legs)
    # A person takes a second or two to change gait: at most 2 s per bout.
    assert segments.summary.running_seconds == pytest.approx(
        running_seconds(legs), abs=2 * run_bouts(legs))
    assert segments.summary.running_cadence == pytest.approx(160, abs=5)
    assert_well_formed(segments, recording)


@pytest.mark.parametrize("number", LEVELS)
def test_without_cadence_the_device_speed_finds_the_bouts(number):
    legs = legs_of(run_walk_session(level(number)))
    recording = read_activity(synthetic_tcx(legs, seed=number, cadence=False))
    summary = segment(recording).summary
    assert summary.run_bouts == run_bouts(legs)
    assert summary.running_seconds == pytest.approx(running_seconds(legs), rel=0.05)
    assert summary.running_cadence is None


@pytest.mark.parametrize("number", LEVELS)
@pytest.mark.parametrize("seed", [1, 2])
def test_gps_alone_finds_the_bouts_despite_position_noise(number, seed):
    """A GPX with positions only: speed comes from 2.5 m of drifting GPS error."""
    legs = legs_of(run_walk_session(level(number)))
    recording = read_activity(synthetic_gpx(legs, seed=seed * 100 + number, cadence=False))
    summary = segment(recording).summary
    # Measured over 40 such sessions: never more than one bout off, running
    # time within 20 % (a 15-second bout is 9 % of level 1's running).
    assert summary.run_bouts == pytest.approx(run_bouts(legs), abs=1)
    assert summary.running_seconds == pytest.approx(running_seconds(legs), rel=0.2)


def test_a_gpx_with_cadence_segments_like_the_tcx():
    legs = legs_of(run_walk_session(level(3)))
    tcx = segment(read_activity(synthetic_tcx(legs, seed=3))).summary
    gpx = segment(read_activity(synthetic_gpx(legs, seed=3))).summary
    assert gpx.run_bouts == tcx.run_bouts
    assert gpx.running_seconds == pytest.approx(tcx.running_seconds, abs=2)


def test_a_treadmill_run_without_positions_or_speed_uses_distance():
    legs = legs_of(run_walk_session(level(10)))
    recording = read_activity(
        synthetic_tcx(legs, seed=10, cadence=False, speed=False, position=False))
    summary = segment(recording).summary
    assert summary.run_bouts == run_bouts(legs)
    assert summary.running_seconds == pytest.approx(running_seconds(legs), rel=0.05)


def test_a_recorded_stop_is_a_pause_not_walking():
    legs = (Leg(WALK, 120), Leg(RUN, 60), Leg(PAUSE, 40), Leg(RUN, 60), Leg(WALK, 120))
    segments = segment(read_activity(synthetic_tcx(legs, seed=7)))
    assert [b.kind for b in segments.bouts] == [WALK, RUN, PAUSE, RUN, WALK]
    pause = segments.bouts[2]
    assert pause.duration == pytest.approx(40, abs=3)


def test_an_auto_paused_gap_in_the_timestamps_is_a_pause():
    legs = (Leg(WALK, 120), Leg(RUN, 60), Leg(PAUSE, 90), Leg(RUN, 60), Leg(WALK, 60))
    for data in (synthetic_tcx(legs, seed=8, record_pauses=False),
                 synthetic_gpx(legs, seed=8, record_pauses=False)):
        segments = segment(read_activity(data))
        assert [b.kind for b in segments.bouts] == [WALK, RUN, PAUSE, RUN, WALK]
        assert segments.summary.paused_seconds == pytest.approx(90, abs=3)
        assert segments.summary.run_bouts == 2


def test_a_gps_jump_is_not_a_sprint():
    legs = (Leg(WALK, 300),)
    lines = synthetic_gpx(legs, seed=9, cadence=False).decode().splitlines(keepends=True)
    text = "".join(lines)
    # Move one point 800 m north and back again.
    first = text.index('<trkpt lat="', len(text) // 2) + len('<trkpt lat="')
    lat = float(text[first : first + 11])
    text = text[:first] + f"{lat + 0.0072:.7f}" + text[first + 11 :]
    summary = segment(read_activity(text.encode())).summary
    assert summary.run_bouts == 0


def test_thresholds_can_be_tuned():
    legs = legs_of(run_walk_session(level(5)))
    recording = read_activity(synthetic_tcx(legs, seed=5))
    strict = Thresholds(run_enter_cadence=170, run_leave_cadence=165)
    assert segment(recording, strict).summary.run_bouts == 0


def test_a_level_1_session_has_the_prescribed_shape():
    """Warm-up walk, 11 runs of about 15 s between walks, cool-down walk."""
    legs = legs_of(run_walk_session(level(1)))
    bouts = segment(read_activity(synthetic_tcx(legs, seed=11))).bouts
    assert bouts[0].kind is WALK and bouts[0].duration == pytest.approx(300, abs=3)
    assert bouts[-1].kind is WALK
    runs = [b for b in bouts if b.kind is RUN]
    assert all(b.duration == pytest.approx(15, abs=2) for b in runs)
    assert all(b.distance == pytest.approx(15 * 2.6, rel=0.2) for b in runs)


# --- Real recordings ---------------------------------------------------------


def test_the_fenix_5_walk_is_all_walking():
    walk = segment(activity("fit/fitparse__garmin-fenix-5-walk.fit"))
    assert [b.kind for b in walk.bouts] == [WALK]
    assert walk.summary.running_seconds == 0
    assert walk.summary.distance == pytest.approx(67.85, abs=1)


def test_the_fenix_5_run_is_all_running():
    run = segment(activity("fit/fitparse__garmin-fenix-5-run.fit"))
    assert [b.kind for b in run.bouts] == [RUN]
    assert run.summary.running_cadence == pytest.approx(166, abs=5)


def test_the_fenix2_run_is_mostly_running():
    recording = activity("fit/fitparse__activity-small-fenix2-run.fit")
    segments = segment(recording)
    summary = segments.summary
    assert summary.running_seconds / recording.duration > 0.9
    assert summary.longest_run_seconds > 30 * 60
    assert 155 <= (summary.running_cadence or 0) <= 175
    assert 100 <= (summary.running_vertical_oscillation or 0) <= 120  # mm
    assert summary.distance == pytest.approx(recording.total_distance, rel=0.01)
    assert_well_formed(segments, recording)


def test_a_treadmill_like_stryd_run_is_one_run():
    summary = segment(activity("fit/fitparse__developer-types-sample.fit")).summary
    assert summary.run_bouts == 1
    assert summary.running_cadence == pytest.approx(149, abs=3)


@pytest.mark.parametrize("name", [
    "fit/fitparse__2013-02-06-12-11-14.fit",
    "fit/tormoder__mornindew-broken.fit",
    "fit/muktihari__triathlon_summary_last.fit",
    "gpx/togeojson__run.gpx",
    "gpx/togeojson__blue_hills.gpx",
    "gpx/togeojson__osm.gpx",
    "tcx/tcxparser__test.tcx",
])
def test_real_recordings_segment_into_well_formed_bouts(name):
    recording = activity(name)
    assert_well_formed(segment(recording), recording)


def test_a_heart_rate_only_recording_has_no_bouts():
    hr_only = activity("fit/fitparse__antfs-dump.63.fit")
    assert segment(hr_only).bouts == ()


# --- Any input ---------------------------------------------------------------

optional = st.none() | st.floats(0, 300, allow_nan=False)


@st.composite
def activities(draw: st.DrawFn) -> Activity:
    steps = draw(st.lists(st.floats(0.0, 40.0, allow_nan=False), min_size=1, max_size=200))
    elapsed, distance, samples = 0.0, 0.0, [Sample(elapsed=0.0, distance=0.0)]
    for step in steps:
        elapsed += step
        distance += draw(st.floats(0, 15, allow_nan=False))
        samples.append(Sample(
            elapsed=elapsed,
            distance=draw(st.none() | st.just(distance)),
            speed=draw(st.none() | st.floats(0, 20, allow_nan=False)),
            cadence=draw(optional),
            vertical_oscillation=draw(optional),
        ))
    start = datetime(2025, 1, 1, tzinfo=UTC)
    return Activity(Sport.RUNNING, start, tuple(samples), SourceFormat.FIT)


@settings(max_examples=200, deadline=None)
@given(activities())
def test_any_activity_gives_bouts_that_tile_it(recording):
    segments = segment(recording)
    if recording.duration == 0:
        assert segments.bouts == ()
        return
    assert_well_formed(segments, recording)
    summary = segments.summary
    assert summary.running_seconds + summary.walking_seconds + summary.paused_seconds == (
        pytest.approx(recording.duration))
    assert summary.longest_run_seconds <= summary.running_seconds
