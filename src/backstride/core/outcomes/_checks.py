"""Checks shared by the outcome measures: whole numbers, finite numbers, text.

Each check names the field it looked at, so a person can be told exactly what
to fix (STYLE.md, "one error shape"). ``error`` lets a caller raise its own
error type (``ScreeningError``, ``HistoryError``, ...).
"""

from __future__ import annotations

import math

from backstride.core.errors import BackstrideError


def require_int(
    value: object,
    field: str,
    low: int,
    high: int | None = None,
    *,
    error: type[BackstrideError] = BackstrideError,
) -> int:
    """``value`` as a whole number in ``low..high`` (inclusive; no upper end if ``None``).

    Booleans and floats (even ``3.0``) are refused: a ``True`` or a ``2.5``
    in a 0-10 rating is a bug upstream, not a score.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise error(field, f"must be a whole number, not {value!r}")
    _require_range(value, field, low, high, error)
    return value


def require_number(
    value: object,
    field: str,
    low: float,
    high: float | None = None,
    *,
    error: type[BackstrideError] = BackstrideError,
) -> float:
    """``value`` as a finite float in ``low..high`` (inclusive); booleans are refused."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise error(field, f"must be a number, not {value!r}")
    if not math.isfinite(value):
        raise error(field, f"must be a finite number, not {value!r}")
    _require_range(value, field, low, high, error)
    return float(value)


def require_text(
    value: object, field: str, *, error: type[BackstrideError] = BackstrideError
) -> str:
    """``value`` as a string with at least one non-blank character."""
    if not isinstance(value, str) or not value.strip():
        raise error(field, f"must be non-empty text, not {value!r}")
    return value


def _require_range(
    value: float,
    field: str,
    low: float,
    high: float | None,
    error: type[BackstrideError],
) -> None:
    if high is None and value < low:
        raise error(field, f"must be at least {low:g}, not {value:g}")
    if high is not None and not low <= value <= high:
        raise error(field, f"must be between {low:g} and {high:g}, not {value:g}")
