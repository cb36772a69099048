"""Reading a ``backstride decide`` vignette (CLINICAL.md section 5).

Valid files become a ``History``; every kind of bad input raises a
``HistoryError`` whose ``field`` is the path of the offending value.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from backstride.core.errors import BackstrideError, HistoryError
from backstride.core.history import MAX_RUN_SECONDS, parse_history
from backstride.core.ladder import TOP_LEVEL
from backstride.core.progression import Checkin, SessionRecord, Status

TODAY = "2026-03-12"


def session(day: str = "2026-03-10", **changes: Any) -> dict[str, Any]:
    """A done session as a vignette writes it; ``changes`` override or add keys."""
    data: dict[str, Any] = {
        "date": day, "status": "done", "pain_before": 3, "pain_during": 4,
        "pain_after": 3, "pain_next_morning": 2, "talk_test_ok": True,
        "other_pain": {"knee": 1}, "symptoms": [], "run_seconds": 216,
    }
    return {**data, **changes}


def vignette(**changes: Any) -> dict[str, Any]:
    """A valid decide vignette with two sessions and one check-in."""
    data: dict[str, Any] = {
        "today": TODAY, "level": 4, "program_baseline_pain": 3,
        "sessions": [session("2026-03-08"), session("2026-03-10")],
        "checkins": [{"date": "2026-03-11", "rest_pain": 2}],
    }
    return {**data, **changes}


# --- Valid input --------------------------------------------------------------------


def test_a_valid_vignette_becomes_a_history_and_today() -> None:
    history, today = parse_history(vignette())
    assert date(2026, 3, 12) == today
    assert 4 == history.level
    assert 3.0 == history.program_baseline_pain
    assert SessionRecord(
        date=date(2026, 3, 10), status=Status.DONE, pain_before=3, pain_during=4,
        pain_after=3, pain_next_morning=2, talk_test_ok=True, other_pain={"knee": 1},
        symptoms=(), run_seconds=216,
    ) == history.sessions[-1]
    assert (Checkin(date(2026, 3, 11), 2),) == history.checkins


def test_sessions_and_check_ins_are_put_oldest_first() -> None:
    data = vignette(sessions=[session("2026-03-10"), session("2026-03-01")],
                    checkins=[{"date": "2026-03-11", "rest_pain": 2},
                              {"date": "2026-03-02", "rest_pain": 4}])
    history, _ = parse_history(data)
    assert [date(2026, 3, 1), date(2026, 3, 10)] == [s.date for s in history.sessions]
    assert [4, 2] == [c.rest_pain for c in history.checkins]


def test_next_morning_pain_may_be_null_or_absent() -> None:
    data = vignette(sessions=[session(pain_next_morning=None)])
    assert parse_history(data)[0].sessions[0].pain_next_morning is None
    data = vignette(sessions=[{k: v for k, v in session().items() if k != "pain_next_morning"}])
    assert parse_history(data)[0].sessions[0].pain_next_morning is None


def test_a_missed_session_needs_only_its_date_and_status() -> None:
    history, _ = parse_history(vignette(sessions=[{"date": "2026-03-10", "status": "missed"}]))
    assert SessionRecord(date(2026, 3, 10), Status.MISSED) == history.sessions[0]


def test_a_missed_session_may_still_report_pain_and_symptoms() -> None:
    data = vignette(sessions=[{"date": "2026-03-10", "status": "missed", "pain_before": 7,
                               "symptoms": ["fever_or_unwell"]}])
    missed = parse_history(data)[0].sessions[0]
    assert (7, ("fever_or_unwell",)) == (missed.pain_before, missed.symptoms)


def test_check_ins_other_pain_and_symptoms_are_optional() -> None:
    data = vignette(sessions=[{k: v for k, v in session().items()
                               if k not in ("other_pain", "symptoms")}])
    del data["checkins"]
    history, _ = parse_history(data)
    assert ({}, (), ()) == (history.sessions[0].other_pain, history.sessions[0].symptoms,
                            history.checkins)


def test_symptoms_and_pain_sites_are_read_from_the_vocabularies() -> None:
    data = vignette(sessions=[session(symptoms=["saddle_numbness", "saddle_numbness",
                                                "history_of_cancer"],
                                      other_pain={"ankle": 4, "foot": 0})])
    record = parse_history(data)[0].sessions[0]
    assert ("saddle_numbness", "history_of_cancer") == record.symptoms
    assert {"ankle": 4, "foot": 0} == record.other_pain


def test_annotations_and_underscore_keys_are_not_unknown_fields() -> None:
    data = vignette(id="v1", description="d", notes="n", expected="progress", _by="a clinician",
                    sessions=[session(_why="felt good")],
                    checkins=[{"date": TODAY, "rest_pain": 1, "_note": "morning"}])
    assert 4 == parse_history(data)[0].level


def test_a_session_and_a_check_in_on_today_are_allowed() -> None:
    data = vignette(sessions=[session(TODAY)], checkins=[{"date": TODAY, "rest_pain": 0}])
    history, today = parse_history(data)
    assert today == history.sessions[0].date == history.checkins[0].date


@pytest.mark.parametrize("level", [1, TOP_LEVEL])
def test_the_ladder_ends_are_valid_levels(level: int) -> None:
    assert level == parse_history(vignette(level=level))[0].level


def test_a_fractional_program_baseline_is_kept() -> None:
    assert 3.5 == parse_history(vignette(program_baseline_pain=3.5))[0].program_baseline_pain


def test_the_input_is_not_changed() -> None:
    data = vignette(sessions=[session("2026-03-10"), session("2026-03-01")])
    before = copy.deepcopy(data)
    parse_history(data)
    assert before == data


# --- Bad input: HistoryError names the field ----------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def set_session(index: int, key: str, value: object) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["sessions"][index][key] = value
    return mutate


def drop_session_key(index: int, key: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        del data["sessions"][index][key]
    return mutate


def set_top(key: str, value: object) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data[key] = value
    return mutate


def drop_top(key: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        del data[key]
    return mutate


def set_checkin(key: str, value: object) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["checkins"][0][key] = value
    return mutate


BAD_INPUT: list[tuple[str, Mutation, str]] = [
    # missing required fields
    ("missing today", drop_top("today"), "today"),
    ("missing level", drop_top("level"), "level"),
    ("missing baseline", drop_top("program_baseline_pain"), "program_baseline_pain"),
    ("missing sessions", drop_top("sessions"), "sessions"),
    ("missing pain after", drop_session_key(1, "pain_after"), "sessions[1].pain_after"),
    ("missing date", drop_session_key(0, "date"), "sessions[0].date"),
    ("missing status", drop_session_key(0, "status"), "sessions[0].status"),
    ("missing talk test", drop_session_key(1, "talk_test_ok"), "sessions[1].talk_test_ok"),
    ("missing run seconds", drop_session_key(1, "run_seconds"), "sessions[1].run_seconds"),
    ("missing rest pain", lambda d: d["checkins"][0].pop("rest_pain"), "checkins[0].rest_pain"),
    # null where a done session needs a value
    ("null pain before", set_session(1, "pain_before", None), "sessions[1].pain_before"),
    ("null pain during", set_session(0, "pain_during", None), "sessions[0].pain_during"),
    ("null talk test", set_session(1, "talk_test_ok", None), "sessions[1].talk_test_ok"),
    ("null run seconds", set_session(1, "run_seconds", None), "sessions[1].run_seconds"),
    ("null partial pain after", lambda d: d["sessions"][1].update(
        status="partial", pain_after=None), "sessions[1].pain_after"),
    # scores
    ("score 11", set_session(1, "pain_after", 11), "sessions[1].pain_after"),
    ("score -1", set_session(1, "pain_before", -1), "sessions[1].pain_before"),
    ("score 2.5", set_session(0, "pain_during", 2.5), "sessions[0].pain_during"),
    ("score true", set_session(1, "pain_after", True), "sessions[1].pain_after"),
    ("score as text", set_session(1, "pain_after", "3"), "sessions[1].pain_after"),
    ("next morning 11", set_session(1, "pain_next_morning", 11),
     "sessions[1].pain_next_morning"),
    ("missed score 11", lambda d: d["sessions"][0].update(status="missed", pain_before=11),
     "sessions[0].pain_before"),
    ("rest pain 11", set_checkin("rest_pain", 11), "checkins[0].rest_pain"),
    ("rest pain false", set_checkin("rest_pain", False), "checkins[0].rest_pain"),
    ("other pain 11", set_session(0, "other_pain", {"knee": 11}), "sessions[0].other_pain.knee"),
    # booleans
    ("yes as a boolean", set_session(0, "talk_test_ok", "yes"), "sessions[0].talk_test_ok"),
    ("1 as a boolean", set_session(0, "talk_test_ok", 1), "sessions[0].talk_test_ok"),
    # vocabularies
    ("unknown symptom", set_session(1, "symptoms", ["saddle_numbness", "headache"]),
     "sessions[1].symptoms[1]"),
    ("symptoms not a list", set_session(1, "symptoms", "saddle_numbness"), "sessions[1].symptoms"),
    ("unknown pain site", set_session(0, "other_pain", {"knee": 2, "elbow": 5}),
     "sessions[0].other_pain.elbow"),
    ("other pain not an object", set_session(0, "other_pain", ["knee"]), "sessions[0].other_pain"),
    ("unknown status", set_session(0, "status", "skipped"), "sessions[0].status"),
    # dates
    ("impossible date", set_session(0, "date", "2026-02-30"), "sessions[0].date"),
    ("day-first date", set_session(0, "date", "12/03/2026"), "sessions[0].date"),
    ("date as a number", set_session(0, "date", 20260312), "sessions[0].date"),
    ("basic-format date", set_session(0, "date", "20260308"), "sessions[0].date"),
    ("week date", set_session(0, "date", "2026-W10-7"), "sessions[0].date"),
    ("bad today", set_top("today", "today"), "today"),
    ("session after today", set_session(1, "date", "2026-03-13"), "sessions[1].date"),
    ("check-in after today", set_checkin("date", "2026-03-13"), "checkins[0].date"),
    ("bad check-in date", set_checkin("date", "2026-13-01"), "checkins[0].date"),
    # unknown keys
    ("unknown top-level key", set_top("levle", 4), "levle"),
    ("unknown session key", set_session(0, "pain_durring", 4), "sessions[0].pain_durring"),
    ("unknown check-in key", set_checkin("pain", 4), "checkins[0].pain"),
    # levels and other numbers
    ("level 0", set_top("level", 0), "level"),
    ("level above the top", set_top("level", TOP_LEVEL + 1), "level"),
    ("level as text", set_top("level", "4"), "level"),
    ("level 4.5", set_top("level", 4.5), "level"),
    ("baseline 11", set_top("program_baseline_pain", 11), "program_baseline_pain"),
    ("baseline -1", set_top("program_baseline_pain", -1), "program_baseline_pain"),
    ("baseline true", set_top("program_baseline_pain", True), "program_baseline_pain"),
    ("baseline NaN", set_top("program_baseline_pain", float("nan")), "program_baseline_pain"),
    ("negative run seconds", set_session(1, "run_seconds", -1), "sessions[1].run_seconds"),
    ("too many run seconds", set_session(1, "run_seconds", MAX_RUN_SECONDS + 1),
     "sessions[1].run_seconds"),
    ("fractional run seconds", set_session(1, "run_seconds", 12.5), "sessions[1].run_seconds"),
    # shapes
    ("sessions not a list", set_top("sessions", {"date": TODAY}), "sessions"),
    ("session not an object", set_top("sessions", ["2026-03-10"]), "sessions[0]"),
    ("check-ins not a list", set_top("checkins", 3), "checkins"),
    ("check-in not an object", set_top("checkins", [5]), "checkins[0]"),
]


@pytest.mark.parametrize(("mutate", "field"), [(m, f) for _, m, f in BAD_INPUT],
                         ids=[name for name, _, _ in BAD_INPUT])
def test_bad_input_raises_a_history_error_naming_the_field(mutate: Mutation, field: str) -> None:
    data = vignette()
    mutate(data)
    with pytest.raises(HistoryError) as caught:
        parse_history(data)
    assert field == caught.value.field
    assert caught.value.message
    assert str(caught.value).startswith(f"{field}: ")


@pytest.mark.parametrize("data", [None, [], "{}", 3], ids=repr)
def test_input_that_is_not_an_object_is_refused(data: object) -> None:
    with pytest.raises(HistoryError) as caught:
        parse_history(data)
    assert "input" == caught.value.field


def test_a_history_error_is_the_core_error_type_and_a_value_error() -> None:
    with pytest.raises(HistoryError) as caught:
        parse_history(vignette(level=0))
    assert isinstance(caught.value, BackstrideError)
    assert isinstance(caught.value, ValueError)
    assert "0" in caught.value.message
