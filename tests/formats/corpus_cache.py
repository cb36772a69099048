"""Corpus files, each parsed at most once per test session.

The corpus holds a 2.4 MB, 100k-record FIT file and a dozen large rides; every
test module that needs a parsed file asks here, so the whole formats suite
reads the corpus once.
"""

from __future__ import annotations

import functools
from pathlib import Path

from backstride.core.activity import Activity
from backstride.core.errors import ImportFormatError
from backstride.formats import read_activity
from tests.conftest import CORPUS

FORMAT_DIRS = ("fit", "gpx", "tcx")


def corpus_files() -> list[str]:
    """Every corpus file as "<dir>/<name>", sorted."""
    return sorted(
        f"{folder}/{path.name}"
        for folder in FORMAT_DIRS
        for path in (CORPUS / folder).iterdir()
        if path.is_file()
    )


def corpus_path(name: str) -> Path:
    return CORPUS / name


@functools.cache
def corpus_bytes(name: str) -> bytes:
    return corpus_path(name).read_bytes()


@functools.cache
def read_corpus(name: str) -> Activity | ImportFormatError:
    """The Activity read from corpus file ``name``, or the ImportFormatError it raised."""
    try:
        return read_activity(corpus_bytes(name), filename=Path(name).name)
    except ImportFormatError as exc:
        return exc


def activity(name: str) -> Activity:
    """The Activity of a corpus file that must be readable."""
    result = read_corpus(name)
    if isinstance(result, ImportFormatError):
        raise AssertionError(f"{name} should be readable: {result}")
    return result
