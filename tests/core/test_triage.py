"""Triage (CLINICAL.md §1) and the screening input (§5), rule by rule."""

from __future__ import annotations

import dataclasses
import json

import pytest

from backstride.core import evidence, vocab
from backstride.core.errors import ScreeningError
from backstride.core.triage import (
    CHECKS,
    OUTSIDE_EVIDENCE,
    PSYCHOSOCIAL_HIGH,
    Outcome,
    Profile,
    Screening,
    TriageResult,
    UnsupportedScreeningError,
    parse_screening,
    screening_schema,
    triage,
)

# A 30-year-old non-runner with six months of mild back pain: plain run_walk.
PLAIN: dict[str, object] = {
    "age": 30,
    "sex": "female",
    "episode_weeks": 26,
    "pain_now": 3,
    "pain_week_avg": 4,
    "leg_pain": "none",
    "leg_pain_worse_than_back": False,
    "leg_numbness_or_weakness": False,
    "red_flags": [],
    "conditions": [],
    "pre_exercise_yes": [],
    "flare_now": False,
    "runs_per_month_last_3_months": 0,
    "pregnant_or_postpartum": False,
    "lower_limb_injury_weeks_ago": None,
    "in_rehab_restricting_running": False,
}
STARTBACK_LOW = [0] * 9


def vignette(**changes: object) -> dict[str, object]:
    return {**PLAIN, **changes}


def screened(**changes: object) -> TriageResult:
    return triage(parse_screening(vignette(**changes)))


def rules_of(result: TriageResult) -> list[str]:
    return [r.rule for r in result.reasons]


def text_of(result: TriageResult, rule_id: str) -> str:
    return next(r.text for r in result.reasons if r.rule == rule_id)


# --- T-RUN ----------------------------------------------------------------------


def test_it_starts_run_walk_when_no_rule_fires() -> None:
    result = screened()
    assert Outcome.RUN_WALK == result.outcome
    assert ["T-RUN"] == rules_of(result)
    assert () == result.flags
    assert Profile.STANDARD == result.profile
    assert evidence.SESSIONS_PER_WEEK == result.profile.sessions_per_week
    assert "run-walk program" in result.advice[0]


def test_it_gives_every_reason_the_sources_of_its_rule() -> None:
    result = screened(red_flags=["fever_or_unwell"], pain_now=8, age=60, startback=[1] * 9)
    for r in result.reasons:
        assert evidence.RULES[r.rule].sources == r.sources


# --- T-CES ----------------------------------------------------------------------


@pytest.mark.parametrize("feature", vocab.CAUDA_EQUINA)
def test_it_sends_a_cauda_equina_feature_to_the_emergency_department(feature: str) -> None:
    result = screened(red_flags=[feature])
    assert Outcome.EMERGENCY == result.outcome
    assert ["T-CES"] == rules_of(result)
    assert feature in result.reasons[0].text
    assert ("IFOMPT-2020", "NICE-NG59") == result.reasons[0].sources
    assert "emergency department now" in result.advice[0]
    assert result.profile is None


# --- T-SERIOUS ------------------------------------------------------------------


@pytest.mark.parametrize("flag", vocab.SERIOUS)
def test_it_sends_a_serious_red_flag_to_a_doctor_within_days(flag: str) -> None:
    result = screened(red_flags=[flag])
    assert Outcome.URGENT_REVIEW == result.outcome
    assert ["T-SERIOUS"] == rules_of(result)
    assert vocab.LABELS[flag] in result.reasons[0].text
    assert "doctor within the next few days" in result.advice[0]
    assert result.profile is None


# --- T-AGE ----------------------------------------------------------------------


def test_it_accepts_55_without_clearance() -> None:
    assert Outcome.RUN_WALK == screened(age=55).outcome


def test_it_asks_for_clearance_over_55() -> None:
    result = screened(age=56)
    assert Outcome.CLEARANCE_REQUIRED == result.outcome
    assert "Age is 56, over 55" == text_of(result, "T-AGE")
    assert "signs it off" in result.advice[1]


def test_it_accepts_18_year_olds() -> None:
    assert Outcome.RUN_WALK == screened(age=18).outcome


def test_it_refuses_under_18s_as_not_supported() -> None:
    with pytest.raises(UnsupportedScreeningError) as caught:
        screened(age=17)
    error = caught.value
    assert isinstance(error, ScreeningError)
    assert "age" == error.field
    assert error.message.startswith("Backstride supports adults (18 and over) only")
    assert not error.emergency
    assert "emergency" not in error.message
    assert ["T-AGE"] == [r.rule for r in error.reasons]


