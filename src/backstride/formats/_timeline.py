"""Raw points from any reader → the ordered, de-duplicated samples of an Activity.

Every reader collects :class:`Point` values in file order and hands them to
:func:`assemble`, so the invariants of :class:`~backstride.core.activity.Sample`
(times never go backwards, distance never decreases, ``elapsed`` starts at 0)
are enforced in one place for all three formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from backstride.core.activity import Sample
from backstride.core.errors import ImportFormatError

# A time before the FIT epoch (1989-12-31) or after 2100 is a placeholder, not a
# recording: GPSBabel writes 1901-12-13T20:45:52Z (the signed 32-bit minimum)
# for "no time" (corpus: gpxpy__Mojstrovka.gpx).
EARLIEST_TIME = datetime(1989, 12, 31, tzinfo=UTC)
LATEST_TIME = datetime(2100, 1, 1, tzinfo=UTC)
MIN_TIMED_POINTS = 2  # fewer timed points than this have no duration to speak of


@dataclass(slots=True)
class Point:
    """A point as read, before ordering.

    ``time`` is absolute; ``clock`` is a device's relative clock in seconds,
    used only when no point has an absolute time. ``distance`` is the device's
    cumulative distance (it may restart in chained files); ``step`` is the
    distance from the previous point, for readers that compute it from GPS.
    """

    time: datetime | None = None
    clock: float | None = None
    distance: float | None = None
    step: float | None = None
    speed: float | None = None
    heart_rate: float | None = None
    cadence: float | None = None
    vertical_oscillation: float | None = None
    lat: float | None = None
    lon: float | None = None
    altitude: float | None = None


def plausible_time(value: datetime) -> datetime | None:
    """``value`` in UTC if it is a plausible recording time, else ``None``."""
    value = value.astimezone(UTC)
    return value if EARLIEST_TIME <= value < LATEST_TIME else None


@dataclass(frozen=True)
class Timeline:
    start: datetime | None
    samples: tuple[Sample, ...]


def assemble(points: list[Point], *, what: str) -> Timeline:
    """Order ``points`` by time and turn them into samples.

    Points without a usable time are dropped (they cannot be placed); exact
    duplicates (chained FIT parts that repeat each other) are dropped; a
    distance that goes down (a chained part restarting at 0, a GPS correction)
    is carried forward so the cumulative distance never decreases. ``what``
    names the file kind in the error raised when too little is left.
    """
    timed, absolute = _timed(points)
    keys = [_key(p, absolute) for p in timed]  # once each: this runs for every point
    if len(set(keys)) < MIN_TIMED_POINTS:
        raise ImportFormatError(
            "file",
            f"{what} has no recorded activity: fewer than {MIN_TIMED_POINTS} points "
            "with distinct times",
        )
    order = sorted(range(len(timed)), key=keys.__getitem__)  # stable: equal times keep order
    deduped: list[Point] = []
    times: list[float] = []
    for i in order:
        p, key = timed[i], keys[i]
        # Points at different times differ; at the same time only an exact repeat goes.
        if not deduped or key != times[-1] or p != deduped[-1]:
            deduped.append(p)
            times.append(key)
    distances = _cumulative_distances(deduped)
    origin = times[0]
    samples = tuple(
        Sample(
            elapsed=key - origin,
            time=p.time if absolute else None,
            distance=d,
            speed=p.speed,
            heart_rate=p.heart_rate,
            cadence=p.cadence,
            vertical_oscillation=p.vertical_oscillation,
            lat=p.lat,
            lon=p.lon,
            altitude=p.altitude,
        )
        for p, key, d in zip(deduped, times, distances, strict=True)
    )
    return Timeline(deduped[0].time if absolute else None, samples)


def _timed(points: list[Point]) -> tuple[list[Point], bool]:
    absolute = [p for p in points if p.time is not None]
    if absolute:
        return absolute, True
    return [p for p in points if p.clock is not None], False


def _key(point: Point, absolute: bool) -> float:
    if absolute:
        assert point.time is not None
        return point.time.timestamp()
    assert point.clock is not None
    return point.clock


def _cumulative_distances(points: list[Point]) -> list[float | None]:
    if any(p.step is not None for p in points):
        return _sum_steps(points)
    out: list[float | None] = []
    offset = 0.0
    last = 0.0
    for p in points:
        if p.distance is None:
            out.append(None)
            continue
        value = p.distance + offset
        if value < last:  # a restart or a correction: never count backwards
            offset += last - value
            value = last
        out.append(value)
        last = value
    return out


def _sum_steps(points: list[Point]) -> list[float | None]:
    total = 0.0
    out: list[float | None] = []
    for p in points:
        total += p.step or 0.0
        out.append(total)
    return out
