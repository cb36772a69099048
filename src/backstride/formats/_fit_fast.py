"""The fast path of the FIT reader: fitdecode's values, without decoding what is not used.

fitdecode (docs/decisions/0001) turns every field of every message into
objects, reading the file a few bytes at a time and updating the checksum
per chunk: on a 100k-record file that is 90 % of an import (bench/results.md,
issue 8). This module reads the same bytes with one ``struct`` call per
message, and works out only the fields the reader uses (``wanted``), using
fitdecode's own profile tables and rules for everything it does decode:
base-type invalid values, enum names, subfields, components, accumulated
fields, scale and offset, compressed timestamps.

Its contract is all-or-nothing. :func:`events` yields exactly what
``fit._fitdecode_events`` yields for the same bytes, or raises
:class:`Unsupported` as soon as the file does anything out of the ordinary
(a truncated or damaged stream, an unusual header, a field size fitdecode
would mis-read, heart-rate messages with their special timestamps, developer
descriptions fitdecode would refuse). The reader then starts again with
fitdecode, which keeps the tolerant behaviour for damaged files. The test
``tests/formats/test_fit_fast.py`` holds the two paths equal on every corpus
file and on truncated and corrupted copies of them.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from fitdecode import profile, types

Event = tuple[str, Any, Any]  # ("header", crc_matched, None) · ("crc", matched, None) ·
#                               ("message", name, values)

HEADER = struct.Struct("<2BHI4s")
HEADER_SIZES = (12, 14)  # FIT protocol 1.0 and 2.0 headers; anything else: fitdecode
U16 = struct.Struct("<H")
TIMESTAMP = profile.FIELD_NUM_TIMESTAMP
MESG_HR = profile.MESG_NUM_HR  # hr.event_timestamp_12: fitdecode's special case, below
HR_EVENT_TIMESTAMP = profile.FIELD_NUM_HR_EVENT_TIMESTAMP
HR_EVENT_TIMESTAMP_12 = profile.FIELD_NUM_HR_EVENT_TIMESTAMP_12
MESG_DEVELOPER_DATA_ID = profile.MESG_NUM_DEVELOPER_DATA_ID
MESG_FIELD_DESCRIPTION = profile.MESG_NUM_FIELD_DESCRIPTION
BYTE = types.BASE_TYPE_BYTE


_SPECIAL = (MESG_DEVELOPER_DATA_ID, MESG_FIELD_DESCRIPTION, MESG_HR)  # always followed


class Unsupported(Exception):
    """This file needs fitdecode: decode it again from the start with it."""


def events(data: bytes, wanted: Mapping[str, frozenset[str] | None]) -> Iterator[Event]:
    """The header, message and checksum events of every part of a chained FIT file.

    ``wanted`` maps the message names to report to the field names to decode
    (``None``: all). Raises Unsupported (possibly after yielding some events).
    """
    pos, size = 0, len(data)
    while pos < size:
        if size - pos < HEADER.size:
            raise Unsupported("truncated header")
        header_size, _protocol, _profile, body_size, magic = HEADER.unpack_from(data, pos)
        if magic != b".FIT" or header_size not in HEADER_SIZES:
            raise Unsupported("unusual header")
        body = pos + header_size
        end = body + body_size
        if end + 2 > size:
            raise Unsupported("truncated file")
        crc_matched = None
        if header_size == 14:
            (stored,) = U16.unpack_from(data, pos + 12)
            if stored:  # 0: no header checksum (FIT SDK)
                crc_matched = crc16(data, pos, pos + 12) == stored
        yield ("header", crc_matched, None)
        yield from _Part(data, wanted).messages(body, end)
        (stored,) = U16.unpack_from(data, end)
        yield ("crc", crc16(data, pos, end) == stored, None)
        pos = end + 2


# --- Checksum ---------------------------------------------------------------------------


@cache
def _crc_tables() -> tuple[list[int], list[int]]:
    """CRC-16/ARC (the FIT checksum) a byte and two bytes at a time."""
    one = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        one.append(crc)
    two = [(one[x & 0xFF] >> 8) ^ one[((x >> 8) ^ one[x & 0xFF]) & 0xFF] for x in range(65536)]
    return one, two


def crc16(data: bytes, start: int, end: int) -> int:
    """The FIT checksum of ``data[start:end]``, two bytes per step (fitdecode: a nibble)."""
    one, two = _crc_tables()
    crc = 0
    if (end - start) % 2:
        crc = one[data[start]]
        start += 1
    words = array("H", data[start:end])
    if sys.byteorder == "big":
        words.byteswap()
    for word in words:
        crc = two[crc ^ word]
    return crc


# --- One part of a chained file -----------------------------------------------------------


class _Definition:
    """A local message definition, compiled: one struct for the whole message."""

    __slots__ = ("decode", "dev_time", "global_num", "live", "name", "plan", "raw_all", "size",
                 "struct", "times", "wanted")

    def __init__(self, global_num: int, endian: str, fields: list[tuple[Any, int, Any, int]],
                 dev_sizes: list[tuple[int, Any, int]],
                 wanted: Mapping[str, frozenset[str] | None]) -> None:
        mesg_type = profile.MESSAGE_TYPES.get(global_num)
        self.global_num = global_num
        self.name = mesg_type.name if mesg_type is not None else None
        self.wanted: frozenset[str] | None = wanted.get(self.name, frozenset()) \
            if self.name is not None else frozenset()
        self.decode = self.name in wanted or global_num in _SPECIAL
        self.dev_time = False
        fmt, index = [endian], 0
        # (slice of struct values, base type, profile field, def_num) of every field we read
        self.live: list[tuple[int, int, Any, Any, int]] = []
        self.plan: list[tuple[Any, ...]] = []  # the same, ready for _Part._simple
        self.times: list[tuple[int, int, Any]] = []
        needed = [self._needed(field, def_num) for field, def_num, _base, _size in fields]
        # A subfield is chosen by the raw values of the other fields: read them all then.
        self.raw_all = self.decode and any(
            need and _has_subfields(global_num, field)
            for (field, _n, _b, _s), need in zip(fields, needed, strict=True))
        for (field, def_num, base, size), need in zip(fields, needed, strict=True):
            count = size // base.size
            if need or self.raw_all or def_num == TIMESTAMP:
                code = f"{size}s" if base.fmt == "s" else f"{count}{base.fmt}"
                width = 1 if base.fmt == "s" else count
                fmt.append(code)
                item = (index, index + width, base, field, def_num)
                if def_num == TIMESTAMP:
                    self.times.append((index, index + width, base))
                if need or self.raw_all:
                    self.live.append(item)
                    if need and field is not None:
                        self.plan.append(self._step(item))
                index += width
            else:
                fmt.append(f"{size}x")
        for def_num, base, size in dev_sizes:
            count = size // base.size
            if def_num == TIMESTAMP:  # fitdecode tracks a developer field 253 too
                self.dev_time = True
                code = f"{size}s" if base.fmt == "s" else f"{count}{base.fmt}"
                width = 1 if base.fmt == "s" else count
                fmt.append(code)
                self.times.append((index, index + width, base))
                index += width
            else:
                fmt.append(f"{size}x")
        self.struct = struct.Struct("".join(fmt))
        self.size = self.struct.size

    def _step(self, item: tuple[int, int, Any, Any, int]) -> tuple[Any, ...]:
        """What ``_Part._simple`` needs to decode one field without looking anything up."""
        start, stop, base, field, _def_num = item
        scalar = stop - start == 1 and base.fmt != "s" and base.identifier != BYTE.identifier
        names = self.wanted
        targets: tuple[tuple[Any, Any], ...] = ()
        if field.components:
            fields = profile.MESSAGE_TYPES[self.global_num].fields
            targets = tuple((c, fields[c.def_num]) for c in field.components)
        return (start, stop, base.parse if scalar else None, base, field, field.type.enum,
                bool(field.scale or field.offset), field.name,
                names is None or field.name in names, targets)

    def _needed(self, field: Any, def_num: int) -> bool:
        if not self.decode or field is None:
            return False
        if self.global_num in _SPECIAL:
            return True
        names = self.wanted
        if names is None or field.name in names:
            return True
        if field.subfields and any(sub.name in names for sub in field.subfields):
            return True
        # An accumulated component keeps state across messages: always follow it.
        return bool(field.components) and any(
            c.accumulate or profile.MESSAGE_TYPES[self.global_num].fields[c.def_num].name
            in names for c in field.components)


def _has_subfields(global_num: int, field: Any) -> bool:
    if field is None:
        return False
    targets = [field]
    if field.components:
        fields = profile.MESSAGE_TYPES[global_num].fields
        targets += [fields[c.def_num] for c in field.components]
    return any(t.subfields for t in targets)


def _raw(values: tuple[Any, ...], start: int, end: int, base: Any) -> Any:
    """fitdecode's raw value: invalid values → None, arrays → tuples."""
    if base is BYTE or base.identifier == BYTE.identifier:
        return base.parse(values[start:end])
    if end - start > 1:
        return tuple(base.parse(v) for v in values[start:end])
    return base.parse(values[start])


