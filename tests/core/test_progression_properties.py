"""Invariants of ``decide_next`` that hold for every valid history (Hypothesis)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings

from backstride.core import evidence
from backstride.core.evidence import CAP_RATIO, CAP_WINDOW_DAYS
from backstride.core.ladder import LADDER, TOP_LEVEL
from backstride.core.progression import (
    DecisionKind,
    History,
    Severity,
    Status,
    decide_next,
)
from tests.strategies import RED_FLAG_SYMPTOMS, histories

# Per test, not a global profile: the whole module runs in about two seconds.
FAST = settings(max_examples=50, deadline=None)

Case = tuple[History, date]


def longest_recent_run(history: History, today: date) -> int:
    """P-CAP's reference: the longest done/partial running time of the 30 days to today."""
    return max((s.run_seconds for s in history.sessions
                if s.status is not Status.MISSED
                and 0 <= (today - s.date).days < CAP_WINDOW_DAYS), default=0)


@FAST
@given(histories())
def test_no_next_session_runs_more_than_110_percent_of_the_longest_recent_run(
    case: Case,
) -> None:
    history, today = case
    running = decide_next(history, today=today).next_session.running_seconds
    longest = longest_recent_run(history, today)
    if longest:
        assert running <= CAP_RATIO * longest
    else:  # nothing to compare with: level 1 is the floor
        assert running <= LADDER[0].running_seconds


@FAST
@given(histories(min_sessions=1, latest_symptoms=RED_FLAG_SYMPTOMS))
def test_a_red_flag_in_the_latest_session_always_stops_running(case: Case) -> None:
    history, today = case
    decision = decide_next(history, today=today)
    assert DecisionKind.STOP == decision.decision
    assert (Severity.CRITICAL, "R-REDFLAG") == (decision.alerts[0].severity,
                                                decision.alerts[0].rule)
    assert 0 == decision.next_session.running_seconds
    assert decision.next_session.level is None


@FAST
@given(histories())
def test_the_next_level_stays_on_the_ladder_and_climbs_at_most_one_rung(case: Case) -> None:
    history, today = case
    decision = decide_next(history, today=today)
    assert 1 <= decision.next_level <= TOP_LEVEL
    assert decision.next_level <= history.level + 1


@FAST
@given(histories())
def test_the_next_level_matches_the_decision(case: Case) -> None:
    history, today = case
    decision = decide_next(history, today=today)
    level, after = history.level, decision.next_level
    if decision.decision is DecisionKind.PROGRESS:
        assert level + 1 == after
    elif decision.decision is DecisionKind.REPEAT:
        assert level == after
    elif decision.decision is DecisionKind.REGRESS:
        assert after < level or after == level == 1
    else:  # pause_running and stop: no running now, one level lower afterwards
        assert max(level - 1, 1) == after
        assert 0 == decision.next_session.running_seconds


@FAST
@given(histories())
def test_it_progresses_only_after_a_done_settled_session(case: Case) -> None:
    history, today = case
    decision = decide_next(history, today=today)
    if decision.decision is DecisionKind.PROGRESS:
        latest = history.sessions[-1]
        assert Status.DONE is latest.status
        assert latest.talk_test_ok is True
        assert latest.pain_before is not None and latest.pain_next_morning is not None
        assert latest.pain_next_morning <= latest.pain_before
        assert ("R-PROGRESS",) == tuple(r for r in decision.rules if r != "R-ADHERE")
        assert not [a for a in decision.alerts if a.severity is not Severity.LOW]


@FAST
@given(histories())
def test_every_decision_is_explained_with_the_registry_sources(case: Case) -> None:
    history, today = case
    decision = decide_next(history, today=today)
    assert decision.reasons
    for found in decision.reasons:
        assert evidence.RULES[found.rule].sources == found.sources
    ranks = [a.severity.rank for a in decision.alerts]
    assert sorted(ranks) == ranks
    assert {a.rule for a in decision.alerts} <= set(decision.rules)