def test_it_still_gives_emergency_advice_when_refusing_an_under_18_with_cauda_equina() -> None:
    with pytest.raises(UnsupportedScreeningError) as caught:
        screened(age=15, red_flags=["bowel_incontinence", "history_of_cancer"])
    error = caught.value
    assert error.emergency
    assert "Backstride supports adults (18 and over) only" in error.message
    assert "emergency department now" in error.message
    assert ["T-AGE", "T-CES", "T-SERIOUS"] == [r.rule for r in error.reasons]


def test_it_still_sends_an_under_18_with_a_serious_red_flag_to_a_doctor() -> None:
    # Beyond the letter of T-AGE, by the safety bias: a refusal never hides red-flag advice.
    with pytest.raises(UnsupportedScreeningError) as caught:
        screened(age=16, red_flags=["night_pain_unrelieved"])
    assert not caught.value.emergency
    assert "doctor within the next few days" in caught.value.message


# --- T-RADIC --------------------------------------------------------------------


def test_it_asks_for_clearance_when_leg_pain_is_worse_than_back_pain() -> None:
    result = screened(leg_pain="above_knee", leg_pain_worse_than_back=True)
    assert Outcome.CLEARANCE_REQUIRED == result.outcome
    assert ["T-RADIC"] == rules_of(result)[:1]


def test_it_asks_for_clearance_for_leg_pain_below_the_knee_with_numbness() -> None:
    result = screened(leg_pain="below_knee", leg_numbness_or_weakness=True)
    assert Outcome.CLEARANCE_REQUIRED == result.outcome
    assert "below the knee" in text_of(result, "T-RADIC")


@pytest.mark.parametrize(
    "leg",
    [
        {"leg_pain": "below_knee", "leg_numbness_or_weakness": False},
        {"leg_pain": "above_knee", "leg_numbness_or_weakness": True},
    ],
)
def test_it_lets_leg_pain_without_both_radicular_features_run(leg: dict[str, object]) -> None:
    assert Outcome.RUN_WALK == screened(**leg).outcome


# --- T-STRUCT -------------------------------------------------------------------


@pytest.mark.parametrize("condition", vocab.CONDITIONS)
def test_it_asks_for_clearance_for_a_structural_condition(condition: str) -> None:
    result = screened(conditions=[condition])
    assert Outcome.CLEARANCE_REQUIRED == result.outcome
    assert ["T-STRUCT"] == rules_of(result)
    assert condition in result.reasons[0].text


# --- T-REHAB --------------------------------------------------------------------


def test_it_asks_for_clearance_during_rehab_that_restricts_running() -> None:
    result = screened(in_rehab_restricting_running=True)
    assert Outcome.CLEARANCE_REQUIRED == result.outcome
    assert ["T-REHAB"] == rules_of(result)


# --- T-OTHER --------------------------------------------------------------------


def test_it_asks_for_clearance_in_pregnancy_or_postpartum() -> None:
    result = screened(pregnant_or_postpartum=True)
    assert Outcome.CLEARANCE_REQUIRED == result.outcome
    assert ["T-OTHER"] == rules_of(result)


@pytest.mark.parametrize("weeks", [0, 3.5, 6])
def test_it_asks_for_clearance_after_a_lower_limb_injury_6_weeks_ago_or_less(
    weeks: float,
) -> None:
    result = screened(lower_limb_injury_weeks_ago=weeks)
    assert Outcome.CLEARANCE_REQUIRED == result.outcome
    assert "6 weeks or less" in text_of(result, "T-OTHER")


@pytest.mark.parametrize("weeks", [6.5, 7, None])
def test_it_lets_an_older_or_no_lower_limb_injury_run(weeks: float | None) -> None:
    assert Outcome.RUN_WALK == screened(lower_limb_injury_weeks_ago=weeks).outcome


# --- T-APSS ---------------------------------------------------------------------


@pytest.mark.parametrize("answer", vocab.PRE_EXERCISE)
def test_it_asks_for_clearance_for_any_yes_on_the_pre_exercise_screen(answer: str) -> None:
    result = screened(pre_exercise_yes=[answer])
    assert Outcome.CLEARANCE_REQUIRED == result.outcome
    assert ["T-APSS"] == rules_of(result)


# --- T-FLARE --------------------------------------------------------------------


