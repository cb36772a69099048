"""Strict readers for JSON-like input, raising typed errors that name the field.

The one place the core checks data it was handed (a screening, a decide
vignette, a questionnaire definition, an adverse event, an API body):

* booleans are never numbers and numbers are never booleans;
* NaN, infinity and integers too large for a float are refused;
* pain scores are whole numbers 0-10;
* dates are written ``YYYY-MM-DD`` and are real dates;
* an unknown key is a typo until proven otherwise.

Every reader takes the value, its path (``sessions[2].date``; ``""`` for the
whole input) and the :class:`BackstrideError` subclass to raise, so each
caller keeps its own error type (STYLE.md, "one error shape").
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import date

from backstride.core.errors import BackstrideError

ErrorType = type[BackstrideError]

SCORE_MIN, SCORE_MAX = 0, 10  # a 0-10 numeric rating scale, in points
# date.fromisoformat also reads 20260312 and 2026-W11-4 (Python 3.11); we take only one form.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SHOWN_MAX = 60  # characters of a bad value quoted in a message
_MISSING = object()


# --- Paths and messages ----------------------------------------------------------


def at(path: str, key: str) -> str:
    """The path of ``key`` in the object at ``path``: ``sessions[0].date``, or ``date``."""
    return f"{path}.{key}" if path else key


def shown(value: object) -> str:
    """A short JSON-like rendering of a bad value for an error message."""
    try:
        text = json.dumps(value, default=repr)
    except (TypeError, ValueError):  # non-text keys, cycles: still say what it was
        text = repr(value)
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 3] + "..."


def number_text(value: float | None) -> str:
    """A number as a person writes it: 6, 6.5, never 6.0 (nor 7 for 6.9999999)."""
    if value is None:
        return "none"
    if isinstance(value, int):
        return str(value)
    return str(int(value)) if value.is_integer() else str(value)


# --- Objects and lists -----------------------------------------------------------


def mapping(value: object, path: str, error: ErrorType) -> Mapping[str, object]:
    """``value`` as a JSON object (any :class:`~collections.abc.Mapping`)."""
    if not isinstance(value, Mapping):
        raise error(path, f"must be a JSON object, not {shown(value)}")
    return value


def get(data: Mapping[str, object], key: str, path: str, error: ErrorType,
        *, required: bool = True) -> object:
    """The value at ``key``; ``None`` when optional and absent."""
    value = data.get(key, _MISSING)
    if value is _MISSING:
        if required:
            raise error(path, "is required")
        return None
    return value


def require_keys(data: Mapping[str, object], keys: Sequence[str], path: str,
                 error: ErrorType) -> None:
    """Every one of ``keys`` is present in the object at ``path`` (``null`` counts)."""
    for key in keys:
        if key not in data:
            raise error(at(path, key), "is required")


def reject_unknown(data: Mapping[str, object], known: Sequence[str], path: str,
                   error: ErrorType, *, annotations: Sequence[str] = (),
                   annotation_prefix: str | None = None) -> None:
    """Refuse a key of the object at ``path`` that is neither ``known`` nor an annotation.

    Unknown keys are typos until proven otherwise. Where people annotate their
    files, ``annotations`` and keys starting with ``annotation_prefix`` are not read.
    """
    for key in data:
        if not isinstance(key, str):
            raise error(at(path, str(key)), "field names must be text")
        annotated = key in annotations or (
            annotation_prefix is not None and key.startswith(annotation_prefix)
        )
        if key not in known and not annotated:
            raise error(at(path, key), f"unknown field; expected one of {', '.join(known)}")


def sequence(value: object, path: str, error: ErrorType, *, at_least: int = 0) -> Sequence[object]:
    """``value`` as a list (a JSON array, or a tuple) of ``at_least`` items or more."""
    if not isinstance(value, list | tuple):
        raise error(path, f"must be a list, not {shown(value)}")
    if len(value) < at_least:
        raise error(path, f"must list at least {at_least}, not {len(value)}")
    return value


# --- Scalars ---------------------------------------------------------------------


def boolean(value: object, path: str, error: ErrorType) -> bool:
    """``true`` or ``false``; 0 and 1 are not answers to a yes/no question."""
    if not isinstance(value, bool):
        raise error(path, f"must be true or false, not {shown(value)}")
    return value


def integer(value: object, path: str, error: ErrorType, *,
            low: float | None = None, high: float | None = None) -> int:
    """A whole number in ``low..high`` (inclusive; ``None`` leaves that end open).

    Booleans and floats (even ``3.0``) are refused: a ``true`` age or a 2.5 in
    a 0-10 rating is a bug upstream, not a value.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise error(path, f"must be a whole number, not {shown(value)}")
    _check_range(value, path, error, low, high)
    return value


