"""One patient's exportable record, as plain frozen dataclasses.

The writers in ``backstride.formats`` (FHIR, CSV) take a :class:`PatientExport`
and nothing else, so they never see Django: the web layer maps its rows into
these records in one place. Every record carries *our* stable id (a UUID string
in the web app), from which the writers derive their own stable ids
(STYLE.md, "stable exports").

The records are not checked when they are built; :func:`validate_export` checks
a whole export before anything is written, so a bad value (a pain of 11, a
naive timestamp) is an :class:`ExportError` naming the field, never a half-
written file or a traceback from a third-party library.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol, TypeVar

from backstride.core.errors import BackstrideError
from backstride.core.outcomes.adverse_events import AdverseEvent, AdverseEventType, Seriousness
from backstride.core.outcomes.measures import validate_pain
from backstride.core.outcomes.questionnaires import QuestionnaireScore
from backstride.core.plans import DayKind, PlanDay
from backstride.core.progression import Checkin, Decision, DecisionKind, SessionRecord, Status
from backstride.core.vocab import SEXES

_EMPTY: Mapping[str, float] = MappingProxyType({})
_Date = date  # inside a class with a ``date`` field, ``date`` names the field


class ExportError(BackstrideError):
    """A record cannot be exported: a value is out of range or the output is invalid."""


@dataclass(frozen=True, kw_only=True)
class PatientRecord:
    """The person: no name, no contact details (exports are pseudonymous).

    ``sex`` is one of ``vocab.SEXES`` or ``None`` (not given); ``birth_year``
    is a calendar year (an age would change between two exports);
    ``time_zone`` is an IANA key; ``program_baseline_pain`` is the mean pain
    at enrolment, 0-10.
    """

    id: str
    sex: str | None = None
    birth_year: int | None = None
    time_zone: str
    enrolled_on: date
    program_baseline_pain: float


@dataclass(frozen=True, kw_only=True)
class PlannedSession:
    """One planned day: ``level`` and ``running_seconds`` (s) are set on run-walk days."""

    id: str
    date: date
    kind: DayKind
    level: int | None = None
    running_seconds: int = 0
    title: str

    @classmethod
    def from_plan_day(cls, id: str, day: PlanDay) -> PlannedSession:
        """The export record of a :class:`~backstride.core.plans.PlanDay`."""
        prescription = day.prescription
        return cls(
            id=id, date=day.date, kind=day.kind, title=day.title,
            level=None if prescription is None else prescription.level,
            running_seconds=0 if prescription is None else prescription.running_seconds,
        )


@dataclass(frozen=True, kw_only=True)
class LoggedSession:
    """A logged session and the engine's decision after it.

    ``decision`` is a ``DecisionKind`` value; ``reasons`` are the rule ids of
    the decision; ``logged_at`` is when the log was saved, an aware datetime
    (stored in UTC).
    """

    id: str
    session: SessionRecord
    decision: str
    next_level: int
    reasons: tuple[str, ...] = ()
    logged_at: datetime

    @classmethod
    def from_decision(
        cls, id: str, session: SessionRecord, decision: Decision, *, logged_at: datetime
    ) -> LoggedSession:
        """The export record of a session and the :class:`Decision` taken after it."""
        return cls(
            id=id, session=session, decision=str(decision.decision),
            next_level=decision.next_level, reasons=decision.rules, logged_at=logged_at,
        )


@dataclass(frozen=True, kw_only=True)
class CheckinRecord:
    """A daily check-in (rest pain, 0-10) with its id."""

    id: str
    checkin: Checkin


@dataclass(frozen=True, kw_only=True)
class QuestionnaireRecord:
    """A completed questionnaire: answers (item id -> value, ``None`` = skipped) and scores.

    ``questionnaire`` is the definition's id (``"odi"``, ``"psfs"``); ``total``
    and ``subscales`` are in the scoring method's units; ``band`` is the
    matching band label, if any.
    """

    id: str
    questionnaire: str
    name: str
    date: date
    answers: Mapping[str, int | None]
    total: float
    subscales: Mapping[str, float] = field(default_factory=lambda: _EMPTY)
    band: str | None = None

    @classmethod
    def from_score(
        cls, id: str, *, name: str, day: _Date, answers: Mapping[str, int | None],
        score: QuestionnaireScore,
    ) -> QuestionnaireRecord:
        """The export record of ``answers``, given on ``day``, scored by ``score_questionnaire``."""
        return cls(
            id=id, questionnaire=score.questionnaire, name=name, date=day,
            answers=answers, total=score.total, subscales=score.subscales, band=score.band,
        )


@dataclass(frozen=True, kw_only=True)
class AdverseEventRecord:
    """An adverse event (O-AE) with its id."""

    id: str
    event: AdverseEvent


@dataclass(frozen=True, kw_only=True)
class PatientExport:
    """Everything exported for one patient. The tuples may come in any order."""

    patient: PatientRecord
    planned: tuple[PlannedSession, ...] = ()
    sessions: tuple[LoggedSession, ...] = ()
    checkins: tuple[CheckinRecord, ...] = ()
    questionnaires: tuple[QuestionnaireRecord, ...] = ()
    adverse_events: tuple[AdverseEventRecord, ...] = ()


# --- Checking an export -----------------------------------------------------------

_MIN_YEAR = 1000  # FHIR writes a birth year as exactly four digits


def validate_export(export: PatientExport, path: str = "") -> None:
    """Raise :class:`ExportError`, naming the field, unless ``export`` can be written.

    Checks ranges (pains 0-10, seconds and levels), vocabularies (sex, status,
    decision, adverse-event type), dates (no datetimes where a date belongs),
    that ``logged_at`` is aware, and that record ids are non-empty and unique
    per kind. ``path`` prefixes every field name (e.g. ``exports[3]``).
    """
    at = _At(path)
    _check_patient(export.patient, at / "patient")
    _each(export.planned, at / "planned", _check_planned)
    _each(export.sessions, at / "sessions", _check_logged)
    _each(export.checkins, at / "checkins", _check_checkin)
    _each(export.questionnaires, at / "questionnaires", _check_questionnaire)
    _each(export.adverse_events, at / "adverse_events", _check_adverse_event)


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_R = TypeVar("_R", bound=_Identified)


def _each(records: Sequence[_R], at: _At, check: Callable[[_R, _At], None]) -> None:
    """Check every record, and that each has its own non-empty id."""
    seen: set[str] = set()
    for i, record in enumerate(records):
        where = _At(f"{at}[{i}]")
        _text(record.id, where / "id")
        if record.id in seen:
            raise ExportError(str(where / "id"), f"{record.id!r} is used twice")
        seen.add(record.id)
        check(record, where)


@dataclass(frozen=True)
class _At:
    """A field path such as ``exports[2].sessions[0].session.pain_during``."""

    path: str

    def __truediv__(self, name: str) -> _At:
        return _At(f"{self.path}.{name}" if self.path else name)

    def __str__(self) -> str:
        return self.path


def _check_patient(patient: PatientRecord, at: _At) -> None:
    _text(patient.id, at / "id")
    if patient.sex is not None and patient.sex not in SEXES:
        allowed = ", ".join(SEXES)
        raise ExportError(str(at / "sex"), f"must be one of {allowed}, not {patient.sex!r}")
    _day(patient.enrolled_on, at / "enrolled_on")
    if patient.birth_year is not None:
        _whole(patient.birth_year, at / "birth_year", _MIN_YEAR, patient.enrolled_on.year)
    _code(patient.time_zone, at / "time_zone")
    _number(patient.program_baseline_pain, at / "program_baseline_pain", 0, 10)


def _check_planned(planned: PlannedSession, at: _At) -> None:
    _day(planned.date, at / "date")
    _member(planned.kind, DayKind, at / "kind")
    if planned.level is not None:
        _whole(planned.level, at / "level", 1)
    _whole(planned.running_seconds, at / "running_seconds", 0)
    _text(planned.title, at / "title")


def _check_logged(logged: LoggedSession, at: _At) -> None:
    _check_session(logged.session, at / "session")
    _member(logged.decision, DecisionKind, at / "decision")
    _whole(logged.next_level, at / "next_level", 1)
    for i, rule in enumerate(logged.reasons):
        _code(rule, at / f"reasons[{i}]")
    stamp = logged.logged_at
    if not isinstance(stamp, datetime) or stamp.utcoffset() is None:
        raise ExportError(str(at / "logged_at"), f"must be an aware datetime (UTC), not {stamp!r}")


def _check_session(session: SessionRecord, at: _At) -> None:
    _day(session.date, at / "date")
    _member(session.status, Status, at / "status")
    for name in ("pain_before", "pain_during", "pain_after", "pain_next_morning"):
        value = getattr(session, name)
        if value is not None:
            validate_pain(value, str(at / name), error=ExportError)
    if session.talk_test_ok is not None and not isinstance(session.talk_test_ok, bool):
        raise ExportError(str(at / "talk_test_ok"), f"must be true, false or empty, "
                          f"not {session.talk_test_ok!r}")
    for site, score in session.other_pain.items():
        _text(site, at / "other_pain")
        validate_pain(score, str(at / f"other_pain.{site}"), error=ExportError)
    for i, symptom in enumerate(session.symptoms):
        _code(symptom, at / f"symptoms[{i}]")
    _whole(session.run_seconds, at / "run_seconds", 0)


def _check_checkin(record: CheckinRecord, at: _At) -> None:
    _day(record.checkin.date, at / "checkin.date")
    validate_pain(record.checkin.rest_pain, str(at / "checkin.rest_pain"), error=ExportError)


def _check_questionnaire(record: QuestionnaireRecord, at: _At) -> None:
    _text(record.questionnaire, at / "questionnaire")
    _text(record.name, at / "name")
    _day(record.date, at / "date")
    for item, value in record.answers.items():
        _text(item, at / "answers")
        if value is not None:
            _whole(value, at / f"answers.{item}", -(2**31), 2**31 - 1)  # FHIR integer
    _number(record.total, at / "total")
    for name, score in record.subscales.items():
        _code(name, at / "subscales")
        _number(score, at / f"subscales.{name}")
    if record.band is not None:
        _text(record.band, at / "band")


def _check_adverse_event(record: AdverseEventRecord, at: _At) -> None:
    event = record.event
    _day(event.date, at / "event.date")
    _member(event.type, AdverseEventType, at / "event.type")
    _member(event.seriousness, Seriousness, at / "event.seriousness")
    if not isinstance(event.description, str):
        raise ExportError(str(at / "event.description"), "must be text")


# --- Small checks -------------------------------------------------------------------


def _text(value: object, at: _At) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ExportError(str(at), f"must be non-empty text, not {value!r}")
    return value


def _code(value: object, at: _At) -> None:
    """Non-empty text without leading, trailing or doubled whitespace (a FHIR code)."""
    if " ".join(_text(value, at).split()) != value:
        raise ExportError(str(at), f"must not have stray whitespace: {value!r}")


def _day(value: object, at: _At) -> None:
    # A datetime is a date too, but these are local calendar dates, not instants.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ExportError(str(at), f"must be a calendar date, not {value!r}")


def _whole(value: object, at: _At, low: int, high: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ExportError(str(at), f"must be a whole number, not {value!r}")
    if value < low or (high is not None and value > high):
        upper = "" if high is None else f" and at most {high}"
        raise ExportError(str(at), f"must be at least {low}{upper}, not {value}")


def _number(value: object, at: _At, low: float = -math.inf, high: float = math.inf) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ExportError(str(at), f"must be a finite number, not {value!r}")
    if not low <= value <= high:
        raise ExportError(str(at), f"must be between {low:g} and {high:g}, not {value:g}")


def _member(value: object, enum: type[StrEnum], at: _At) -> None:
    allowed = [member.value for member in enum]
    if not isinstance(value, str) or value not in allowed:
        raise ExportError(str(at), f"must be one of {', '.join(allowed)}, not {value!r}")

