"""Every file of the shared corpus is read, or refused with a clear ImportFormatError.

The corpus (shared/corpus/SOURCES.md) holds real FIT, GPX and TCX files from
other projects' test suites, several deliberately broken. A file either
becomes an Activity that passes :func:`assert_sane`, or raises
ImportFormatError; the files expected to be refused are listed here with the
reason, and the message must say it.
"""

from __future__ import annotations

import gzip
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.core.activity import Activity, SourceFormat, Sport
from backstride.core.errors import ImportFormatError
from backstride.formats import read_activity
from tests.formats.corpus_cache import activity, corpus_bytes, corpus_files, read_corpus
from tests.formats.sanity import assert_sane

# name → (why it is refused, a word the message must contain)
EXPECTED_FAILURES = {
    "fit/fittool__old_stage_lefthand_lee.fit": ("a FIT course: a planned route", "course"),
    "fit/fittool__stagesLink_25622166.fit": ("a FIT workout: a plan", "workout"),
    "fit/fittool__trainerroad_744490.fit": ("a FIT workout: a plan", "workout"),
    "fit/muktihari__TestEncode.fit": (
        "an encoder's test output: one record without a timestamp", "no records"),
    "fit/muktihari__valid_only_contain_fileid.fit": (
        "only file_id and a single record: no duration", "fewer than 2"),
    "gpx/fittool__old_stage_left_hand_lee.gpx": (
        "a Strava route export: 843 points, none with a time", "usable time"),
    "gpx/gpxpy__Mojstrovka.gpx": (
        "every time is GPSBabel's 1901-12-13 'no time' placeholder", "usable time"),
    "gpx/gpxpy__gpx-with-node-with-comments.gpx": ("a single track point", "fewer than 2"),
    "gpx/gpxpy__gpx1.0_with_all_fields.gpx": (
        "a schema sample with a single track point", "fewer than 2"),
    "gpx/gpxpy__gpx1.1_with_all_fields.gpx": (
        "a schema sample with a single track point", "fewer than 2"),
    "gpx/gpxpy__gpx1.1_with_extensions.gpx": ("a waypoint, no track", "waypoints"),
    "gpx/gpxpy__gpx_with_garmin_extension.gpx": ("a waypoint, no track", "waypoints"),
    "gpx/gpxpy__route.gpx": ("a route (a plan), no track", "route"),
    "gpx/gpxpy__unicode_with_bom.gpx": ("a waypoint, no track", "waypoints"),
    "gpx/gpxpy__unicode_with_bom_noencoding.gpx": ("a waypoint, no track", "waypoints"),
    "gpx/togeojson__bad.gpx": (
        "two points in the same second, positions 'undefined'", "fewer than 2"),
    "gpx/togeojson__empty_trk.gpx": ("an empty track", "no track points"),
    "gpx/togeojson__garmin_extensions.gpx": (
        "a schema sample: track points without times", "usable time"),
    "gpx/togeojson__unique_trkpt.gpx": ("a single track point", "fewer than 2"),
    "tcx/togeojson__tcx-courses.tcx": ("a TCX course: a planned route", "course"),
}

ALL_FILES = corpus_files()
SMALL_FILES = [name for name in ALL_FILES if len(corpus_bytes(name)) <= 20_000]


def test_the_corpus_is_all_there():
    """46 FIT, 30 GPX and 9 TCX files (SOURCES.md); every expected failure exists."""
    folders = [name.split("/")[0] for name in ALL_FILES]
    assert (folders.count("fit"), folders.count("gpx"), folders.count("tcx")) == (46, 30, 9)
    assert set(EXPECTED_FAILURES) <= set(ALL_FILES)


