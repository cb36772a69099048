"""GPX 1.0 and 1.1 tracks → :class:`~backstride.core.activity.Activity`.

Our own reader on ElementTree (through defusedxml), chosen over gpxpy, which on
the corpus rejected a whole file for one point without lat/lon and dropped heart
rate and cadence from files that say version 1.0 (docs/decisions/0001).

What it reads: every ``trk/trkseg/trkpt`` in file order (several tracks or
segments become one activity; times that go backwards are sorted), ``time``,
``ele``, ``lat``/``lon``, GPX 1.0's ``speed``, and from ``extensions`` in any
namespace the Garmin TrackPointExtension ``hr``/``cad`` (v1 and v2; Cluetrust's
``heartrate``/``cadence``; a plain ``speed``). Tolerated: points without lat/lon
(kept: their time, heart rate and cadence count), points without a usable time
(dropped: they cannot be placed), junk numbers. Distance is the sum of
great-circle steps between positioned points of the same segment: a new segment
means the recording stopped, so the jump between segments is not distance.

Refused with ImportFormatError: a file with no track points (only routes or
waypoints: a plan, not a recording), a track without usable times (a route
drawn on a map) and a track with fewer than two distinct times.
"""

from __future__ import annotations

import math
from xml.etree.ElementTree import Element

from backstride.core.activity import Activity, SourceFormat
from backstride.core.errors import ImportFormatError
from backstride.formats import _xml
from backstride.formats._sport import normalise_sport
from backstride.formats._timeline import Point, assemble

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)
HEART_RATE_RANGE = (20.0, 250.0)  # bpm: outside this a strap is not on a person
STRIDE_RATE_RANGE = (0.0, 150.0)  # per-foot strides/min as GPX stores them
SPEED_RANGE = (0.0, 100.0)  # m/s: anything faster is not a measurement
SMOOTHING_SECONDS = 5.0  # positions are averaged over this window before summing steps

# Local names of extension elements, any namespace (TrackPointExtension v1/v2,
# Cluetrust gpxdata, apps that write plain elements).
_HR_NAMES = {"hr", "heartrate", "heart_rate"}
_CAD_NAMES = {"cad", "cadence", "runcadence"}
_SPEED_NAMES = {"speed"}

WHAT = "GPX file"


def read_gpx(data: bytes) -> Activity:
    """Read a GPX file; only ImportFormatError escapes."""
    return read_gpx_root(_xml.parse_xml(data, what=WHAT))


def read_gpx_root(root: Element) -> Activity:
    """Read an already parsed ``<gpx>`` root element."""
    try:
        return _read(root)
    except ImportFormatError:
        raise
    except Exception as exc:  # the contract: a malformed upload never yields a traceback
        raise ImportFormatError("file", f"{WHAT} could not be read ({type(exc).__name__})") from exc


def _read(root: Element) -> Activity:
    if _xml.local(root.tag) != "gpx":
        raise ImportFormatError("file", f"{WHAT}: the root element is not <gpx>")
    tracks = _xml.children(root, "trk")
    type_text = next((t for t in (_xml.child_text(trk, "type") for trk in tracks) if t), None)
    sport = normalise_sport(type_text)
    points = [p for trk in tracks for seg in _xml.children(trk, "trkseg") for p in _segment(seg)]
    if not points:
        raise ImportFormatError("file", _no_track_message(root))
    if not sport.on_foot:
        for p in points:
            p.cadence = None
    timeline = assemble(points, what=WHAT)
    return Activity(
        sport=sport,
        start=timeline.start,
        samples=timeline.samples,
        source_format=SourceFormat.GPX,
        original_sport=type_text,
        device=(root.get("creator") or "").strip() or None,
    )


