"""The FIT reader on hand-made files: one behaviour per test.

The files are written with the encoder primitives of ``fit_workout`` (our own,
protocol-level), so each test controls exactly the quirk it is about:
compressed timestamps, missing summaries, chains, truncation, bad checksums,
relative clocks.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backstride.core.activity import Sport
from backstride.core.errors import ImportFormatError
from backstride.formats import read_activity
from backstride.formats.fit import read_fit
from backstride.formats.fit_workout import (
    ENUM,
    SINT32,
    UINT8,
    UINT16,
    UINT32,
    Field,
    data,
    definition,
    fit_file,
    message,
)

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
START = datetime(2025, 3, 3, 7, 30, tzinfo=UTC)
FILE_ACTIVITY, FILE_SETTINGS = 4, 2
RUNNING, CYCLING = 1, 2
SEMICIRCLES_PER_DEGREE = 2**31 / 180


def fit_time(moment: datetime) -> int:
    return int((moment - FIT_EPOCH).total_seconds())


def file_id(file_type: int = FILE_ACTIVITY) -> bytes:
    return message(0, 0, [Field(0, ENUM, file_type), Field(1, UINT16, 1), Field(2, UINT16, 2)])


def record_fields(
    t: int | None, *, hr: int = 120, cadence: int | None = 80, distance: float = 0.0,
    speed: float = 2.5, fraction: float | None = None, lat: float | None = None,
) -> list[Field]:
    fields = [] if t is None else [Field(253, UINT32, t)]
    fields += [
        Field(3, UINT8, hr),
        Field(4, UINT8, cadence),
        Field(5, UINT32, round(distance * 100)),
        Field(6, UINT16, round(speed * 1000)),
        Field(53, UINT8, None if fraction is None else round(fraction * 128)),
    ]
    if lat is not None:
        fields += [Field(0, SINT32, round(lat * SEMICIRCLES_PER_DEGREE)),
                   Field(1, SINT32, round(144.96 * SEMICIRCLES_PER_DEGREE))]
    return fields


def records(count: int, *, start: int | None = None, every: int = 1, **kw: object) -> bytes:
    start = fit_time(START) if start is None else start
    rows = [record_fields(start + i * every, distance=2.5 * i * every, **kw) for i in range(count)]
    return definition(1, 20, rows[0]) + b"".join(data(1, row) for row in rows)


def session(sport: int, start: int, seconds: float) -> bytes:
    return message(3, 18, [
        Field(253, UINT32, start + int(seconds)),
        Field(2, UINT32, start),
        Field(7, UINT32, round(seconds * 1000)),
        Field(8, UINT32, round(seconds * 1000)),
        Field(5, ENUM, sport),
        Field(6, ENUM, 0),
    ])


def lap(start: int, seconds: float, distance: float) -> bytes:
    return message(4, 19, [
        Field(253, UINT32, start + int(seconds)),
        Field(2, UINT32, start),
        Field(7, UINT32, round(seconds * 1000)),
        Field(8, UINT32, round(seconds * 1000)),
        Field(9, UINT32, round(distance * 100)),
    ])


def run_file(count: int = 60, sport: int = RUNNING, **kw: object) -> bytes:
    t0 = fit_time(START)
    return fit_file(
        file_id() + records(count, **kw) + lap(t0, count - 1, 2.5 * (count - 1))
        + session(sport, t0, count - 1)
    )


def test_a_plain_run_is_read_with_its_sport_lap_and_times():
    run = read_fit(run_file())
    assert run.sport is Sport.RUNNING
    assert run.start == START
    assert run.duration == 59
    assert run.total_distance == pytest.approx(147.5)
    assert run.laps[0].start == START and run.laps[0].timer_seconds == 59
    assert run.warnings == ()


def test_running_cadence_is_doubled_and_the_fraction_added():
    run = read_fit(run_file(fraction=0.5))
    assert {s.cadence for s in run.samples} == {161.0}


def test_cycling_cadence_is_dropped():
    ride = read_fit(run_file(sport=CYCLING))
    assert ride.sport is Sport.CYCLING
    assert all(s.cadence is None for s in ride.samples)


def test_positions_in_semicircles_become_degrees():
    run = read_fit(run_file(lat=-37.81))
    assert run.samples[0].lat == pytest.approx(-37.81, abs=1e-6)
    assert run.samples[0].lon == pytest.approx(144.96, abs=1e-6)


def test_compressed_timestamp_headers_are_expanded():
    t0 = fit_time(START)
    normal = record_fields(t0)
    compressed = record_fields(None)
    body = file_id() + definition(1, 20, normal) + data(1, normal)
    body += definition(2, 20, compressed)
    for offset in (1, 2, 4, 30, 45, 70):  # the 5-bit offset rolls over every 32 s
        header = 0x80 | (2 << 5) | ((t0 + offset) & 0x1F)
        body += data(2, compressed, header=header)
    run = read_fit(fit_file(body))
    assert [s.elapsed for s in run.samples] == [0, 1, 2, 4, 30, 45, 70]


def test_a_file_without_lap_or_session_messages_is_still_an_activity():
    run = read_fit(fit_file(file_id() + records(30)))
    assert run.sport is Sport.OTHER and run.original_sport is None
    assert run.laps == ()
    assert len(run.samples) == 30
    assert run.samples[0].cadence == 160, "an unknown sport is taken as on foot"


def test_a_truncated_file_keeps_the_records_before_the_cut():
    whole = run_file(100)
    run = read_activity(whole[: len(whole) // 2])
    assert 30 < len(run.samples) < 100
    assert any("damaged" in w for w in run.warnings)


def test_a_file_cut_before_any_record_is_refused():
    with pytest.raises(ImportFormatError, match="could not be read"):
        read_fit(run_file()[:20])


def test_a_bad_file_checksum_is_only_a_warning():
    damaged = bytearray(run_file())
    damaged[-1] ^= 0xFF
    run = read_fit(bytes(damaged))
    assert len(run.samples) == 60
    assert any("checksum" in w for w in run.warnings)


def test_chained_activity_parts_are_merged_in_time_order():
    t0 = fit_time(START)
    first = fit_file(file_id() + records(30, start=t0))
    second = fit_file(file_id() + records(30, start=t0 + 40) + session(RUNNING, t0, 70))
    run = read_fit(second + first)  # order in the file does not matter
    assert len(run.samples) == 60
    assert run.duration == 69
    distances = [s.distance for s in run.samples]
    assert distances == sorted(distances), "the restarted distance of a part is carried on"


def test_chained_non_activity_parts_are_ignored():
    settings = fit_file(file_id(FILE_SETTINGS) + records(5, start=fit_time(START) + 1000))
    run = read_fit(run_file() + settings)
    assert run.duration == 59
    assert any("settings" in w for w in run.warnings)


def test_a_settings_file_alone_is_refused():
    with pytest.raises(ImportFormatError, match="a settings file, not a recorded activity"):
        read_fit(fit_file(file_id(FILE_SETTINGS)))


def test_a_single_record_is_not_an_activity():
    with pytest.raises(ImportFormatError, match="fewer than 2"):
        read_fit(fit_file(file_id() + records(1)))


def test_records_without_a_timestamp_are_dropped():
    untimed = record_fields(None)
    body = file_id() + records(10) + definition(2, 20, untimed) + data(2, untimed)
    assert len(read_fit(fit_file(body)).samples) == 10


def test_a_device_clock_that_was_never_set_gives_elapsed_times_without_a_start():
    run = read_fit(fit_file(file_id() + records(20, start=1_000_000, every=2)))
    assert run.start is None
    assert run.samples[-1].elapsed == 38
    assert all(s.time is None for s in run.samples)


def test_invalid_sensor_values_are_missing_not_zero():
    run = read_fit(fit_file(file_id() + records(5, hr=255, cadence=None)))
    assert all(s.heart_rate is None and s.cadence is None for s in run.samples)


def test_a_record_far_from_the_others_in_time_is_dropped():
    t0 = fit_time(START)
    stray = record_fields(t0 + 40 * 365 * 86400)
    body = file_id() + records(20) + definition(2, 20, stray) + data(2, stray)
    run = read_fit(fit_file(body))
    assert run.duration == 19
    assert any("implausible" in w for w in run.warnings)


def test_garbage_after_the_signature_is_refused_cleanly():
    with pytest.raises(ImportFormatError):
        read_fit(b"\x0e\x10\x00\x00\xff\xff\x00\x00.FIT\x00\x00" + bytes(range(256)) * 4)


def test_samples_are_in_utc_and_whole_seconds_apart():
    run = read_fit(run_file(10))
    assert [s.time for s in run.samples] == [START + timedelta(seconds=i) for i in range(10)]
