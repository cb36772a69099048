"""A session's prescription → a FIT workout file a watch can follow.

Our own small encoder, written from the public FIT protocol description (file
header, definition and data messages, CRC-16): a run-walk workout needs three
message types, and a dependency for ~300 bytes is not worth it (DESIGN.md).
The Garmin FIT SDK is not used, ever: its licence forbids it.

The file holds ``file_id`` (type workout), ``workout`` and one
``workout_step`` per step: the warm-up, the run and walk steps followed by a
*repeat* step (duration type ``repeat_until_steps_cmplt``: go back to the run
step until the pair has been done ``n`` times), any leftover steps (the
ladder's longer last walk), and the cool-down. Tests decode the output with
fitdecode (strict CRC) and fitparse.

:func:`session_workout` names a session's file and workout by date and level,
and :func:`workouts_zip` packs a week of them into one download.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from backstride.core.ladder import Interval, IntervalKind, Prescription

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
PROTOCOL_VERSION = 0x10  # 1.0: no 64-bit types or developer fields needed
PROFILE_VERSION = 2140  # 21.40
HEADER_SIZE = 14

# Global message numbers and enum values from the FIT profile.
MESG_FILE_ID = 0
MESG_WORKOUT = 26
MESG_WORKOUT_STEP = 27
FILE_WORKOUT = 5
MANUFACTURER_DEVELOPMENT = 255
SPORT_GENERIC = 0
SPORT_RUNNING = 1
DURATION_TIME = 0  # duration_value is milliseconds
DURATION_REPEAT_UNTIL_STEPS_CMPLT = 6  # duration_value: step to go back to; target_value: times
TARGET_OPEN = 2
INTENSITY = {
    IntervalKind.RUN: 0,  # active
    IntervalKind.WALK: 4,  # recovery
    IntervalKind.WARM_UP: 2,
    IntervalKind.COOL_DOWN: 3,
    IntervalKind.CROSS_TRAINING: 0,
}
STEP_NAMES = {
    IntervalKind.RUN: "Run",
    IntervalKind.WALK: "Walk",
    IntervalKind.WARM_UP: "Warm up",
    IntervalKind.COOL_DOWN: "Cool down",
    IntervalKind.CROSS_TRAINING: "Low impact",
}
# Month names spelled out here, not by strftime, so a name never depends on the locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class BaseType:
    """A FIT base type: its code, its size in bytes, how to pack it, its "no value"."""

    code: int
    size: int
    fmt: str | None = None  # struct format; None for a string
    invalid: int = 0


ENUM = BaseType(0x00, 1, "B", 0xFF)
UINT8 = BaseType(0x02, 1, "B", 0xFF)
UINT16 = BaseType(0x84, 2, "H", 0xFFFF)
SINT32 = BaseType(0x85, 4, "i", 0x7FFFFFFF)
UINT32 = BaseType(0x86, 4, "I", 0xFFFFFFFF)


MAX_STRING_BYTES = 64  # watches show a dozen characters; FIT allows 255 bytes per field


def string_type(*texts: str) -> BaseType:
    """A string type for the longest of ``texts`` plus its terminator, at most 64 bytes."""
    longest = max(len(t.encode("utf-8")) for t in texts) + 1
    return BaseType(0x07, min(longest, MAX_STRING_BYTES))


@dataclass(frozen=True)
class Field:
    """A field of a message: number, base type, value (``None``: the type's invalid value)."""

    number: int
    type: BaseType
    value: int | str | None

_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)


def fit_crc(data: bytes, crc: int = 0) -> int:
    """The FIT protocol's CRC-16 of ``data`` (4 bits at a time, as the protocol describes)."""
    for byte in data:
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
    return crc


@dataclass(frozen=True)
class Step:
    """One ``workout_step``: a timed step, or a repeat of earlier steps."""

    name: str
    intensity: int | None
    seconds: int | None = None
    repeat_from: int | None = None
    repeat_times: int | None = None


def workout_steps(prescription: Prescription) -> tuple[Step, ...]:
    """The steps of ``prescription``, with identical consecutive run-walk pairs as a repeat."""
    intervals = prescription.intervals
    steps: list[Step] = []
    i = 0
    while i < len(intervals):
        times = _pair_repeats(intervals, i)
        if times >= 2:
            first = len(steps)
            steps += [_timed(intervals[i]), _timed(intervals[i + 1])]
            steps.append(Step("Repeat", None, repeat_from=first, repeat_times=times))
            i += 2 * times
        else:
            steps.append(_timed(intervals[i]))
            i += 1
    return tuple(steps)


def encode_workout(
    prescription: Prescription, *, created: datetime, name: str | None = None
) -> bytes:
    """A FIT workout file (bytes) for ``prescription``.

    ``created`` (aware) goes in ``file_id.time_created``; ``name`` defaults to
    "Backstride L<level>".
    """
    steps = workout_steps(prescription)
    title = name or (f"Backstride L{prescription.level}" if prescription.level else "Backstride")
    sport = SPORT_RUNNING if prescription.level is not None else SPORT_GENERIC
    workout = [
        Field(4, ENUM, sport),
        Field(6, UINT16, len(steps)),
        Field(8, string_type(title), title),
    ]
    return fit_file(_file_id(created) + message(1, MESG_WORKOUT, workout) + _steps_messages(steps))


@dataclass(frozen=True)
class SessionWorkout:
    """One session's workout file: its name on disk and its bytes."""

    file_name: str
    data: bytes


