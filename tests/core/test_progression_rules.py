"""Every progression rule of CLINICAL.md section 3, as ``decide_next`` applies it.

Histories are built with the small builder below: ``run()`` is a done, settled
session at level 4's running time, ``missed()`` a missed one, ``rest()`` a
daily check-in, each so many days before ``TODAY``; keyword arguments override
the ``SessionRecord`` fields by name. ``decide()`` runs the engine on them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from backstride.core import evidence, ladder
from backstride.core.evidence import (
    CAP_RATIO,
    CAP_WINDOW_DAYS,
    DURING_PAIN_ABOVE,
    DURING_REPEAT_WINDOW_DAYS,
    FLARE_WINDOW_DAYS,
    LIMB_PAIN_AT_LEAST,
)
from backstride.core.ladder import MIN_RUN_BOUT_SECONDS, TOP_LEVEL, IntervalKind
from backstride.core.progression import (
    Alert,
    Checkin,
    Decision,
    DecisionKind,
    History,
    SessionRecord,
    Severity,
    Status,
    decide_next,
    week_start,
)
from backstride.core.vocab import CAUDA_EQUINA, PAIN_SITES, SERIOUS

# --- The builder --------------------------------------------------------------------

TODAY = date(2026, 3, 12)  # a Thursday: this week runs Monday 9 to Sunday 15 March
THIS_MONDAY = week_start(TODAY)
LEVEL = 4
LEVEL_RUNNING = ladder.level(LEVEL).running_seconds  # what a done session at LEVEL runs
BASELINE = 2.0  # program baseline pain, below every R-PERSIST / R-FLARE threshold


def day(days_ago: int) -> date:
    return TODAY - timedelta(days=days_ago)


def days_ago(on: date) -> int:
    return (TODAY - on).days


def run(ago: int = 0, **changes: Any) -> SessionRecord:
    """A done session, talk test passed, back settled next morning (pain after and next
    morning equal pain before), running exactly level 4's time."""
    before = changes.get("pain_before", 2)
    settled = SessionRecord(
        date=day(ago), status=Status.DONE, pain_before=before, pain_during=2,
        pain_after=before, pain_next_morning=before, talk_test_ok=True,
        run_seconds=LEVEL_RUNNING,
    )
    return replace(settled, **changes)


def partial(ago: int = 0, **changes: Any) -> SessionRecord:
    return run(ago, **{"status": Status.PARTIAL, **changes})


def missed(ago: int = 0, **changes: Any) -> SessionRecord:
    return replace(SessionRecord(date=day(ago), status=Status.MISSED), **changes)


def rest(ago: int, pain: int) -> Checkin:
    return Checkin(day(ago), pain)


def history(
    *sessions: SessionRecord, checkins: tuple[Checkin, ...] = (), level: int = LEVEL,
    baseline: float = BASELINE,
) -> History:
    return History(
        level=level,
        program_baseline_pain=baseline,
        sessions=tuple(sorted(sessions, key=lambda s: s.date)),
        checkins=tuple(sorted(checkins, key=lambda c: c.date)),
    )


def decide(
    *sessions: SessionRecord, checkins: tuple[Checkin, ...] = (), level: int = LEVEL,
    baseline: float = BASELINE, today: date = TODAY,
) -> Decision:
    return decide_next(history(*sessions, checkins=checkins, level=level, baseline=baseline),
                       today=today)


def alert(decision: Decision, rule: str) -> Alert:
    (found,) = [a for a in decision.alerts if a.rule == rule]
    return found


def run_bouts(decision: Decision) -> list[int]:
    return [i.seconds for i in decision.next_session.intervals if i.kind is IntervalKind.RUN]


def assert_no_running(decision: Decision) -> None:
    assert 0 == decision.next_session.running_seconds
    assert decision.next_session.level is None
    assert [IntervalKind.CROSS_TRAINING] == [i.kind for i in decision.next_session.intervals]


# --- The baseline: nothing restricts ------------------------------------------------


def test_it_moves_up_one_level_after_a_done_settled_session() -> None:
    decision = decide(run())
    assert DecisionKind.PROGRESS == decision.decision
    assert (LEVEL, LEVEL + 1) == (decision.level, decision.next_level)
    assert ("R-PROGRESS",) == decision.rules
    assert () == decision.alerts
    assert LEVEL + 1 == decision.next_session.level
    assert not decision.next_session.capped


def test_it_starts_at_the_current_level_when_no_session_is_logged() -> None:
    decision = decide(level=1)
    assert DecisionKind.REPEAT == decision.decision
    assert 1 == decision.next_level
    assert ("R-PROGRESS",) == decision.rules


