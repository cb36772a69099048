"""Our FIT workout encoder, checked by decoding its output with fitdecode."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import fitdecode
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
from backstride.formats.fit_workout import encode_workout, fit_crc, workout_steps

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
