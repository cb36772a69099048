"""Adverse events, recorded with a type and a seriousness (O-AE).

The types are the ones ASTEROID-2025 reported (7 of its 9 events were
lower-limb pain). ``parse_adverse_event`` turns a JSON-compatible record into
an :class:`AdverseEvent`; every error names the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from backstride.core.errors import BackstrideError
from backstride.core.outcomes._checks import require_text


class AdverseEventType(StrEnum):
    """What happened (O-AE)."""

    LOWER_LIMB_PAIN = "lower_limb_pain"
    BACK_PAIN_FLARE = "back_pain_flare"
    FALL = "fall"
    CARDIOVASCULAR_OR_FAINTING = "cardiovascular_or_fainting"
    OTHER = "other"


class Seriousness(StrEnum):
    """Whether the event was serious (O-AE)."""

    NON_SERIOUS = "non_serious"
    SERIOUS = "serious"


@dataclass(frozen=True)
class AdverseEvent:
    """One adverse event: the local ``date`` it began, its type and seriousness."""

    date: date
    type: AdverseEventType
    seriousness: Seriousness
    description: str

    def as_dict(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "type": str(self.type),
            "seriousness": str(self.seriousness),
            "description": self.description,
        }


_E = TypeVar("_E", AdverseEventType, Seriousness)
_FIELDS = ("date", "type", "seriousness", "description")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_adverse_event(
    data: Mapping[str, object], *, today: date | None = None, path: str = ""
) -> AdverseEvent:
    """An :class:`AdverseEvent` from ``{"date", "type", "seriousness", "description"}``.

    ``date`` is an ISO ``YYYY-MM-DD`` string (or a ``date``), not after
    ``today`` when it is given. ``description`` may be empty except for type
    ``other``, where it is the only account of what happened. Errors are
    :class:`BackstrideError` naming the field, prefixed by ``path``
    (e.g. ``adverse_events[2].type``).
    """
    if not isinstance(data, Mapping):
        raise BackstrideError(path or "adverse_event", "must be an object")
    _require_fields(data, path)
    kind = _choice(AdverseEventType, data["type"], _at(path, "type"))
    return AdverseEvent(
        date=_event_date(data["date"], _at(path, "date"), today),
        type=kind,
        seriousness=_choice(Seriousness, data["seriousness"], _at(path, "seriousness")),
        description=_description(data["description"], _at(path, "description"), kind),
    )


def adverse_event_counts(
    events: Iterable[AdverseEvent],
) -> dict[AdverseEventType, dict[Seriousness, int]]:
    """Events counted by type and seriousness, every combination present (cohort report)."""
    counts = {kind: dict.fromkeys(Seriousness, 0) for kind in AdverseEventType}
    for event in events:
        counts[event.type][event.seriousness] += 1
    return counts


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _require_fields(data: Mapping[str, object], path: str) -> None:
    for key in data:
        if key not in _FIELDS:
            raise BackstrideError(_at(path, str(key)), "is not a field of an adverse event")
    for key in _FIELDS:
        if key not in data:
            raise BackstrideError(_at(path, key), "is required")


def _choice(enum: type[_E], value: object, field: str) -> _E:
    if isinstance(value, str) and value in {member.value for member in enum}:
        return enum(value)
    known = ", ".join(member.value for member in enum)
    raise BackstrideError(field, f"unknown value {value!r}; one of {known}")


def _event_date(value: object, field: str, today: date | None) -> date:
    # A datetime is a date too, but an event has a local date, not an instant.
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
        day = _iso_date(value, field)
    else:
        raise BackstrideError(field, f"must be a date as YYYY-MM-DD, not {value!r}")
    if today is not None and day > today:
        raise BackstrideError(field, f"{day.isoformat()} is after today ({today.isoformat()})")
    return day


def _iso_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BackstrideError(field, f"{value!r} is not a real date") from None


def _description(value: object, field: str, kind: AdverseEventType) -> str:
    if kind is AdverseEventType.OTHER:
        return require_text(value, field)
    if not isinstance(value, str):
        raise BackstrideError(field, f"must be text, not {value!r}")
    return value
