"""Run/walk segmentation of a recorded activity: what did the person actually do?

The import step (DESIGN.md, journey step 6) compares a session's planned
run-walk intervals with what the watch recorded. This module finds the bouts:
running, walking, or paused (stopped, or the recording paused).

How, second by second:

1. Resample to a 1-second grid. A second takes the values of the sample that
   closes its interval (devices report what happened since the last sample).
   An interval longer than ``gap_seconds`` over which the distance did not
   grow is a pause (auto-pause, a stopped watch, a new GPX segment).
2. Speed is the device's own when it recorded one, else the slope of the
   cumulative distance over a few seconds (a single-second difference of GPS
   positions is mostly noise). Speeds above ``max_speed`` are GPS glitches.
3. Speed and cadence are smoothed with a rolling median, which removes spikes
   without blurring a change of gait the way a mean would.
4. Gait is decided by cadence when there is a step rate (it separates walking
   from running far better than speed: a slow jog and a brisk walk overlap in
   speed, not in cadence), by speed otherwise. Both use hysteresis: entering a
   run needs a higher value than staying in one, so a value hovering near one
   threshold does not flicker between run and walk.
5. Bouts shorter than ``min_bout_seconds`` (``min_speed_bout_seconds`` when
   the activity has no cadence) are absorbed by the bout before them.

All thresholds are named constants below, with the reasons for their values.
For sports that are not on foot (``Sport.on_foot``) there is no cadence and the
result only reflects speed; callers should not read it as gait.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from backstride.core.activity import Activity, Sample

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


def segment(activity: Activity, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Segments:
    """The run, walk and pause bouts of ``activity`` and their totals.

    An activity with nothing to read gait from (no speed, distance or cadence:
    a heart-rate-only recording) has no bouts.
    """
    samples = activity.samples
    if activity.duration <= 0 or not any(_informative(s) for s in samples):
        return Segments((), EMPTY_SUMMARY)
    spans: list[_Span] = []
    for kind, chunk in _chunks(samples, thresholds):
        if kind is BoutKind.PAUSE:
            spans.append(_gap_span(chunk))
        else:
            spans.extend(_chunk_spans(chunk, thresholds))
    minimum = (
        thresholds.min_bout_seconds if activity.has_cadence else thresholds.min_speed_bout_seconds
    )
    merged = _absorb_short(spans, minimum)
    bouts = tuple(span.bout() for span in merged)
    return Segments(bouts, _summary(merged))


def _informative(sample: Sample) -> bool:
    return sample.speed is not None or sample.distance is not None or sample.cadence is not None


# --- Spans: bouts with additive statistics ----------------------------------


@dataclass
class _Span:
    kind: BoutKind
    start: float
    end: float
    distance: float | None = None
    cadence_sum: float = 0.0
    cadence_n: int = 0
    vo_sum: float = 0.0
    vo_n: int = 0

    @property
    def duration(self) -> float:
        return self.end - self.start

    def absorb(self, other: _Span) -> None:
        self.end = other.end
        if other.distance is not None:
            self.distance = (self.distance or 0.0) + other.distance
        self.cadence_sum += other.cadence_sum
        self.cadence_n += other.cadence_n
        self.vo_sum += other.vo_sum
        self.vo_n += other.vo_n

    def bout(self) -> Bout:
        cadence = self.cadence_sum / self.cadence_n if self.cadence_n else None
        return Bout(self.kind, self.start, self.duration, self.distance, cadence)


def _absorb_short(spans: list[_Span], minimum: float) -> list[_Span]:
    """Give every bout shorter than ``minimum`` to the bout before it (the first: after it)."""
    out: list[_Span] = []
    for span in spans:
        if out and (span.duration < minimum or out[-1].kind is span.kind):
            out[-1].absorb(span)
        else:
            out.append(span)
    if len(out) > 1 and out[0].duration < minimum:
        first, second = out[0], out[1]
        first.kind = second.kind
        first.absorb(second)
        del out[1]
    return out


# --- Chunks: stretches of recording between pauses in the timestamps --------


def _chunks(
    samples: tuple[Sample, ...], th: Thresholds
) -> list[tuple[BoutKind | None, tuple[Sample, ...]]]:
    """Alternating recorded stretches (kind ``None``) and gaps (``PAUSE``, two samples).

    Splitting first keeps the per-second work proportional to the recorded
    time, not to the span of the file (a GPX of several trips spans years).
    """
    out: list[tuple[BoutKind | None, tuple[Sample, ...]]] = []
    first = 0
    for j in range(1, len(samples)):
        if _is_gap(samples[j - 1], samples[j], th):
            if j - 1 > first:
                out.append((None, samples[first:j]))
            out.append((BoutKind.PAUSE, samples[j - 1 : j + 1]))
            first = j
    if len(samples) - 1 > first:
        out.append((None, samples[first:]))
    return out


def _is_gap(before: Sample, after: Sample, th: Thresholds) -> bool:
    dt = after.elapsed - before.elapsed
    if dt <= th.gap_seconds:
        return False
    if before.distance is None or after.distance is None:
        return True
    return (after.distance - before.distance) / dt < th.stop_speed


def _gap_span(pair: tuple[Sample, ...]) -> _Span:
    before, after = pair
    distance = None
    if before.distance is not None and after.distance is not None:
        distance = after.distance - before.distance
    return _Span(BoutKind.PAUSE, before.elapsed, after.elapsed, distance)


def _chunk_spans(chunk: tuple[Sample, ...], th: Thresholds) -> list[_Span]:
    if chunk[-1].elapsed <= chunk[0].elapsed:
        return []  # samples that all share one instant cover no time
    grid = _Grid.of(chunk, th)
    kinds = _classify(grid, th)
    spans: list[_Span] = []
    for k, kind in enumerate(kinds):
        if not spans or spans[-1].kind is not kind:
            spans.append(_Span(kind, grid.origin + k, grid.origin + k))
        grid.add_second(spans[-1], k)
    if spans:
        spans[-1].end = chunk[-1].elapsed  # the last second may be a fraction
    return spans


# --- The 1-second grid of a chunk --------------------------------------------


@dataclass(frozen=True)
class _Grid:
    """Per-second series of one chunk; index k covers [origin + k, origin + k + 1)."""

    origin: float
    seconds: int
    speed: list[float | None]  # smoothed, m/s
    cadence: list[float | None]  # smoothed, spm
    raw_cadence: list[float | None]
    vertical_oscillation: list[float | None]
    distance: list[float | None]  # cumulative at each whole second 0..seconds

    @staticmethod
    def of(samples: tuple[Sample, ...], th: Thresholds) -> _Grid:
        origin = samples[0].elapsed
        seconds = max(1, math.ceil(samples[-1].elapsed - origin))
        times = [s.elapsed - origin for s in samples]
        closing = _closing_samples(times, seconds)
        distance = _distance_series(samples, times, closing)
        recorded = [_held(samples, j, "speed") for j in closing]
        raw_speed = [
            _plausible(r if r is not None else _slope(distance, k, th.speed_span_seconds), th)
            for k, r in enumerate(recorded)
        ]
        raw_cadence = [_held(samples, j, "cadence") for j in closing]
        return _Grid(
            origin=origin,
            seconds=seconds,
            speed=_rolling_median(raw_speed, th.smoothing_seconds),
            cadence=_rolling_median(raw_cadence, th.smoothing_seconds),
            raw_cadence=raw_cadence,
            vertical_oscillation=[_held(samples, j, "vertical_oscillation") for j in closing],
            distance=distance,
        )

    def add_second(self, span: _Span, k: int) -> None:
        span.end = self.origin + k + 1
        a, b = self.distance[k], self.distance[k + 1]
        if a is not None and b is not None:
            span.distance = (span.distance or 0.0) + (b - a)
        cadence, vo = self.raw_cadence[k], self.vertical_oscillation[k]
        if cadence is not None:
            span.cadence_sum += cadence
            span.cadence_n += 1
        if vo is not None:
            span.vo_sum += vo
            span.vo_n += 1


def _closing_samples(times: list[float], seconds: int) -> list[int]:
    """For each second k, the index of the first sample after k (it closes k's interval)."""
    out: list[int] = []
    j = 1
    for k in range(seconds):
        while j < len(times) - 1 and times[j] <= k:
            j += 1
        out.append(j)
    return out


def _held(samples: tuple[Sample, ...], j: int, name: str) -> float | None:
    """The closing sample's value, else the previous sample's (devices alternate)."""
    value: float | None = getattr(samples[j], name)
    if value is None:
        value = getattr(samples[j - 1], name)
    return value


def _distance_series(
    samples: tuple[Sample, ...], times: list[float], closing: list[int]
) -> list[float | None]:
    """Cumulative distance interpolated at every whole second 0..seconds."""
    known = [(t, s.distance) for t, s in zip(times, samples, strict=True) if s.distance is not None]
    if len(known) < 2:
        return _integrated_speed(samples, closing)
    out: list[float | None] = []
    i = 0
    for k in range(len(closing) + 1):
        while i < len(known) - 2 and known[i + 1][0] < k:
            i += 1
        (t0, d0), (t1, d1) = known[i], known[i + 1]
        if k <= t0:
            out.append(d0)
        elif k >= t1:
            out.append(d1)
        else:
            out.append(d0 + (d1 - d0) * (k - t0) / (t1 - t0))
    return out


def _integrated_speed(samples: tuple[Sample, ...], closing: list[int]) -> list[float | None]:
    """Distance from recorded speed when no distance was recorded; else all None."""
    if not any(s.speed is not None for s in samples):
        return [None] * (len(closing) + 1)
    out: list[float | None] = [0.0]
    total = 0.0
    for j in closing:
        total += _held(samples, j, "speed") or 0.0
        out.append(total)
    return out


def _slope(distance: list[float | None], k: int, span: int) -> float | None:
    lo, hi = max(0, k - span // 2), min(len(distance) - 1, k + 1 + span // 2)
    a, b = distance[lo], distance[hi]
    if a is None or b is None or hi == lo:
        return None
    return (b - a) / (hi - lo)


def _plausible(speed: float | None, th: Thresholds) -> float | None:
    if speed is None or speed < 0 or speed > th.max_speed:
        return None
    return speed


def _rolling_median(values: list[float | None], window: int) -> list[float | None]:
    half = max(window, 1) // 2
    out: list[float | None] = []
    for k in range(len(values)):
        present = [v for v in values[max(0, k - half) : k + half + 1] if v is not None]
        if not present:
            out.append(None)
            continue
        # statistics.median, inlined: this runs for every second of a recording.
        present.sort()
        mid = len(present) // 2
        out.append(present[mid] if len(present) % 2 else (present[mid - 1] + present[mid]) / 2)
    return out


# --- Classification ----------------------------------------------------------


def _classify(grid: _Grid, th: Thresholds) -> list[BoutKind]:
    kinds: list[BoutKind] = []
    running = False
    for k in range(grid.seconds):
        kind = _gait(grid.speed[k], grid.cadence[k], running, th)
        if kind is None:  # nothing measured this second: keep the current gait
            kind = kinds[-1] if kinds else BoutKind.WALK
        running = kind is BoutKind.RUN
        kinds.append(kind)
    return kinds


def _gait(
    speed: float | None, cadence: float | None, running: bool, th: Thresholds
) -> BoutKind | None:
    stepping = cadence is not None and cadence >= th.gait_cadence
    if not stepping and speed is not None and speed < th.stop_speed:
        return BoutKind.PAUSE  # standing still: a stop, not walking
    if cadence is not None and stepping:
        limit = th.run_leave_cadence if running else th.run_enter_cadence
        return BoutKind.RUN if cadence >= limit else BoutKind.WALK
    if speed is not None:
        limit = th.run_leave_speed if running else th.run_enter_speed
        return BoutKind.RUN if speed >= limit else BoutKind.WALK
    if cadence is not None:  # a cadence below gait and no speed: standing
        return BoutKind.PAUSE
    return None


# --- Totals ------------------------------------------------------------------


def _summary(spans: list[_Span]) -> RunWalkSummary:
    runs = [s for s in spans if s.kind is BoutKind.RUN]
    moving = [s for s in spans if s.kind is not BoutKind.PAUSE]
    cadence_n = sum(s.cadence_n for s in runs)
    vo_n = sum(s.vo_n for s in runs)
    return RunWalkSummary(
        running_seconds=sum(s.duration for s in runs),
        run_bouts=len(runs),
        longest_run_seconds=max((s.duration for s in runs), default=0.0),
        walking_seconds=sum(s.duration for s in spans if s.kind is BoutKind.WALK),
        paused_seconds=sum(s.duration for s in spans if s.kind is BoutKind.PAUSE),
        distance=_total(s.distance for s in moving),
        running_distance=_total(s.distance for s in runs),
        running_cadence=sum(s.cadence_sum for s in runs) / cadence_n if cadence_n else None,
        running_vertical_oscillation=sum(s.vo_sum for s in runs) / vo_n if vo_n else None,
    )


def _total(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None