@pytest.mark.parametrize("name", ALL_FILES)
def test_each_file_is_an_activity_or_a_clear_refusal(name):
    result = read_corpus(name)
    if name in EXPECTED_FAILURES:
        reason, word = EXPECTED_FAILURES[name]
        assert isinstance(result, ImportFormatError), f"{name} ({reason}) should be refused"
        assert result.field == "file"
        assert word in result.message, result.message
    else:
        assert isinstance(result, Activity), f"{name} should be read: {result}"
        assert_sane(result)
        assert result.source_format == SourceFormat(name.split("/")[0])


def test_the_fenix2_run_is_a_47_minute_run_with_doubled_cadence():
    run = activity("fit/fitparse__activity-small-fenix2-run.fit")
    assert run.sport is Sport.RUNNING
    assert run.original_sport == "running"
    assert run.device == "garmin/fenix2"
    assert run.duration == pytest.approx(47 * 60 + 12, abs=5)
    assert run.total_distance == pytest.approx(9008, abs=5)
    assert len(run.laps) == 4
    # The first record stores cadence 56 (strides per minute, one foot).
    assert run.samples[0].cadence == 112
    cadences = sorted(s.cadence for s in run.samples if s.cadence)
    assert 155 <= cadences[len(cadences) // 2] <= 175, "a running step rate, not a stride rate"
    assert any(s.vertical_oscillation for s in run.samples)


def test_fractional_cadence_is_added_before_doubling():
    walk = activity("fit/fitparse__garmin-fenix-5-walk.fit")
    assert walk.sport is Sport.WALKING
    assert walk.samples[0].cadence == 2 * (53 + 0.5)


def test_relative_fit_timestamps_give_elapsed_times_but_no_start():
    """An FR70 whose clock was never set records seconds since power-on."""
    run = activity("fit/fitparse__compressed-speed-distance.fit")
    assert run.start is None
    assert all(s.time is None for s in run.samples)
    assert run.duration == pytest.approx(3880, abs=5)
    assert run.total_distance == pytest.approx(10248.7, abs=1)


def test_chained_parts_are_merged_and_exact_duplicates_dropped():
    chained = activity("fit/fitparse__activity-activity-filecrc.fit")
    assert len(chained.samples) == 14  # two identical 14-record activities
    assert any("checksum" in w for w in chained.warnings)


def test_a_chained_settings_part_is_ignored_with_a_warning():
    run = activity("fit/fitparse__activity-settings.fit")
    assert len(run.samples) == 14
    assert any("settings" in w for w in run.warnings)


@pytest.mark.parametrize("name", [
    "fit/fitparse__activity-unexpected-eof.fit",
    "fit/fitparse__activity-settings-corruptheader.fit",
    "fit/fitparse__activity-settings-nodata.fit",
    "fit/fitparse__nick.fit",
    "fit/fitparse__strava-android-app-201.10-b1218918.fit",
])
def test_damaged_fit_files_keep_the_records_before_the_fault(name):
    result = activity(name)
    assert any("damaged" in w for w in result.warnings)
    assert len(result.samples) >= 14


def test_a_corrupted_timestamp_before_the_damage_is_dropped():
    strava = activity("fit/fitparse__strava-android-app-201.10-b1218918.fit")
    assert strava.duration == pytest.approx(314, abs=2)  # not 64 years
    assert any("implausible times" in w for w in strava.warnings)


def test_a_bad_file_crc_is_a_warning_not_a_refusal():
    run = activity("fit/fitparse__activity-filecrc.fit")
    assert run.warnings == ("part 1: the file checksum does not match; some values may be damaged",)


def test_a_triathlon_is_multisport_with_a_sport_per_lap():
    tri = activity("fit/muktihari__triathlon_summary_last.fit")
    assert tri.sport is Sport.OTHER
    assert tri.original_sport == "multisport"
    assert tri.original_sub_sport == "swimming+cycling+running"
    assert {lap.sport for lap in tri.laps} >= {Sport.SWIMMING, Sport.CYCLING, Sport.RUNNING}


def test_summary_messages_first_or_last_make_no_difference():
    first = activity("fit/muktihari__triathlon_summary_first.fit")
    last = activity("fit/muktihari__triathlon_summary_last.fit")
    assert first.samples == last.samples
    assert first.laps == last.laps


def test_cycling_cadence_is_not_turned_into_steps():
    ride = activity("fit/fitparse__garmin-edge-500-activity.fit")
    assert ride.sport is Sport.CYCLING
    assert not ride.has_cadence


def test_developer_fields_do_not_overwrite_the_device_values():
    stryd = activity("fit/fitparse__developer-types-sample.fit")
    cadences = [s.cadence for s in stryd.samples if s.cadence is not None]
    assert 130 <= min(cadences) and max(cadences) <= 190


def test_the_big_fit_file_is_read_whole():
    big = activity("fit/muktihari__big_activity.fit")
    assert len(big.samples) == 99_998
    assert big.sport is Sport.CYCLING


def test_gpx_heart_rate_comes_from_the_trackpoint_extension():
    run = activity("gpx/togeojson__run.gpx")
    assert run.device == "Garmin Connect"
    assert all(s.heart_rate is not None for s in run.samples)
    assert run.samples[0].heart_rate == 130


def test_gpx_cadence_is_doubled_and_points_without_heart_rate_are_kept():
    run = activity("gpx/togeojson__Friday-Evening-Run.gpx")
    assert run.sport is Sport.RUNNING
    assert run.samples[0].cadence == 128  # gpxtpx:cad 64
    assert run.samples[0].heart_rate is None
    assert len(run.samples) == 17


def test_gpx_tracks_whose_times_go_backwards_are_put_in_order():
    hills = activity("gpx/togeojson__blue_hills.gpx")  # tracks from 2001 and 2002, out of order
    assert_sane(hills)


def test_tcx_reads_heart_rate_laps_and_device():
    run = activity("tcx/tcxparser__test.tcx")
    assert run.sport is Sport.RUNNING
    assert run.device == "Forerunner 410 Software Version 2.20"
    assert len(run.laps) == 3
    assert run.laps[0].timer_seconds == pytest.approx(608.47)
    assert sum(s.heart_rate is not None for s in run.samples) == 383


def test_tcx_run_cadence_is_doubled():
    ski = activity("tcx/tcxreader__cross-country-skiing_activity_1.tcx")
    assert ski.sport is Sport.OTHER
    assert max(s.cadence or 0 for s in ski.samples) == 190


def test_tcx_times_with_offsets_become_utc():
    ride = activity("tcx/togeojson__tour_hr.tcx")
    assert ride.start is not None and ride.start.isoformat() == "2020-12-27T14:59:36+00:00"


def test_a_gzipped_file_reads_like_the_original():
    name = "fit/fitparse__garmin-fenix-5-run.fit"
    assert read_activity(gzip.compress(corpus_bytes(name))) == activity(name)


# --- Damaged uploads: whatever happens, only ImportFormatError ---------------


def _mutate(data: bytes, rng: random.Random, kind: int) -> bytes:
    buf = bytearray(data)
    if kind == 0:  # flip a few bytes
        for _ in range(rng.randint(1, 8)):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
    elif kind == 1:  # cut the file short
        del buf[rng.randrange(len(buf)) :]
    elif kind == 2:  # insert junk
        at = rng.randrange(len(buf))
        buf[at:at] = rng.randbytes(rng.randint(1, 64))
    else:  # drop a slice
        at = rng.randrange(len(buf))
        del buf[at : at + rng.randint(1, 256)]
    return bytes(buf)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(SMALL_FILES),
    seed=st.integers(0, 2**32 - 1),
    kind=st.integers(0, 3),
)
def test_mutated_corpus_files_raise_only_import_format_errors(name, seed, kind):
    data = _mutate(corpus_bytes(name), random.Random(seed), kind)
    try:
        result = read_activity(data)
    except ImportFormatError:
        return
    assert_sane(result)
