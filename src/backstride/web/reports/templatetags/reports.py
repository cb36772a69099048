"""Template filters of the reports: adverse-event types and questionnaire changes in words."""

from __future__ import annotations

from django import template

from backstride.web.adverse_events.models import AdverseEvent

register = template.Library()
_TYPES = dict(AdverseEvent.Type.choices)
_SERIOUSNESS = dict(AdverseEvent.Seriousness.choices)


@register.filter
def ae_type(value: object) -> str:
    return str(_TYPES.get(str(value), str(value)))


@register.filter
def seriousness(value: object) -> str:
    return str(_SERIOUSNESS.get(str(value), str(value)))


@register.filter
def score(value: object) -> str:
    """42.5 → '42.5'; 3.0 → '3'; None → '–'."""
    if value is None:
        return "–"
    number = float(value)  # type: ignore[arg-type]
    return f"{number:.1f}".removesuffix(".0")