def test_it_keeps_a_flare_to_low_impact_first() -> None:
    result = screened(flare_now=True)
    assert Outcome.LOW_IMPACT_FIRST == result.outcome
    assert ["T-FLARE"] == rules_of(result)
    assert "walking, cycling, swimming" in result.advice[0]
    assert "flare settles" in result.advice[1]


def test_it_lets_pain_at_rest_of_5_run() -> None:
    assert Outcome.RUN_WALK == screened(pain_now=5).outcome


def test_it_keeps_pain_at_rest_above_5_to_low_impact_first() -> None:
    result = screened(pain_now=6)
    assert Outcome.LOW_IMPACT_FIRST == result.outcome
    assert "Pain at rest is 6/10, above 5/10" == text_of(result, "T-FLARE")


def test_it_lets_a_week_average_of_6_9_run() -> None:
    assert Outcome.RUN_WALK == screened(pain_week_avg=6.9).outcome


def test_it_keeps_a_week_average_of_7_to_low_impact_first() -> None:
    result = screened(pain_week_avg=7)
    assert Outcome.LOW_IMPACT_FIRST == result.outcome
    assert "7/10 or more" in text_of(result, "T-FLARE")


def test_it_reports_every_flare_finding_in_one_reason() -> None:
    result = screened(flare_now=True, pain_now=9, pain_week_avg=8.5)
    assert ["T-FLARE"] == rules_of(result)[:1]
    assert 3 == text_of(result, "T-FLARE").count(";") + 1


# --- T-ACUTE --------------------------------------------------------------------


def test_it_keeps_an_episode_under_6_weeks_with_pain_above_3_to_low_impact_first() -> None:
    result = screened(episode_weeks=5, pain_now=4)
    assert Outcome.LOW_IMPACT_FIRST == result.outcome
    assert "T-ACUTE" == rules_of(result)[0]
    assert "5 weeks ago" in text_of(result, "T-ACUTE")


def test_it_lets_an_episode_of_6_weeks_run() -> None:
    result = screened(episode_weeks=6, pain_now=4)
    assert Outcome.RUN_WALK == result.outcome


def test_it_lets_an_acute_episode_with_pain_of_3_run() -> None:
    assert Outcome.RUN_WALK == screened(episode_weeks=5, pain_now=3).outcome


# --- T-ENVELOPE -----------------------------------------------------------------


def test_it_keeps_45_year_olds_in_the_trial_population() -> None:
    result = screened(age=45)
    assert Profile.STANDARD == result.profile
    assert OUTSIDE_EVIDENCE not in result.flags


@pytest.mark.parametrize(
    ("changes", "seen"),
    [
        ({"age": 46}, "age 46, over 45"),
        ({"age": 55}, "age 55, over 45"),
        ({"episode_weeks": 11.5}, "episode of 11.5 weeks, under 12"),
        ({"runs_per_month_last_3_months": 2}, "running 2 times a month, more than 1"),
    ],
)
def test_it_marks_run_walk_outside_the_trial_population_as_conservative(
    changes: dict[str, object], seen: str
) -> None:
    result = screened(**changes)
    assert Outcome.RUN_WALK == result.outcome
    assert (OUTSIDE_EVIDENCE,) == result.flags
    assert Profile.CONSERVATIVE == result.profile
    assert evidence.CONSERVATIVE_SESSIONS_PER_WEEK == result.profile.sessions_per_week
    assert ["T-RUN", "T-ENVELOPE"] == rules_of(result)
    assert seen in text_of(result, "T-ENVELOPE")
    assert "2 run-walk sessions a week" in result.advice[-1]


@pytest.mark.parametrize("changes", [{"episode_weeks": 12}, {"runs_per_month_last_3_months": 1}])
def test_it_keeps_the_envelope_boundaries_standard(changes: dict[str, object]) -> None:
    assert Profile.STANDARD == screened(**changes).profile


def test_it_lists_every_envelope_finding() -> None:
    text = text_of(screened(age=50, episode_weeks=8, runs_per_month_last_3_months=4), "T-ENVELOPE")
    assert 3 == text.count(";")  # three findings, then the profile


def test_it_drafts_a_conservative_plan_for_clearance_outside_the_trial_population() -> None:
    result = screened(age=60)
    assert Outcome.CLEARANCE_REQUIRED == result.outcome
    assert Profile.CONSERVATIVE == result.profile
    assert (OUTSIDE_EVIDENCE,) == result.flags
    assert ["T-AGE", "T-ENVELOPE"] == rules_of(result)


