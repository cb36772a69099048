"""Template filters for durations, pain scores and rule/source ids."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from backstride.core.vocab import LABELS

register = template.Library()


@register.filter
def duration(seconds: object) -> str:
    """90 → '1 min 30 s'; 300 → '5 min'; 15 → '15 s'."""
    try:
        total = int(seconds)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""
    minutes, secs = divmod(total, 60)
    if minutes and secs:
        return _("%(m)d min %(s)d s") % {"m": minutes, "s": secs}
    if minutes:
        return _("%(m)d min") % {"m": minutes}
    return _("%(s)d s") % {"s": secs}


@register.filter
def minutes(seconds: object) -> str:
    try:
        return f"{int(seconds) / 60:.0f}"  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""


@register.filter
def get_item(mapping: object, key: object) -> object:
    try:
        return mapping[key]  # type: ignore[index]
    except (KeyError, TypeError, IndexError):
        return None


@register.filter
def vocab_label(vocab_id: object) -> str:
    """A vocabulary id (red flag, condition, site) in plain words."""
    return _(LABELS.get(str(vocab_id), str(vocab_id)))


@register.filter
def clock(seconds: object) -> str:
    """300 → '5:00', as the timer shows it."""
    try:
        total = int(seconds)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""
    return f"{total // 60}:{total % 60:02d}"


@register.filter
def km(metres: object) -> str:
    """9007.1 → '9.01' (kilometres, two decimals)."""
    try:
        return f"{float(metres) / 1000:.2f}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
