"""Combining the rules' findings into one decision, within P-CAP."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from backstride.core import evidence as ev
from backstride.core import ladder
from backstride.core.evidence import reason
from backstride.core.ladder import Prescription
from backstride.core.progression.overrides import (
    PAUSE_NOTE,
    cleared_red_flags_finding,
    override_findings,
)
from backstride.core.progression.records import Alert, Decision, DecisionKind, Finding, History
from backstride.core.progression.rules import RULES, Context, progress_finding

# --- Combining the findings -------------------------------------------------------


def _longest_recent_run(ctx: Context) -> int:
    """Longest running time (s) of done/partial sessions in the P-CAP window."""
    window = timedelta(days=ev.CAP_WINDOW_DAYS)
    return max(
        (s.run_seconds for s in ctx.runs if timedelta(0) <= ctx.today - s.date < window),
        default=0,
    )


def _next_level(kind: DecisionKind, level: int) -> int:
    if kind is DecisionKind.PROGRESS:
        return min(level + 1, ladder.TOP_LEVEL)
    if kind is DecisionKind.REPEAT:
        return level
    # Regress goes one level down; after a pause or a stop running resumes one level
    # lower too (design choice: when in doubt the engine does not progress).
    return max(level - 1, 1)


def _cap(
    ctx: Context, kind: DecisionKind, level: int
) -> tuple[DecisionKind, Prescription, Finding | None]:
    """Apply P-CAP to the next session; may lower the decision (never raise it)."""
    longest = _longest_recent_run(ctx)
    if longest == 0:
        if level == 1:
            return kind, ladder.capped_session(1, None), None
        return DecisionKind.REGRESS, ladder.capped_session(1, None), Finding(
            "P-CAP", f"No running in the last {ev.CAP_WINDOW_DAYS} days: start again at "
            "level 1", DecisionKind.REGRESS)
    cap = longest * ev.CAP_RATIO
    session = ladder.capped_session(level, cap)
    if not session.capped:
        return kind, session, None
    new_level = session.level or 1
    current = ctx.history.level
    implied = (DecisionKind.PROGRESS if new_level > current else
               DecisionKind.REPEAT if new_level == current else DecisionKind.REGRESS)
    text = (f"The longest run of the last {ev.CAP_WINDOW_DAYS} days was {longest} s, so the "
            f"next session keeps running under {cap:.0f} s")
    return max(kind, implied, key=lambda k: k.severity), session, Finding("P-CAP", text)


_PAUSE_NOTE = "Low-impact cardio only: swimming, deep-water running, cycling or elliptical"
_STOP_NOTE = "No running. Follow the medical advice you were given."


def decide_next(history: History, *, today: date) -> Decision:
    """Decide the next step after the latest session (CLINICAL.md section 3).

    ``today`` is the person's local date; weeks are calendar weeks (Mon-Sun).
    """
    ctx = Context(history, today)
    findings = [f for _, rule_fn in RULES if (f := rule_fn(ctx)) is not None]
    overrides = override_findings(history)
    # R-PROGRESS steps aside when an override restricts, as it does for any other rule.
    progress = progress_finding(ctx, findings + overrides)
    if progress is not None:
        findings.append(progress)
    level = _next_level(_combined(findings), history.level)
    if overrides:
        # C-OVERRIDE: never above the level the clinician set or holds; a pause keeps
        # the level for when running resumes instead of stepping it down.
        level = min(level, history.level)
    findings += overrides
    cleared = cleared_red_flags_finding(history)
    if cleared is not None:
        findings.append(cleared)
    kind = _combined(findings)
    if kind.allows_running:
        kind, session, cap_finding = _cap(ctx, kind, level)
        if cap_finding is not None:
            findings.append(cap_finding)
        level = session.level or 1
    else:
        session = ladder.no_running_session(_no_running_note(kind, history))
    return Decision(
        decision=kind,
        level=history.level,
        next_level=level,
        next_session=session,
        alerts=_alerts(findings),
        reasons=tuple(reason(f.rule, f.text) for f in findings),
        advice=tuple(dict.fromkeys(f.advice for f in findings if f.advice)),
    )


def _combined(findings: Iterable[Finding]) -> DecisionKind:
    """The most restrictive decision of the findings (``repeat`` when none decides)."""
    return max((f.decision for f in findings if f.decision is not None),
               key=lambda k: k.severity, default=DecisionKind.REPEAT)


def _no_running_note(kind: DecisionKind, history: History) -> str:
    if kind is DecisionKind.STOP:
        return _STOP_NOTE
    return PAUSE_NOTE if history.running_paused else _PAUSE_NOTE


def _alerts(findings: Iterable[Finding]) -> tuple[Alert, ...]:
    alerts = [Alert(f.alert, f.rule, f.text) for f in findings if f.alert is not None]
    return tuple(sorted(alerts, key=lambda a: a.severity.rank))

