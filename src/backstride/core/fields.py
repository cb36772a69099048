"""Strict readers for JSON-like input, raising typed errors that name the field.

Used wherever the core takes a dict (vignette files, API bodies): booleans
are never numbers, numbers are never booleans, scores are whole numbers 0-10,
and a missing required field is reported by its path (``sessions[2].date``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from backstride.core.errors import BackstrideError

_MISSING = object()

ErrorType = type[BackstrideError]


def get(data: Mapping[str, object], key: str, path: str, error: ErrorType,
        *, required: bool = True) -> object:
    """The value at ``key``; ``None`` when optional and absent."""
    value = data.get(key, _MISSING)
    if value is _MISSING:
        if required:
            raise error(path, "is required")
        return None
    return value


def mapping(value: object, path: str, error: ErrorType) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise error(path, "must be an object")
    return value


def sequence(value: object, path: str, error: ErrorType) -> Sequence[object]:
    if not isinstance(value, list | tuple):
        raise error(path, "must be a list")
    return value


def boolean(value: object, path: str, error: ErrorType) -> bool:
    if not isinstance(value, bool):
        raise error(path, "must be true or false")
    return value


def integer(value: object, path: str, error: ErrorType, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise error(path, f"must be a whole number from {low} to {high}")
    if not low <= value <= high:
        raise error(path, f"must be from {low} to {high}, not {value}")
    return value


def number(value: object, path: str, error: ErrorType, *, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise error(path, f"must be a number from {low:g} to {high:g}")
    if not low <= value <= high:  # also rejects NaN
        raise error(path, f"must be from {low:g} to {high:g}, not {value:g}")
    return float(value)


def score(value: object, path: str, error: ErrorType) -> int:
    """A 0-10 pain score: a whole number."""
    return integer(value, path, error, low=0, high=10)


def iso_date(value: object, path: str, error: ErrorType) -> date:
    if not isinstance(value, str):
        raise error(path, "must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise error(path, f"must be a date written YYYY-MM-DD, not {value!r}") from None


def choice(value: object, path: str, error: ErrorType, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise error(path, f"must be one of {', '.join(allowed)}, not {value!r}")
    return value


def ids(value: object, path: str, error: ErrorType, allowed: Sequence[str]) -> tuple[str, ...]:
    """A list of vocabulary ids, de-duplicated in first-seen order."""
    items = sequence(value, path, error)
    for index, item in enumerate(items):
        if not isinstance(item, str) or item not in allowed:
            raise error(f"{path}[{index}]", f"unknown id {item!r}; allowed: {', '.join(allowed)}")
    return tuple(dict.fromkeys(str(item) for item in items))


def reject_unknown(data: Mapping[str, object], known: Sequence[str], path: str,
                   error: ErrorType, *, annotations: Sequence[str] = ()) -> None:
    """Unknown keys are typos until proven otherwise; ``_``-keys are annotations."""
    for key in data:
        if key not in known and key not in annotations and not str(key).startswith("_"):
            raise error(f"{path}{key}", "is not a known field")