def test_it_gives_no_profile_when_no_plan_may_be_made() -> None:
    result = screened(age=60, red_flags=["iv_drug_use"])
    assert result.profile is None
    assert () == result.flags
    assert "T-ENVELOPE" not in rules_of(result)


# --- T-STARTBACK ----------------------------------------------------------------


def test_it_does_not_flag_a_psychosocial_subscale_of_3() -> None:
    # Items 1-4 are not in the subscale, so a high total alone is not flagged.
    result = screened(startback=[1, 1, 1, 1, 1, 1, 1, 0, 0])
    assert PSYCHOSOCIAL_HIGH not in result.flags
    assert "T-STARTBACK" not in rules_of(result)
    assert {"total": 7, "psychosocial": 3, "psychosocial_high": False} == (
        result.as_dict()["startback"]
    )


def test_it_flags_a_psychosocial_subscale_of_4_for_a_clinician() -> None:
    result = screened(startback=[0, 0, 0, 0, 0, 1, 1, 1, 1])
    assert (PSYCHOSOCIAL_HIGH,) == result.flags
    assert ["T-RUN", "T-STARTBACK"] == rules_of(result)
    assert result.startback is not None
    assert (4, 4) == (result.startback.total, result.startback.psychosocial)


def test_it_never_changes_the_outcome_for_startback() -> None:
    for outcome_changes in ({}, {"age": 60}, {"flare_now": True}, {"red_flags": ["iv_drug_use"]}):
        without = screened(**outcome_changes)
        with_high = screened(**outcome_changes, startback=[1] * 9)
        assert without.outcome == with_high.outcome
        assert PSYCHOSOCIAL_HIGH in with_high.flags


def test_it_sorts_flags() -> None:
    result = screened(age=50, startback=[1] * 9)
    assert (OUTSIDE_EVIDENCE, PSYCHOSOCIAL_HIGH) == result.flags


def test_it_reports_no_startback_when_none_is_given() -> None:
    assert screened().startback is None
    assert screened(startback=None).as_dict()["startback"] is None


# --- Most severe wins, all reasons reported -------------------------------------


def test_it_lets_the_most_severe_outcome_win_and_reports_every_reason() -> None:
    result = screened(
        age=60,
        red_flags=["unexplained_weight_loss", "saddle_numbness"],
        conditions=["scoliosis"],
        flare_now=True,
        episode_weeks=2,
        pain_now=7,
    )
    assert Outcome.EMERGENCY == result.outcome
    assert ["T-CES", "T-SERIOUS", "T-AGE", "T-STRUCT", "T-FLARE", "T-ACUTE"] == rules_of(result)
    assert "emergency department now" in result.advice[0]


def test_it_puts_clearance_before_low_impact_whatever_the_table_order() -> None:
    result = screened(pain_now=6, pre_exercise_yes=["chest_pain"], pregnant_or_postpartum=True)
    assert Outcome.CLEARANCE_REQUIRED == result.outcome
    assert ["T-OTHER", "T-APSS", "T-FLARE"] == rules_of(result)


def test_it_orders_outcomes_by_severity() -> None:
    assert [4, 3, 2, 1, 0] == [o.severity for o in Outcome]
    assert [False, False, True, True, True] == [o.allows_plan for o in Outcome]
    assert [Outcome.RUN_WALK] == [o for o in Outcome if o.allows_running_now]


def test_it_gives_advice_for_every_outcome() -> None:
    for changes in ({"red_flags": ["bladder_change"]}, {"red_flags": ["iv_drug_use"]},
                    {"age": 70}, {"flare_now": True}, {}):
        assert screened(**changes).advice


# --- The registry ---------------------------------------------------------------


def test_it_looks_every_check_up_in_the_evidence_registry() -> None:
    for check in CHECKS:
        assert "triage" == evidence.RULES[check.rule].family


def test_it_implements_every_triage_rule_of_the_registry() -> None:
    handled = {c.rule for c in CHECKS} | {"T-RUN", "T-ENVELOPE", "T-STARTBACK"}
    assert {r.id for r in evidence.RULES.values() if r.family == "triage"} == handled


# --- Result as JSON -------------------------------------------------------------


def test_it_turns_a_result_into_json_ready_data() -> None:
    data = screened(age=50, startback=[1] * 9).as_dict()
    assert data == json.loads(json.dumps(data))
    assert "run_walk" == data["outcome"]
    assert "conservative" == data["profile"]
    assert ["outside_evidence", "psychosocial_high"] == data["flags"]
    reasons = data["reasons"]
    assert isinstance(reasons, list)
    assert {"rule": "T-RUN", "text": "No triage rule stops or delays running",
            "sources": ["ASTEROID-2025"]} == reasons[0]
    assert {"total": 9, "psychosocial": 5, "psychosocial_high": True} == data["startback"]
    assert isinstance(data["advice"], list)