def _scaled(field: Any, raw: Any) -> Any:
    """fitdecode's ``_apply_scale_offset``."""
    if isinstance(raw, tuple):
        return tuple(_scaled(field, x) for x in raw)
    if isinstance(raw, int | float):
        if field.scale:
            raw = float(raw) / field.scale
        if field.offset:
            raw = raw - field.offset
    return raw


def _accumulated(raw: int, accumulation: int, bits: int) -> int:
    """fitdecode's ``_apply_compressed_accumulation``."""
    top = 1 << bits
    mask = top - 1
    value = raw + (accumulation & ~mask)
    if raw < (accumulation & mask):
        value += top
    return value


class _Part:
    """The state of one FIT file of a chain, as fitdecode keeps it."""

    def __init__(self, data: bytes, wanted: Mapping[str, frozenset[str] | None]) -> None:
        self.data, self.wanted = data, wanted
        self.definitions: dict[int, _Definition] = {}
        self.dev_types: dict[Any, dict[Any, Any]] = {}  # index → field number → base type
        self.accumulators: dict[int, dict[int, int]] = {}
        self.time = 0  # fitdecode's compressed timestamp accumulator
        self.last = 0  # fitdecode's last timestamp, and the start of heart-rate events
        self.hr_start = 0

    def messages(self, pos: int, end: int) -> Iterator[Event]:
        data = self.data
        while pos < end:
            header = data[pos]
            pos += 1
            offset = None
            if header & 0x80:  # compressed timestamp header
                local, offset = (header >> 5) & 0x3, header & 0x1F
            elif header & 0x40:
                pos = self._define(header & 0xF, bool(header & 0x20), pos, end)
                continue
            else:
                local = header & 0xF
            definition = self.definitions.get(local)
            if definition is None:
                raise Unsupported("undefined local message")
            if pos + definition.size > end:
                raise Unsupported("message past the end of the data")
            values = definition.struct.unpack_from(data, pos)
            pos += definition.size
            event = self._message(definition, values, offset)
            if event is not None:
                yield event

    def _define(self, local: int, developer: bool, pos: int, end: int) -> int:
        data = self.data
        if pos + 5 > end:
            raise Unsupported("definition past the end of the data")
        endian = ">" if data[pos + 1] else "<"
        global_num, count = struct.unpack_from(f"{endian}H", data, pos + 2)[0], data[pos + 4]
        pos += 5
        mesg_type = profile.MESSAGE_TYPES.get(global_num)
        fields = []
        for _ in range(count):
            if pos + 3 > end:
                raise Unsupported("definition past the end of the data")
            def_num, size, base_num = data[pos], data[pos + 1], data[pos + 2]
            pos += 3
            field = mesg_type.fields.get(def_num) if mesg_type else None
            base = types.BASE_TYPES.get(base_num, BYTE)
            if size % base.size:
                base = BYTE  # fitdecode issue 13: read as bytes
            if size == 0:
                raise Unsupported("empty field")
            if field is not None and field.components:
                for component in field.components:
                    if component.accumulate:
                        self.accumulators.setdefault(global_num, {})[component.def_num] = 0
            fields.append((field, def_num, base, size))
        devs = []
        if developer:
            if pos + 1 > end:
                raise Unsupported("definition past the end of the data")
            dev_count = data[pos]
            pos += 1
            for _ in range(dev_count):
                if pos + 3 > end:
                    raise Unsupported("definition past the end of the data")
                def_num, size, index = data[pos], data[pos + 1], data[pos + 2]
                pos += 3
                base = self.dev_types.setdefault(index, {}).setdefault(def_num, BYTE)
                if size % base.size or size == 0:
                    raise Unsupported("developer field of an odd size")  # fitdecode misreads it
                devs.append((def_num, base, size))
        if developer and global_num in (MESG_DEVELOPER_DATA_ID, MESG_FIELD_DESCRIPTION):
            raise Unsupported("developer fields in a developer message")
        self.definitions[local] = _Definition(global_num, endian, fields, devs, self.wanted)
        return pos

    def _message(self, definition: _Definition, values: tuple[Any, ...],
                 offset: int | None) -> Event | None:
        last = self.last
        for start, stop, base in definition.times:
            raw = _raw(values, start, stop, base)
            if raw is not None:
                self.time = self.last = raw
        if definition.global_num == MESG_HR:
            self._hr(definition, values, last)
        if not definition.decode or definition.global_num == MESG_HR:
            if offset is not None:
                self.time = _accumulated(offset, self.time, 5)
            return None
        if not definition.raw_all and definition.global_num not in _SPECIAL:
            out = self._simple(definition, values)
        else:
            out = self._general(definition, values)
        names = definition.wanted
        if offset is not None:
            self.time = _accumulated(offset, self.time, 5)
            stamp = profile.FIELD_TYPE_TIMESTAMP
            _put(out, names, stamp, stamp.render(self.time))
        if definition.name not in self.wanted:
            return None
        return ("message", definition.name, out)

    def _simple(self, definition: _Definition, values: tuple[Any, ...]) -> dict[str, Any]:
        """The hot path (records): no subfields, so each field is decoded on its own."""
        out: dict[str, Any] = {}
        names = definition.wanted
        for start, stop, parse, base, field, enum, scaled, name, keep, targets in definition.plan:
            raw = parse(values[start]) if parse is not None else _raw(values, start, stop, base)
            if targets:
                self._expand(definition.global_num, targets, raw, out, names)
            if not keep:
                continue
            value = raw
            if raw is not None:
                if enum and raw in enum:
                    value = enum[raw]
                elif scaled:
                    value = _scaled(field, raw)
            if value is not None or name not in out:
                out[name] = value
        return out

    def _expand(self, global_num: int, targets: tuple[tuple[Any, Any], ...], raw: Any,
                out: dict[str, Any], names: frozenset[str] | None) -> None:
        """The component fields of one field (targets without subfields)."""
        for component, target in targets:
            try:
                value = component.render(raw)
            except ValueError:
                continue
            if component.accumulate and value is not None:
                accumulator = self.accumulators[global_num]
                value = _accumulated(value, accumulator[component.def_num], component.bits)
                accumulator[component.def_num] = value
            _put(out, names, target, target.render(_scaled(component, value)))

    def _general(self, definition: _Definition, values: tuple[Any, ...]) -> dict[str, Any]:
        """fitdecode's ``_read_data_message``, step by step, for messages with subfields."""
        raws = [(item, _raw(values, item[0], item[1], item[2])) for item in definition.live]
        if definition.global_num == MESG_DEVELOPER_DATA_ID:
            self._developer_data_id(raws)
        elif definition.global_num == MESG_FIELD_DESCRIPTION:
            self._field_description(raws)
        out: dict[str, Any] = {}
        names = definition.wanted
        for (_s, _e, _base, field, _def_num), raw in raws:
            if field is None:
                continue
            field, _parent = _subfield(field, raws)
            if field.components:
                self._components(definition, field, raw, raws, out, names)
            _put(out, names, field, _scaled(field, field.render(raw)))
        return out

    def _components(self, definition: _Definition, field: Any, raw: Any,
                    raws: list[tuple[Any, Any]], out: dict[str, Any],
                    names: frozenset[str] | None) -> None:
        fields = profile.MESSAGE_TYPES[definition.global_num].fields
        for component in field.components:
            try:
                value = component.render(raw)
            except ValueError:
                continue
            if component.accumulate and value is not None:
                accumulator = self.accumulators[definition.global_num]
                value = _accumulated(value, accumulator[component.def_num], component.bits)
                accumulator[component.def_num] = value
            value = _scaled(component, value)
            target, _parent = _subfield(fields[component.def_num], raws)
            _put(out, names, target, target.render(value))

    def _hr(self, definition: _Definition, values: tuple[Any, ...], last: int) -> None:
        """Follow fitdecode through a heart-rate message; Unsupported where it would fault.

        fitdecode adds the time of the last ``event_timestamp`` to every
        ``event_timestamp_12`` component, asserting there was one: in a file
        without it, decoding stops there (and the tolerant reader keeps what
        came before). The values themselves are not used.
        """
        if definition.dev_time:
            raise Unsupported("developer timestamp in a heart-rate message")
        for start, stop, base, field, def_num in definition.live:
            raw = _raw(values, start, stop, base)
            if def_num == HR_EVENT_TIMESTAMP_12 and field is not None and field.components:
                for component in field.components:
                    try:
                        value = component.render(raw)
                    except ValueError:
                        continue
                    if component.accumulate and value is not None:
                        accumulator = self.accumulators[MESG_HR]
                        value = _accumulated(value, accumulator[component.def_num],
                                             component.bits)
                        accumulator[component.def_num] = value
                    if self.hr_start <= 0 or value is None:
                        raise Unsupported("a heart-rate message fitdecode cannot decode")
            if def_num == TIMESTAMP and raw is not None:
                last = raw
            elif def_num == HR_EVENT_TIMESTAMP:
                self.hr_start = last

    def _developer_data_id(self, raws: list[tuple[Any, Any]]) -> None:
        found, index = _raw_named(raws, "developer_data_index")
        if found and index is None:
            raise Unsupported("developer_data_index is invalid")  # fitdecode: int(None)
        self.dev_types[int(index) if index is not None else None] = {}

    def _field_description(self, raws: list[tuple[Any, Any]]) -> None:
        _found, index = _raw_named(raws, "developer_data_index")
        index = int(index) if index is not None else None
        if index not in self.dev_types:
            raise Unsupported("developer_data_index not defined")  # fitdecode refuses it
        _found, number = _raw_named(raws, "field_definition_number")
        _found, base_num = _raw_named(raws, "fit_base_type_id")
        if base_num is not None and base_num not in types.BASE_TYPES:
            raise Unsupported("unknown developer base type")
        base = BYTE if base_num is None else types.BASE_TYPES[base_num]
        self.dev_types[index][number] = base


def _raw_named(raws: list[tuple[Any, Any]], name: str) -> tuple[bool, Any]:
    for item, raw in raws:
        if item[3] is not None and item[3].name == name:
            return True, raw
    return False, None


def _subfield(field: Any, raws: list[tuple[Any, Any]]) -> tuple[Any, Any]:
    """fitdecode's ``_resolve_subfield``: the first subfield whose reference matches."""
    if field.subfields:
        for sub in field.subfields:
            for ref in sub.ref_fields:
                for item, raw in raws:
                    if item[4] == ref.def_num and ref.raw_value == raw:
                        return sub, field
    return field, None


def _put(out: dict[str, Any], names: frozenset[str] | None, field: Any, value: Any) -> None:
    """``fit._values``: profile fields only; a later value wins unless it is missing."""
    name = field.name
    if (names is None or name in names) and (value is not None or name not in out):
        out[name] = value