# --- R-REDFLAG ----------------------------------------------------------------------


@pytest.mark.parametrize("symptom", CAUDA_EQUINA)
def test_a_cauda_equina_symptom_stops_running_with_emergency_advice(symptom: str) -> None:
    decision = decide(run(symptoms=(symptom,)))
    assert DecisionKind.STOP == decision.decision
    assert Severity.CRITICAL == alert(decision, "R-REDFLAG").severity
    assert symptom in alert(decision, "R-REDFLAG").message
    assert any("emergency department" in line for line in decision.advice)
    assert_no_running(decision)


@pytest.mark.parametrize("symptom", SERIOUS)
def test_a_serious_red_flag_stops_running_and_sends_the_person_to_a_doctor(symptom: str) -> None:
    decision = decide(run(symptoms=(symptom,)))
    assert DecisionKind.STOP == decision.decision
    assert Severity.CRITICAL == alert(decision, "R-REDFLAG").severity
    assert any("See a doctor" in line for line in decision.advice)
    assert not any("emergency" in line for line in decision.advice)
    assert_no_running(decision)


def test_cauda_equina_advice_wins_over_the_doctor_advice_when_both_are_reported() -> None:
    decision = decide(run(symptoms=("fever_or_unwell", "bladder_change")))
    assert any("emergency department" in line for line in decision.advice)


def test_a_red_flag_stops_running_even_when_the_session_was_missed() -> None:
    decision = decide(run(3), missed(0, symptoms=("saddle_numbness",)))
    assert DecisionKind.STOP == decision.decision
    assert_no_running(decision)


def test_a_red_flag_is_judged_on_the_latest_session_only() -> None:
    # CLINICAL.md: the single-session rules judge the latest session.
    decision = decide(run(5, symptoms=("saddle_numbness",)), run(0))
    assert "R-REDFLAG" not in decision.rules


def test_after_a_stop_the_next_level_is_one_lower_and_never_below_1() -> None:
    assert LEVEL - 1 == decide(run(symptoms=("iv_drug_use",))).next_level
    assert 1 == decide(run(symptoms=("iv_drug_use",)), level=1).next_level


# --- R-DURING -----------------------------------------------------------------------


def test_pain_during_of_5_is_not_above_the_threshold() -> None:
    decision = decide(run(pain_during=DURING_PAIN_ABOVE))
    assert "R-DURING" not in decision.rules
    assert DecisionKind.PROGRESS == decision.decision


def test_pain_during_of_6_regresses_with_a_low_alert_and_walk_home_advice() -> None:
    decision = decide(run(pain_during=DURING_PAIN_ABOVE + 1))
    assert DecisionKind.REGRESS == decision.decision
    assert LEVEL - 1 == decision.next_level
    assert Severity.LOW == alert(decision, "R-DURING").severity
    assert any("walk home" in line for line in decision.advice)


@pytest.mark.parametrize(("apart", "severity"), [
    (0, Severity.HIGH),
    (DURING_REPEAT_WINDOW_DAYS, Severity.HIGH),
    (DURING_REPEAT_WINDOW_DAYS + 1, Severity.LOW),
])
def test_pain_during_above_5_twice_within_14_days_raises_a_high_alert(
    apart: int, severity: Severity,
) -> None:
    decision = decide(run(apart, pain_during=7), run(0, pain_during=6))
    assert DecisionKind.REGRESS == decision.decision
    assert severity == alert(decision, "R-DURING").severity


def test_an_earlier_session_at_pain_during_5_does_not_make_it_twice() -> None:
    decision = decide(run(3, pain_during=5), run(0, pain_during=6))
    assert Severity.LOW == alert(decision, "R-DURING").severity


def test_an_earlier_painful_session_alone_does_not_fire_r_during() -> None:
    decision = decide(run(3, pain_during=9), run(0))
    assert "R-DURING" not in decision.rules


# --- R-MORNING ----------------------------------------------------------------------


def test_it_goes_back_one_level_when_next_morning_pain_rises_by_two() -> None:
    decision = decide(run(pain_before=3, pain_next_morning=5))
    assert DecisionKind.REGRESS == decision.decision
    assert LEVEL - 1 == decision.next_level
    assert ("R-MORNING",) == decision.rules


def test_it_holds_the_level_when_next_morning_pain_rises_by_one() -> None:
    decision = decide(run(pain_before=3, pain_next_morning=4))
    assert DecisionKind.REPEAT == decision.decision
    assert LEVEL == decision.next_level
    assert ("R-MORNING",) == decision.rules


