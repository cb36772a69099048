"""IANA time zones a person can choose; each patient's sessions use their zone's dates."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime
from functools import cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every available IANA name, sorted; legacy aliases such as ``US/Pacific`` left out."""
    names = zoneinfo.available_timezones()
    regional = sorted(n for n in names if "/" in n and not n.startswith(("Etc/", "SystemV/")))
    return (*regional, "UTC")


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(_("Choose a time zone from the list."), code="invalid_time_zone")


def local_today(time_zone: str, now: datetime | None = None) -> date:
    """Today's date in ``time_zone`` (a session belongs to the patient's local date)."""
    moment = now or timezone.now()
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
