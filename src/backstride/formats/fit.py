"""FIT activity files → :class:`~backstride.core.activity.Activity`, with fitdecode.

fitdecode (MIT) decoded every intact file of the corpus, handles compressed
timestamp headers, accumulated fields (``compressed_speed_distance``),
developer fields and chained files, and hands over every record read before a
fault (DESIGN.md, docs/decisions/0001). On top of it this reader:

* merges the records of every *activity* part of a chained file (a part without
  ``file_id`` continues the part before it, as Garmin's HRM-swim parts do) and
  ignores other parts (settings, workouts), saying so in ``warnings``;
* is tolerant: a truncated file, a damaged record or a bad checksum keeps the
  records read before the fault, with a warning; only an unreadable file or one
  without at least two timed records raises ImportFormatError;
* does not need lap or session messages (a file cut short has none): the sport
  then comes from ``sport`` or ``lap`` messages, else ``other``;
* reads timestamps below 0x10000000 as the device's relative clock (FIT
  profile: seconds since power-on, the clock was never set): the samples keep
  their ``elapsed`` and the activity has no ``start``.

Workouts, courses and other non-activity files are refused: they are plans.

Ordinary files are decoded by the fast path in :mod:`._fit_fast` (the same
values as fitdecode, several times faster: bench/results.md, issue 8); a file
it does not handle exactly as fitdecode would is decoded again by fitdecode.
"""

from __future__ import annotations

import io
import math
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import fitdecode

from backstride.core.activity import Activity, Lap, SourceFormat, Sport
from backstride.core.errors import ImportFormatError
from backstride.formats import _fit_fast
from backstride.formats._sport import combine_sports, normalise_sport
from backstride.formats._timeline import Point, assemble, plausible_time

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)  # FIT profile: date_time counts from here
RELATIVE_TIME_BELOW = 0x10000000  # FIT profile: smaller date_time values are relative
SEMICIRCLE_DEGREES = 180 / 2**31  # FIT positions are in semicircles
HEART_RATE_RANGE = (20.0, 250.0)  # bpm
STRIDE_RATE_RANGE = (0.0, 150.0)  # strides (per foot) per minute, as FIT stores them
SPEED_RANGE = (0.0, 100.0)  # m/s
VERTICAL_OSCILLATION_RANGE = (0.0, 500.0)  # mm
# No watch records one activity for a week: a record further than this from
# the median record time carries a corrupted timestamp (corpus:
# fitparse__strava-android-app-201.10-b1218918.fit, whose last record before
# the damage is dated 2085).
MAX_DISTANCE_FROM_MEDIAN = timedelta(days=7)

WHAT = "FIT file"
_PLANS = {
    "course": "a course (a planned route)",
    "workout": "a workout (a plan)",
    "schedules": "a training schedule",
}
_RECORD_FIELDS = frozenset(
    {
        "timestamp", "position_lat", "position_long", "distance", "speed", "enhanced_speed",
        "heart_rate", "cadence", "fractional_cadence", "vertical_oscillation", "altitude",
        "enhanced_altitude",
    }
)


# The messages the reader uses, and the fields it reads from each (None: all).
WANTED: dict[str, frozenset[str] | None] = {
    "file_id": None, "record": _RECORD_FIELDS, "lap": None, "session": None, "sport": None,
}


def read_fit(data: bytes) -> Activity:
    """Read a FIT activity file; only ImportFormatError escapes.

    The fast path (``_fit_fast``) reads ordinary files; anything it does not
    handle exactly as fitdecode would (a damaged file, above all) is read
    again with fitdecode, which is tolerant.
    """
    try:
        try:
            return _Reader().read(_fit_fast.events(data, WANTED), fast=True)
        except _fit_fast.Unsupported:
            return _Reader().read(_fitdecode_events(data), fast=False)
    except ImportFormatError:
        raise
    except Exception as exc:  # the contract: a malformed upload never yields a traceback
        raise ImportFormatError("file", f"{WHAT} could not be read ({type(exc).__name__})") from exc


def _fitdecode_events(data: bytes) -> Iterator[_fit_fast.Event]:
    """fitdecode's frames as the reader's events (the same shape as ``_fit_fast``'s)."""
    reader = fitdecode.FitReader(
        io.BytesIO(data),
        processor=None,  # we convert the few date_time fields we use ourselves
        check_crc=fitdecode.CrcCheck.READONLY,  # a bad CRC is a warning, not a refusal
        error_handling=fitdecode.ErrorHandling.IGNORE,
    )
    try:
        for frame in reader:
            if isinstance(frame, fitdecode.FitHeader):
                yield ("header", frame.crc_matched, None)
            elif isinstance(frame, fitdecode.FitCRC):
                yield ("crc", frame.matched, None)
            elif isinstance(frame, fitdecode.FitDataMessage) and frame.name in WANTED:
                yield ("message", frame.name, _values(frame, WANTED[frame.name]))
    finally:
        reader.close()


@dataclass
class _Part:
    file_type: str | None = None

    @property
    def is_activity(self) -> bool:
        # A file_id without a type (muktihari__TestEncode.fit) is given the
        # benefit of the doubt.
        return self.file_type in (None, "activity")


