"""Synthetic run-walk recordings with known bouts, as TCX, GPX or FIT bytes.

Real files never come with the truth about when the person ran. These do: a
list of legs (run 15 s, walk 90 s, ...) becomes a plausible 1 Hz recording
with gradual changes of speed and cadence, sensor noise and GPS position
error, so segmentation can be tested against ground truth and the demo and
the web tests can upload something realistic. Deterministic for a given
``seed``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from xml.etree.ElementTree import Element, SubElement, tostring

from backstride.core.ladder import IntervalKind, Prescription
from backstride.core.segmentation import BoutKind
from backstride.formats import fit_workout
from backstride.formats.fit_workout import ENUM

TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
TCX_EXT_NS = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"
GPX_NS = "http://www.topografix.com/GPX/1/1"
GPX_TPX_NS = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
METRES_PER_DEGREE = 111_320.0  # of latitude; of longitude times cos(latitude)
DEFAULT_START = datetime(2025, 3, 3, 7, 30, tzinfo=UTC)
DEFAULT_ORIGIN = (-37.8136, 144.9631)  # Melbourne, where the ASTEROID trial ran
# FIT profile numbers of the messages a recorded activity needs.
FIT_MESG_FILE_ID, FIT_MESG_SESSION, FIT_MESG_LAP, FIT_MESG_RECORD = 0, 18, 19, 20
FIT_FILE_ACTIVITY = 4


@dataclass(frozen=True)
class Leg:
    """``seconds`` of one kind of movement."""

    kind: BoutKind
    seconds: int


@dataclass(frozen=True)
class Gait:
    """Typical values of a beginner run-walker (m/s, steps/min)."""

    run_speed: float = 2.6
    walk_speed: float = 1.45
    run_cadence: float = 160.0
    walk_cadence: float = 112.0
    speed_noise: float = 0.08  # m/s, sensor noise per sample
    cadence_noise: float = 2.5  # spm
    # Consumer GNSS at 1 Hz: a few metres of error that drifts slowly (each
    # second keeps 95 % of the last one's error).
    gps_noise_m: float = 2.5  # standard deviation of the position error
    gps_correlation: float = 0.95


@dataclass(frozen=True)
class _Tick:
    time: datetime
    distance: float
    speed: float
    cadence: float
    lat: float
    lon: float
    recorded: bool


def legs_of(prescription: Prescription) -> tuple[Leg, ...]:
    """The legs a person following ``prescription`` would record.

    Warm-up, walks, cool-down and cross-training are walking; runs are running.
    """
    return tuple(
        Leg(BoutKind.RUN if i.kind is IntervalKind.RUN else BoutKind.WALK, i.seconds)
        for i in prescription.intervals
    )


def running_seconds(legs: Iterable[Leg]) -> int:
    return sum(leg.seconds for leg in legs if leg.kind is BoutKind.RUN)


def synthetic_tcx(
    legs: Iterable[Leg],
    *,
    start: datetime = DEFAULT_START,
    seed: int = 0,
    gait: Gait = Gait(),
    cadence: bool = True,
    speed: bool = True,
    position: bool = True,
    record_pauses: bool = True,
) -> bytes:
    """A TCX running activity of ``legs``: one lap, 1 Hz track points.

    ``cadence``/``speed``/``position`` switch those channels off (``position``
    off is a treadmill run). ``record_pauses=False`` leaves pause legs out of
    the track, as a watch with auto-pause does.
    """
    ticks = list(_simulate(tuple(legs), start, seed, gait, record_pauses))
    root = Element("TrainingCenterDatabase", {"xmlns": TCX_NS, "xmlns:ns3": TCX_EXT_NS})
    activity = SubElement(SubElement(root, "Activities"), "Activity", Sport="Running")
    SubElement(activity, "Id").text = _iso(start)
    lap = SubElement(activity, "Lap", StartTime=_iso(start))
    SubElement(lap, "TotalTimeSeconds").text = f"{(ticks[-1].time - start).total_seconds():.1f}"
    SubElement(lap, "DistanceMeters").text = f"{ticks[-1].distance:.1f}"
    track = SubElement(lap, "Track")
    for tick in ticks:
        if tick.recorded:
            _tcx_point(track, tick, cadence=cadence, speed=speed, position=position)
    creator = SubElement(activity, "Creator")
    SubElement(creator, "Name").text = "Backstride synthetic"
    return _serialise(root)


def synthetic_gpx(
    legs: Iterable[Leg],
    *,
    start: datetime = DEFAULT_START,
    seed: int = 0,
    gait: Gait = Gait(),
    cadence: bool = True,
    record_pauses: bool = True,
) -> bytes:
    """A GPX 1.1 running track of ``legs``: positions with GPS error, no speed or distance.

    Heart rate and (per-foot) cadence go in a Garmin TrackPointExtension, as
    Garmin Connect and Strava export them. A pause leg not recorded starts a
    new ``trkseg``.
    """
    root = Element("gpx", {"xmlns": GPX_NS, "xmlns:gpxtpx": GPX_TPX_NS, "version": "1.1",
                           "creator": "Backstride synthetic"})
    trk = SubElement(root, "trk")
    SubElement(trk, "type").text = "running"
    segment = SubElement(trk, "trkseg")
    gap = False
    for tick in _simulate(tuple(legs), start, seed, gait, record_pauses):
        if not tick.recorded:
            gap = True
            continue
        if gap:
            segment, gap = SubElement(trk, "trkseg"), False
        point = SubElement(segment, "trkpt", lat=f"{tick.lat:.7f}", lon=f"{tick.lon:.7f}")
        SubElement(point, "time").text = _iso(tick.time)
        ext = SubElement(SubElement(point, "extensions"), "gpxtpx:TrackPointExtension")
        SubElement(ext, "gpxtpx:hr").text = str(_heart_rate(tick))
        if cadence:
            SubElement(ext, "gpxtpx:cad").text = str(round(tick.cadence / 2))
    return _serialise(root)


def synthetic_fit(
    legs: Iterable[Leg],
    *,
    start: datetime = DEFAULT_START,
    seed: int = 0,
    gait: Gait = Gait(),
    record_pauses: bool = True,
) -> bytes:
    """A FIT running activity of ``legs`` as a watch writes it: 1 Hz records, a lap, a session.

    Records carry time, position, distance, speed, heart rate and per-foot
    cadence (FIT's stride rate), encoded with the protocol-level writer of
    :mod:`.fit_workout`.
    """
    ticks = [t for t in _simulate(tuple(legs), start, seed, gait, record_pauses) if t.recorded]
    begin, seconds = _fit_time(start), (ticks[-1].time - start).total_seconds()
    rows = [_fit_record(tick) for tick in ticks]
    body = fit_workout.message(0, FIT_MESG_FILE_ID, [
        fit_workout.Field(0, fit_workout.ENUM, FIT_FILE_ACTIVITY),
        fit_workout.Field(1, fit_workout.UINT16, fit_workout.MANUFACTURER_DEVELOPMENT),
        fit_workout.Field(2, fit_workout.UINT16, 1),
        fit_workout.Field(4, fit_workout.UINT32, begin),
    ])
    body += fit_workout.definition(1, FIT_MESG_RECORD, rows[0])
    body += b"".join(fit_workout.data(1, row) for row in rows)
    summary = [
        fit_workout.Field(253, fit_workout.UINT32, _fit_time(ticks[-1].time)),
        fit_workout.Field(2, fit_workout.UINT32, begin),
        fit_workout.Field(7, fit_workout.UINT32, round(seconds * 1000)),
        fit_workout.Field(8, fit_workout.UINT32, round(seconds * 1000)),
        fit_workout.Field(9, fit_workout.UINT32, round(ticks[-1].distance * 100)),
    ]
    running = fit_workout.SPORT_RUNNING
    lap_sport = fit_workout.Field(25, ENUM, running)
    session_sport = fit_workout.Field(5, ENUM, running)
    body += fit_workout.message(2, FIT_MESG_LAP, [*summary, lap_sport])
    body += fit_workout.message(3, FIT_MESG_SESSION, [*summary, session_sport])
    return fit_workout.fit_file(body)


def _fit_time(moment: datetime) -> int:
    return int((moment - fit_workout.FIT_EPOCH).total_seconds())


def _fit_record(tick: _Tick) -> list[fit_workout.Field]:
    semicircles = 2**31 / 180
    return [
        fit_workout.Field(253, fit_workout.UINT32, _fit_time(tick.time)),
        fit_workout.Field(0, fit_workout.SINT32, round(tick.lat * semicircles)),
        fit_workout.Field(1, fit_workout.SINT32, round(tick.lon * semicircles)),
        fit_workout.Field(5, fit_workout.UINT32, round(tick.distance * 100)),
        fit_workout.Field(6, fit_workout.UINT16, round(tick.speed * 1000)),
        fit_workout.Field(3, fit_workout.UINT8, _heart_rate(tick)),
        fit_workout.Field(4, fit_workout.UINT8, round(tick.cadence / 2)),
    ]


def _simulate(
    legs: tuple[Leg, ...], start: datetime, seed: int, gait: Gait, record_pauses: bool
) -> Iterator[_Tick]:
    rng = random.Random(seed)
    speed, cadence, distance = 0.0, 0.0, 0.0
    east = north = 0.0
    heading = rng.uniform(0, 2 * math.pi)
    error = [0.0, 0.0]
    innovation = gait.gps_noise_m * math.sqrt(1 - gait.gps_correlation**2)
    t = 0
    for leg in legs:
        target_speed, target_cadence = _targets(leg.kind, gait)
        for _ in range(leg.seconds):
            # A person changes pace over a couple of seconds, and step rate a bit faster.
            speed += (target_speed - speed) * 0.45
            cadence += (target_cadence - cadence) * 0.6
            distance += speed
            heading += rng.gauss(0, 0.05)
            east += speed * math.cos(heading)
            north += speed * math.sin(heading)
            error = [gait.gps_correlation * e + rng.gauss(0, innovation) for e in error]
            t += 1
            lat, lon = _lat_lon(north + error[1], east + error[0])
            moving = leg.kind is not BoutKind.PAUSE
            yield _Tick(
                time=start + timedelta(seconds=t),
                distance=distance,
                speed=max(0.0, speed + rng.gauss(0, gait.speed_noise)) if moving else 0.0,
                cadence=max(0.0, cadence + rng.gauss(0, gait.cadence_noise)) if moving else 0.0,
                lat=lat,
                lon=lon,
                recorded=moving or record_pauses,
            )


def _targets(kind: BoutKind, gait: Gait) -> tuple[float, float]:
    if kind is BoutKind.RUN:
        return gait.run_speed, gait.run_cadence
    if kind is BoutKind.WALK:
        return gait.walk_speed, gait.walk_cadence
    return 0.0, 0.0


def _lat_lon(north: float, east: float) -> tuple[float, float]:
    lat0, lon0 = DEFAULT_ORIGIN
    lat = lat0 + north / METRES_PER_DEGREE
    lon = lon0 + east / (METRES_PER_DEGREE * math.cos(math.radians(lat0)))
    return lat, lon


def _heart_rate(tick: _Tick) -> int:
    return round(90 + 25 * tick.speed)


def _tcx_point(track: Element, tick: _Tick, *, cadence: bool, speed: bool, position: bool) -> None:
    point = SubElement(track, "Trackpoint")
    SubElement(point, "Time").text = _iso(tick.time)
    if position:
        pos = SubElement(point, "Position")
        SubElement(pos, "LatitudeDegrees").text = f"{tick.lat:.7f}"
        SubElement(pos, "LongitudeDegrees").text = f"{tick.lon:.7f}"
    SubElement(point, "DistanceMeters").text = f"{tick.distance:.2f}"
    SubElement(SubElement(point, "HeartRateBpm"), "Value").text = str(_heart_rate(tick))
    if speed or cadence:
        tpx = SubElement(SubElement(point, "Extensions"), "ns3:TPX")
        if speed:
            SubElement(tpx, "ns3:Speed").text = f"{tick.speed:.3f}"
        if cadence:
            SubElement(tpx, "ns3:RunCadence").text = str(round(tick.cadence / 2))


def _serialise(root: Element) -> bytes:
    data: bytes = tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
