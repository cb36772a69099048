"""Outcome measures: pain, PSFS, schedule, meaningful change, adherence, adverse events.

CLINICAL.md section 4 (O-SCHED, O-MCID, O-ADHERENCE, O-AE, O-LICENCE).
"""

from __future__ import annotations

import ast
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.core import outcomes
from backstride.core.errors import BackstrideError, QuestionnaireError, ScreeningError
from backstride.core.evidence import RULES
from backstride.core.outcomes import (
    AdverseEvent,
    AdverseEventType,
    Measure,
    Seriousness,
    adherence,
    adverse_event_counts,
    meaningful_change,
    measures_due,
    meets_trial_adherence,
    parse_adverse_event,
    psfs_score,
    share_meaningful,
    validate_pain,
)

# --- Layer rule ------------------------------------------------------------------


def test_it_imports_only_the_standard_library_and_the_core() -> None:
    package = Path(outcomes.__file__).parent
    for module in package.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            names = (
                [a.name for a in node.names] if isinstance(node, ast.Import)
                else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            )
            for name in names:
                top = name.split(".")[0]
                allowed = top in sys.stdlib_module_names or name.startswith("backstride.core")
                assert allowed or top == "__future__", f"{module.name} imports {name}"


# --- Pain (0-10) -----------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 5, 10])
def test_it_accepts_whole_pain_ratings_from_0_to_10(value: int) -> None:
    assert value == validate_pain(value, "pain_now")


@pytest.mark.parametrize("value", [-1, 11, 3.0, 2.5, True, False, "5", None])
def test_it_refuses_a_pain_rating_that_is_not_a_whole_number_from_0_to_10(value: object) -> None:
    with pytest.raises(BackstrideError) as caught:
        validate_pain(value, "pain_now")
    assert "pain_now" == caught.value.field


def test_it_raises_the_callers_error_type_for_a_bad_pain_rating() -> None:
    with pytest.raises(ScreeningError) as caught:
        validate_pain(12, "pain_week_avg", error=ScreeningError)
    assert "pain_week_avg" == caught.value.field


# --- PSFS (STRATFORD-1995) -------------------------------------------------------


def test_it_scores_the_psfs_as_the_mean_of_the_activity_ratings() -> None:
    assert 5.0 == psfs_score([("running", 3), ("lifting a child", 5), ("gardening", 7)])


def test_it_accepts_psfs_activities_as_a_mapping() -> None:
    items = {"running": 2, "cycling": 4, "gardening": 6, "golf": 8, "stairs": 10}
    assert 6.0 == psfs_score(items)


@pytest.mark.parametrize("count", [2, 6])
def test_it_needs_three_to_five_psfs_activities(count: int) -> None:
    with pytest.raises(QuestionnaireError) as caught:
        psfs_score([(f"activity {n}", 5) for n in range(count)])
    assert "psfs" == caught.value.field


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([("running", 3), ("  ", 5), ("golf", 7)], "psfs[1].activity"),
        ([("running", 3), ("stairs", 11), ("golf", 7)], "psfs[1].score"),
        ([("running", 3), ("stairs", 5), ("golf", 6.5)], "psfs[2].score"),
        ([("running", 3), ("stairs", 5), ("golf", True)], "psfs[2].score"),
        ([("running", 3), ("stairs", 5), "golf"], "psfs[2]"),
        ([("Running", 3), ("stairs", 5), ("running ", 7)], "psfs[2].activity"),
    ],
)
def test_it_names_the_bad_psfs_activity(items: list[object], field: str) -> None:
    with pytest.raises(QuestionnaireError) as caught:
        psfs_score(items)  # type: ignore[arg-type]
    assert field == caught.value.field


# --- O-SCHED ---------------------------------------------------------------------


@pytest.mark.parametrize("week", [0, 6, 12])
def test_it_asks_for_pain_disability_and_psfs_at_weeks_0_6_and_12(week: int) -> None:
    assert ("pain", "disability", "psfs") == measures_due(week)


@pytest.mark.parametrize("week", [1, 2, 3, 4, 5, 7, 8, 9, 10, 11])
def test_it_asks_for_pain_only_in_the_other_weeks(week: int) -> None:
    assert ("pain",) == measures_due(week)


