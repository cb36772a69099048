"""C-OVERRIDE: a clinician's override stands until lifted, and only ever restricts.

The R- rules decide first; a hold never lets the engine go above the level, a
pause prescribes no running and keeps the level for later, a level set by a
clinician is where the next session starts; restrictive rules and P-CAP still
apply on top of every override.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from backstride.core import evidence, ladder
from backstride.core.history import parse_history
from backstride.core.progression import (
    Checkin,
    DecisionKind,
    History,
    SessionRecord,
    Status,
    decide_next,
)

TODAY = date(2026, 3, 12)
LEVEL = 6


def run(ago: int, level: int = LEVEL, **changes: Any) -> SessionRecord:
    """A done, settled session at ``level``'s running time, ``ago`` days before TODAY."""
    values: dict[str, Any] = {
        "date": TODAY - timedelta(days=ago), "status": Status.DONE, "pain_before": 2,
        "pain_during": 2, "pain_after": 2, "pain_next_morning": 2, "talk_test_ok": True,
        "run_seconds": ladder.level(level).running_seconds,
    }
    values.update(changes)
    return SessionRecord(**values)


def settled(**overrides: Any) -> History:
    """Three settled sessions: without an override the engine progresses."""
    sessions = (run(5), run(3), run(1))
    return History(level=LEVEL, program_baseline_pain=2.0, sessions=sessions, **overrides)


def test_without_an_override_the_settled_history_progresses() -> None:
    decision = decide_next(settled(), today=TODAY)
    assert (DecisionKind.PROGRESS, LEVEL + 1) == (decision.decision, decision.next_level)
    assert "C-OVERRIDE" not in decision.rules


def test_it_never_progresses_past_a_hold() -> None:
    decision = decide_next(settled(hold_progression=True), today=TODAY)
    assert DecisionKind.REPEAT == decision.decision
    assert LEVEL == decision.next_level == decision.next_session.level
    assert "C-OVERRIDE" in decision.rules and "R-PROGRESS" not in decision.rules


def test_a_hold_does_not_stop_a_restrictive_rule_from_lowering_the_level() -> None:
    history = replace(settled(hold_progression=True),
                      sessions=(run(5), run(3), run(1, pain_next_morning=5)))
    decision = decide_next(history, today=TODAY)
    assert DecisionKind.REGRESS == decision.decision
    assert LEVEL - 1 == decision.next_level
    assert {"R-MORNING", "C-OVERRIDE"} <= set(decision.rules)


def test_it_prescribes_no_running_while_paused_and_says_why() -> None:
    decision = decide_next(settled(running_paused=True), today=TODAY)
    assert DecisionKind.PAUSE_RUNNING == decision.decision
    assert decision.next_session.level is None
    assert 0 == decision.next_session.running_seconds
    reason = next(r for r in decision.reasons if r.rule == "C-OVERRIDE")
    assert "paused running" in reason.text and ("ASTEROID-2025",) == reason.sources
    assert "clinician" in decision.next_session.other[0].note
    assert not decision.alerts  # the clinician paused it: nothing to alert them about


def test_a_pause_keeps_the_level_for_when_running_resumes() -> None:
    """A clinician's pause is not a flare: the level is not stepped down on every decision."""
    assert LEVEL == decide_next(settled(running_paused=True), today=TODAY).next_level


def test_a_red_flag_still_stops_a_paused_or_held_person() -> None:
    history = replace(settled(running_paused=True, hold_progression=True),
                      sessions=(run(3), run(1, symptoms=("saddle_numbness",))))
    decision = decide_next(history, today=TODAY)
    assert DecisionKind.STOP == decision.decision
    assert "R-REDFLAG" in decision.rules


def test_a_level_set_by_a_clinician_is_where_the_next_session_starts() -> None:
    history = replace(settled(), level=4, level_set_by_clinician=True)
    decision = decide_next(history, today=TODAY)
    assert (DecisionKind.REPEAT, 4, 4) == (decision.decision, decision.level,
                                           decision.next_session.level)
    assert any("set the level to 4" in r.text for r in decision.reasons)