@pytest.mark.parametrize("morning", [3, 2, 0])
def test_it_may_progress_when_next_morning_pain_is_at_or_below_pain_before(morning: int) -> None:
    decision = decide(run(pain_before=3, pain_next_morning=morning))
    assert DecisionKind.PROGRESS == decision.decision


def test_a_missing_next_morning_value_never_counts_as_settled() -> None:
    decision = decide(run(pain_next_morning=None))
    assert DecisionKind.REPEAT == decision.decision
    assert ("R-MORNING",) == decision.rules
    assert any("morning after" in line for line in decision.advice)


def test_a_missing_pain_before_cannot_show_the_back_settled() -> None:
    decision = decide(run(pain_before=None, pain_next_morning=2))
    assert DecisionKind.REPEAT == decision.decision
    assert "R-MORNING" in decision.rules


def test_the_next_morning_is_compared_with_that_session_pain_before_not_the_baseline() -> None:
    decision = decide(run(pain_before=5, pain_next_morning=6), baseline=2)
    assert DecisionKind.REPEAT == decision.decision


def test_a_partial_session_whose_next_morning_rose_by_two_regresses() -> None:
    decision = decide(partial(pain_before=2, pain_next_morning=4))
    assert DecisionKind.REGRESS == decision.decision
    assert {"R-MORNING", "R-PROGRESS"} == set(decision.rules)


# --- R-WEEK -------------------------------------------------------------------------

LAST_MONDAY = THIS_MONDAY - timedelta(days=7)


def week_of(monday: date, *pains_before: int) -> list[SessionRecord]:
    """Settled sessions on consecutive days from ``monday``, one per pain-before value."""
    return [run(days_ago(monday) - n, pain_before=p) for n, p in enumerate(pains_before)]


def test_it_does_not_progress_when_this_week_pain_before_is_one_above_last_week() -> None:
    decision = decide(*week_of(LAST_MONDAY, 2, 2), *week_of(THIS_MONDAY, 3, 3))
    assert DecisionKind.REPEAT == decision.decision
    assert ("R-WEEK",) == decision.rules


def test_r_week_catches_a_rise_of_exactly_one_between_unequal_means() -> None:
    # 8/3 is exactly 5/3 + 1; in floating point 8/3 < 5/3 + 1, which hid the rise.
    decision = decide(*week_of(LAST_MONDAY, 0, 0, 5), *week_of(THIS_MONDAY, 0, 0, 8))
    assert "R-WEEK" in decision.rules
    assert DecisionKind.REPEAT == decision.decision


def test_a_weekly_rise_below_one_point_allows_progress() -> None:
    decision = decide(*week_of(LAST_MONDAY, 2, 2), *week_of(THIS_MONDAY, 2, 3))
    assert DecisionKind.PROGRESS == decision.decision


def test_r_week_needs_a_last_week_to_compare_with() -> None:
    decision = decide(*week_of(LAST_MONDAY - timedelta(days=7), 1), *week_of(THIS_MONDAY, 5))
    assert "R-WEEK" not in decision.rules


def test_this_week_is_today_calendar_week_monday_to_sunday() -> None:
    sunday = THIS_MONDAY - timedelta(days=1)
    # Sunday's session belongs to last week, Monday's to this week.
    decision = decide(run(days_ago(sunday), pain_before=2), run(days_ago(THIS_MONDAY),
                                                                  pain_before=3))
    assert "R-WEEK" in decision.rules
    # On that Sunday, both sessions of the pair below fall in the same week.
    same_week = decide(run(1, pain_before=2), run(0, pain_before=3), today=sunday)
    assert "R-WEEK" not in same_week.rules


def test_a_missed_session_pain_before_counts_in_the_weekly_mean() -> None:
    decision = decide(*week_of(LAST_MONDAY, 2), missed(days_ago(THIS_MONDAY), pain_before=6),
                      run(0, pain_before=2))
    assert "R-WEEK" in decision.rules


# --- R-FLARE ------------------------------------------------------------------------


def test_two_check_ins_above_5_on_different_days_pause_running() -> None:
    decision = decide(run(2), checkins=(rest(1, 6), rest(0, 7)), baseline=4)
    assert DecisionKind.PAUSE_RUNNING == decision.decision
    assert Severity.HIGH == alert(decision, "R-FLARE").severity
    assert LEVEL - 1 == decision.next_level
    assert_no_running(decision)
    assert any("at least 3 days" in line for line in decision.advice)


def test_rest_pain_of_5_is_not_a_flare() -> None:
    decision = decide(run(2), checkins=(rest(1, 5), rest(0, 5)), baseline=4)
    assert "R-FLARE" not in decision.rules


