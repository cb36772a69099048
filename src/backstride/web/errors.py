"""Core errors shown as form errors: never a traceback for bad input (STYLE.md §6)."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from backstride.core.errors import BackstrideError


def add_core_error(form: forms.Form, error: BackstrideError,
                   aliases: Mapping[str, str] | None = None) -> None:
    """Attach ``error`` to the form field it names, or to the whole form."""
    field = (aliases or {}).get(error.field, error.field)
    message = error.message[:1].upper() + error.message[1:]
    if field in form.fields:
        form.add_error(field, message)
    else:
        form.add_error(None, message)
