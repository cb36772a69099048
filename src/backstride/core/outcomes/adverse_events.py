"""Adverse events, recorded with a type and a seriousness (O-AE).

The types are the ones ASTEROID-2025 reported (7 of its 9 events were
lower-limb pain). ``parse_adverse_event`` turns a JSON-compatible record into
an :class:`AdverseEvent`; every error names the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from backstride.core import fields as f
from backstride.core.errors import BackstrideError


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
    f.mapping(data, path or "adverse_event", BackstrideError)
    f.reject_unknown(data, _FIELDS, path, BackstrideError)
    f.require_keys(data, _FIELDS, path, BackstrideError)
    kind = _choice(AdverseEventType, data["type"], f.at(path, "type"))
    return AdverseEvent(
        date=_event_date(data["date"], f.at(path, "date"), today),
        type=kind,
        seriousness=_choice(Seriousness, data["seriousness"], f.at(path, "seriousness")),
        description=_description(data["description"], f.at(path, "description"), kind),
    )


def adverse_event_counts(
    events: Iterable[AdverseEvent],
) -> dict[AdverseEventType, dict[Seriousness, int]]:
    """Events counted by type and seriousness, every combination present (cohort report)."""
    counts = {kind: dict.fromkeys(Seriousness, 0) for kind in AdverseEventType}
    for event in events:
        counts[event.type][event.seriousness] += 1
    return counts


def _choice(enum: type[_E], value: object, field: str) -> _E:
    return enum(f.choice(value, field, BackstrideError, [member.value for member in enum]))


def _event_date(value: object, field: str, today: date | None) -> date:
    # A datetime is a date too, but an event has a local date, not an instant.
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    else:
        day = f.iso_date(value, field, BackstrideError)
    return day if today is None else f.not_after(day, today, field, BackstrideError)


def _description(value: object, field: str, kind: AdverseEventType) -> str:
    # Type "other" says nothing by itself: its description is the only account.
    return f.text(value, field, BackstrideError, allow_blank=kind is not AdverseEventType.OTHER)