@pytest.mark.parametrize("week", [-1, 13, 6.0, True])
def test_it_refuses_a_week_outside_the_program(week: object) -> None:
    with pytest.raises(BackstrideError) as caught:
        measures_due(week)  # type: ignore[arg-type]
    assert "program_week" == caught.value.field


# --- O-MCID: pain ----------------------------------------------------------------


def test_it_counts_a_two_point_drop_in_pain_as_meaningful() -> None:
    change = meaningful_change(Measure.PAIN, 8, 6)
    assert (2.0, 25.0, True, False) == (
        change.points, change.percent, change.meaningful, change.worsened
    )


def test_it_does_not_count_a_1_9_point_drop_in_pain_below_30_percent() -> None:
    change = meaningful_change("pain", 8, 6.1)
    assert 1.9 == change.points
    assert not change.meaningful


def test_it_counts_a_30_percent_drop_in_pain_under_two_points_as_meaningful() -> None:
    change = meaningful_change("pain", 5, 3.5)
    assert (1.5, 30.0, True) == (change.points, change.percent, change.meaningful)


def test_it_does_not_count_a_29_percent_drop_in_pain_under_two_points() -> None:
    change = meaningful_change("pain", 5, 3.55)
    assert 29.0 == change.percent
    assert not change.meaningful


def test_it_is_not_fooled_by_float_noise_at_the_30_percent_boundary() -> None:
    # 6.0 - 4.2 is 1.7999999999999998 in binary floating point.
    change = meaningful_change("pain", 6.0, 4.2)
    assert (1.8, 30.0, True) == (change.points, change.percent, change.meaningful)


def test_it_cites_o_mcid_and_its_sources_in_the_reason() -> None:
    change = meaningful_change("pain", 6, 3)
    assert "O-MCID" == change.reason.rule
    assert RULES["O-MCID"].sources == change.reason.sources
    assert "improved by 3 points (50% of baseline)" in change.reason.text


def test_it_prints_29_5_percent_without_rounding_it_up_to_the_threshold() -> None:
    change = meaningful_change("pain", 4, 2.82)
    assert not change.meaningful
    assert "29.5%" in change.reason.text


# --- O-MCID: ODI, RMDQ, PSFS -----------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "baseline", "follow_up", "meaningful"),
    [
        (Measure.ODI, 50, 40, True),  # 10 points (20%)
        (Measure.ODI, 50, 40.1, False),  # 9.9 points (19.8%)
        (Measure.ODI, 30, 21, True),  # 9 points = 30%
        (Measure.ODI, 30, 21.3, False),  # 8.7 points = 29%
        (Measure.RMDQ, 20, 15, True),  # 5 points (25%)
        (Measure.RMDQ, 20, 16, False),  # 4 points (20%)
        (Measure.RMDQ, 10, 7, True),  # 3 points = 30%
        (Measure.RMDQ, 10, 7.1, False),  # 2.9 points = 29%
        (Measure.PSFS, 4, 6, True),  # mean up 2
        (Measure.PSFS, 4, 5.9, False),  # mean up 1.9
        (Measure.PSFS, 2, 3.9, False),  # 95% rise, but PSFS has no percent threshold
    ],
)
def test_it_applies_each_measures_threshold_at_its_boundary(
    measure: Measure, baseline: float, follow_up: float, meaningful: bool
) -> None:
    assert meaningful == meaningful_change(measure, baseline, follow_up).meaningful


def test_it_counts_a_rise_in_psfs_as_an_improvement() -> None:
    change = meaningful_change("psfs", 3, 6)
    assert (3.0, 100.0, True) == (change.points, change.percent, change.meaningful)


# --- O-MCID: baseline zero and worsening -----------------------------------------


def test_it_gives_no_percent_when_baseline_is_zero() -> None:
    change = meaningful_change("pain", 0, 0)
    assert (None, False, False) == (change.percent, change.meaningful, change.worsened)


def test_it_flags_a_rise_from_zero_pain_as_worsening_by_points() -> None:
    change = meaningful_change("pain", 0, 3)
    assert (-3.0, None, False, True) == (
        change.points, change.percent, change.meaningful, change.worsened
    )


