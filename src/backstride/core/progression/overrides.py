"""C-OVERRIDE: a clinician's override stands until lifted (CLINICAL.md, product rule).

The R- rules decide first; an override can then only restrict: it never lets
the engine progress past a hold or above a level the clinician set, and while
running is paused no running is prescribed. Every restrictive rule (a red
flag, a flare, a painful next morning) and P-CAP still apply on top.
"""

from __future__ import annotations

from backstride.core.progression.records import DecisionKind, Finding, History

RULE = "C-OVERRIDE"
PAUSE_NOTE = ("Your clinician paused running: low-impact cardio only (swimming, deep-water "
              "running, cycling or elliptical) until they lift the pause")
_PAUSE_ADVICE = "Your clinician has paused running for now. Keep active without impact."


def override_findings(history: History) -> list[Finding]:
    """The findings of the overrides in force on ``history``; empty when there are none."""
    found: list[Finding] = []
    if history.running_paused:
        found.append(Finding(RULE, "A clinician paused running until they lift the pause",
                             DecisionKind.PAUSE_RUNNING, advice=_PAUSE_ADVICE))
    if history.hold_progression:
        found.append(Finding(RULE, f"A clinician holds progression at level {history.level} "
                             "until they lift the hold", DecisionKind.REPEAT))
    elif history.level_set_by_clinician:
        found.append(Finding(RULE, f"A clinician set the level to {history.level}: the next "
                             "session starts there", DecisionKind.REPEAT))
    return found


def cleared_red_flags_finding(history: History) -> Finding | None:
    """Say so when R-REDFLAG stood aside because a clinician cleared the lock."""
    latest = history.sessions[-1] if history.sessions else None
    cleared = history.red_flags_cleared_through
    if latest is None or cleared is None or latest.date > cleared or not latest.symptoms:
        return None
    return Finding(RULE, f"A clinician cleared the red flags reported up to "
                   f"{cleared.isoformat()} after a doctor saw the person")
