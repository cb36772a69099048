"""Garmin Training Center (TCX) activities → :class:`~backstride.core.activity.Activity`.

Our own reader on ElementTree (through defusedxml), chosen over tcxreader,
which drops every point without a position by default (a treadmill run gives 0
points) and reads nothing from multisport files (docs/decisions/0001).

What it reads: every ``Activity`` under ``Activities``, including the legs of a
``MultiSportSession`` (merged into one activity, like a chained FIT file);
laps (``StartTime``, ``TotalTimeSeconds``, ``DistanceMeters``); track points
with or without ``Position`` (treadmill and indoor runs have none), with
``DistanceMeters``, ``HeartRateBpm``, ``Cadence`` and the ActivityExtension
``TPX`` ``Speed`` and ``RunCadence`` in any namespace version.

Courses are refused with a clear ImportFormatError rather than read as an
activity without meaning: a course's times are a planned pace (a virtual
partner), not a recording, and importing one would count a plan as a session
done. Workouts (plans too) are refused the same way.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from backstride.core.activity import Activity, Lap, SourceFormat, Sport
from backstride.core.errors import ImportFormatError
from backstride.formats import _xml
from backstride.formats._sport import combine_sports, normalise_sport
from backstride.formats._timeline import Point, assemble
from backstride.formats.gpx import HEART_RATE_RANGE, SPEED_RANGE, STRIDE_RATE_RANGE

WHAT = "TCX file"


def read_tcx(data: bytes) -> Activity:
    """Read a TCX file; only ImportFormatError escapes."""
    return read_tcx_root(_xml.parse_xml(data, what=WHAT))


def read_tcx_root(root: Element) -> Activity:
    """Read an already parsed ``<TrainingCenterDatabase>`` root element."""
    try:
        return _read(root)
    except ImportFormatError:
        raise
    except Exception as exc:  # the contract: a malformed upload never yields a traceback
        raise ImportFormatError("file", f"{WHAT} could not be read ({type(exc).__name__})") from exc


def _read(root: Element) -> Activity:
    if _xml.local(root.tag) != "TrainingCenterDatabase":
        raise ImportFormatError("file", f"{WHAT}: the root element is not <TrainingCenterDatabase>")
    legs = [
        activity
        for activities in _xml.children(root, "Activities")
        for activity in _xml.descendants(activities, "Activity")
    ]
    if not legs:
        raise ImportFormatError("file", _no_activity_message(root))
    sport, original, original_sub = combine_sports([(leg.get("Sport"), None) for leg in legs])
    multisport = original == "multisport"
    points: list[Point] = []
    laps: list[Lap] = []
    for leg in legs:
        leg_sport = normalise_sport(leg.get("Sport"))
        for lap in _xml.children(leg, "Lap"):
            laps.append(_lap(lap, leg_sport if multisport else None))
            points.extend(_track_points(lap, leg_sport))
    if not points:
        raise ImportFormatError("file", f"{WHAT} has activities but no track points")
    timeline = assemble(points, what=WHAT)
    return Activity(
        sport=sport,
        start=timeline.start,
        samples=timeline.samples,
        source_format=SourceFormat.TCX,
        original_sport=original,
        original_sub_sport=original_sub,
        laps=tuple(laps),
        device=_device(legs),
    )


def _no_activity_message(root: Element) -> str:
    if _xml.descendants(root, "Course"):
        return f"{WHAT} holds a course (a planned route), not a recorded activity"
    if _xml.descendants(root, "Workout"):
        return f"{WHAT} holds a workout (a plan), not a recorded activity"
    return f"{WHAT} has no activities"


def _lap(lap: Element, sport: Sport | None) -> Lap:
    return Lap(
        start=_xml.to_time(lap.get("StartTime")),
        timer_seconds=_xml.to_float(_xml.child_text(lap, "TotalTimeSeconds")),
        distance=_xml.to_float(_xml.child_text(lap, "DistanceMeters")),
        sport=sport,
    )


def _track_points(lap: Element, sport: Sport) -> list[Point]:
    return [
        _point(trackpoint, sport)
        for track in _xml.children(lap, "Track")
        for trackpoint in _xml.children(track, "Trackpoint")
    ]


def _point(tp: Element, sport: Sport) -> Point:
    kids = _xml.by_name(tp)
    point = Point(
        time=_xml.to_time(_xml.text_of(kids.get("Time"))),
        altitude=_xml.to_float(_xml.text_of(kids.get("AltitudeMeters"))),
        distance=_xml.in_range(_xml.to_float(_xml.text_of(kids.get("DistanceMeters"))), 0, 1e8),
    )
    position = kids.get("Position")
    if position is not None:
        where = _xml.by_name(position)
        lat_lon = _xml.to_lat_lon(
            _xml.text_of(where.get("LatitudeDegrees")), _xml.text_of(where.get("LongitudeDegrees"))
        )
        if lat_lon is not None:
            point.lat, point.lon = lat_lon
    hr = kids.get("HeartRateBpm")
    if hr is not None:
        point.heart_rate = _xml.in_range(
            _xml.to_float(_xml.child_text(hr, "Value")), *HEART_RATE_RANGE
        )
    strides = _xml.to_float(_xml.text_of(kids.get("Cadence")))
    extensions = kids.get("Extensions")
    if extensions is not None:
        strides = _read_extensions(extensions, point, strides)
    if sport.on_foot:
        strides = _xml.in_range(strides, *STRIDE_RATE_RANGE)
        # TCX cadence (RunCadence, or Cadence in a run) is per foot: steps per
        # minute are twice that.
        point.cadence = None if strides is None else 2 * strides
    return point


def _read_extensions(ext: Element, point: Point, strides: float | None) -> float | None:
    for item in ext.iter():
        name = _xml.local(item.tag)
        if name == "Speed" and point.speed is None:
            point.speed = _xml.in_range(_xml.to_float(_xml.text_of(item)), *SPEED_RANGE)
        elif name == "RunCadence":
            strides = _xml.to_float(_xml.text_of(item))  # the running value wins
    return strides


def _device(legs: list[Element]) -> str | None:
    for leg in legs:
        creator = _xml.child(leg, "Creator")
        if creator is not None:
            name = _xml.child_text(creator, "Name")
            if name:
                return name
    return None
