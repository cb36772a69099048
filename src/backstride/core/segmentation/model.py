"""The thresholds segmentation uses, with their reasons, and the bouts and totals it returns."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# --- Thresholds --------------------------------------------------------------
# Running cadence is typically above 140 steps/min (recreational runners run at
# 150-180), walking below 130 (a brisk walk is 110-130). Between the two the
# current gait is kept (hysteresis).
RUN_ENTER_CADENCE = 140.0  # spm
RUN_LEAVE_CADENCE = 130.0  # spm
# Below this there is no gait to read: the person is standing, or the sensor
# dropped out (a cadence of 0 while the speed says moving). Speed decides then.
GAIT_CADENCE = 60.0  # spm
# Fallback without cadence: the walk-run transition speed of adults is about
# 2.0-2.2 m/s (7.2-7.9 km/h); a beginner's jog is 2.2-2.8 m/s, a brisk walk
# 1.5-1.9 m/s.
RUN_ENTER_SPEED = 2.2  # m/s
RUN_LEAVE_SPEED = 1.9  # m/s
# Slower than this is standing still: the slowest purposeful walking is about
# 0.8 m/s, and a standing GPS drifts at up to ~0.5 m/s.
STOP_SPEED = 0.5  # m/s
# Faster than this is not a person on foot (a sprinter peaks near 12 m/s).
MAX_SPEED = 12.0  # m/s
# Devices with "smart recording" leave up to ~8 s between samples while moving
# steadily; a longer interval without distance is a pause.
GAP_SECONDS = 10.0
# Speed from distance is the slope over this many seconds: on synthetic 1 Hz
# GPS tracks (2-3 m correlated error) 6 s gave the fewest false bouts while
# still resolving 15-second run bouts (docs/decisions/0001).
SPEED_SPAN_SECONDS = 6
SMOOTHING_SECONDS = 5  # rolling median window (odd)
# The shortest prescribed run bout is 15 s (P-START) and run bouts are never
# shortened below 5 s (ladder.MIN_RUN_BOUT_SECONDS); a 6-second minimum keeps
# those and drops a stumble or a few noisy seconds.
MIN_BOUT_SECONDS = 6
# Without cadence, gait comes from speed alone, which GPS makes noisier: on
# synthetic GPS-only sessions 8 s halved the false bouts of 6 s and still kept
# every 15-second run.
MIN_SPEED_BOUT_SECONDS = 8


class BoutKind(StrEnum):
    RUN = "run"
    WALK = "walk"
    PAUSE = "pause"


@dataclass(frozen=True)
class Thresholds:
    """The tunable numbers of :func:`segment`; the defaults are the constants above."""

    run_enter_cadence: float = RUN_ENTER_CADENCE
    run_leave_cadence: float = RUN_LEAVE_CADENCE
    gait_cadence: float = GAIT_CADENCE
    run_enter_speed: float = RUN_ENTER_SPEED
    run_leave_speed: float = RUN_LEAVE_SPEED
    stop_speed: float = STOP_SPEED
    max_speed: float = MAX_SPEED
    gap_seconds: float = GAP_SECONDS
    speed_span_seconds: int = SPEED_SPAN_SECONDS
    smoothing_seconds: int = SMOOTHING_SECONDS
    min_bout_seconds: int = MIN_BOUT_SECONDS
    min_speed_bout_seconds: int = MIN_SPEED_BOUT_SECONDS


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Bout:
    """One stretch of a single kind.

    ``start`` is in seconds since the activity's start, ``duration`` in
    seconds, ``distance`` in metres (``None`` without distance or speed data),
    ``cadence`` the mean step rate in steps/min (``None`` without cadence).
    """

    kind: BoutKind
    start: float
    duration: float
    distance: float | None
    cadence: float | None


@dataclass(frozen=True)
class RunWalkSummary:
    """Totals over the bouts. Seconds, metres, steps/min, millimetres.

    ``distance`` is covered while moving (running and walking);
    ``running_cadence`` and ``running_vertical_oscillation`` are means over
    the running seconds that have a value (``None`` if none has).
    """

    running_seconds: float
    run_bouts: int
    longest_run_seconds: float
    walking_seconds: float
    paused_seconds: float
    distance: float | None
    running_distance: float | None
    running_cadence: float | None
    running_vertical_oscillation: float | None


@dataclass(frozen=True)
class Segments:
    bouts: tuple[Bout, ...]
    summary: RunWalkSummary


EMPTY_SUMMARY = RunWalkSummary(0.0, 0, 0.0, 0.0, 0.0, None, None, None, None)
