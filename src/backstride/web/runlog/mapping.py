"""ORM rows ↔ ``core.progression`` dataclasses. The only place they meet."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

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


def to_history(
    *, baseline_pain: float, logs: Iterable[SessionLog], checkins: Iterable[Checkin],
    before: date | None = None,
) -> core.History:
    """The engine's view of a patient: ``level`` is the latest session's level (1 if none).

    ``before`` leaves out sessions on or after that date (the prescription a
    session was given is decided from the sessions before it).
    """
    sessions = sorted((s for s in logs if before is None or s.date < before),
                      key=lambda s: s.date)
    return core.History(
        level=sessions[-1].level if sessions else 1,
        program_baseline_pain=baseline_pain,
        sessions=tuple(to_session_record(s) for s in sessions),
        checkins=tuple(
            core.Checkin(c.date, c.rest_pain)
            for c in sorted(checkins, key=lambda c: c.date)
            if before is None or c.date <= before
        ),
    )


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

