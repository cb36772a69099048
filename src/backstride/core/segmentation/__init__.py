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

All thresholds are named constants in ``model``, with the reasons for their values.
For sports that are not on foot (``Sport.on_foot``) there is no cadence and the
result only reflects speed; callers should not read it as gait.

The package: ``model`` (thresholds, bouts, totals), ``grid`` (the per-second
series and the spans built on them); ``segment`` is here.
"""

from __future__ import annotations

from collections.abc import Iterable

from backstride.core.activity import Activity, Sample
from backstride.core.segmentation.grid import Grid, Span, absorb_short
from backstride.core.segmentation.model import (
    DEFAULT_THRESHOLDS,
    EMPTY_SUMMARY,
    GAIT_CADENCE,
    GAP_SECONDS,
    MAX_SPEED,
    MIN_BOUT_SECONDS,
    MIN_SPEED_BOUT_SECONDS,
    RUN_ENTER_CADENCE,
    RUN_ENTER_SPEED,
    RUN_LEAVE_CADENCE,
    RUN_LEAVE_SPEED,
    SMOOTHING_SECONDS,
    SPEED_SPAN_SECONDS,
    STOP_SPEED,
    Bout,
    BoutKind,
    RunWalkSummary,
    Segments,
    Thresholds,
)

__all__ = [
    "DEFAULT_THRESHOLDS",
    "EMPTY_SUMMARY",
    "GAIT_CADENCE",
    "GAP_SECONDS",
    "MAX_SPEED",
    "MIN_BOUT_SECONDS",
    "MIN_SPEED_BOUT_SECONDS",
    "RUN_ENTER_CADENCE",
    "RUN_ENTER_SPEED",
    "RUN_LEAVE_CADENCE",
    "RUN_LEAVE_SPEED",
    "SMOOTHING_SECONDS",
    "SPEED_SPAN_SECONDS",
    "STOP_SPEED",
    "Bout",
    "BoutKind",
    "RunWalkSummary",
    "Segments",
    "Thresholds",
    "segment",
]


def segment(activity: Activity, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Segments:
    """The run, walk and pause bouts of ``activity`` and their totals.

    An activity with nothing to read gait from (no speed, distance or cadence:
    a heart-rate-only recording) has no bouts.
    """
    samples = activity.samples
    if activity.duration <= 0 or not any(_informative(s) for s in samples):
        return Segments((), EMPTY_SUMMARY)
    spans: list[Span] = []
    for kind, chunk in _chunks(samples, thresholds):
        if kind is BoutKind.PAUSE:
            spans.append(_gap_span(chunk))
        else:
            spans.extend(_chunk_spans(chunk, thresholds))
    minimum = (
        thresholds.min_bout_seconds if activity.has_cadence else thresholds.min_speed_bout_seconds
    )
    merged = absorb_short(spans, minimum)
    bouts = tuple(span.bout() for span in merged)
    return Segments(bouts, _summary(merged))


def _informative(sample: Sample) -> bool:
    return sample.speed is not None or sample.distance is not None or sample.cadence is not None


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


def _gap_span(pair: tuple[Sample, ...]) -> Span:
    before, after = pair
    distance = None
    if before.distance is not None and after.distance is not None:
        distance = after.distance - before.distance
    return Span(BoutKind.PAUSE, before.elapsed, after.elapsed, distance)


def _chunk_spans(chunk: tuple[Sample, ...], th: Thresholds) -> list[Span]:
    if chunk[-1].elapsed <= chunk[0].elapsed:
        return []  # samples that all share one instant cover no time
    grid = Grid.of(chunk, th)
    kinds = _classify(grid, th)
    spans: list[Span] = []
    for k, kind in enumerate(kinds):
        if not spans or spans[-1].kind is not kind:
            spans.append(Span(kind, grid.origin + k, grid.origin + k))
        grid.add_second(spans[-1], k)
    if spans:
        spans[-1].end = chunk[-1].elapsed  # the last second may be a fraction
    return spans


# --- Classification ----------------------------------------------------------


def _classify(grid: Grid, th: Thresholds) -> list[BoutKind]:
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


def _summary(spans: list[Span]) -> RunWalkSummary:
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
