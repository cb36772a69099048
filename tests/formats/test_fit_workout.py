"""Our FIT workout encoder, checked by decoding its output with fitdecode and fitparse.

Two independent decoders: fitdecode in strict mode (a CRC mismatch or malformed
data raises) and fitparse (CRCs checked, its own copy of the FIT profile). A
watch plays what both read.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from typing import Any

import fitdecode
import fitparse
import fitparse.utils
import pytest
from fitdecode.utils import compute_crc
from hypothesis import given
from hypothesis import strategies as st

from backstride.core.errors import ImportFormatError
from backstride.core.ladder import (
    LADDER,
    IntervalKind,
    Prescription,
    capped_session,
    level,
    no_running_session,
    run_walk_session,
)
from backstride.formats import read_activity
from backstride.formats.fit_workout import (
    encode_workout,
    fit_crc,
    session_workout,
    workout_name,
    workout_steps,
    workouts_zip,
)

CREATED = datetime(2025, 3, 3, 6, 0, tzinfo=UTC)


def decode(data: bytes) -> list[tuple[str, dict[str, Any]]]:
    """Every data message, strictly: a CRC mismatch or malformed data raises."""
    out = []
    with fitdecode.FitReader(
        io.BytesIO(data),
        check_crc=fitdecode.CrcCheck.RAISE,
        error_handling=fitdecode.ErrorHandling.RAISE,
    ) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitHeader):
                assert frame.crc_matched is True
            elif isinstance(frame, fitdecode.FitCRC):
                assert frame.matched
            elif isinstance(frame, fitdecode.FitDataMessage):
                out.append((frame.name, {f.name: f.value for f in frame.fields}))
    return out


def decode_fitparse(data: bytes) -> list[tuple[str, dict[str, Any]]]:
    """Every message as fitparse reads it; it raises on a bad header or file CRC."""
    fit = fitparse.FitFile(io.BytesIO(data), check_crc=True)
    return [(m.name, {f.name: f.value for f in m.fields}) for m in fit.get_messages()]


# fitparse 1.2's profile predates the "recovery" intensity (4), so it shows the number.
FITPARSE_INTENSITY = {4: "recovery"}


def fitparse_steps(data: bytes) -> list[dict[str, Any]]:
    steps = [v for name, v in decode_fitparse(data) if name == "workout_step"]
    for step in steps:
        step["intensity"] = FITPARSE_INTENSITY.get(step["intensity"], step["intensity"])
    return steps


def played(steps: list[dict[str, Any]]) -> list[tuple[str, float]]:
    """The (step name, seconds) sequence a watch plays, repeats unrolled."""
    out: list[tuple[str, float]] = []
    done: dict[int, int] = {}
    i = 0
    while i < len(steps):
        step = steps[i]
        if step["duration_type"] == "repeat_until_steps_cmplt":
            done[i] = done.get(i, 1) + 1
            if done[i] <= step["repeat_steps"]:
                i = step["duration_step"]
                continue
        else:
            out.append((step["wkt_step_name"], step["duration_time"]))
        i += 1
    return out


def expected(prescription: Prescription) -> list[tuple[str, float]]:
    names = {IntervalKind.RUN: "Run", IntervalKind.WALK: "Walk", IntervalKind.WARM_UP: "Warm up",
             IntervalKind.COOL_DOWN: "Cool down", IntervalKind.CROSS_TRAINING: "Low impact"}
    return [(names[i.kind], float(i.seconds)) for i in prescription.intervals]


def test_a_level_1_workout_is_about_300_bytes_and_decodes_cleanly():
    data = encode_workout(run_walk_session(level(1)), created=CREATED)
    assert 200 <= len(data) <= 320
    messages = decode(data)
    names = [name for name, _ in messages]
    assert names[:2] == ["file_id", "workout"]
    assert set(names[2:]) == {"workout_step"}
    file_id, workout = messages[0][1], messages[1][1]
    assert file_id["type"] == "workout" and file_id["time_created"] == CREATED
    assert workout["sport"] == "running" and workout["wkt_name"] == "Backstride L1"
    assert workout["num_valid_steps"] == len(names) - 2


def test_the_run_walk_block_is_a_repeat_step():
    steps = [v for name, v in decode(encode_workout(run_walk_session(level(1)), created=CREATED))
             if name == "workout_step"]
    assert [s["wkt_step_name"] for s in steps] == [
        "Warm up", "Run", "Walk", "Repeat", "Run", "Walk", "Cool down"]
    repeat = steps[3]
    assert repeat["duration_type"] == "repeat_until_steps_cmplt"
    assert repeat["duration_step"] == 1  # back to the run step
    assert repeat["repeat_steps"] == 10
    assert [s["intensity"] for s in steps] == [
        "warmup", "active", "recovery", None, "active", "recovery", "cooldown"]
    assert [s["message_index"] for s in steps] == list(range(7))


@pytest.mark.parametrize("prescription", [
    *(run_walk_session(lv) for lv in LADDER),
    capped_session(1, 100),
    capped_session(1, 40),
    no_running_session("Swim or cycle 30 minutes"),
], ids=lambda p: f"level-{p.level}-{p.running_seconds}s")
def test_the_watch_plays_exactly_the_prescription(prescription):
    messages = decode(encode_workout(prescription, created=CREATED))
    steps = [values for name, values in messages if name == "workout_step"]
    assert played(steps) == expected(prescription)


PRESCRIPTIONS = [
    *(run_walk_session(lv) for lv in LADDER),
    capped_session(1, 100),
    capped_session(1, 20),
    no_running_session("Swim or cycle 30 minutes"),
]


@pytest.mark.parametrize("prescription", PRESCRIPTIONS,
                         ids=lambda p: f"level-{p.level}-{p.running_seconds}s")
def test_fitparse_reads_the_same_steps_as_fitdecode(prescription):
    data = encode_workout(prescription, created=CREATED)
    strict = [v for name, v in decode(data) if name == "workout_step"]
    other = fitparse_steps(data)
    keys = ("message_index", "wkt_step_name", "duration_type", "duration_time",
            "duration_step", "repeat_steps", "intensity")
    assert [{k: s.get(k) for k in keys} for s in strict] == [
        {k: s.get(k) for k in keys} for s in other]
    assert played(other) == expected(prescription)


def test_fitparse_reads_the_file_and_workout_messages():
    messages = decode_fitparse(encode_workout(run_walk_session(level(3)), created=CREATED))
    file_id, workout = messages[0][1], messages[1][1]
    assert ("file_id", "workout") == (messages[0][0], messages[1][0])
    assert file_id["type"] == "workout"
    assert file_id["time_created"] == CREATED.replace(tzinfo=None)  # fitparse: naive UTC
    assert workout["sport"] == "running" and workout["wkt_name"] == "Backstride L3"
    assert workout["num_valid_steps"] == len(messages) - 2


def test_fitparse_refuses_a_file_whose_crc_was_damaged():
    data = bytearray(encode_workout(run_walk_session(level(1)), created=CREATED))
    data[-1] ^= 0xFF
    with pytest.raises(fitparse.utils.FitCRCError):
        decode_fitparse(bytes(data))


@pytest.mark.parametrize("prescription", PRESCRIPTIONS,
                         ids=lambda p: f"level-{p.level}-{p.running_seconds}s")
def test_the_warm_up_block_and_cool_down_are_all_timed_steps(prescription):
    steps = [v for name, v in decode(encode_workout(prescription, created=CREATED))
             if name == "workout_step"]
    timed = [s for s in steps if s["duration_type"] != "repeat_until_steps_cmplt"]
    assert all(s["duration_type"] == "time" and s["duration_time"] > 0 for s in timed)
    if prescription.level is not None:
        assert (steps[0]["wkt_step_name"], steps[-1]["wkt_step_name"]) == ("Warm up",
                                                                           "Cool down")
    for index, step in enumerate(steps):
        if step["duration_type"] == "repeat_until_steps_cmplt":
            # Back to the first repeated step (a Run), never forward, at least twice.
            assert steps[step["duration_step"]]["wkt_step_name"] == "Run"
            assert step["duration_step"] < index
            assert step["repeat_steps"] >= 2


def test_step_and_workout_names_are_short_plain_text_a_watch_can_show():
    names = {s.name for p in PRESCRIPTIONS for s in workout_steps(p)}
    names |= {workout_name(date(2025, 12, 31), p) for p in PRESCRIPTIONS}
    assert all(name.isascii() and name.isprintable() for name in names)
    assert max(len(name) for name in names) <= 20  # "L21 31 Dec run-walk"


def test_a_session_workout_is_named_by_date_and_level():
    first = session_workout(date(2025, 3, 3), run_walk_session(level(4)))
    assert "2025-03-03-L04.fit" == first.file_name
    assert decode(first.data)[1][1]["wkt_name"] == "L4 3 Mar run-walk"
    rest = session_workout(date(2025, 3, 5), no_running_session("Cycle"))
    assert ("2025-03-05-low-impact.fit", "5 Mar low impact") == (
        rest.file_name, decode(rest.data)[1][1]["wkt_name"])


def test_two_sessions_never_share_a_file_id_and_one_session_always_gives_the_same_bytes():
    days = [date(2025, 3, 3) + timedelta(days=2 * n) for n in range(3)]
    files = [session_workout(d, run_walk_session(level(2))) for d in days]
    created = [decode(f.data)[0][1]["time_created"] for f in files]
    assert len(set(created)) == 3
    assert files[0] == session_workout(days[0], run_walk_session(level(2)))


def test_a_week_zip_holds_one_decodable_workout_per_session():
    files = [session_workout(date(2025, 3, 3) + timedelta(days=2 * n),
                             run_walk_session(level(n + 1))) for n in range(3)]
    data = workouts_zip(files)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert [f.file_name for f in files] == archive.namelist()
        for workout in files:
            unpacked = archive.read(workout.file_name)
            assert workout.data == unpacked
            assert decode(unpacked)[0][1]["type"] == "workout"
            assert decode_fitparse(unpacked)[1][0] == "workout"
    assert data == workouts_zip(files)


def test_a_session_without_running_is_a_generic_workout():
    messages = decode(encode_workout(no_running_session("Cycle"), created=CREATED))
    assert messages[1][1]["sport"] == "generic"


def test_the_same_prescription_always_gives_the_same_bytes():
    prescription = run_walk_session(level(7))
    assert encode_workout(prescription, created=CREATED) == encode_workout(
        prescription, created=CREATED)


def test_a_long_name_is_cut_on_a_character_boundary():
    data = encode_workout(run_walk_session(level(2)), created=CREATED, name="Läufchen " * 10)
    assert decode(data)[1][1]["wkt_name"] == "Läufchen " * 6 + "Lä"  # 63 bytes of UTF-8


def test_steps_group_only_identical_consecutive_pairs():
    steps = workout_steps(run_walk_session(level(21)))
    assert [(s.name, s.seconds, s.repeat_times) for s in steps] == [
        ("Warm up", 300, None), ("Run", 180, None), ("Walk", 60, None),
        ("Repeat", None, 5), ("Cool down", 300, None)]


def test_our_reader_refuses_a_workout_as_an_activity():
    with pytest.raises(ImportFormatError, match="workout"):
        read_activity(encode_workout(run_walk_session(level(1)), created=CREATED))


@given(st.binary(min_size=1, max_size=512))
def test_our_crc_is_the_fit_protocol_crc(data):
    assert fit_crc(data) == compute_crc(data)