def test_it_judges_a_psfs_rise_from_zero_by_points_alone() -> None:
    assert meaningful_change("psfs", 0, 2).meaningful


def test_it_never_counts_a_large_worsening_as_meaningful_improvement() -> None:
    change = meaningful_change("odi", 20, 60)
    assert (-40.0, -200.0, False, True) == (
        change.points, change.percent, change.meaningful, change.worsened
    )
    assert "a meaningful worsening" in change.reason.text


def test_it_flags_a_30_percent_rise_in_pain_as_worsening() -> None:
    assert meaningful_change("pain", 5, 6.5).worsened


def test_it_does_not_flag_a_small_rise_in_pain_as_worsening() -> None:
    change = meaningful_change("pain", 5, 6)
    assert (False, False) == (change.meaningful, change.worsened)
    assert "not a meaningful change" in change.reason.text


def test_it_flags_a_two_point_fall_in_psfs_as_worsening() -> None:
    assert meaningful_change("psfs", 7, 5).worsened


@given(
    st.sampled_from(list(Measure)),
    st.floats(0, 10, allow_nan=False),
    st.floats(0, 10, allow_nan=False),
)
def test_a_change_is_never_both_an_improvement_and_a_worsening(
    measure: Measure, baseline: float, follow_up: float
) -> None:
    change = meaningful_change(measure, baseline, follow_up)
    assert not (change.meaningful and change.worsened)
    assert change.meaningful <= (change.points > 0)


# --- O-MCID: bad input -----------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "baseline", "follow_up", "field"),
    [
        ("pain", 11, 5, "baseline"),
        ("pain", 5, -1, "follow_up"),
        ("odi", 50, 101, "follow_up"),
        ("rmdq", 25, 10, "baseline"),
        ("pain", True, 3, "baseline"),
        ("pain", float("nan"), 3, "baseline"),
        ("oswestry", 50, 40, "measure"),
    ],
)
def test_it_names_the_field_of_a_bad_change(
    measure: str, baseline: float, follow_up: float, field: str
) -> None:
    with pytest.raises(BackstrideError) as caught:
        meaningful_change(measure, baseline, follow_up)
    assert field == caught.value.field


def test_it_shows_a_change_as_plain_data() -> None:
    data = meaningful_change("rmdq", 12, 6).as_dict()
    assert {"measure": "rmdq", "points": 6.0, "percent": 50.0, "meaningful": True} == {
        key: data[key] for key in ("measure", "points", "percent", "meaningful")
    }
    assert "O-MCID" == data["reason"]["rule"]  # type: ignore[index]


def test_it_reports_the_share_of_changes_that_are_meaningful() -> None:
    changes = [meaningful_change("pain", 6, after) for after in (2, 3, 5, 6)]
    assert 0.5 == share_meaningful(changes)
    assert share_meaningful([]) is None


# --- O-ADHERENCE -----------------------------------------------------------------


def test_it_computes_adherence_as_completed_over_prescribed() -> None:
    assert 0.75 == adherence(27, 36)


def test_it_gives_no_adherence_when_nothing_was_prescribed() -> None:
    assert adherence(0, 0) is None


def test_it_counts_zero_completed_sessions_as_zero_adherence() -> None:
    assert 0.0 == adherence(0, 36)


def test_it_refuses_more_completed_sessions_than_prescribed() -> None:
    with pytest.raises(BackstrideError) as caught:
        adherence(37, 36)
    assert "completed" == caught.value.field


@pytest.mark.parametrize(
    ("completed", "prescribed", "field"),
    [(-1, 36, "completed"), (3, -1, "prescribed"), (2.0, 36, "completed"), (True, 3, "completed")],
)
def test_it_refuses_counts_that_are_not_whole_non_negative_numbers(
    completed: object, prescribed: object, field: str
) -> None:
    with pytest.raises(BackstrideError) as caught:
        adherence(completed, prescribed)  # type: ignore[arg-type]
    assert field == caught.value.field


@pytest.mark.parametrize(
    ("completed", "prescribed", "meets"),
    [(7, 10, True), (21, 30, True), (25, 36, False), (26, 36, True), (36, 36, True), (0, 1, False)],
)
def test_it_meets_the_trials_adherence_at_70_percent(
    completed: int, prescribed: int, meets: bool
) -> None:
    assert meets == meets_trial_adherence(adherence(completed, prescribed))


