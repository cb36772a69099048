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
from collections.abc import Iterator, Mapping
from typing import Any

from fitdecode import profile, types

from backstride.formats._fit_fast.crc import crc16
from backstride.formats._fit_fast.definition import (
    BYTE,
    MESG_DEVELOPER_DATA_ID,
    MESG_FIELD_DESCRIPTION,
    MESG_HR,
    SPECIAL,
    TIMESTAMP,
    Definition,
    accumulated,
    raw_value,
    scale_offset,
)

__all__ = ["Event", "Unsupported", "crc16", "events"]

Event = tuple[str, Any, Any]  # ("header", crc_matched, None) · ("crc", matched, None) ·
#                               ("message", name, values)

HEADER = struct.Struct("<2BHI4s")
HEADER_SIZES = (12, 14)  # FIT protocol 1.0 and 2.0 headers; anything else: fitdecode
U16 = struct.Struct("<H")
HR_EVENT_TIMESTAMP = profile.FIELD_NUM_HR_EVENT_TIMESTAMP
HR_EVENT_TIMESTAMP_12 = profile.FIELD_NUM_HR_EVENT_TIMESTAMP_12


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


# --- One part of a chained file -----------------------------------------------------------


class _Part:
    """The state of one FIT file of a chain, as fitdecode keeps it."""

    def __init__(self, data: bytes, wanted: Mapping[str, frozenset[str] | None]) -> None:
        self.data, self.wanted = data, wanted
        self.definitions: dict[int, Definition] = {}
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
        self.definitions[local] = Definition(global_num, endian, fields, devs, self.wanted)
        return pos

    def _message(self, definition: Definition, values: tuple[Any, ...],
                 offset: int | None) -> Event | None:
        last = self.last
        for start, stop, base in definition.times:
            raw = raw_value(values, start, stop, base)
            if raw is not None:
                self.time = self.last = raw
        if definition.global_num == MESG_HR:
            self._hr(definition, values, last)
        if not definition.decode or definition.global_num == MESG_HR:
            if offset is not None:
                self.time = accumulated(offset, self.time, 5)
            return None
        if not definition.raw_all and definition.global_num not in SPECIAL:
            out = self._simple(definition, values)
        else:
            out = self._general(definition, values)
        names = definition.wanted
        if offset is not None:
            self.time = accumulated(offset, self.time, 5)
            stamp = profile.FIELD_TYPE_TIMESTAMP
            _put(out, names, stamp, stamp.render(self.time))
        if definition.name not in self.wanted:
            return None
        return ("message", definition.name, out)

    def _simple(self, definition: Definition, values: tuple[Any, ...]) -> dict[str, Any]:
        """The hot path (records): no subfields, so each field is decoded on its own."""
        out: dict[str, Any] = {}
        names = definition.wanted
        for start, stop, parse, base, field, enum, scaled, name, keep, targets in definition.plan:
            raw = parse(values[start]) if parse is not None \
                else raw_value(values, start, stop, base)
            if targets:
                self._expand(definition.global_num, targets, raw, out, names)
            if not keep:
                continue
            value = raw
            if raw is not None:
                if enum and raw in enum:
                    value = enum[raw]
                elif scaled:
                    value = scale_offset(field, raw)
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
                value = accumulated(value, accumulator[component.def_num], component.bits)
                accumulator[component.def_num] = value
            _put(out, names, target, target.render(scale_offset(component, value)))

    def _general(self, definition: Definition, values: tuple[Any, ...]) -> dict[str, Any]:
        """fitdecode's ``_read_data_message``, step by step, for messages with subfields."""
        raws = [(item, raw_value(values, item[0], item[1], item[2])) for item in definition.live]
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
            _put(out, names, field, scale_offset(field, field.render(raw)))
        return out

    def _components(self, definition: Definition, field: Any, raw: Any,
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
                value = accumulated(value, accumulator[component.def_num], component.bits)
                accumulator[component.def_num] = value
            value = scale_offset(component, value)
            target, _parent = _subfield(fields[component.def_num], raws)
            _put(out, names, target, target.render(value))

    def _hr(self, definition: Definition, values: tuple[Any, ...], last: int) -> None:
        """Follow fitdecode through a heart-rate message; Unsupported where it would fault.

        fitdecode adds the time of the last ``event_timestamp`` to every
        ``event_timestamp_12`` component, asserting there was one: in a file
        without it, decoding stops there (and the tolerant reader keeps what
        came before). The values themselves are not used.
        """
        if definition.dev_time:
            raise Unsupported("developer timestamp in a heart-rate message")
        for start, stop, base, field, def_num in definition.live:
            raw = raw_value(values, start, stop, base)
            if def_num == HR_EVENT_TIMESTAMP_12 and field is not None and field.components:
                for component in field.components:
                    try:
                        value = component.render(raw)
                    except ValueError:
                        continue
                    if component.accumulate and value is not None:
                        accumulator = self.accumulators[MESG_HR]
                        value = accumulated(value, accumulator[component.def_num],
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
