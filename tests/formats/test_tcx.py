"""The TCX reader: activities, laps, treadmill points, multisport, courses."""

from __future__ import annotations

import pytest

from backstride.core.activity import SourceFormat, Sport
from backstride.core.errors import ImportFormatError
from backstride.formats.tcx import read_tcx

TCD = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
AX = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"


def trackpoint(second: int, *, position: bool = True, distance: float | None = None,
               extra: str = "") -> str:
    where = ("<Position><LatitudeDegrees>-37.8</LatitudeDegrees>"
             f"<LongitudeDegrees>{144.96 + second * 0.00003:.6f}</LongitudeDegrees></Position>"
             if position else "")
    dist = f"<DistanceMeters>{distance if distance is not None else 2.5 * second}</DistanceMeters>"
    return (f"<Trackpoint><Time>2025-03-03T07:{30 + second // 60:02d}:{second % 60:02d}Z</Time>"
            f"{where}{dist}<HeartRateBpm><Value>{130 + second % 10}</Value></HeartRateBpm>"
            f"{extra}</Trackpoint>")


def lap(points: str, start: str = "2025-03-03T07:30:00Z") -> str:
    return (f'<Lap StartTime="{start}"><TotalTimeSeconds>60</TotalTimeSeconds>'
            f"<DistanceMeters>150</DistanceMeters><Track>{points}</Track></Lap>")


def tcx(body: str) -> bytes:
    return (f'<?xml version="1.0"?><TrainingCenterDatabase xmlns="{TCD}" xmlns:ns3="{AX}">'
            f"{body}</TrainingCenterDatabase>").encode()


def activity(sport: str, laps: str) -> str:
    return (f'<Activity Sport="{sport}"><Id>2025-03-03T07:30:00Z</Id>{laps}'
            "<Creator><Name>Forerunner 55</Name></Creator></Activity>")


def test_an_activity_with_laps_heart_rate_and_run_cadence():
    tpx = "<Extensions><ns3:TPX><ns3:Speed>2.5</ns3:Speed><ns3:RunCadence>81</ns3:RunCadence>" \
          "</ns3:TPX></Extensions>"
    points = "".join(trackpoint(i, extra=tpx) for i in range(61))
    run = read_tcx(tcx(f"<Activities>{activity('Running', lap(points))}</Activities>"))
    assert run.source_format is SourceFormat.TCX
    assert run.sport is Sport.RUNNING and run.device == "Forerunner 55"
    assert run.duration == 60 and run.total_distance == 150
    assert {s.cadence for s in run.samples} == {162}
    assert {s.speed for s in run.samples} == {2.5}
    assert run.laps[0].timer_seconds == 60 and run.laps[0].distance == 150


def test_a_treadmill_run_without_positions_keeps_every_point():
    points = "".join(trackpoint(i, position=False) for i in range(30))
    run = read_tcx(tcx(f"<Activities>{activity('Running', lap(points))}</Activities>"))
    assert len(run.samples) == 30
    assert all(s.lat is None for s in run.samples)
    assert run.total_distance == pytest.approx(72.5)


def test_a_multisport_session_is_one_activity_with_a_sport_per_lap():
    run = "".join(trackpoint(i) for i in range(0, 30))
    ride = "".join(trackpoint(i, distance=100 + 8 * i) for i in range(40, 70))
    body = ("<Activities><MultiSportSession><Id>2025-03-03T07:30:00Z</Id>"
            f"<FirstSport>{activity('Running', lap(run))}</FirstSport>"
            f"<NextSport>{activity('Biking', lap(ride, '2025-03-03T07:30:40Z'))}</NextSport>"
            "</MultiSportSession></Activities>")
    both = read_tcx(tcx(body))
    assert both.sport is Sport.OTHER
    assert (both.original_sport, both.original_sub_sport) == ("multisport", "Running+Biking")
    assert [lap.sport for lap in both.laps] == [Sport.RUNNING, Sport.CYCLING]
    assert len(both.samples) == 60


def test_bike_cadence_is_not_a_step_rate():
    points = "".join(trackpoint(i, extra="<Cadence>85</Cadence>") for i in range(5))
    ride = read_tcx(tcx(f"<Activities>{activity('Biking', lap(points))}</Activities>"))
    assert ride.sport is Sport.CYCLING
    assert all(s.cadence is None for s in ride.samples)


def test_cadence_in_a_run_is_per_foot_and_doubled():
    points = "".join(trackpoint(i, extra="<Cadence>84</Cadence>") for i in range(5))
    run = read_tcx(tcx(f"<Activities>{activity('Running', lap(points))}</Activities>"))
    assert {s.cadence for s in run.samples} == {168}


def test_a_course_is_refused_not_read_as_an_activity():
    course = ("<Courses><Course><Name>Park loop</Name>"
              f"{lap(''.join(trackpoint(i) for i in range(10)))}</Course></Courses>")
    with pytest.raises(ImportFormatError, match="course"):
        read_tcx(tcx(course))


def test_a_workout_is_refused():
    with pytest.raises(ImportFormatError, match="workout"):
        read_tcx(tcx('<Workouts><Workout Sport="Running"><Name>x</Name></Workout></Workouts>'))


def test_an_activity_without_track_points_is_refused():
    with pytest.raises(ImportFormatError, match="no track points"):
        read_tcx(tcx(f"<Activities>{activity('Running', lap(''))}</Activities>"))


def test_positions_that_are_not_numbers_are_dropped_but_the_point_kept():
    bad = trackpoint(1).replace("<LatitudeDegrees>-37.8", "<LatitudeDegrees>no")
    run = read_tcx(tcx(f"<Activities>{activity('Running', lap(trackpoint(0) + bad))}"
                       "</Activities>"))
    assert run.samples[1].lat is None and run.samples[1].heart_rate == 131


def test_the_root_must_be_a_training_center_database():
    with pytest.raises(ImportFormatError, match="TrainingCenterDatabase"):
        read_tcx(b"<gpx/>")