def test_it_gives_a_null_profile_in_json_when_no_plan_may_be_made() -> None:
    data = screened(red_flags=["bladder_change"]).as_dict()
    assert data["profile"] is None
    assert data["sessions_per_week"] is None


# --- Parsing: what is accepted --------------------------------------------------


def test_it_reads_a_plain_screening() -> None:
    screening = parse_screening(PLAIN)
    assert 30 == screening.age
    assert () == screening.red_flags
    assert screening.lower_limb_injury_weeks_ago is None
    assert screening.startback is None


def test_it_ignores_clinician_annotations() -> None:
    notes = {"id": "V-001", "description": "d", "notes": ["n"], "expected": {"outcome": "x"},
             "_reviewer": "dr who", "_": 1}
    assert parse_screening(PLAIN) == parse_screening(vignette(**notes))


def test_it_deduplicates_ids_into_vocabulary_order() -> None:
    screening = parse_screening(
        vignette(red_flags=["iv_drug_use", "bladder_change", "iv_drug_use"])
    )
    assert ("bladder_change", "iv_drug_use") == screening.red_flags


def test_it_accepts_fractional_weeks_and_runs() -> None:
    screening = parse_screening(
        vignette(episode_weeks=12.5, runs_per_month_last_3_months=0.5,
                 lower_limb_injury_weeks_ago=8.25, pain_week_avg=3.3)
    )
    assert (12.5, 0.5, 8.25, 3.3) == (
        screening.episode_weeks, screening.runs_per_month_last_3_months,
        screening.lower_limb_injury_weeks_ago, screening.pain_week_avg,
    )


def test_it_reads_startback_answers_into_a_tuple() -> None:
    screening = parse_screening(vignette(startback=[0, 1, 0, 1, 0, 1, 0, 1, 0]))
    assert (0, 1, 0, 1, 0, 1, 0, 1, 0) == screening.startback


def test_it_reads_back_what_a_screening_writes() -> None:
    screening = parse_screening(vignette(red_flags=["fever_or_unwell"], startback=[1] * 9))
    assert screening == parse_screening(json.loads(json.dumps(screening.as_dict())))
    assert screening == parse_screening(dataclasses.asdict(screening))


def test_it_validates_a_screening_built_in_code_too() -> None:
    with pytest.raises(ScreeningError) as caught:
        dataclasses.replace(parse_screening(PLAIN), pain_now=11)
    assert "pain_now" == caught.value.field


def test_it_describes_exactly_the_fields_of_a_screening() -> None:
    fields = screening_schema()["fields"]
    assert isinstance(fields, dict)
    assert [f.name for f in dataclasses.fields(Screening)] == list(fields)


# --- Parsing: what is refused, always naming the field --------------------------


REQUIRED = [name for name in PLAIN]


@pytest.mark.parametrize("name", REQUIRED)
def test_it_names_a_missing_required_field(name: str) -> None:
    data = {k: v for k, v in PLAIN.items() if k != name}
    with pytest.raises(ScreeningError) as caught:
        parse_screening(data)
    assert name == caught.value.field
    assert "required" in caught.value.message


def test_it_requires_the_injury_field_even_though_it_may_be_null() -> None:
    data = {k: v for k, v in PLAIN.items() if k != "lower_limb_injury_weeks_ago"}
    with pytest.raises(ScreeningError, match="lower_limb_injury_weeks_ago"):
        parse_screening(data)


def test_it_names_an_unknown_field() -> None:
    with pytest.raises(ScreeningError) as caught:
        parse_screening(vignette(pain_today=3))
    assert "pain_today" == caught.value.field
    assert "unknown field" in caught.value.message


def test_it_refuses_something_that_is_not_an_object() -> None:
    with pytest.raises(ScreeningError, match="JSON object"):
        parse_screening([1, 2])  # type: ignore[arg-type]