def test_a_level_set_above_what_was_run_recently_is_still_capped() -> None:
    """P-CAP: no session over 110% of the longest running time of the last 30 days."""
    history = History(level=15, program_baseline_pain=2.0,
                      sessions=(run(3, level=3), run(1, level=3)), level_set_by_clinician=True)
    decision = decide_next(history, today=TODAY)
    cap = ladder.level(3).running_seconds * evidence.CAP_RATIO
    assert decision.next_session.running_seconds <= cap
    assert decision.next_level < 15 and "P-CAP" in decision.rules


def test_a_level_set_with_no_recent_running_starts_again_at_level_1() -> None:
    history = History(level=9, program_baseline_pain=2.0, level_set_by_clinician=True)
    assert 1 == decide_next(history, today=TODAY).next_level


def test_cleared_red_flags_do_not_stop_running_again() -> None:
    sessions = (run(3), run(1, symptoms=("fever_or_unwell",)))
    locked = History(level=LEVEL, program_baseline_pain=2.0, sessions=sessions)
    assert DecisionKind.STOP == decide_next(locked, today=TODAY).decision
    cleared = replace(locked, red_flags_cleared_through=TODAY - timedelta(days=1))
    decision = decide_next(cleared, today=TODAY)
    assert decision.decision is not DecisionKind.STOP
    assert "R-REDFLAG" not in decision.rules
    assert any("cleared the red flags" in r.text for r in decision.reasons)


def test_a_red_flag_after_the_clearance_stops_running_again() -> None:
    sessions = (run(3, symptoms=("fever_or_unwell",)), run(1, symptoms=("fever_or_unwell",)))
    history = History(level=LEVEL, program_baseline_pain=2.0, sessions=sessions,
                      red_flags_cleared_through=TODAY - timedelta(days=3))
    assert DecisionKind.STOP == decide_next(history, today=TODAY).decision


def test_a_flare_still_pauses_a_held_person_with_its_alert() -> None:
    checkins = (Checkin(TODAY - timedelta(days=1), 7), Checkin(TODAY, 7))
    history = replace(settled(hold_progression=True), checkins=checkins)
    decision = decide_next(history, today=TODAY)
    assert DecisionKind.PAUSE_RUNNING == decision.decision
    assert ["R-FLARE"] == [a.rule for a in decision.alerts]


@given(
    level=st.integers(1, ladder.TOP_LEVEL),
    before=st.integers(0, 10), during=st.integers(0, 10), after=st.integers(0, 10),
    morning=st.integers(0, 10), talk=st.booleans(),
    hold=st.booleans(), paused=st.booleans(), level_set=st.booleans(),
)
def test_an_override_never_raises_the_level(level: int, before: int, during: int, after: int,
                                           morning: int, talk: bool, hold: bool,
                                           paused: bool, level_set: bool) -> None:
    session = run(1, level=level, pain_before=before, pain_during=during, pain_after=after,
                  pain_next_morning=morning, talk_test_ok=talk)
    history = History(level=level, program_baseline_pain=2.0, sessions=(run(3, level), session),
                      hold_progression=hold, running_paused=paused,
                      level_set_by_clinician=level_set)
    decision = decide_next(history, today=TODAY)
    if hold or paused or level_set:
        assert decision.next_level <= level
        assert decision.decision is not DecisionKind.PROGRESS
    if paused:
        assert decision.next_session.running_seconds == 0


def test_a_decide_vignette_can_carry_the_overrides() -> None:
    data = {"today": "2026-03-12", "level": 3, "program_baseline_pain": 2, "sessions": [],
            "hold_progression": True, "running_paused": False}
    history, _today = parse_history(data)
    assert history.hold_progression and not history.running_paused
    assert not history.level_set_by_clinician
