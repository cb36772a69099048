"""The FIT checksum (CRC-16/ARC), two bytes per step."""

from __future__ import annotations

import sys
from array import array
from functools import cache


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
