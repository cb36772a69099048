"""The progression engine's inputs and outputs: sessions, check-ins, decisions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from backstride.core.evidence import Reason
from backstride.core.ladder import Prescription


class Status(StrEnum):
    DONE = "done"
    PARTIAL = "partial"
    MISSED = "missed"


class DecisionKind(StrEnum):
    """Decisions, least restrictive first (the order is used to combine them)."""

    PROGRESS = "progress"
    REPEAT = "repeat"
    REGRESS = "regress"
    PAUSE_RUNNING = "pause_running"
    STOP = "stop"

    @property
    def severity(self) -> int:
        return list(DecisionKind).index(self)

    @property
    def allows_running(self) -> bool:
        return self not in (DecisionKind.PAUSE_RUNNING, DecisionKind.STOP)


class Severity(StrEnum):
    """Alert severities, most urgent first (the caseload queue's order)."""

    CRITICAL = "critical"
    HIGH = "high"
    LOW = "low"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True)
class SessionRecord:
    """One run-walk session as the person logged it. Pain scores are 0-10.

    A missed session may leave the pain fields and the talk test empty.
    ``run_seconds`` is the total running time actually done, in seconds.
    """

    date: date
    status: Status
    pain_before: int | None = None
    pain_during: int | None = None
    pain_after: int | None = None
    pain_next_morning: int | None = None
    talk_test_ok: bool | None = None
    other_pain: Mapping[str, int] = field(default_factory=dict)
    symptoms: tuple[str, ...] = ()
    run_seconds: int = 0

    @property
    def ran(self) -> bool:
        """Done or partial: the sessions that count as run (CLINICAL.md section 3)."""
        return self.status is not Status.MISSED


@dataclass(frozen=True)
class Checkin:
    """A daily check-in: pain at rest, 0-10."""

    date: date
    rest_pain: int


@dataclass(frozen=True)
class History:
    """Everything the engine needs: current level, program baseline, logs, overrides.

    ``program_baseline_pain`` is the mean pain at enrolment (0-10).
    ``sessions`` and ``checkins`` are oldest first.

    A clinician's overrides (C-OVERRIDE) stand until the clinician lifts them:

    * ``hold_progression``: the engine never goes above ``level``;
    * ``running_paused``: no running is prescribed; ``level`` is kept for when
      running resumes (P-CAP applies then);
    * ``level_set_by_clinician``: ``level`` is the one a clinician set after the
      latest session, so the next session starts there rather than one above it;
      restrictive rules and P-CAP still lower it;
    * ``red_flags_cleared_through``: a clinician cleared the red-flag lock (a
      doctor has seen the person) covering sessions up to this date, so
      R-REDFLAG does not stop running again for those sessions' symptoms.
    """

    level: int
    program_baseline_pain: float
    sessions: tuple[SessionRecord, ...] = ()
    checkins: tuple[Checkin, ...] = ()
    hold_progression: bool = False
    running_paused: bool = False
    level_set_by_clinician: bool = False
    red_flags_cleared_through: date | None = None

    @property
    def overridden(self) -> bool:
        """Whether any clinician override that can hold the level is in force."""
        return self.hold_progression or self.running_paused or self.level_set_by_clinician


@dataclass(frozen=True)
class Alert:
    """Something a clinician should see, with the rule that raised it."""

    severity: Severity
    rule: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"severity": str(self.severity), "rule": self.rule, "message": self.message}


@dataclass(frozen=True)
class Finding:
    """What one rule concluded. ``decision`` is ``None`` for alert-only rules."""

    rule: str
    text: str
    decision: DecisionKind | None = None
    alert: Severity | None = None
    advice: str = ""


@dataclass(frozen=True)
class Decision:
    """The engine's answer after a session; see the module docstring."""

    decision: DecisionKind
    level: int
    next_level: int
    next_session: Prescription
    alerts: tuple[Alert, ...]
    reasons: tuple[Reason, ...]
    advice: tuple[str, ...]

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(r.rule for r in self.reasons)

    def as_dict(self) -> dict[str, object]:
        return {
            "decision": str(self.decision),
            "level": self.level,
            "next_level": self.next_level,
            "next_session": self.next_session.as_dict(),
            "alerts": [a.as_dict() for a in self.alerts],
            "reasons": [r.as_dict() for r in self.reasons],
            "advice": list(self.advice),
        }