def test_it_does_not_meet_the_trials_adherence_when_nothing_was_prescribed() -> None:
    assert not meets_trial_adherence(None)


def test_it_meets_the_trials_adherence_despite_float_noise() -> None:
    ratio = (0.6 + 0.8 + 0.7) / 3  # a mean of ratios: 0.6999999999999998
    assert ratio < 0.7
    assert meets_trial_adherence(ratio)


@pytest.mark.parametrize("ratio", [-0.1, 1.2, float("nan")])
def test_it_refuses_an_adherence_ratio_outside_0_to_1(ratio: float) -> None:
    with pytest.raises(BackstrideError) as caught:
        meets_trial_adherence(ratio)
    assert "adherence" == caught.value.field


# --- O-AE ------------------------------------------------------------------------

FALL = {"date": "2025-03-04", "type": "fall", "seriousness": "non_serious",
        "description": "Tripped on a kerb in week 3"}


def test_it_records_an_adverse_event_with_type_and_seriousness() -> None:
    event = parse_adverse_event(FALL)
    assert AdverseEvent(
        date(2025, 3, 4), AdverseEventType.FALL, Seriousness.NON_SERIOUS,
        "Tripped on a kerb in week 3",
    ) == event
    assert FALL == event.as_dict()


def test_it_accepts_a_date_object_and_an_empty_description() -> None:
    event = parse_adverse_event({**FALL, "date": date(2025, 3, 4), "description": ""})
    assert (date(2025, 3, 4), "") == (event.date, event.description)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "sprain"}, "type"),
        ({"type": None}, "type"),
        ({"seriousness": "severe"}, "seriousness"),
        ({"date": "2025-02-30"}, "date"),
        ({"date": "20250304"}, "date"),
        ({"date": datetime(2025, 3, 4, tzinfo=UTC)}, "date"),
        ({"date": 20250304}, "date"),
        ({"description": 7}, "description"),
        ({"type": "other", "description": " "}, "description"),
        ({"severity": "serious"}, "severity"),
    ],
)
def test_it_names_the_field_of_a_bad_adverse_event(change: dict[str, object], field: str) -> None:
    with pytest.raises(BackstrideError) as caught:
        parse_adverse_event({**FALL, **change})
    assert field == caught.value.field


def test_it_names_a_missing_adverse_event_field() -> None:
    with pytest.raises(BackstrideError) as caught:
        parse_adverse_event({k: v for k, v in FALL.items() if k != "seriousness"})
    assert "seriousness" == caught.value.field


def test_it_refuses_an_adverse_event_dated_after_today() -> None:
    with pytest.raises(BackstrideError) as caught:
        parse_adverse_event(FALL, today=date(2025, 3, 3))
    assert "date" == caught.value.field
    assert date(2025, 3, 4) == parse_adverse_event(FALL, today=date(2025, 3, 4)).date


def test_it_prefixes_the_field_with_the_events_path() -> None:
    with pytest.raises(BackstrideError) as caught:
        parse_adverse_event({**FALL, "type": "sprain"}, path="adverse_events[2]")
    assert "adverse_events[2].type" == caught.value.field


def test_it_refuses_an_adverse_event_that_is_not_an_object() -> None:
    with pytest.raises(BackstrideError) as caught:
        parse_adverse_event(["fall"])  # type: ignore[arg-type]
    assert "adverse_event" == caught.value.field


def test_it_counts_adverse_events_by_type_and_seriousness() -> None:
    limb = {**FALL, "type": "lower_limb_pain"}
    events = [parse_adverse_event(e) for e in (limb, limb, {**limb, "seriousness": "serious"})]
    counts = adverse_event_counts(events)
    assert {Seriousness.NON_SERIOUS: 2, Seriousness.SERIOUS: 1} == counts[
        AdverseEventType.LOWER_LIMB_PAIN
    ]
    assert {Seriousness.NON_SERIOUS: 0, Seriousness.SERIOUS: 0} == counts[AdverseEventType.FALL]
    assert list(AdverseEventType) == list(counts)
