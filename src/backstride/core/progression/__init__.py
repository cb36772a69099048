"""Symptom-guided progression: after every session, what comes next.

``decide_next(history, today=...)`` evaluates every R- rule of CLINICAL.md
section 3 against a person's sessions and check-ins and returns one
:class:`Decision`: ``progress``, ``repeat``, ``regress``, ``pause_running`` or
``stop``, the next level, the next session's prescription (always within
P-CAP), alerts for the clinician and the reasons, each with its rule id and
sources.

The rules are data: :data:`RULES` pairs each rule id with a function that looks
at the history and returns a :class:`Finding` or ``None``. When several rules
fire the most restrictive decision wins and every fired rule is reported.
"""

from __future__ import annotations

from backstride.core.progression.engine import decide_next
from backstride.core.progression.records import (
    Alert,
    Checkin,
    Decision,
    DecisionKind,
    Finding,
    History,
    SessionRecord,
    Severity,
    Status,
)
from backstride.core.progression.rules import RULES, week_start

__all__ = [
    "RULES",
    "Alert",
    "Checkin",
    "Decision",
    "DecisionKind",
    "Finding",
    "History",
    "SessionRecord",
    "Severity",
    "Status",
    "decide_next",
    "week_start",
]
