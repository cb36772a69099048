"""A chunk of recording as per-second series (the grid), and the spans of bouts built on it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from backstride.core.activity import Sample
from backstride.core.segmentation.model import Bout, BoutKind, Thresholds

# --- Spans: bouts with additive statistics ----------------------------------


@dataclass
class Span:
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

    def absorb(self, other: Span) -> None:
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


def absorb_short(spans: list[Span], minimum: float) -> list[Span]:
    """Give every bout shorter than ``minimum`` to the bout before it (the first: after it)."""
    out: list[Span] = []
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


# --- The 1-second grid of a chunk --------------------------------------------


@dataclass(frozen=True)
class Grid:
    """Per-second series of one chunk; index k covers [origin + k, origin + k + 1)."""

    origin: float
    seconds: int
    speed: list[float | None]  # smoothed, m/s
    cadence: list[float | None]  # smoothed, spm
    raw_cadence: list[float | None]
    vertical_oscillation: list[float | None]
    distance: list[float | None]  # cumulative at each whole second 0..seconds

    @staticmethod
    def of(samples: tuple[Sample, ...], th: Thresholds) -> Grid:
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
        return Grid(
            origin=origin,
            seconds=seconds,
            speed=_rolling_median(raw_speed, th.smoothing_seconds),
            cadence=_rolling_median(raw_cadence, th.smoothing_seconds),
            raw_cadence=raw_cadence,
            vertical_oscillation=[_held(samples, j, "vertical_oscillation") for j in closing],
            distance=distance,
        )

    def add_second(self, span: Span, k: int) -> None:
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