@dataclass
class _Reader:
    parts: list[_Part] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    raw_times: list[int] = field(default_factory=list)
    laps: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    sports: list[dict[str, Any]] = field(default_factory=list)
    device: str | None = None
    warnings: list[str] = field(default_factory=list)

    def read(self, events: Iterator[_fit_fast.Event], *, fast: bool) -> Activity:
        fault = self._decode(events, fast=fast)
        if fault is not None:
            if not self.points:
                raise ImportFormatError("file", f"{WHAT} could not be read: {fault}")
            self.warnings.append(
                f"the file is damaged ({fault}); kept the {len(self.points)} records read before it"
            )
        if not any(part.is_activity for part in self.parts):
            kinds = {part.file_type or "unknown" for part in self.parts}
            kind = " / ".join(_PLANS.get(k, f"a {k} file") for k in sorted(kinds))
            raise ImportFormatError("file", f"{WHAT} is {kind}, not a recorded activity")
        if not self.points:
            raise ImportFormatError("file", f"{WHAT} has no records: nothing was recorded")
        return self._activity()

    # --- decoding -----------------------------------------------------------

    def _decode(self, events: Iterator[_fit_fast.Event], *, fast: bool) -> str | None:
        """Take every event; the fault that stopped decoding, if any."""
        try:
            for kind, first, second in events:
                self._take(kind, first, second)
        except _fit_fast.Unsupported:
            raise
        except Exception as exc:
            if fast:  # never a fault of the file: let fitdecode read it
                raise _fit_fast.Unsupported(repr(exc)) from exc
            # fitdecode raises FitError subclasses, but a corrupt stream can also
            # surface as struct.error, KeyError, IndexError or AssertionError
            # from deep inside the decoder: all mean "damaged from here on".
            return str(exc) or type(exc).__name__
        return None

    def _take(self, kind: str, first: Any, second: Any) -> None:
        if kind == "header":
            inherited = self.parts[-1].file_type if self.parts else None
            self.parts.append(_Part(file_type=inherited))
            if first is False:
                self.warnings.append(f"part {len(self.parts)}: the header checksum does not match")
        elif kind == "crc":
            if not first and self.parts and self.parts[-1].is_activity:
                self.warnings.append(
                    f"part {len(self.parts)}: the file checksum does not match; "
                    "some values may be damaged"
                )
        elif self.parts:
            self._take_message(first, second)

    def _take_message(self, name: str, values: dict[str, Any]) -> None:
        part = self.parts[-1]
        if name == "file_id":
            self._take_file_id(part, values)
            return
        if not part.is_activity:
            return
        if name == "record":
            self._take_record(values)
        elif name == "lap":
            self.laps.append(values)
        elif name == "session":
            self.sessions.append(values)
        elif name == "sport":
            self.sports.append(values)

    def _take_file_id(self, part: _Part, values: dict[str, Any]) -> None:
        file_type = values.get("type")
        part.file_type = file_type if isinstance(file_type, str) or file_type is None else str(
            file_type
        )
        if not part.is_activity:
            self.warnings.append(f"part {len(self.parts)}: ignored a chained {file_type} file")
        elif self.device is None:
            self.device = _device(values)

    def _take_record(self, values: dict[str, Any]) -> None:
        raw = _integer(values.get("timestamp"))
        if raw is None:
            return  # a record without a time cannot be placed
        point = Point(
            distance=_number(values.get("distance"), 0.0, 1e8),
            speed=_first_number(values, ("enhanced_speed", "speed"), SPEED_RANGE),
            heart_rate=_number(values.get("heart_rate"), *HEART_RATE_RANGE),
            cadence=_strides(values),
            vertical_oscillation=_number(
                values.get("vertical_oscillation"), *VERTICAL_OSCILLATION_RANGE
            ),
            altitude=_first_number(values, ("enhanced_altitude", "altitude"), (-1000.0, 10000.0)),
        )
        if raw >= RELATIVE_TIME_BELOW:
            point.time = plausible_time(FIT_EPOCH + timedelta(seconds=raw))
            if point.time is None:
                return
        else:
            point.clock = float(raw)
        lat = _number(values.get("position_lat"), -(2**30), 2**30)  # ±90°
        lon = _number(values.get("position_long"), -(2**31), 2**31)  # ±180°
        if lat is not None and lon is not None:
            point.lat, point.lon = lat * SEMICIRCLE_DEGREES, lon * SEMICIRCLE_DEGREES
        self.points.append(point)
        self.raw_times.append(raw)

    # --- building -----------------------------------------------------------

    def _activity(self) -> Activity:
        sport, original, original_sub = self._sport()
        legs = self._legs()
        self._convert_cadence(sport, legs)
        self._drop_implausible_times()
        timeline = assemble(self.points, what=WHAT)
        return Activity(
            sport=sport,
            start=timeline.start,
            samples=timeline.samples,
            source_format=SourceFormat.FIT,
            original_sport=original,
            original_sub_sport=original_sub,
            laps=tuple(self._lap(lap, legs if original == "multisport" else None)
                       for lap in self.laps),
            device=self.device,
            warnings=tuple(self.warnings),
        )

    def _sport(self) -> tuple[Sport, str | None, str | None]:
        for messages in (self.sessions, self.sports, self.laps):
            words = [(_word(m.get("sport")), _word(m.get("sub_sport"))) for m in messages]
            words = [w for w in words if w[0] is not None]
            if words:
                return combine_sports(words)
        return Sport.OTHER, None, None

    def _legs(self) -> list[tuple[int, Sport]]:
        """(raw start time, sport) of every session, in time order."""
        legs = []
        for session in self.sessions:
            start = _integer(session.get("start_time"))
            if start is not None:
                words = _word(session.get("sport")), _word(session.get("sub_sport"))
                legs.append((start, normalise_sport(*words)))
        return sorted(legs)

    def _convert_cadence(self, sport: Sport, legs: list[tuple[int, Sport]]) -> None:
        """Strides per minute (per foot, FIT's running cadence) → steps per minute.

        FIT stores running and walking cadence as strides per minute of one
        foot, in ``cadence`` plus ``fractional_cadence``: steps per minute are
        twice that. Cycling cadence (pedal rpm) and swimming (strokes) are not
        steps and are dropped. In a multisport file each record takes the sport
        of the session it falls in.
        """
        starts = [start for start, _ in legs]
        multisport = len({leg for _, leg in legs}) > 1
        for point, raw in zip(self.points, self.raw_times, strict=True):
            if point.cadence is None:
                continue
            leg = sport
            if multisport:
                index = bisect_right(starts, raw) - 1
                leg = legs[max(index, 0)][1]
            point.cadence = 2 * point.cadence if leg.on_foot else None

    def _drop_implausible_times(self) -> None:
        times = sorted(p.time for p in self.points if p.time is not None)
        if not times:
            return
        median = times[len(times) // 2]
        kept = [
            p for p in self.points
            if p.time is None or abs(p.time - median) <= MAX_DISTANCE_FROM_MEDIAN
        ]
        if len(kept) < len(self.points):
            self.warnings.append(
                f"dropped {len(self.points) - len(kept)} records with implausible times"
            )
            self.points = kept

    def _lap(self, lap: dict[str, Any], legs: list[tuple[int, Sport]] | None) -> Lap:
        raw = _integer(lap.get("start_time"))
        start = None
        if raw is not None and raw >= RELATIVE_TIME_BELOW:
            start = plausible_time(FIT_EPOCH + timedelta(seconds=raw))
        sport = None
        if legs is not None:
            own = _word(lap.get("sport"))
            if own is not None:
                sport = normalise_sport(own, _word(lap.get("sub_sport")))
            elif raw is not None and legs:
                index = bisect_right([s for s, _ in legs], raw) - 1
                sport = legs[max(index, 0)][1]
        return Lap(
            start=start,
            elapsed_seconds=_number(lap.get("total_elapsed_time"), 0.0, 1e7),
            timer_seconds=_number(lap.get("total_timer_time"), 0.0, 1e7),
            distance=_number(lap.get("total_distance"), 0.0, 1e8),
            sport=sport,
        )


def _values(message: Any, wanted: frozenset[str] | None = None) -> dict[str, Any]:
    """A message's profile fields by name; developer fields are left out.

    A developer field may be called "cadence" too (Stryd): it must not
    overwrite the device's own value.
    """
    values: dict[str, Any] = {}
    for data in message.fields:
        profile_field = data.field
        if profile_field is None or profile_field.field_type == "devfield":
            continue
        name = profile_field.name
        wanted_here = wanted is None or name in wanted
        if wanted_here and (data.value is not None or name not in values):
            values[name] = data.value
    return values


def _number(value: Any, low: float, high: float) -> float | None:
    """A finite number within [low, high]; ``None`` for missing, arrays or junk."""
    kind = type(value)
    # The common cases first (this runs for every field of every record).
    if kind is not float and kind is not int and (
            value is None or isinstance(value, bool) or not isinstance(value, int | float)):
        return None
    number = float(value)
    if not math.isfinite(number) or not (low <= number <= high):
        return None
    return number


def _first_number(values: dict[str, Any], names: tuple[str, ...], bounds: tuple[float, float]) -> (
    float | None
):
    for name in names:
        number = _number(values.get(name), *bounds)
        if number is not None:
            return number
    return None


def _integer(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _strides(values: dict[str, Any]) -> float | None:
    whole = _number(values.get("cadence"), *STRIDE_RATE_RANGE)
    if whole is None:
        return None
    fraction = _number(values.get("fractional_cadence"), 0.0, 1.0) or 0.0
    return whole + fraction


def _word(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def _device(file_id: dict[str, Any]) -> str | None:
    manufacturer = file_id.get("manufacturer")
    product = next(
        (file_id[k] for k in ("garmin_product", "product_name", "product") if file_id.get(k)),
        None,
    )
    words = [str(w) for w in (manufacturer, product) if w is not None]
    return "/".join(words) or None