def test_two_check_ins_on_the_same_date_count_as_one() -> None:
    decision = decide(run(2), checkins=(rest(0, 7), rest(0, 8)), baseline=4)
    assert "R-FLARE" not in decision.rules


def test_one_high_check_in_is_not_a_flare() -> None:
    decision = decide(run(2), checkins=(rest(1, 3), rest(0, 8)), baseline=4)
    assert "R-FLARE" not in decision.rules


@pytest.mark.parametrize(("oldest", "fires"), [
    (FLARE_WINDOW_DAYS - 1, True),  # the last 7 days: today and the 6 days before it
    (FLARE_WINDOW_DAYS, False),
])
def test_the_flare_window_is_the_last_7_days(oldest: int, fires: bool) -> None:
    decision = decide(run(0), checkins=(rest(oldest, 7), rest(0, 7)), baseline=4)
    assert fires == ("R-FLARE" in decision.rules)


def test_rest_pain_two_above_the_program_baseline_twice_is_a_flare() -> None:
    decision = decide(run(2), checkins=(rest(1, 4), rest(0, 4)), baseline=2)
    assert DecisionKind.PAUSE_RUNNING == decision.decision
    assert "baseline" in alert(decision, "R-FLARE").message


@pytest.mark.parametrize(("baseline", "pains", "fires"), [
    (2, (3, 4), False),  # only one check-in reaches baseline + 2
    (2.5, (4, 4), False),  # 4 < 4.5
    (2.5, (5, 5), True),
    (1, (3, 3), True),
])
def test_the_baseline_variant_of_r_flare_boundary(
    baseline: float, pains: tuple[int, int], fires: bool,
) -> None:
    decision = decide(run(2), checkins=(rest(1, pains[0]), rest(0, pains[1])), baseline=baseline)
    assert fires == ("R-FLARE" in decision.rules)


def test_pain_before_a_session_is_not_a_check_in_for_r_flare() -> None:
    decision = decide(run(1, pain_before=8), run(0, pain_before=8), baseline=4)
    assert "R-FLARE" not in decision.rules


# --- R-AFTER ------------------------------------------------------------------------


def worse(ago: int, **changes: Any) -> SessionRecord:
    """A session whose pain after was higher than its pain before."""
    return run(ago, pain_before=2, pain_after=3, **changes)


def test_pain_after_above_pain_before_in_the_last_3_runs_holds_and_asks_for_review() -> None:
    decision = decide(worse(4), worse(2), worse(0))
    assert DecisionKind.REPEAT == decision.decision
    assert Severity.HIGH == alert(decision, "R-AFTER").severity
    assert any("clinician or doctor" in line for line in decision.advice)


def test_two_worse_runs_are_not_enough() -> None:
    assert "R-AFTER" not in decide(worse(2), worse(0)).rules
    assert "R-AFTER" not in decide(run(4), worse(2), worse(0)).rules


def test_pain_after_equal_to_pain_before_is_not_worse() -> None:
    decision = decide(worse(4), worse(2), run(0, pain_before=3, pain_after=3))
    assert "R-AFTER" not in decision.rules


def test_r_after_looks_at_runs_only_so_a_missed_session_in_between_is_skipped() -> None:
    decision = decide(worse(6), worse(4), missed(2), worse(0))
    assert "R-AFTER" in decision.rules


def test_a_partial_session_counts_as_a_run_for_r_after() -> None:
    decision = decide(worse(4), worse(2, status=Status.PARTIAL), worse(0))
    assert "R-AFTER" in decision.rules


def test_r_after_judges_exactly_the_last_3_runs() -> None:
    assert "R-AFTER" in decide(run(6), worse(4), worse(2), worse(0)).rules
    assert "R-AFTER" not in decide(worse(6), worse(4), worse(2), run(0)).rules


# --- R-PERSIST ----------------------------------------------------------------------

WEEK_2_AGO = THIS_MONDAY - timedelta(days=14)


def weekly_pain(monday: date, pain: int) -> tuple[Checkin, ...]:
    """Two check-ins in the week starting ``monday`` (Tuesday and Thursday)."""
    return (Checkin(monday + timedelta(days=1), pain), Checkin(monday + timedelta(days=3), pain))


def persisting(*sessions: SessionRecord, baseline: float = 4, **kw: Any) -> Decision:
    """``decide`` with a program baseline of 4, so 4/10 and 5/10 check-ins are no flare."""
    return decide(*sessions, baseline=baseline, **kw)


def three_weeks(*pains: int) -> tuple[Checkin, ...]:
    """Check-ins for the week two weeks ago, last week and this week, oldest first."""
    mondays = (WEEK_2_AGO, LAST_MONDAY, THIS_MONDAY)
    return tuple(c for monday, pain in zip(mondays, pains, strict=True)
                 for c in weekly_pain(monday, pain))