BAD_VALUES = [
    # Booleans are not numbers, numbers are not booleans, text is neither.
    ("age", True),
    ("age", 30.5),
    ("age", "30"),
    ("pain_now", False),
    ("pain_now", 5.5),
    ("pain_week_avg", True),
    ("pain_week_avg", "4"),
    ("pain_week_avg", float("nan")),
    ("episode_weeks", float("inf")),
    ("episode_weeks", None),
    ("runs_per_month_last_3_months", True),
    ("lower_limb_injury_weeks_ago", False),
    ("lower_limb_injury_weeks_ago", "3"),
    ("flare_now", 0),
    ("flare_now", 1),
    ("flare_now", "false"),
    ("flare_now", None),
    ("leg_pain_worse_than_back", 1),
    ("leg_numbness_or_weakness", "yes"),
    ("pregnant_or_postpartum", 0),
    ("in_rehab_restricting_running", None),
    # Out of range.
    ("age", -1),
    ("age", 121),
    ("pain_now", -1),
    ("pain_now", 11),
    ("pain_week_avg", 10.5),
    ("pain_week_avg", -0.1),
    ("episode_weeks", -1),
    ("runs_per_month_last_3_months", -0.5),
    ("lower_limb_injury_weeks_ago", -2),
    # Unknown ids.
    ("sex", "f"),
    ("sex", None),
    ("leg_pain", "below-knee"),
    ("leg_pain", 1),
    ("red_flags", ["cauda_equina"]),
    ("red_flags", ["bladder_change", 3]),
    ("conditions", ["slipped_disc"]),
    ("pre_exercise_yes", ["heart_disease"]),
    # Not a list.
    ("red_flags", "bladder_change"),
    ("conditions", None),
    ("pre_exercise_yes", {"chest_pain": True}),
    # STarT Back: exactly nine answers of 0 or 1.
    ("startback", [0] * 8),
    ("startback", [0] * 10),
    ("startback", [0] * 8 + [2]),
    ("startback", [0] * 8 + [True]),
    ("startback", [0] * 8 + [1.0]),
    ("startback", "000011111"),
    ("startback", 4),
]


@pytest.mark.parametrize(("name", "value"), BAD_VALUES)
def test_it_names_the_field_of_a_bad_value(name: str, value: object) -> None:
    with pytest.raises(ScreeningError) as caught:
        parse_screening(vignette(**{name: value}))
    assert name == caught.value.field
    assert str(caught.value).startswith(f"{name}: ")


def test_it_lists_the_allowed_ids_when_an_id_is_unknown() -> None:
    with pytest.raises(ScreeningError) as caught:
        parse_screening(vignette(conditions=["scoliosis", "slipped_disc"]))
    assert '"slipped_disc"' in caught.value.message
    for condition in vocab.CONDITIONS:
        assert condition in caught.value.message


def test_it_says_which_startback_answer_is_wrong() -> None:
    with pytest.raises(ScreeningError, match="answer 3 must be 0 or 1"):
        parse_screening(vignette(startback=[0, 1, 2, 0, 0, 0, 0, 0, 0]))


# --- The schema -----------------------------------------------------------------


def test_it_publishes_a_json_ready_schema_of_every_field_and_vocabulary() -> None:
    schema = screening_schema()
    assert schema == json.loads(json.dumps(schema))
    fields = schema["fields"]
    vocabularies = schema["vocabularies"]
    assert isinstance(fields, dict) and isinstance(vocabularies, dict)
    assert {"type": "integer", "required": True, "nullable": False, "minimum": 0,
            "maximum": 10} == {k: v for k, v in fields["pain_now"].items() if k != "description"}
    assert fields["startback"]["required"] is False
    assert fields["lower_limb_injury_weeks_ago"]["nullable"] is True
    assert list(vocab.RED_FLAGS) == fields["red_flags"]["allowed"]
    assert 9 == fields["startback"]["length"]


def test_it_labels_every_id_of_every_vocabulary_in_the_schema() -> None:
    vocabularies = screening_schema()["vocabularies"]
    assert isinstance(vocabularies, dict)
    expected = {
        "red_flags": vocab.RED_FLAGS, "conditions": vocab.CONDITIONS,
        "pre_exercise_yes": vocab.PRE_EXERCISE, "sex": vocab.SEXES,
        "leg_pain": vocab.LEG_PAIN, "pain_sites": vocab.PAIN_SITES,
        "session_statuses": vocab.SESSION_STATUSES,
    }
    assert set(expected) == set(vocabularies)
    for name, ids in expected.items():
        entries = vocabularies[name]
        assert list(ids) == [e["id"] for e in entries]
        assert all(e["label"] for e in entries)
    cauda = [e for e in vocabularies["red_flags"] if e["rule"] == "T-CES"]
    assert list(vocab.CAUDA_EQUINA) == [e["id"] for e in cauda]
