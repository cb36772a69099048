"""A local message definition compiled to one struct, and fitdecode's value rules."""

from __future__ import annotations

import struct
from collections.abc import Mapping
from typing import Any

from fitdecode import profile, types

TIMESTAMP = profile.FIELD_NUM_TIMESTAMP
MESG_HR = profile.MESG_NUM_HR  # hr.event_timestamp_12: fitdecode's special case
MESG_DEVELOPER_DATA_ID = profile.MESG_NUM_DEVELOPER_DATA_ID
MESG_FIELD_DESCRIPTION = profile.MESG_NUM_FIELD_DESCRIPTION
BYTE = types.BASE_TYPE_BYTE
SPECIAL = (MESG_DEVELOPER_DATA_ID, MESG_FIELD_DESCRIPTION, MESG_HR)  # always followed


class Definition:
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
        self.decode = self.name in wanted or global_num in SPECIAL
        self.dev_time = False
        fmt, index = [endian], 0
        # (slice of struct values, base type, profile field, def_num) of every field we read
        self.live: list[tuple[int, int, Any, Any, int]] = []
        self.plan: list[tuple[Any, ...]] = []  # the same, ready for _Part._simple
        self.times: list[tuple[int, int, Any]] = []
        needed = [self._needed(field, def_num) for field, def_num, _base, _size in fields]
        # A subfield is chosen by the raw values of the other fields: read them all then.
        self.raw_all = self.decode and any(
            need and has_subfields(global_num, field)
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
        if self.global_num in SPECIAL:
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


def has_subfields(global_num: int, field: Any) -> bool:
    if field is None:
        return False
    targets = [field]
    if field.components:
        fields = profile.MESSAGE_TYPES[global_num].fields
        targets += [fields[c.def_num] for c in field.components]
    return any(t.subfields for t in targets)


def raw_value(values: tuple[Any, ...], start: int, end: int, base: Any) -> Any:
    """fitdecode's raw value: invalid values → None, arrays → tuples."""
    if base is BYTE or base.identifier == BYTE.identifier:
        return base.parse(values[start:end])
    if end - start > 1:
        return tuple(base.parse(v) for v in values[start:end])
    return base.parse(values[start])


def scale_offset(field: Any, raw: Any) -> Any:
    """fitdecode's ``_apply_scale_offset``."""
    if isinstance(raw, tuple):
        return tuple(scale_offset(field, x) for x in raw)
    if isinstance(raw, int | float):
        if field.scale:
            raw = float(raw) / field.scale
        if field.offset:
            raw = raw - field.offset
    return raw


def accumulated(raw: int, accumulation: int, bits: int) -> int:
    """fitdecode's ``_apply_compressed_accumulation``."""
    top = 1 << bits
    mask = top - 1
    value = raw + (accumulation & ~mask)
    if raw < (accumulation & mask):
        value += top
    return value