def test_weekly_pain_of_4_in_each_of_3_weeks_holds_and_asks_for_review() -> None:
    decision = persisting(run(0, pain_before=4), checkins=three_weeks(4, 4, 4))
    assert DecisionKind.REPEAT == decision.decision
    assert Severity.HIGH == alert(decision, "R-PERSIST").severity
    assert any("clinician or doctor" in line for line in decision.advice)


@pytest.mark.parametrize("pains", [(3, 4, 4), (4, 3, 4), (4, 4, 3)])
def test_one_week_below_4_breaks_r_persist(pains: tuple[int, int, int]) -> None:
    decision = persisting(run(0, pain_before=pains[-1]), checkins=three_weeks(*pains))
    assert "R-PERSIST" not in decision.rules


def test_weekly_pain_below_the_program_baseline_is_improvement() -> None:
    decision = persisting(run(0, pain_before=5), checkins=three_weeks(5, 5, 5), baseline=5.5)
    assert "R-PERSIST" not in decision.rules
    assert "R-PERSIST" in persisting(run(0, pain_before=5), checkins=three_weeks(5, 5, 5),
                                 baseline=5).rules


def test_weekly_pain_averages_pain_before_and_rest_pain() -> None:
    # This week: pain before 3 and check-ins 4 and 5 average 4.
    earlier = (*weekly_pain(WEEK_2_AGO, 5), *weekly_pain(LAST_MONDAY, 5))
    checkins = (*earlier, rest(days_ago(THIS_MONDAY), 4), rest(1, 5))
    assert "R-PERSIST" in persisting(run(0, pain_before=3), checkins=checkins).rules
    # ... and 3, 4, 4 average below 4.
    checkins = (*earlier, rest(days_ago(THIS_MONDAY), 4), rest(1, 4))
    assert "R-PERSIST" not in persisting(run(0, pain_before=3), checkins=checkins).rules


def test_weeks_are_calendar_weeks_monday_to_sunday() -> None:
    sunday_before = WEEK_2_AGO - timedelta(days=1)
    low_sunday = (Checkin(sunday_before, 0),)
    # A 0/10 on the Sunday before belongs to the week before the three: it changes nothing.
    decision = persisting(run(0, pain_before=4), checkins=(*three_weeks(4, 4, 4), *low_sunday))
    assert "R-PERSIST" in decision.rules
    # The same 0/10 on the first week's Sunday pulls that week below 4.
    last_sunday = (Checkin(WEEK_2_AGO + timedelta(days=6), 0),)
    decision = persisting(run(0, pain_before=4), checkins=(*three_weeks(4, 4, 4), *last_sunday))
    assert "R-PERSIST" not in decision.rules


def test_a_week_without_data_inside_the_program_does_not_clear_r_persist() -> None:
    # Safer reading of CLINICAL.md (missing data never counts as improvement).
    checkins = (*weekly_pain(WEEK_2_AGO, 5), *weekly_pain(THIS_MONDAY, 5))
    decision = persisting(run(0, pain_before=5), checkins=checkins)
    assert "R-PERSIST" in decision.rules
    assert "no data" in alert(decision, "R-PERSIST").message


def test_an_empty_this_week_does_not_clear_r_persist_on_a_monday() -> None:
    monday = THIS_MONDAY + timedelta(days=7)
    checkins = three_weeks(5, 5, 5)
    decision = persisting(run(days_ago(THIS_MONDAY) - 6, pain_before=5), checkins=checkins,
                      today=monday)
    assert "R-PERSIST" in decision.rules


def test_r_persist_needs_the_program_to_span_the_3_weeks() -> None:
    decision = persisting(run(0, pain_before=6), checkins=three_weeks(6, 6, 6)[2:])
    assert "R-PERSIST" not in decision.rules
    started_last_week = (*weekly_pain(LAST_MONDAY, 6), *weekly_pain(THIS_MONDAY, 6))
    assert "R-PERSIST" not in persisting(run(0, pain_before=6), checkins=started_last_week).rules


def test_r_persist_needs_some_data_in_the_3_weeks() -> None:
    old = weekly_pain(WEEK_2_AGO - timedelta(days=7), 8)
    decision = persisting(run(30, pain_before=8), missed(0), checkins=old)
    assert "R-PERSIST" not in decision.rules


# --- R-LIMB -------------------------------------------------------------------------


@pytest.mark.parametrize("site", PAIN_SITES)
def test_lower_limb_pain_of_4_regresses_with_a_low_alert(site: str) -> None:
    decision = decide(run(other_pain={site: LIMB_PAIN_AT_LEAST}))
    assert DecisionKind.REGRESS == decision.decision
    assert Severity.LOW == alert(decision, "R-LIMB").severity
    assert site in alert(decision, "R-LIMB").message


