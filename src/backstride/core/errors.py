"""Typed errors raised by the clinical core.

Every error names the offending field so that the CLI, the API and the web
pages can tell a person exactly what to fix (STYLE.md, "one error shape").
"""

from __future__ import annotations


class BackstrideError(ValueError):
    """Base class of every error the core raises for bad input."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


class ScreeningError(BackstrideError):
    """A screening (triage input) is incomplete or out of range."""


class HistoryError(BackstrideError):
    """A session history (progression input) is incomplete or out of range."""


class PlanError(BackstrideError):
    """Plan preferences cannot produce a safe schedule."""


class QuestionnaireError(BackstrideError):
    """A questionnaire definition or a set of answers is invalid."""


class ImportFormatError(BackstrideError):
    """An activity file could not be read."""