def number(value: object, path: str, error: ErrorType, *,
           low: float | None = None, high: float | None = None) -> float:
    """A finite number in ``low..high`` (inclusive; ``None`` leaves that end open), as a float.

    Booleans, NaN, infinity and integers too large for a float are refused.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise error(path, f"must be a number, not {shown(value)}")
    try:
        real = float(value)
    except OverflowError:  # a 400-digit integer is no more usable than infinity
        real = math.inf
    if not math.isfinite(real):
        raise error(path, f"must be a finite number, not {shown(value)}")
    _check_range(real, path, error, low, high)
    return real


def score(value: object, path: str, error: ErrorType) -> int:
    """A 0-10 pain score, in points: a whole number."""
    return integer(value, path, error, low=SCORE_MIN, high=SCORE_MAX)


def text(value: object, path: str, error: ErrorType, *, allow_blank: bool = False) -> str:
    """A string; one with a non-blank character unless ``allow_blank``."""
    if not isinstance(value, str):
        raise error(path, f"must be text, not {shown(value)}")
    if not allow_blank and not value.strip():
        raise error(path, f"must be non-empty text, not {shown(value)}")
    return value


def iso_date(value: object, path: str, error: ErrorType) -> date:
    """A calendar date written ``YYYY-MM-DD``."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise error(path, f"must be a date written YYYY-MM-DD, not {shown(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise error(path, f"must be a real date, not {shown(value)}") from None


def not_after(day: date, today: date, path: str, error: ErrorType) -> date:
    """``day``, unless it is after ``today`` (nothing is logged in the future)."""
    if day > today:
        raise error(path, f"{day.isoformat()} is after today ({today.isoformat()})")
    return day


def choice(value: object, path: str, error: ErrorType, allowed: Sequence[str]) -> str:
    """One of the ``allowed`` ids (or enum values)."""
    if not isinstance(value, str) or value not in allowed:
        raise error(path, f"must be one of {', '.join(allowed)}, not {shown(value)}")
    return value


def ids(value: object, path: str, error: ErrorType, allowed: Sequence[str],
        *, item_paths: bool = True) -> tuple[str, ...]:
    """A list of ``allowed`` ids, de-duplicated in first-seen order.

    An unknown id is reported at its own path (``symptoms[1]``), or at
    ``path`` itself when ``item_paths`` is false (a form shows one error a field).
    """
    items = sequence(value, path, error)
    for index, item in enumerate(items):
        if not isinstance(item, str) or item not in allowed:
            where = f"{path}[{index}]" if item_paths else path
            raise error(where, f"unknown id {shown(item)}; allowed: {', '.join(allowed)}")
    return tuple(dict.fromkeys(str(item) for item in items))


def _check_range(value: float, path: str, error: ErrorType,
                 low: float | None, high: float | None) -> None:
    if (low is not None and value < low) or (high is not None and value > high):
        raise error(path, f"must be {_wanted(low, high)}, not {number_text(value)}")


def _wanted(low: float | None, high: float | None) -> str:
    if high is None:
        return f"{number_text(low)} or more"
    if low is None:
        return f"{number_text(high)} or less"
    return f"between {number_text(low)} and {number_text(high)}"
