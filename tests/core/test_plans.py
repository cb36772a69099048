"""The dated plan follows every P- rule of CLINICAL.md section 2."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime, timedelta

import pytest

from backstride.core.errors import BackstrideError, PlanError
from backstride.core.evidence import (
    CADENCE_CUE_MAX,
    CADENCE_CUE_MIN,
    CAP_RATIO,
    CAP_WINDOW_DAYS,
    CONSERVATIVE_SESSIONS_PER_WEEK,
    COOL_DOWN_SECONDS,
    FIRST_RUN_BOUT_SECONDS,
    PROGRAM_WEEKS,
    RULES,
    SESSION_MINUTES,
    SESSIONS_PER_WEEK,
    SOFT_SURFACE_WEEKS,
    STRENGTH_SESSIONS_PER_WEEK,
    WARM_UP_SECONDS,
)
from backstride.core.ladder import TOP_LEVEL, IntervalKind, level
from backstride.core.plans import (
    DayKind,
    Plan,
    PlanDay,
    PlanRequest,
    build_plan,
    cadence_cue,
    cap_seconds,
    parse_weekdays,
    project_prescriptions,
)

MONDAY = date(2025, 3, 3)  # a Monday
THURSDAY = date(2025, 3, 6)
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
CROSS_TITLE = (
    "Low-impact cardio: swimming, cycling, elliptical, deep-water running, Pilates or yoga"
)

VALID_WEEKDAY_SETS = [
    combo
    for n in (2, 3)
    for combo in itertools.combinations(range(7), n)
    if all((d + 1) % 7 not in combo for d in combo)
]


def plan_for(
    weekdays: tuple[int, ...] = (MON, WED, FRI),
    start: date = MONDAY,
    weeks: int = PROGRAM_WEEKS,
    profile: str = "standard",
) -> Plan:
    """A valid plan with one session on each of ``weekdays``."""
    request = PlanRequest(start, weekdays, weeks, len(weekdays), profile)
    return build_plan(request)


def kinds_of(days: tuple[PlanDay, ...]) -> list[DayKind]:
    return [d.kind for d in days]


def refusal(request: PlanRequest) -> PlanError:
    with pytest.raises(PlanError) as caught:
        build_plan(request)
    return caught.value


# --- P-DOSE -----------------------------------------------------------------


def test_the_default_plan_has_36_run_walk_sessions_in_12_weeks() -> None:
    plan = build_plan(PlanRequest(MONDAY, (MON, WED, FRI)))

    assert (PROGRAM_WEEKS, SESSIONS_PER_WEEK) == (12, 3)
    assert len(plan.days) == 12 * 7
    assert len(plan.run_walk_days()) == 36


def test_every_run_walk_session_lasts_30_minutes() -> None:
    for day in plan_for().run_walk_days():
        assert day.prescription is not None
        assert day.prescription.total_seconds == SESSION_MINUTES * 60


def test_run_walk_sessions_fall_on_the_chosen_weekdays_only() -> None:
    plan = plan_for((TUE, THU, SAT))

    assert {d.date.weekday() for d in plan.run_walk_days()} == {TUE, THU, SAT}


def test_each_program_week_holds_the_chosen_number_of_sessions() -> None:
    plan = plan_for((MON, THU))

    for week in range(1, PROGRAM_WEEKS + 1):
        assert kinds_of(plan.week(week)).count(DayKind.RUN_WALK) == 2


def test_run_walk_sessions_are_numbered_from_1_in_date_order() -> None:
    plan = plan_for()

    assert [d.session_number for d in plan.run_walk_days()] == list(range(1, 37))


@pytest.mark.parametrize("sessions", [0, 1, 5, 7])
def test_it_refuses_sessions_per_week_outside_2_to_4(sessions: int) -> None:
    error = refusal(PlanRequest(MONDAY, (MON,), sessions_per_week=sessions))

    assert error.field == "sessions_per_week"
    assert "P-DOSE" in error.message


def test_it_refuses_4_sessions_a_week_because_p_days_wins_over_p_dose() -> None:
    error = refusal(PlanRequest(MONDAY, (MON, WED, FRI, SUN), sessions_per_week=4))

    assert error.field == "sessions_per_week"
    assert "P-DAYS" in error.message
    assert "P-DOSE" in error.message
    assert "Sunday" in error.message


def test_it_refuses_a_number_of_weekdays_other_than_sessions_per_week() -> None:
    error = refusal(PlanRequest(MONDAY, (MON, WED), sessions_per_week=3))

    assert error.field == "weekdays"
    assert "exactly 3" in error.message


def test_it_accepts_2_sessions_a_week() -> None:
    assert len(plan_for((TUE, FRI)).run_walk_days()) == 24


# --- P-DAYS -----------------------------------------------------------------


def test_it_refuses_consecutive_run_walk_days_and_names_them() -> None:
    error = refusal(PlanRequest(MONDAY, (MON, TUE, THU)))

    assert error.field == "weekdays"
    assert "Monday and Tuesday" in error.message
    assert "P-DAYS" in error.message


def test_it_refuses_sunday_and_monday_because_the_week_wraps() -> None:
    error = refusal(PlanRequest(MONDAY, (MON, WED, SUN)))

    assert error.field == "weekdays"
    assert "Sunday and Monday" in error.message


def test_it_names_every_clashing_pair() -> None:
    error = refusal(PlanRequest(MONDAY, (FRI, SAT, SUN)))

    assert "Friday and Saturday" in error.message
    assert "Saturday and Sunday" in error.message


@pytest.mark.parametrize("weekdays", VALID_WEEKDAY_SETS)
def test_it_never_puts_run_walk_sessions_on_consecutive_days(weekdays: tuple[int, ...]) -> None:
    dates = [d.date for d in plan_for(weekdays, start=THURSDAY).run_walk_days()]

    assert all(later - earlier >= timedelta(days=2) for earlier, later in itertools.pairwise(dates))


@pytest.mark.parametrize("weekdays", VALID_WEEKDAY_SETS)
def test_every_week_has_exactly_one_full_rest_day(weekdays: tuple[int, ...]) -> None:
    plan = plan_for(weekdays, start=THURSDAY)

    for week in range(1, PROGRAM_WEEKS + 1):
        assert kinds_of(plan.week(week)).count(DayKind.REST) == 1


def test_the_rest_day_is_sunday_when_sunday_is_free() -> None:
    rest = [d for d in plan_for((TUE, THU, SAT)).days if d.kind is DayKind.REST]

    assert {d.date.weekday() for d in rest} == {SUN}


def test_the_rest_day_is_the_last_free_day_of_the_week_when_sunday_is_a_run_walk_day() -> None:
    # Week from Monday: free days Mon, Wed, Fri, Sat; the last is Saturday.
    rest = [d for d in plan_for((TUE, THU, SUN)).days if d.kind is DayKind.REST]

    assert {d.date.weekday() for d in rest} == {SAT}


def test_the_last_free_day_counts_in_program_weeks_not_calendar_weeks() -> None:
    # Program week from Thursday: Thu..Wed; free Fri, Sat, Mon, Wed; the last is Wednesday.
    rest = [d for d in plan_for((TUE, THU, SUN), start=THURSDAY).days if d.kind is DayKind.REST]

    assert {d.date.weekday() for d in rest} == {WED}


def test_the_same_request_always_gives_the_same_plan() -> None:
    assert plan_for((TUE, THU, SUN), start=THURSDAY) == plan_for((TUE, THU, SUN), start=THURSDAY)


def test_rest_days_carry_no_prescription_and_cite_p_days() -> None:
    rest = next(d for d in plan_for().days if d.kind is DayKind.REST)

    assert rest.title == "Rest"
    assert rest.prescription is None
    assert rest.session_number is None
    assert rest.rules == ("P-DAYS",)


# --- P-CROSS ----------------------------------------------------------------


@pytest.mark.parametrize("weekdays", VALID_WEEKDAY_SETS)
def test_every_week_has_2_strength_days_not_next_to_each_other(weekdays: tuple[int, ...]) -> None:
    plan = plan_for(weekdays)

    for week in range(1, PROGRAM_WEEKS + 1):
        strength = [d.date for d in plan.week(week) if d.kind is DayKind.STRENGTH]
        assert len(strength) == STRENGTH_SESSIONS_PER_WEEK == 2
        assert strength[1] - strength[0] > timedelta(days=1)


def test_strength_days_are_not_next_to_each_other_across_weeks_either() -> None:
    strength = [d.date for d in plan_for((MON, THU)).days if d.kind is DayKind.STRENGTH]

    assert all(b - a > timedelta(days=1) for a, b in itertools.pairwise(strength))


def test_the_other_free_days_are_low_impact_cardio() -> None:
    plan = plan_for((MON, THU))  # free: Tue, Wed, Fri, Sat, Sun

    cross = [d for d in plan.week(1) if d.kind is DayKind.CROSS_TRAINING]
    assert len(cross) == 7 - 2 - 1 - STRENGTH_SESSIONS_PER_WEEK
    assert {d.title for d in cross} == {CROSS_TITLE}
    assert {d.rules for d in cross} == {("P-CROSS",)}


def test_strength_days_are_titled_trunk_and_core_strength() -> None:
    strength = [d for d in plan_for().days if d.kind is DayKind.STRENGTH]

    assert {d.title for d in strength} == {"Trunk and core strength"}
    assert {d.rules for d in strength} == {("P-CROSS",)}


# --- P-SHAPE, P-START, P-ONEVAR ----------------------------------------------


def test_each_run_walk_day_opens_with_the_warm_up_and_closes_with_the_cool_down() -> None:
    for day in plan_for().run_walk_days():
        assert day.prescription is not None
        assert [i.seconds for i in day.prescription.warm_up] == [WARM_UP_SECONDS]
        assert [i.seconds for i in day.prescription.cool_down] == [COOL_DOWN_SECONDS]
        assert "P-SHAPE" in day.rules


def test_the_first_session_starts_at_level_1_with_15_second_bouts() -> None:
    first = plan_for().run_walk_days()[0]

    assert first.prescription is not None
    assert first.prescription.level == 1
    assert {i.seconds for i in first.prescription.block if i.kind is IntervalKind.RUN} == {
        FIRST_RUN_BOUT_SECONDS
    }
    assert first.title == "Run-walk, level 1"


def test_session_k_is_projected_at_level_k_up_to_the_top_level() -> None:
    levels = [d.prescription.level for d in plan_for().run_walk_days() if d.prescription]

    assert levels == [min(k, TOP_LEVEL) for k in range(1, 37)]


def test_run_walk_titles_name_the_projected_level() -> None:
    titles = [d.title for d in plan_for().run_walk_days()]

    assert titles[2] == "Run-walk, level 3"
    assert titles[-1] == f"Run-walk, level {TOP_LEVEL}"


def test_every_run_walk_day_explains_that_its_level_is_projected() -> None:
    for day in plan_for().run_walk_days():
        assert any("Projected level" in note for note in day.notes)


# --- P-CAP ------------------------------------------------------------------


def test_no_projected_session_exceeds_110_percent_of_the_previous_30_days() -> None:
    history: list[tuple[date, int]] = []
    for day in plan_for().run_walk_days():
        assert day.prescription is not None
        running = day.prescription.running_seconds
        window = [s for d, s in history if (day.date - d).days <= CAP_WINDOW_DAYS]
        if window:
            assert running <= CAP_RATIO * max(window)
        history.append((day.date, running))


def test_the_cap_is_110_percent_of_the_longest_run_in_the_previous_30_days() -> None:
    today = date(2025, 6, 30)
    history = [(today - timedelta(days=31), 900), (today - timedelta(days=30), 300),
               (today - timedelta(days=2), 200)]

    assert cap_seconds(history, today) == pytest.approx(CAP_RATIO * 300)


def test_there_is_no_cap_without_running_in_the_previous_30_days() -> None:
    today = date(2025, 6, 30)

    assert cap_seconds([], today) is None
    assert cap_seconds([(today - timedelta(days=31), 900), (today, 900)], today) is None
    assert cap_seconds([(today - timedelta(days=3), 0)], today) is None


def test_the_projection_restarts_at_level_1_after_30_days_without_running() -> None:
    start = date(2025, 1, 1)
    dates = [start, start + timedelta(days=2), start + timedelta(days=2 + CAP_WINDOW_DAYS + 1)]

    assert [p.level for p in project_prescriptions(dates)] == [1, 2, 1]


def test_the_projection_keeps_climbing_after_a_gap_within_30_days() -> None:
    start = date(2025, 1, 1)
    dates = [start, start + timedelta(days=CAP_WINDOW_DAYS)]

    assert [p.level for p in project_prescriptions(dates)] == [1, 2]


# --- P-PACE and P-SURFACE ------------------------------------------------------


def test_every_run_walk_day_carries_the_talk_test() -> None:
    for day in plan_for().run_walk_days():
        assert "P-PACE" in day.rules
        assert any("Talk test" in note for note in day.notes)


def test_the_early_weeks_advise_soft_even_surfaces_and_later_weeks_do_not() -> None:
    for day in plan_for().run_walk_days():
        early = day.week <= SOFT_SURFACE_WEEKS
        assert ("P-SURFACE" in day.rules) is early
        assert any("grass" in note for note in day.notes) is early


def test_soft_surface_advice_lasts_4_weeks() -> None:
    weeks = {d.week for d in plan_for().run_walk_days() if "P-SURFACE" in d.rules}

    assert weeks == {1, 2, 3, 4} == set(range(1, SOFT_SURFACE_WEEKS + 1))


# --- T-ENVELOPE: the conservative profile -------------------------------------------


def test_the_conservative_profile_gives_2_sessions_a_week() -> None:
    plan = plan_for((MON, THU), profile="conservative")

    assert CONSERVATIVE_SESSIONS_PER_WEEK == 2
    assert len(plan.run_walk_days()) == 2 * PROGRAM_WEEKS
    assert "T-ENVELOPE" in [r.rule for r in plan.reasons]


def test_the_conservative_profile_refuses_3_sessions_a_week() -> None:
    error = refusal(PlanRequest(MONDAY, (MON, WED, FRI), profile="conservative"))

    assert error.field == "sessions_per_week"
    assert "T-ENVELOPE" in error.message


def test_the_standard_profile_does_not_cite_t_envelope() -> None:
    assert "T-ENVELOPE" not in [r.rule for r in plan_for().reasons]


def test_it_refuses_an_unknown_profile() -> None:
    assert refusal(PlanRequest(MONDAY, (MON, WED, FRI), profile="bold")).field == "profile"


# --- Weeks and the start date ------------------------------------------------------


def test_a_one_week_plan_has_7_days_and_one_weeks_sessions() -> None:
    plan = plan_for(weeks=1)

    assert len(plan.days) == 7
    assert len(plan.run_walk_days()) == 3
    assert kinds_of(plan.days).count(DayKind.REST) == 1


@pytest.mark.parametrize("weeks", [0, -1, 53])
def test_it_refuses_fewer_than_1_or_more_than_52_weeks(weeks: int) -> None:
    assert refusal(PlanRequest(MONDAY, (MON, WED, FRI), weeks=weeks)).field == "weeks"


def test_it_accepts_a_52_week_plan() -> None:
    assert len(plan_for(weeks=52).days) == 52 * 7


def test_a_start_on_a_non_chosen_weekday_begins_with_the_next_chosen_weekday() -> None:
    plan = plan_for((MON, WED, FRI), start=THURSDAY)

    assert plan.days[0].date == THURSDAY
    assert plan.days[0].kind is not DayKind.RUN_WALK
    assert plan.run_walk_days()[0].date == THURSDAY + timedelta(days=1)  # Friday


def test_program_weeks_are_7_day_blocks_from_the_start_date() -> None:
    plan = plan_for(start=THURSDAY)

    assert [d.date for d in plan.week(1)] == [THURSDAY + timedelta(days=i) for i in range(7)]
    assert plan.week(2)[0].date == THURSDAY + timedelta(days=7)
    assert len(plan.week(1)) == 7


def test_the_plan_covers_every_date_from_the_start_once() -> None:
    plan = plan_for(start=THURSDAY)

    assert [d.date for d in plan.days] == [THURSDAY + timedelta(days=i) for i in range(84)]


def test_asking_for_a_week_outside_the_plan_names_the_week() -> None:
    with pytest.raises(PlanError) as caught:
        plan_for().week(PROGRAM_WEEKS + 1)

    assert caught.value.field == "week"


def test_it_refuses_a_datetime_as_the_start() -> None:
    start = datetime(2025, 3, 3, 9, tzinfo=UTC)

    assert refusal(PlanRequest(start, (MON, WED, FRI))).field == "start"


@pytest.mark.parametrize("weekdays", [(MON, WED, 7), (MON, WED, -1), (MON, MON, WED)])
def test_it_refuses_weekday_numbers_outside_the_week_or_twice(weekdays: tuple[int, ...]) -> None:
    assert refusal(PlanRequest(MONDAY, weekdays)).field == "weekdays"


# --- parse_weekdays ----------------------------------------------------------------


def test_parse_weekdays_reads_short_and_full_names_in_any_case() -> None:
    assert parse_weekdays("mon,wed,sat") == (MON, WED, SAT)
    assert parse_weekdays("Monday,WEDNESDAY,saturday") == (MON, WED, SAT)
    assert parse_weekdays(" tue , Thu ") == (TUE, THU)


def test_parse_weekdays_sorts_the_days() -> None:
    assert parse_weekdays("sun,wed,mon") == (MON, WED, SUN)


@pytest.mark.parametrize("text", ["mon,wed,fr", "mon,holiday", "mo"])
def test_parse_weekdays_refuses_an_unknown_name(text: str) -> None:
    with pytest.raises(PlanError) as caught:
        parse_weekdays(text)

    assert caught.value.field == "days"
    assert "unknown weekday" in caught.value.message


def test_parse_weekdays_refuses_a_day_given_twice() -> None:
    with pytest.raises(PlanError) as caught:
        parse_weekdays("mon,wed,monday")

    assert caught.value.field == "days"
    assert "Monday" in caught.value.message


@pytest.mark.parametrize("text", ["", "   ", ",,"])
def test_parse_weekdays_refuses_no_days(text: str) -> None:
    with pytest.raises(PlanError) as caught:
        parse_weekdays(text)

    assert caught.value.field == "days"


# --- Reasons and the JSON shape -----------------------------------------------------


def test_the_plan_cites_every_plan_rule_it_applies_with_its_sources() -> None:
    reasons = {r.rule: r for r in plan_for().reasons}
    applied = {"P-DOSE", "P-DAYS", "P-SHAPE", "P-START", "P-ONEVAR", "P-CAP", "P-PACE",
               "P-CROSS", "P-SURFACE"}

    assert set(reasons) == applied
    for rule_id, found in reasons.items():
        assert found.sources == RULES[rule_id].sources


def test_the_reasons_say_which_days_hold_what() -> None:
    texts = {r.rule: r.text for r in plan_for((TUE, THU, SAT)).reasons}

    assert "36 run-walk sessions" in texts["P-DOSE"]
    assert "Sunday is the full rest day" in texts["P-DAYS"]
    assert f"level {TOP_LEVEL}" in texts["P-START"]


def test_every_day_cites_only_known_rule_ids() -> None:
    for day in plan_for().days:
        assert day.rules
        assert set(day.rules) <= set(RULES)


def test_as_dict_is_json_ready_with_iso_dates_and_prescriptions() -> None:
    plan = plan_for(start=THURSDAY, weeks=1)

    data = json.loads(json.dumps(plan.as_dict()))

    assert data["start"] == "2025-03-06"
    assert data["weekdays"] == ["monday", "wednesday", "friday"]
    assert data["profile"] == "standard"
    assert [d["date"] for d in data["days"]][:2] == ["2025-03-06", "2025-03-07"]
    friday = data["days"][1]
    assert friday["kind"] == "run_walk"
    assert friday["prescription"]["level"] == 1
    assert friday["prescription"]["total_running_seconds"] == level(1).running_seconds
    assert data["days"][0]["prescription"] is None
    assert {r["rule"] for r in data["reasons"]} >= {"P-DOSE", "P-CAP"}


# --- P-CADENCE -----------------------------------------------------------------


def test_the_cadence_cue_is_5_to_10_percent_above_the_current_step_rate() -> None:
    low, high = cadence_cue(160.0)

    assert (CADENCE_CUE_MIN, CADENCE_CUE_MAX) == (0.05, 0.10)
    assert low == pytest.approx(168.0)
    assert high == pytest.approx(176.0)


@pytest.mark.parametrize("cadence", [0.0, -150.0, float("nan"), float("inf")])
def test_the_cadence_cue_refuses_a_step_rate_that_is_not_positive(cadence: float) -> None:
    with pytest.raises(BackstrideError) as caught:
        cadence_cue(cadence)

    assert isinstance(caught.value, ValueError)
    assert caught.value.field == "cadence_spm"
