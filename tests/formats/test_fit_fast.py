"""The FIT fast path reads exactly what fitdecode reads, or hands the file to fitdecode.

``formats._fit_fast`` exists for speed (issue 8: bench/results.md); these tests
are what makes it safe: on every corpus file, and on truncated and corrupted
copies of them, ``read_fit`` gives the same Activity (or the same refusal) as
the fitdecode path alone.
"""

from __future__ import annotations

import random

import pytest
from fitdecode.utils import compute_crc

from backstride.core.activity import Activity
from backstride.core.errors import ImportFormatError
from backstride.formats import _fit_fast, fit
from tests.formats.corpus_cache import corpus_bytes, corpus_files

FIT_FILES = [name for name in corpus_files() if name.startswith("fit/")]
# Damaged files: the fast path must step aside, so fitdecode's tolerance applies.
DAMAGED = {
    "fit/fitparse__activity-settings-corruptheader.fit",
    "fit/fitparse__activity-settings-nodata.fit",
    "fit/fitparse__activity-unexpected-eof.fit",
    "fit/fitparse__nick.fit",
    "fit/fitparse__strava-android-app-201.10-b1218918.fit",
}
SMALL_FIT = [name for name in FIT_FILES if len(corpus_bytes(name)) <= 30_000]


def with_fitdecode(data: bytes) -> Activity | str:
    try:
        return fit._Reader().read(fit._fitdecode_events(data), fast=False)
    except ImportFormatError as exc:
        return exc.message


def with_fast_path(data: bytes) -> Activity | str | None:
    """None when the fast path steps aside."""
    try:
        return fit._Reader().read(_fit_fast.events(data, fit.WANTED), fast=True)
    except _fit_fast.Unsupported:
        return None
    except ImportFormatError as exc:
        return exc.message


def read(data: bytes) -> Activity | str:
    try:
        return fit.read_fit(data)
    except ImportFormatError as exc:
        return exc.message


@pytest.mark.parametrize("name", FIT_FILES)
def test_every_intact_corpus_file_takes_the_fast_path_with_fitdecodes_values(name: str) -> None:
    data = corpus_bytes(name)
    fast = with_fast_path(data)
    if name in DAMAGED:
        assert fast is None
    else:
        assert fast is not None, f"{name} should not need fitdecode"
        assert with_fitdecode(data) == fast


@pytest.mark.parametrize("name", SMALL_FIT)
def test_a_truncated_or_corrupted_file_reads_as_fitdecode_reads_it(name: str) -> None:
    data = corpus_bytes(name)
    rng = random.Random(name)
    variants = [data[:rng.randrange(1, len(data))] for _ in range(6)]
    for _ in range(10):
        damaged = bytearray(data)
        for _ in range(rng.choice((1, 3))):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        variants.append(bytes(damaged))
    for variant in variants:
        assert with_fitdecode(variant) == read(variant)


@pytest.mark.parametrize("size", [0, 1, 2, 13, 14, 1001])
def test_the_checksum_is_fitdecodes(size: int) -> None:
    data = random.Random(size).randbytes(size)
    expected = compute_crc(data) if size else 0
    assert expected == _fit_fast.crc16(data, 0, size)