def _no_track_message(root: Element) -> str:
    if _xml.descendants(root, "trkpt"):
        return (f"{WHAT}: no track point has a usable time (a route drawn on a map, "
                "not a recording)")
    if _xml.descendants(root, "rtept"):
        return f"{WHAT} holds a route (a planned course), not a recorded track"
    if _xml.children(root, "wpt"):
        return f"{WHAT} holds only waypoints, not a recorded track"
    return f"{WHAT} has no track points"


def _segment(seg: Element) -> list[Point]:
    points: list[Point] = []
    positioned: list[tuple[Point, tuple[float, float]]] = []
    for trkpt in _xml.children(seg, "trkpt"):
        point, position = _point(trkpt)
        if point.time is None:
            continue  # cannot be placed in time; the step is measured past it
        points.append(point)
        if position is not None:
            positioned.append((point, position))
    smoothed = _smoothed_positions(positioned)
    for i, (point, _) in enumerate(positioned):
        point.step = 0.0 if i == 0 else haversine(smoothed[i - 1], smoothed[i])
    return points


def _smoothed_positions(
    positioned: list[tuple[Point, tuple[float, float]]],
) -> list[tuple[float, float]]:
    """Each position averaged with up to 2 neighbours on each side, symmetrically.

    Summing raw GPS steps counts the receiver's jitter as distance: on
    synthetic 1 Hz run-walk sessions with 2.5-3 m of drifting error the raw sum
    came out 8-44 % long (walking looked like jogging); averaging 5 positions
    brought it to 1-7 % (docs/decisions/0001). The window is symmetric (so a straight
    line at constant speed is unchanged, ends included) and only spans points
    less than SMOOTHING_SECONDS/2 away, so sparse tracks keep their corners.
    """
    out: list[tuple[float, float]] = []
    for i in range(len(positioned)):
        half = _symmetric_half_width(positioned, i)
        near = [position for _, position in positioned[i - half : i + half + 1]]
        out.append((sum(p[0] for p in near) / len(near), sum(p[1] for p in near) / len(near)))
    return out


def _symmetric_half_width(positioned: list[tuple[Point, tuple[float, float]]], i: int) -> int:
    centre = positioned[i][0].time
    if centre is None:
        return 0
    for half in range(min(2, i, len(positioned) - 1 - i), 0, -1):
        times = [point.time for point, _ in (positioned[i - half], positioned[i + half])]
        if all(t is not None and abs((t - centre).total_seconds()) < SMOOTHING_SECONDS / 2
               for t in times):
            return half
    return 0


def _point(trkpt: Element) -> tuple[Point, tuple[float, float] | None]:
    position = _xml.to_lat_lon(trkpt.get("lat"), trkpt.get("lon"))
    kids = _xml.by_name(trkpt)
    point = Point(
        time=_xml.to_time(_xml.text_of(kids.get("time"))),
        altitude=_xml.to_float(_xml.text_of(kids.get("ele"))),
        speed=_xml.in_range(_xml.to_float(_xml.text_of(kids.get("speed"))), *SPEED_RANGE),
    )
    if position is not None:
        point.lat, point.lon = position
    for ext in _xml.children(trkpt, "extensions"):
        _read_extensions(ext, point)
    return point, position


def _read_extensions(ext: Element, point: Point) -> None:
    for item in ext.iter():
        name = _xml.local(item.tag).lower()
        if name in _HR_NAMES and point.heart_rate is None:
            point.heart_rate = _xml.in_range(_xml.to_float(_xml.text_of(item)), *HEART_RATE_RANGE)
        elif name in _CAD_NAMES and point.cadence is None:
            strides = _xml.in_range(_xml.to_float(_xml.text_of(item)), *STRIDE_RATE_RANGE)
            # TrackPointExtension's cad is per-foot (revolutions per minute):
            # steps per minute are twice that.
            point.cadence = None if strides is None else 2 * strides
        elif name in _SPEED_NAMES and point.speed is None:
            point.speed = _xml.in_range(_xml.to_float(_xml.text_of(item)), *SPEED_RANGE)


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres between two (lat, lon) points in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(
        (lon2 - lon1) / 2
    ) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))

