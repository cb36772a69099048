"""Core errors shown as form errors: never a traceback for bad input (STYLE.md §6)."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError

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


def add_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's ``ValidationError`` to the fields it names, or to the whole form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
