"""Reading a progression vignette (CLINICAL.md section 5, ``backstride decide``).

``parse_history(data)`` turns the JSON-like dict into ``(History, today)`` or
raises :class:`HistoryError` naming the field, e.g. ``sessions[1].pain_after``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from backstride.core import fields as f
from backstride.core.errors import HistoryError
from backstride.core.ladder import TOP_LEVEL
from backstride.core.progression import Checkin, History, SessionRecord, Status
from backstride.core.vocab import PAIN_SITES, RED_FLAGS, SESSION_STATUSES

E = HistoryError
_TOP = ("today", "level", "program_baseline_pain", "sessions", "checkins",
        "hold_progression", "running_paused", "level_set_by_clinician")  # C-OVERRIDE
_SESSION = ("date", "status", "pain_before", "pain_during", "pain_after",
            "pain_next_morning", "talk_test_ok", "other_pain", "symptoms", "run_seconds")
_CHECKIN = ("date", "rest_pain")
_ANNOTATIONS = ("id", "description", "notes", "expected")
_ANNOTATION_PREFIX = "_"  # "_comment" and the like, at any level
MAX_RUN_SECONDS = 3 * 60 * 60  # a run-walk session never holds 3 hours of running


def parse_history(data: object) -> tuple[History, date]:
    """Validate a decide vignette; returns the history and ``today``."""
    top = f.mapping(data, "input", E)
    f.reject_unknown(top, _TOP, "", E, annotations=_ANNOTATIONS,
                     annotation_prefix=_ANNOTATION_PREFIX)
    today = f.iso_date(f.get(top, "today", "today", E), "today", E)
    level = f.integer(f.get(top, "level", "level", E), "level", E, low=1, high=TOP_LEVEL)
    baseline = f.number(f.get(top, "program_baseline_pain", "program_baseline_pain", E),
                        "program_baseline_pain", E, low=0, high=10)
    sessions = f.sequence(f.get(top, "sessions", "sessions", E), "sessions", E)
    raw_checkins = f.get(top, "checkins", "checkins", E, required=False)
    checkins = [] if raw_checkins is None else f.sequence(raw_checkins, "checkins", E)
    records = tuple(_session(item, f"sessions[{i}]", today) for i, item in enumerate(sessions))
    rests = tuple(_checkin(item, f"checkins[{i}]", today) for i, item in enumerate(checkins))
    return History(
        level=level,
        program_baseline_pain=baseline,
        sessions=tuple(sorted(records, key=lambda s: s.date)),
        checkins=tuple(sorted(rests, key=lambda c: c.date)),
        hold_progression=_flag(top, "hold_progression"),
        running_paused=_flag(top, "running_paused"),
        level_set_by_clinician=_flag(top, "level_set_by_clinician"),
    ), today


def _flag(top: Mapping[str, object], key: str) -> bool:
    """An optional C-OVERRIDE flag; absent or ``null`` means no override."""
    value = f.get(top, key, key, E, required=False)
    return False if value is None else f.boolean(value, key, E)


def _session(item: object, path: str, today: date) -> SessionRecord:
    data = f.mapping(item, path, E)
    f.reject_unknown(data, _SESSION, path, E, annotation_prefix=_ANNOTATION_PREFIX)
    day = _date(data, path, today)
    status = Status(f.choice(f.get(data, "status", f"{path}.status", E), f"{path}.status",
                             E, SESSION_STATUSES))
    # A missed session has nothing to score; done and partial ones must be complete.
    needed = status is not Status.MISSED
    return SessionRecord(
        date=day,
        status=status,
        pain_before=_score(data, "pain_before", path, needed),
        pain_during=_score(data, "pain_during", path, needed),
        pain_after=_score(data, "pain_after", path, needed),
        pain_next_morning=_score(data, "pain_next_morning", path, False),
        talk_test_ok=_talk(data, path, needed),
        other_pain=_other_pain(data.get("other_pain"), f"{path}.other_pain"),
        symptoms=_symptoms(data.get("symptoms"), f"{path}.symptoms"),
        run_seconds=_run_seconds(data, path, needed),
    )


def _field(data: Mapping[str, object], key: str, path: str, required: bool) -> object:
    """The value at ``key``; ``null`` is as missing as an absent key when it is required."""
    value = f.get(data, key, f"{path}.{key}", E, required=required)
    if value is None and required:
        raise E(f"{path}.{key}", "is required")
    return value


def _score(data: Mapping[str, object], key: str, path: str, required: bool) -> int | None:
    value = _field(data, key, path, required)
    return None if value is None else f.score(value, f"{path}.{key}", E)


def _talk(data: Mapping[str, object], path: str, required: bool) -> bool | None:
    value = _field(data, "talk_test_ok", path, required)
    return None if value is None else f.boolean(value, f"{path}.talk_test_ok", E)


def _run_seconds(data: Mapping[str, object], path: str, required: bool) -> int:
    value = _field(data, "run_seconds", path, required)
    if value is None:
        return 0
    return f.integer(value, f"{path}.run_seconds", E, low=0, high=MAX_RUN_SECONDS)


def _other_pain(value: object, path: str) -> dict[str, int]:
    if value is None:
        return {}
    sites = f.mapping(value, path, E)
    return {
        f.choice(site, f"{path}.{site}", E, PAIN_SITES): f.score(score, f"{path}.{site}", E)
        for site, score in sites.items()
    }


def _symptoms(value: object, path: str) -> tuple[str, ...]:
    return () if value is None else f.ids(value, path, E, RED_FLAGS)


def _checkin(item: object, path: str, today: date) -> Checkin:
    data = f.mapping(item, path, E)
    f.reject_unknown(data, _CHECKIN, path, E, annotation_prefix=_ANNOTATION_PREFIX)
    day = _date(data, path, today)
    rest = f.score(f.get(data, "rest_pain", f"{path}.rest_pain", E), f"{path}.rest_pain", E)
    return Checkin(day, rest)


def _date(data: Mapping[str, object], path: str, today: date) -> date:
    """The ``date`` of a session or check-in: a real date, not after ``today``."""
    day = f.iso_date(f.get(data, "date", f"{path}.date", E), f"{path}.date", E)
    return f.not_after(day, today, f"{path}.date", E)
