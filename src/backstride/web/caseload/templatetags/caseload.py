"""Template filters of the clinician pages: names, percentages, short relative times."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from backstride.web.caseload.presentation import name_of

register = template.Library()


@register.filter
def person(user: object) -> str:
    """A user's full name, or their email when they gave no name."""
    return name_of(user)  # type: ignore[arg-type]


@register.filter
def percent(ratio: object) -> str:
    """0.714 → '71%'; ``None`` → '–' (nothing prescribed yet)."""
    if ratio is None:
        return "–"
    try:
        return f"{float(ratio) * 100:.0f}%"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"


@register.filter
def ago(moment: object) -> str:
    """A short 'how long ago': 'today', '3 d ago', '5 h ago', 'never'."""
    if moment is None:
        return _("never")
    if isinstance(moment, datetime):
        seconds = (timezone.now() - moment).total_seconds()
        if seconds < 3600:
            return _("%(n)d min ago") % {"n": max(seconds // 60, 1)}
        if seconds < 86400:
            return _("%(n)d h ago") % {"n": seconds // 3600}
        return _("%(n)d d ago") % {"n": seconds // 86400}
    if isinstance(moment, date):
        days = (timezone.localdate() - moment).days
        return _("today") if days <= 0 else _("%(n)d d ago") % {"n": days}
    return ""


@register.filter
def signed(value: object) -> str:
    """+1.3 / −0.7 / 0: a trend with its sign."""
    if value is None:
        return "–"
    number = float(value)  # type: ignore[arg-type]
    if number == 0:
        return "0"
    return f"+{number:g}" if number > 0 else f"−{abs(number):g}"
