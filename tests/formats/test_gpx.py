"""The GPX reader: versions, extensions in any namespace, tolerated junk."""

from __future__ import annotations

import pytest

from backstride.core.activity import SourceFormat, Sport
from backstride.core.errors import ImportFormatError
from backstride.formats.gpx import haversine, read_gpx

GPX10 = "http://www.topografix.com/GPX/1/0"
GPX11 = "http://www.topografix.com/GPX/1/1"
TPX1 = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
TPX2 = "http://www.garmin.com/xmlschemas/TrackPointExtension/v2"


def gpx(points: str, *, ns: str = GPX11, version: str = "1.1", extra_ns: str = "",
        track: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="{version}" creator="test" xmlns="{ns}" {extra_ns}>
 <trk>{track}<trkseg>{points}</trkseg></trk>
</gpx>""".encode()


def pt(second: int, *, lat: str = "-37.8", lon: str | None = None, body: str = "") -> str:
    lon = lon if lon is not None else f"{144.96 + second * 0.00003:.6f}"
    return (f'<trkpt lat="{lat}" lon="{lon}"><time>2025-03-03T07:30:{second:02d}Z</time>'
            f"{body}</trkpt>")


def tpx(prefix: str, hr: int, cad: int) -> str:
    return (f"<extensions><{prefix}:TrackPointExtension><{prefix}:hr>{hr}</{prefix}:hr>"
            f"<{prefix}:cad>{cad}</{prefix}:cad></{prefix}:TrackPointExtension></extensions>")


@pytest.mark.parametrize("namespace", [TPX1, TPX2, "urn:any:other:version"])
def test_trackpoint_extension_heart_rate_and_cadence_in_any_namespace(namespace):
    points = "".join(pt(i, body=tpx("x", 140 + i, 80)) for i in range(5))
    run = read_gpx(gpx(points, extra_ns=f'xmlns:x="{namespace}"'))
    assert [s.heart_rate for s in run.samples] == [140, 141, 142, 143, 144]
    assert {s.cadence for s in run.samples} == {160}, "per-foot cadence doubled to steps/min"


def test_gpx_1_0_keeps_heart_rate_cadence_and_its_own_speed_element():
    points = "".join(
        pt(i, body=f"<speed>2.5</speed>{tpx('gpxtpx', 150, 82)}") for i in range(4)
    )
    run = read_gpx(gpx(points, ns=GPX10, version="1.0", extra_ns=f'xmlns:gpxtpx="{TPX1}"'))
    assert run.source_format is SourceFormat.GPX
    assert [(s.speed, s.heart_rate, s.cadence) for s in run.samples] == [(2.5, 150, 164)] * 4


def test_a_file_without_any_namespace_is_read():
    run = read_gpx(b"<gpx><trk><trkseg>" + "".join(pt(i) for i in range(3)).encode()
                   + b"</trkseg></trk></gpx>")
    assert len(run.samples) == 3


def test_points_without_a_position_are_kept_and_points_without_a_time_dropped():
    points = (pt(0) + pt(1, lat="undefined") + '<trkpt lat="-37.8" lon="144.9"/>' + pt(2)
              + '<trkpt><time>2025-03-03T07:30:03Z</time></trkpt>')
    run = read_gpx(gpx(points))
    assert [s.elapsed for s in run.samples] == [0, 1, 2, 3]
    assert run.samples[1].lat is None and run.samples[1].lon is None
    assert run.samples[3].lat is None


def test_junk_numbers_are_missing_values():
    body = "<ele>high</ele><extensions><hr>NaN</hr><cad>-5</cad></extensions>"
    run = read_gpx(gpx(pt(0, body=body) + pt(1, body=body)))
    assert all(s.altitude is None and s.heart_rate is None and s.cadence is None
               for s in run.samples)


def test_distance_is_summed_within_segments_not_across_them():
    seg1 = "".join(pt(i) for i in range(3))
    seg2 = pt(10, lon="145.5") + pt(11, lon="145.50003")
    run = read_gpx(gpx(seg1 + "</trkseg><trkseg>" + seg2))
    assert run.total_distance == pytest.approx(2 * 2.64 + 2.64, abs=0.2)


def test_distance_follows_the_positions():
    points = "".join(pt(i) for i in range(11))
    run = read_gpx(gpx(points))
    expected = haversine((-37.8, 144.96), (-37.8, 144.96 + 10 * 0.00003))
    assert run.total_distance == pytest.approx(expected, rel=0.01)


def test_the_track_type_gives_the_sport():
    run = read_gpx(gpx(pt(0) + pt(1), track="<type>running</type>"))
    assert run.sport is Sport.RUNNING and run.original_sport == "running"
    ride = read_gpx(gpx(pt(0, body=tpx("g", 120, 85)) + pt(1), track="<type>Ride</type>",
                        extra_ns=f'xmlns:g="{TPX1}"'))
    assert ride.sport is Sport.CYCLING
    assert ride.samples[0].cadence is None, "pedal rpm is not a step rate"


def test_times_with_offsets_and_fractions_become_utc():
    points = ('<trkpt lat="1" lon="1"><time>2015-12-11T15:43:13.000+01:00</time></trkpt>'
              '<trkpt lat="1" lon="1"><time>2015-12-11T15:43:13.994+01:00</time></trkpt>')
    run = read_gpx(gpx(points))
    assert run.start is not None and run.start.isoformat() == "2015-12-11T14:43:13+00:00"
    assert run.duration == pytest.approx(0.994)


@pytest.mark.parametrize(("document", "words"), [
    (f'<gpx xmlns="{GPX11}"><rte><rtept lat="1" lon="1"/></rte></gpx>', "route"),
    (f'<gpx xmlns="{GPX11}"><wpt lat="1" lon="1"/></gpx>', "waypoints"),
    (f'<gpx xmlns="{GPX11}"><trk><trkseg/></trk></gpx>', "no track points"),
    (f'<gpx xmlns="{GPX11}"><trk><trkseg>{pt(0)}</trkseg></trk></gpx>', "fewer than 2"),
    ('<gpx><trk><trkseg><trkpt lat="1" lon="1"><time>1901-12-13T20:45:52Z</time></trkpt>'
     '<trkpt lat="1" lon="1"><time>1901-12-13T20:45:53Z</time></trkpt></trkseg></trk></gpx>',
     "no track point has a usable time"),
    ("<kml/>", "not <gpx>"),
])
def test_files_without_a_recording_are_refused_with_the_reason(document, words):
    with pytest.raises(ImportFormatError, match=words):
        read_gpx(document.encode())