def workout_name(day: date, prescription: Prescription) -> str:
    """The name a watch lists, level and date first so a narrow screen keeps them.

    ``"L4 3 Mar run-walk"``; ``"3 Mar low impact"`` for a session without running.
    """
    when = f"{day.day} {_MONTHS[day.month - 1]}"
    if prescription.level is None:
        return f"{when} low impact"
    return f"L{prescription.level} {when} run-walk"


def session_workout(day: date, prescription: Prescription) -> SessionWorkout:
    """The workout of the session on ``day`` (the patient's local date).

    ``file_id.time_created`` is that date at 00:00 UTC: the same session always
    gives the same bytes, and two sessions never share a file id (a watch tells
    workout files apart by their ``file_id``). Named ``2025-03-03-L04.fit``, or
    ``2025-03-03-low-impact.fit``.
    """
    created = datetime.combine(day, time(0), tzinfo=UTC)
    data = encode_workout(prescription, created=created, name=workout_name(day, prescription))
    level = "low-impact" if prescription.level is None else f"L{prescription.level:02d}"
    return SessionWorkout(f"{day.isoformat()}-{level}.fit", data)


def workouts_zip(workouts: Iterable[SessionWorkout]) -> bytes:
    """A ZIP archive of ``workouts`` (a week's sessions), the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for workout in workouts:
            # A fixed timestamp: the archive's bytes depend only on its contents.
            info = zipfile.ZipInfo(workout.file_name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, workout.data)
    return buffer.getvalue()


def fit_file(body: bytes) -> bytes:
    """``body`` (definition and data messages) framed as a FIT file: header, CRCs."""
    header = struct.pack(
        "<BBHI4s", HEADER_SIZE, PROTOCOL_VERSION, PROFILE_VERSION, len(body), b".FIT"
    )
    header += struct.pack("<H", fit_crc(header))
    framed = header + body
    return framed + struct.pack("<H", fit_crc(framed))


def _pair_repeats(intervals: tuple[Interval, ...], i: int) -> int:
    """How many times the (run, walk) pair at ``i`` repeats identically from there."""
    pair = intervals[i : i + 2]
    kinds = tuple(interval.kind for interval in pair)
    if kinds != (IntervalKind.RUN, IntervalKind.WALK):
        return 0
    times = 1
    while _same(intervals[i + 2 * times : i + 2 * times + 2], pair):
        times += 1
    return times


def _same(a: tuple[Interval, ...], b: tuple[Interval, ...]) -> bool:
    return len(a) == len(b) and all(
        x.kind is y.kind and x.seconds == y.seconds for x, y in zip(a, b, strict=True)
    )


def _timed(interval: Interval) -> Step:
    return Step(STEP_NAMES[interval.kind], INTENSITY[interval.kind], seconds=interval.seconds)


# --- Messages ----------------------------------------------------------------


def _file_id(created: datetime) -> bytes:
    seconds = int((created.astimezone(UTC) - FIT_EPOCH).total_seconds())
    return message(0, MESG_FILE_ID, [
        Field(0, ENUM, FILE_WORKOUT),
        Field(1, UINT16, MANUFACTURER_DEVELOPMENT),
        Field(2, UINT16, 1),
        Field(4, UINT32, seconds),
    ])


def _steps_messages(steps: tuple[Step, ...]) -> bytes:
    name_type = string_type(*(s.name for s in steps))
    rows = [_step_fields(index, step, name_type) for index, step in enumerate(steps)]
    return definition(2, MESG_WORKOUT_STEP, rows[0]) + b"".join(data(2, row) for row in rows)


def _step_fields(index: int, step: Step, name_type: BaseType) -> list[Field]:
    if step.repeat_from is not None:
        duration = (DURATION_REPEAT_UNTIL_STEPS_CMPLT, step.repeat_from)
        target: tuple[int | None, int | None] = (None, step.repeat_times)
    else:
        duration = (DURATION_TIME, (step.seconds or 0) * 1000)
        target = (TARGET_OPEN, 0)
    return [
        Field(254, UINT16, index),
        Field(0, name_type, step.name),
        Field(1, ENUM, duration[0]),
        Field(2, UINT32, duration[1]),
        Field(3, ENUM, target[0]),
        Field(4, UINT32, target[1]),
        Field(7, ENUM, step.intensity),
    ]


def message(local: int, global_number: int, fields: list[Field]) -> bytes:
    """A definition message for ``fields`` followed by one data message of them."""
    return definition(local, global_number, fields) + data(local, fields)


def definition(local: int, global_number: int, fields: list[Field]) -> bytes:
    """A definition message: little-endian, the fields' numbers, sizes and base types."""
    out = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_number, len(fields))
    return out + b"".join(struct.pack("<BBB", f.number, f.type.size, f.type.code) for f in fields)


def data(local: int, fields: list[Field], *, header: int | None = None) -> bytes:
    """A data message of ``fields`` for local message ``local``.

    ``header`` replaces the normal record header byte (e.g. a compressed
    timestamp header), for writing test files.
    """
    first = local if header is None else header
    return bytes([first]) + b"".join(_value(f) for f in fields)


def _value(field: Field) -> bytes:
    if field.type.fmt is None:  # a string: UTF-8, cut on a character boundary, NUL-padded
        raw = str(field.value or "").encode("utf-8")[: field.type.size - 1]
        raw = raw.decode("utf-8", errors="ignore").encode("utf-8")
        return raw.ljust(field.type.size, b"\x00")
    value = field.type.invalid if field.value is None else field.value
    return struct.pack("<" + field.type.fmt, value)