def test_lower_limb_pain_of_3_is_below_the_threshold() -> None:
    decision = decide(run(other_pain={"knee": LIMB_PAIN_AT_LEAST - 1, "hip": 0}))
    assert DecisionKind.PROGRESS == decision.decision


def test_lower_limb_pain_in_an_earlier_session_is_not_judged_again() -> None:
    decision = decide(run(2, other_pain={"knee": 8}), run(0))
    assert "R-LIMB" not in decision.rules


# --- R-TALK -------------------------------------------------------------------------


def test_a_failed_talk_test_holds_the_level_and_says_slow_down() -> None:
    decision = decide(run(talk_test_ok=False))
    assert DecisionKind.REPEAT == decision.decision
    assert ("R-TALK",) == decision.rules
    assert () == decision.alerts
    assert any("Slow down" in line for line in decision.advice)


def test_a_talk_test_not_recorded_is_not_a_pass() -> None:
    decision = decide(run(talk_test_ok=None))
    assert DecisionKind.REPEAT == decision.decision
    assert ("R-PROGRESS",) == decision.rules


# --- R-ADHERE -----------------------------------------------------------------------


def in_week(monday: date, *offsets: int, make: Callable[..., SessionRecord] = run,
            ) -> list[SessionRecord]:
    """Sessions on ``monday`` + each offset."""
    return [make(days_ago(monday) - offset) for offset in offsets]


def test_fewer_than_2_sessions_in_each_of_the_last_2_complete_weeks_raise_a_low_alert() -> None:
    decision = decide(*in_week(WEEK_2_AGO, 0), *in_week(LAST_MONDAY, 0), run(0))
    assert Severity.LOW == alert(decision, "R-ADHERE").severity


def test_r_adhere_never_blocks_progression() -> None:
    decision = decide(*in_week(WEEK_2_AGO, 0), *in_week(LAST_MONDAY, 0), run(0))
    assert DecisionKind.PROGRESS == decision.decision
    assert {"R-ADHERE", "R-PROGRESS"} == set(decision.rules)


@pytest.mark.parametrize("week", [WEEK_2_AGO, LAST_MONDAY])
def test_two_sessions_in_one_of_the_complete_weeks_are_enough(week: date) -> None:
    other = LAST_MONDAY if week == WEEK_2_AGO else WEEK_2_AGO
    decision = decide(*in_week(week, 0, 2), *in_week(other, 0), run(0))
    assert "R-ADHERE" not in decision.rules


def test_missed_sessions_do_not_count_and_partial_ones_do() -> None:
    sessions = (*in_week(WEEK_2_AGO, 0, 2, make=missed), *in_week(LAST_MONDAY, 0, 2,
                                                                     make=missed))
    assert "R-ADHERE" in decide(*sessions, run(0)).rules
    sessions = (*in_week(WEEK_2_AGO, 0, 2, make=partial), *in_week(LAST_MONDAY, 0))
    assert "R-ADHERE" not in decide(*sessions, run(0)).rules


def test_this_week_is_not_complete_so_its_sessions_do_not_count() -> None:
    decision = decide(*in_week(WEEK_2_AGO, 0), *in_week(LAST_MONDAY, 0),
                      *in_week(THIS_MONDAY, 0, 2), run(0))
    assert "R-ADHERE" in decision.rules


def test_r_adhere_judges_only_complete_weeks_of_the_program() -> None:
    # The program began last week: the week before it is not part of the program.
    decision = decide(*in_week(LAST_MONDAY, 4), run(0))
    assert "R-ADHERE" not in decision.rules


def test_r_adhere_reaches_out_when_nothing_was_logged_for_two_weeks() -> None:
    decision = decide(run(21))
    assert "R-ADHERE" in decision.rules


# --- R-PROGRESS ---------------------------------------------------------------------


@pytest.mark.parametrize("latest", [partial(0), missed(0)], ids=["partial", "missed"])
def test_a_partial_or_missed_latest_session_repeats_the_level(latest: SessionRecord) -> None:
    decision = decide(run(3), latest)
    assert DecisionKind.REPEAT == decision.decision
    assert LEVEL == decision.next_level
    assert ("R-PROGRESS",) == decision.rules


def test_the_top_level_is_repeated_not_exceeded() -> None:
    top = ladder.level(TOP_LEVEL).running_seconds
    decision = decide(run(run_seconds=top), level=TOP_LEVEL)
    assert DecisionKind.REPEAT == decision.decision
    assert TOP_LEVEL == decision.next_level


