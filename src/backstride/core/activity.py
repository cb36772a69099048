"""The canonical recorded activity: what every FIT, GPX or TCX file becomes.

``backstride.formats`` turns each file format into this one shape before any
statistics are computed (STYLE.md, FitTrackee anchor), so segmentation,
session matching and reports never look at a file format again.

Units are SI except where running convention says otherwise: seconds, metres,
metres per second, beats per minute, *steps* per minute, millimetres, degrees.
Every time is an aware UTC ``datetime``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Sport(StrEnum):
    """The normalised sport; the file's own words are kept on :class:`Activity`."""

    RUNNING = "running"
    WALKING = "walking"
    CYCLING = "cycling"
    SWIMMING = "swimming"
    OTHER = "other"

    @property
    def on_foot(self) -> bool:
        """Whether cadence is a step rate and run/walk segmentation means anything.

        ``OTHER`` counts as on foot: it is what a file without a sport gets, and
        Backstride's uploads are overwhelmingly runs and walks.
        """
        return self not in (Sport.CYCLING, Sport.SWIMMING)


class SourceFormat(StrEnum):
    FIT = "fit"
    GPX = "gpx"
    TCX = "tcx"


@dataclass(frozen=True, slots=True)
class Sample:
    """One recorded point. Everything but ``elapsed`` is optional.

    ``elapsed`` is in seconds since :attr:`Activity.start` (the first sample is
    at 0). ``time`` is the same instant as an aware UTC datetime; it is ``None``
    only when the device knew no absolute time (old FIT devices record seconds
    since power-on). ``distance`` is cumulative metres since the start, never
    decreasing. ``cadence`` is in steps per minute (both feet): the readers
    convert the per-foot stride rate that FIT, TCX and GPX files store. It is
    ``None`` for cycling and swimming, whose cadence is not a step rate.
    """

    elapsed: float
    time: datetime | None = None
    distance: float | None = None
    speed: float | None = None
    heart_rate: float | None = None
    cadence: float | None = None
    vertical_oscillation: float | None = None
    lat: float | None = None
    lon: float | None = None
    altitude: float | None = None


@dataclass(frozen=True, slots=True)
class Lap:
    """A lap as the device recorded it.

    ``elapsed_seconds`` is wall-clock time, ``timer_seconds`` excludes pauses;
    ``distance`` in metres. ``sport`` is set in multisport files.
    """

    start: datetime | None
    elapsed_seconds: float | None = None
    timer_seconds: float | None = None
    distance: float | None = None
    sport: Sport | None = None


@dataclass(frozen=True)
class Activity:
    """A recorded activity, whatever file it came from.

    ``start`` is the aware UTC time of the first sample, or ``None`` when the
    device recorded only relative times. ``original_sport`` and
    ``original_sub_sport`` are the file's own words (``"multisport"`` plus the
    legs joined by ``+`` when a file holds several sports). ``device`` is
    ``"manufacturer/product"`` or the creator's name. ``warnings`` say what a
    tolerant reader skipped (a damaged tail, a bad checksum, an ignored part).
    """

    sport: Sport
    start: datetime | None
    samples: tuple[Sample, ...]
    source_format: SourceFormat
    original_sport: str | None = None
    original_sub_sport: str | None = None
    laps: tuple[Lap, ...] = ()
    device: str | None = None
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.start is not None and self.start.utcoffset() != timedelta(0):
            raise ValueError("Activity.start must be an aware UTC datetime")

    @property
    def duration(self) -> float:
        """Seconds from the first to the last sample (pauses included)."""
        if self.samples:
            return self.samples[-1].elapsed
        return sum(lap.elapsed_seconds or 0.0 for lap in self.laps)

    @property
    def total_distance(self) -> float | None:
        """Metres covered: the last cumulative distance, else the laps' sum."""
        for sample in reversed(self.samples):
            if sample.distance is not None:
                return sample.distance
        lap_distances = [lap.distance for lap in self.laps if lap.distance is not None]
        return sum(lap_distances) if lap_distances else None

    @property
    def has_cadence(self) -> bool:
        return any(s.cadence is not None for s in self.samples)
