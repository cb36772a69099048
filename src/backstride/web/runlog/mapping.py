"""ORM rows ↔ ``core.progression`` dataclasses. The only place they meet."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from backstride.core import progression as core
from backstride.web.runlog.models import Checkin, SessionLog


def to_session_record(log: SessionLog) -> core.SessionRecord:
    return core.SessionRecord(
        date=log.date,
        status=core.Status(log.status),
        pain_before=log.pain_before,
        pain_during=log.pain_during,
        pain_after=log.pain_after,
        pain_next_morning=log.pain_next_morning,
        talk_test_ok=log.talk_test_ok,
        other_pain={site: int(score) for site, score in log.other_pain.items()},
        symptoms=tuple(log.symptoms),
        run_seconds=log.run_seconds,
    )


@dataclass(frozen=True)
class OverrideState:
    """What a patient's clinicians have set (C-OVERRIDE), as the web stores it.

    ``level`` and ``level_set_at``: the latest level a clinician set, and when.
    ``red_flags_cleared_at``: when a clinician last cleared a red-flag lock.
    """

    running_paused: bool = False
    hold_progression: bool = False
    level: int | None = None
    level_set_at: datetime | None = None
    red_flags_cleared_at: datetime | None = None


NO_OVERRIDES = OverrideState()


def to_history(
    *, baseline_pain: float, logs: Iterable[SessionLog], checkins: Iterable[Checkin],
    before: date | None = None, overrides: OverrideState = NO_OVERRIDES,
) -> core.History:
    """The engine's view of a patient: ``level`` is the latest session's level (1 if none).

    ``before`` leaves out sessions on or after that date (the prescription a
    session was given is decided from the sessions before it). A level a
    clinician set after every logged session is the level the next one starts
    from; once a session is logged after it, that session's level is.
    """
    every = list(logs)
    sessions = sorted((s for s in every if before is None or s.date < before),
                      key=lambda s: s.date)
    level_set = overrides.level is not None and overrides.level_set_at is not None and all(
        log.created_at <= overrides.level_set_at for log in every)
    level = sessions[-1].level if sessions else 1
    return core.History(
        level=overrides.level if level_set else level,  # type: ignore[arg-type]
        program_baseline_pain=baseline_pain,
        sessions=tuple(to_session_record(s) for s in sessions),
        checkins=tuple(
            core.Checkin(c.date, c.rest_pain)
            for c in sorted(checkins, key=lambda c: c.date)
            if before is None or c.date <= before
        ),
        hold_progression=overrides.hold_progression,
        running_paused=overrides.running_paused,
        level_set_by_clinician=level_set,
        red_flags_cleared_through=_cleared_through(every, overrides.red_flags_cleared_at),
    )


def _cleared_through(logs: Iterable[SessionLog], cleared_at: datetime | None) -> date | None:
    """The latest session date a red-flag clearance covers: sessions logged before it."""
    if cleared_at is None:
        return None
    return max((log.date for log in logs if log.created_at <= cleared_at), default=None)


def decision_fields(decision: core.Decision) -> dict[str, object]:
    """The Decision columns that hold the engine's answer."""
    data = decision.as_dict()
    return {
        "decision": str(decision.decision),
        "level": decision.level,
        "next_level": decision.next_level,
        "next_session": data["next_session"],
        "alerts": data["alerts"],
        "reasons": data["reasons"],
        "advice": data["advice"],
    }