# --- P-CAP --------------------------------------------------------------------------


def test_p_cap_lowers_the_level_to_what_fits_110_percent_of_the_recorded_running() -> None:
    # Level 10 runs 360 s, but only 200 s were recorded: the cap is 220 s, level 4 fits.
    decision = decide(run(run_seconds=200), level=10)
    assert DecisionKind.REGRESS == decision.decision
    assert 4 == decision.next_level
    assert decision.next_session.capped
    assert decision.next_session.running_seconds <= 200 * CAP_RATIO
    assert "P-CAP" in decision.rules


def test_p_cap_turns_a_progress_into_a_repeat_when_the_next_level_does_not_fit() -> None:
    # Level 5 runs 231 s > 1.1 x 200 s; level 4 (216 s) fits.
    decision = decide(run(run_seconds=200))
    assert DecisionKind.REPEAT == decision.decision
    assert LEVEL == decision.next_level
    assert {"R-PROGRESS", "P-CAP"} == set(decision.rules)


def test_p_cap_uses_the_longest_run_of_the_window_not_the_latest() -> None:
    decision = decide(run(10), partial(5, run_seconds=100), run(0, run_seconds=150))
    assert DecisionKind.PROGRESS == decision.decision
    assert "P-CAP" not in decision.rules


@pytest.mark.parametrize(("ago", "counts"), [
    (CAP_WINDOW_DAYS - 1, True),  # the 30 days ending today
    (CAP_WINDOW_DAYS, False),
])
def test_the_p_cap_window_is_the_30_days_ending_today(ago: int, counts: bool) -> None:
    decision = decide(run(ago), run(0, run_seconds=100))
    if counts:
        assert LEVEL + 1 == decision.next_level
    else:
        assert "P-CAP" in decision.rules
        assert 1 == decision.next_level


def test_below_level_1_the_cap_shortens_level_1_run_bouts() -> None:
    decision = decide(run(run_seconds=100))  # cap 110 s < level 1's 165 s
    assert DecisionKind.REGRESS == decision.decision
    assert 1 == decision.next_level
    bouts = run_bouts(decision)
    assert len(bouts) == ladder.level(1).repeats
    assert all(b < ladder.level(1).run_seconds for b in bouts)
    assert decision.next_session.running_seconds <= 100 * CAP_RATIO


def test_a_tiny_cap_keeps_5_second_bouts_and_does_fewer_of_them() -> None:
    decision = decide(run(run_seconds=20))
    assert set(run_bouts(decision)) == {MIN_RUN_BOUT_SECONDS}
    assert decision.next_session.running_seconds <= 20 * CAP_RATIO


def test_missed_sessions_running_time_does_not_raise_the_cap() -> None:
    decision = decide(missed(2, run_seconds=900), run(0, run_seconds=100))
    assert decision.next_session.running_seconds <= 100 * CAP_RATIO


def test_after_30_days_without_running_it_regresses_to_level_1() -> None:
    decision = decide(run(CAP_WINDOW_DAYS), missed(0), level=8)
    assert DecisionKind.REGRESS == decision.decision
    assert 1 == decision.next_level
    assert 1 == decision.next_session.level
    assert ladder.level(1).running_seconds == decision.next_session.running_seconds
    assert "P-CAP" in decision.rules


def test_a_latest_session_a_month_ago_restarts_at_level_1_even_when_settled() -> None:
    decision = decide(run(CAP_WINDOW_DAYS + 5), level=8)
    assert DecisionKind.REGRESS == decision.decision
    assert 1 == decision.next_level


# --- Combining the rules ------------------------------------------------------------

TRIGGERS: dict[DecisionKind, tuple[str, dict[str, Any], tuple[Checkin, ...]]] = {
    DecisionKind.STOP: ("R-REDFLAG", {"symptoms": ("bowel_incontinence",)}, ()),
    DecisionKind.PAUSE_RUNNING: ("R-FLARE", {}, (rest(1, 8), rest(0, 8))),
    DecisionKind.REGRESS: ("R-LIMB", {"other_pain": {"ankle": 6}}, ()),
    DecisionKind.REPEAT: ("R-TALK", {"talk_test_ok": False}, ()),
}
PAIRS = [(a, b) for a in TRIGGERS for b in TRIGGERS if a.severity > b.severity]


@pytest.mark.parametrize(("stronger", "weaker"), PAIRS, ids=lambda k: str(k))
def test_the_most_restrictive_decision_wins_and_both_rules_are_reported(
    stronger: DecisionKind, weaker: DecisionKind,
) -> None:
    rule_a, fields_a, checkins_a = TRIGGERS[stronger]
    rule_b, fields_b, checkins_b = TRIGGERS[weaker]
    decision = decide(run(**fields_a, **fields_b), checkins=checkins_a + checkins_b)
    assert stronger == decision.decision
    assert {rule_a, rule_b} <= set(decision.rules)


def test_decisions_rank_stop_pause_regress_repeat_progress() -> None:
    ranked = sorted(DecisionKind, key=lambda k: k.severity, reverse=True)
    assert ["stop", "pause_running", "regress", "repeat", "progress"] == ranked


def test_every_fired_rule_is_reported() -> None:
    decision = decide(
        worse(4), worse(2),
        worse(0, pain_during=8, pain_next_morning=5, talk_test_ok=False,
              other_pain={"knee": 5}, symptoms=("history_of_cancer",)),
        checkins=(rest(1, 7), rest(0, 7)),
    )
    assert DecisionKind.STOP == decision.decision
    fired = {"R-REDFLAG", "R-DURING", "R-MORNING", "R-FLARE", "R-AFTER", "R-LIMB", "R-TALK"}
    assert fired <= set(decision.rules)
    assert_no_running(decision)


def test_regress_never_goes_below_level_1() -> None:
    decision = decide(run(other_pain={"foot": 7}, run_seconds=165), level=1)
    assert DecisionKind.REGRESS == decision.decision
    assert 1 == decision.next_level


def test_a_pause_at_level_1_resumes_at_level_1_without_running_now() -> None:
    decision = decide(run(2), checkins=(rest(1, 8), rest(0, 8)), level=1)
    assert 1 == decision.next_level
    assert_no_running(decision)


# --- Alerts and reasons -------------------------------------------------------------


def test_alerts_are_ordered_critical_then_high_then_low() -> None:
    decision = decide(
        run(3, pain_during=7),
        run(0, pain_during=7, other_pain={"hip": 5}, symptoms=("saddle_numbness",)),
        checkins=(rest(1, 8), rest(0, 8)),
    )
    severities = [a.severity for a in decision.alerts]
    assert [Severity.CRITICAL, Severity.HIGH, Severity.HIGH, Severity.LOW] == severities
    assert {"R-REDFLAG", "R-DURING", "R-FLARE", "R-LIMB"} == {a.rule for a in decision.alerts}
    assert ["critical", "high", "low"] == [str(s) for s in Severity]


SCENARIOS: dict[str, Callable[[], Decision]] = {
    "R-REDFLAG": lambda: decide(run(symptoms=("bladder_change",))),
    "R-DURING": lambda: decide(run(pain_during=6)),
    "R-MORNING": lambda: decide(run(pain_next_morning=4)),
    "R-WEEK": lambda: decide(*week_of(LAST_MONDAY, 1), *week_of(THIS_MONDAY, 2)),
    "R-FLARE": lambda: decide(run(2), checkins=(rest(1, 8), rest(0, 8))),
    "R-AFTER": lambda: decide(worse(4), worse(2), worse(0)),
    "R-PERSIST": lambda: persisting(run(0, pain_before=4), checkins=three_weeks(4, 4, 4)),
    "R-LIMB": lambda: decide(run(other_pain={"knee": 4})),
    "R-TALK": lambda: decide(run(talk_test_ok=False)),
    "R-ADHERE": lambda: decide(run(21)),
    "R-PROGRESS": lambda: decide(run()),
    "P-CAP": lambda: decide(run(run_seconds=150)),
}


def test_every_progression_rule_has_a_scenario_here() -> None:
    progression = {r.id for r in evidence.RULES.values() if r.family == "progression"}
    assert progression | {"P-CAP"} == set(SCENARIOS)


@pytest.mark.parametrize("rule", sorted(SCENARIOS))
def test_each_rule_reason_carries_its_sources_from_the_evidence_registry(rule: str) -> None:
    decision = SCENARIOS[rule]()
    (found,) = [r for r in decision.reasons if r.rule == rule]
    assert evidence.RULES[rule].sources == found.sources
    assert found.text
    assert found.as_dict()["sources"] == list(evidence.RULES[rule].sources)


def test_the_decision_serialises_to_the_vignette_interface_shape() -> None:
    data = json.loads(json.dumps(decide(run(pain_during=6)).as_dict()))
    assert {"decision", "next_level", "next_session", "alerts", "reasons"} <= data.keys()
    assert "regress" == data["decision"]
    assert [("low", "R-DURING")] == [(a["severity"], a["rule"]) for a in data["alerts"]]
    assert {"warm_up", "intervals", "cool_down", "total_running_seconds"} <= data[
        "next_session"].keys()
