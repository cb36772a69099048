"""The generic questionnaire scorer and the scoring-only licensed tools (O-LICENCE).

Item text here is invented (``tests/data/questionnaires/``): the product never
ships licensed item text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from backstride.core.errors import QuestionnaireError
from backstride.core.outcomes import (
    BUILTIN_QUESTIONNAIRES,
    PLACEHOLDER_TEXT,
    QuestionnaireDefinition,
    ScoringMethod,
    answers_in_item_order,
    builtin_scoring,
    meaningful_change,
    questionnaire_from_dict,
    score_questionnaire,
)
from tests.conftest import ROOT

TRAIL_FILE = ROOT / "tests" / "data" / "questionnaires" / "invented_trail_readiness.json"


@pytest.fixture
def trail_data() -> dict[str, Any]:
    """The invented STarT-Back-like tool as raw JSON data (fresh for every test)."""
    data: dict[str, Any] = json.loads(TRAIL_FILE.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def trail(trail_data: dict[str, Any]) -> QuestionnaireDefinition:
    return questionnaire_from_dict(trail_data)


def trail_answers(*values: int | None) -> dict[str, int | None]:
    return {f"tr_{n}": value for n, value in enumerate(values, 1)}


def small_tool(method: str, **scoring: object) -> dict[str, Any]:
    """An invented three-item tool whose items score 0-2, 0-4 and 0-4."""
    def item(n: int, top: int) -> dict[str, object]:
        answers = [{"value": v, "label": f"level {v}"} for v in range(top + 1)]
        return {"id": f"s{n}", "text": f"Invented statement {n}.", "answers": answers}

    return {
        "id": "small", "name": "Small invented tool", "licence": "invented", "version": "1",
        "items": [item(1, 2), item(2, 4), item(3, 4)],
        "scoring": {"method": method, **scoring},
    }


# --- Loading ---------------------------------------------------------------------


def test_it_loads_a_definition_file(trail: QuestionnaireDefinition) -> None:
    assert ("trail_readiness", "1.0", 6) == (trail.id, trail.version, len(trail.items))
    assert ScoringMethod.SUM is trail.scoring.method
    assert {"worry": ("tr_4", "tr_5", "tr_6")} == dict(trail.subscales)
    assert ["ready", "steady", "support"] == [band.label for band in trail.bands]
    assert (0, 1) == trail.items[0].values
    assert "Think about the last two weeks." == trail.instructions


def test_it_reads_a_single_condition_or_a_list_of_them(trail: QuestionnaireDefinition) -> None:
    assert [1, 2, 0] == [len(band.when) for band in trail.bands]


Edit = Callable[[dict[str, Any]], object]


def _set(path: tuple[Any, ...], value: object) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return edit


def _delete(*path: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return edit


DEFINITION_ERRORS: list[tuple[str, Edit, str]] = [
    ("a missing id", _delete("id"), "id"),
    ("an empty name", _set(("name",), " "), "name"),
    ("a licence that is not text", _set(("licence",), 3), "licence"),
    ("an unknown top-level key", _set(("colour",), "blue"), "colour"),
    ("instructions that are not text", _set(("instructions",), ["x"]), "instructions"),
    ("items that are not a list", _set(("items",), {"tr_1": 1}), "items"),
    ("no items", _set(("items",), []), "items"),
    ("an item that is not an object", _set(("items", 2), "tr_3"), "items[2]"),
    ("an item without answers", _delete("items", 3, "answers"), "items[3].answers"),
    ("an item with one answer", _set(("items", 3, "answers"), [{"value": 0, "label": "no"}]),
     "items[3].answers"),
    ("an item with empty text", _set(("items", 1, "text"), ""), "items[1].text"),
    ("an unknown item key", _set(("items", 1, "hint"), "x"), "items[1].hint"),
    ("a duplicate item id", _set(("items", 4, "id"), "tr_1"), "items[4].id"),
    ("an item called total", _set(("items", 0, "id"), "total"), "items[0].id"),
    ("a fractional answer value", _set(("items", 3, "answers", 1, "value"), 0.5),
     "items[3].answers[1].value"),
    ("a boolean answer value", _set(("items", 3, "answers", 1, "value"), True),
     "items[3].answers[1].value"),
    ("a duplicate answer value", _set(("items", 2, "answers", 1, "value"), 0),
     "items[2].answers[1].value"),
    ("an empty answer label", _set(("items", 0, "answers", 0, "label"), ""),
     "items[0].answers[0].label"),
    ("an unknown scoring method", _set(("scoring", "method"), "median"), "scoring.method"),
    ("a missing scoring method", _delete("scoring", "method"), "scoring.method"),
    ("scoring that is not an object", _set(("scoring",), "sum"), "scoring"),
    ("a count value for a sum", _set(("scoring", "count_value"), 1), "scoring.count_value"),
    ("a max per item for a sum", _set(("scoring", "max_per_item"), 1), "scoring.max_per_item"),
    ("min answered of zero", _set(("scoring", "min_answered"), 0), "scoring.min_answered"),
    ("min answered above the items", _set(("scoring", "min_answered"), 7),
     "scoring.min_answered"),
    ("a misspelt scoring option", _set(("scoring", "min_answerd"), 3), "scoring.min_answerd"),
    ("subscales that are not an object", _set(("subscales",), ["tr_4"]), "subscales"),
    ("an empty subscale", _set(("subscales", "worry"), []), "subscales.worry"),
    ("a subscale with an unknown item", _set(("subscales", "worry"), ["tr_4", "tr_9"]),
     "subscales.worry[1]"),
    ("a subscale listing an item twice", _set(("subscales", "worry"), ["tr_4", "tr_4"]),
     "subscales.worry[1]"),
    ("a subscale called total", _set(("subscales", "total"), ["tr_1"]), "subscales.total"),
    ("bands that are not a list", _set(("bands",), {"label": "x"}), "bands"),
    ("a band without a label", _delete("bands", 0, "label"), "bands[0].label"),
    ("a band condition on an unknown score", _set(("bands", 0, "when", "score"), "fear"),
     "bands[0].when.score"),
    ("a listed condition on an unknown score", _set(("bands", 1, "when", 1, "score"), "fear"),
     "bands[1].when[1].score"),
    ("a condition with no bounds", _set(("bands", 0, "when"), {"score": "total"}),
     "bands[0].when"),
    ("a condition with null bounds", _set(("bands", 0, "when"), {"score": "total", "max": None}),
     "bands[0].when"),
    ("a condition whose min is above its max",
     _set(("bands", 0, "when"), {"score": "total", "min": 3, "max": 2}), "bands[0].when.max"),
    ("a condition bound that is not a number", _set(("bands", 0, "when", "max"), "2"),
     "bands[0].when.max"),
    ("an unknown condition key", _set(("bands", 0, "when", "maximum"), 2),
     "bands[0].when.maximum"),
    ("an empty condition list", _set(("bands", 0, "when"), []), "bands[0].when"),
    ("a band after the fallback", _set(("bands", 1), {"label": "steady"}), "bands[2]"),
]


@pytest.mark.parametrize(
    ("edit", "path"),
    [pytest.param(edit, path, id=name) for name, edit, path in DEFINITION_ERRORS],
)
def test_it_names_the_path_of_a_bad_definition_field(
    trail_data: dict[str, Any], edit: Edit, path: str
) -> None:
    edit(trail_data)
    with pytest.raises(QuestionnaireError) as caught:
        questionnaire_from_dict(trail_data)
    assert path == caught.value.field
    assert str(caught.value).startswith(f"{path}: ")


def test_it_refuses_a_definition_that_is_not_an_object() -> None:
    with pytest.raises(QuestionnaireError) as caught:
        questionnaire_from_dict([])  # type: ignore[arg-type]
    assert "definition" == caught.value.field


def test_it_refuses_a_count_value_that_an_item_cannot_give() -> None:
    with pytest.raises(QuestionnaireError) as caught:
        questionnaire_from_dict(small_tool("count", count_value=3))
    assert "scoring.count_value" == caught.value.field
    assert "'s1' (items[0])" in caught.value.message


def test_it_refuses_an_answer_above_the_max_per_item() -> None:
    with pytest.raises(QuestionnaireError) as caught:
        questionnaire_from_dict(small_tool("percent_of_max", max_per_item=3))
    assert "items[1].answers[4].value" == caught.value.field


def test_it_refuses_a_negative_answer_for_percent_of_max() -> None:
    data = small_tool("percent_of_max")
    data["items"][0]["answers"][0]["value"] = -1
    with pytest.raises(QuestionnaireError) as caught:
        questionnaire_from_dict(data)
    assert "items[0].answers[0].value" == caught.value.field


# --- Scoring and bands -----------------------------------------------------------


def test_it_sums_the_answers_and_each_subscale(trail: QuestionnaireDefinition) -> None:
    score = score_questionnaire(trail, trail_answers(1, 0, 1, 1, 1, 0))
    assert (4.0, {"worry": 2.0}, 6) == (score.total, dict(score.subscales), score.answered)


@pytest.mark.parametrize(
    ("values", "band"),
    [
        ((0, 0, 0, 0, 0, 0), "ready"),
        ((1, 1, 0, 0, 0, 0), "ready"),  # total 2: the top of "ready"
        ((1, 1, 1, 0, 0, 0), "steady"),  # total 3, worry 0
        ((1, 1, 1, 1, 0, 0), "steady"),  # total 4, worry 1: the top of "steady"
        ((1, 1, 0, 1, 1, 0), "support"),  # total 4, worry 2
        ((0, 0, 0, 1, 1, 1), "support"),  # total 3, worry 3
        ((0, 0, 0, 1, 1, 0), "ready"),  # worry 2, but total 2: the first match wins
    ],
)
def test_it_gives_the_first_band_whose_conditions_all_hold(
    trail: QuestionnaireDefinition, values: tuple[int, ...], band: str
) -> None:
    assert band == score_questionnaire(trail, trail_answers(*values)).band


def test_it_gives_no_band_when_none_matches(trail_data: dict[str, Any]) -> None:
    trail_data["bands"] = [{"label": "high", "when": {"score": "total", "min": 5}}]
    definition = questionnaire_from_dict(trail_data)
    assert score_questionnaire(definition, trail_answers(0, 0, 0, 0, 0, 0)).band is None


def test_it_gives_no_band_when_the_definition_has_none() -> None:
    definition = questionnaire_from_dict(small_tool("sum"))
    assert score_questionnaire(definition, {"s1": 1, "s2": 1, "s3": 1}).band is None


def test_it_shows_a_score_as_plain_data(trail: QuestionnaireDefinition) -> None:
    score = score_questionnaire(trail, trail_answers(1, 1, 1, 1, 1, 1))
    assert {
        "questionnaire": "trail_readiness", "total": 6.0, "subscales": {"worry": 3.0},
        "band": "support", "answered": 6,
    } == score.as_dict()


def test_it_needs_every_item_answered_by_default(trail: QuestionnaireDefinition) -> None:
    with pytest.raises(QuestionnaireError) as caught:
        score_questionnaire(trail, trail_answers(1, 1, None, 0, 0, 0))
    assert "answers" == caught.value.field
    assert "5 of 6 items answered" in caught.value.message


def test_it_treats_an_absent_item_as_skipped(trail: QuestionnaireDefinition) -> None:
    with pytest.raises(QuestionnaireError):
        score_questionnaire(trail, {"tr_1": 1})


def test_it_scores_skipped_items_when_min_answered_allows(trail_data: dict[str, Any]) -> None:
    trail_data["scoring"]["min_answered"] = 4
    definition = questionnaire_from_dict(trail_data)
    score = score_questionnaire(definition, trail_answers(1, None, 1, 1, None, 0))
    assert (3.0, {"worry": 1.0}, 4) == (score.total, dict(score.subscales), score.answered)


def test_it_lets_a_subscale_skip_as_many_items_as_the_total(trail_data: dict[str, Any]) -> None:
    trail_data["scoring"]["min_answered"] = 4  # two skips allowed
    definition = questionnaire_from_dict(trail_data)
    score = score_questionnaire(definition, trail_answers(1, 1, 1, 1, None, None))
    assert {"worry": 1.0} == dict(score.subscales)


def test_it_needs_one_answer_in_each_subscale(trail_data: dict[str, Any]) -> None:
    trail_data["scoring"]["min_answered"] = 3  # three skips allowed
    definition = questionnaire_from_dict(trail_data)
    with pytest.raises(QuestionnaireError) as caught:
        score_questionnaire(definition, trail_answers(1, 1, 1, None, None, None))
    assert "subscale 'worry': 0 of 3 items answered" in caught.value.message


def test_it_names_an_unknown_item_id(trail: QuestionnaireDefinition) -> None:
    with pytest.raises(QuestionnaireError) as caught:
        score_questionnaire(trail, {**trail_answers(0, 0, 0, 0, 0, 0), "tr_7": 1})
    assert "answers.tr_7" == caught.value.field


@pytest.mark.parametrize("value", [2, -1, 0.5, True, "1"])
def test_it_names_the_item_of_an_answer_it_does_not_allow(
    trail: QuestionnaireDefinition, value: object
) -> None:
    answers: dict[str, object] = {**trail_answers(0, 0, 0, 0, 0, 0), "tr_3": value}
    with pytest.raises(QuestionnaireError) as caught:
        score_questionnaire(trail, answers)  # type: ignore[arg-type]
    assert "answers.tr_3" == caught.value.field
    assert "(0, 1)" in caught.value.message


def test_it_refuses_answers_that_are_not_a_mapping(trail: QuestionnaireDefinition) -> None:
    with pytest.raises(QuestionnaireError) as caught:
        score_questionnaire(trail, [0, 0, 0, 0, 0, 0])  # type: ignore[arg-type]
    assert "answers" == caught.value.field


def test_it_averages_the_answered_items_for_the_mean_method() -> None:
    definition = questionnaire_from_dict(small_tool("mean", min_answered=2))
    assert 1.5 == score_questionnaire(definition, {"s1": 2, "s3": 1}).total


def test_it_counts_the_chosen_answer_value_for_the_count_method() -> None:
    definition = questionnaire_from_dict(small_tool("count", count_value=2))
    assert 2.0 == score_questionnaire(definition, {"s1": 2, "s2": 2, "s3": 4}).total


def test_it_takes_each_items_own_maximum_for_percent_of_max_by_default() -> None:
    definition = questionnaire_from_dict(small_tool("percent_of_max", min_answered=2))
    # (2 + 3 + 0) / (2 + 4 + 4) × 100; then, with s2 skipped, (1 + 4) / (2 + 4) × 100.
    assert 50.0 == score_questionnaire(definition, {"s1": 2, "s2": 3, "s3": 0}).total
    assert 83.333333333 == score_questionnaire(definition, {"s1": 1, "s3": 4}).total


def test_it_answers_a_list_in_item_order(trail: QuestionnaireDefinition) -> None:
    assert trail_answers(1, 0, 1, 0, 1, None) == answers_in_item_order(
        trail, [1, 0, 1, 0, 1, None]
    )


@pytest.mark.parametrize("values", [[1, 0, 1], "101010", 7])
def test_it_refuses_a_list_of_the_wrong_length(
    trail: QuestionnaireDefinition, values: object
) -> None:
    with pytest.raises(QuestionnaireError) as caught:
        answers_in_item_order(trail, values, field="startback")  # type: ignore[arg-type]
    assert "startback" == caught.value.field


# --- Built-in scoring: ODI, RMDQ, STarT Back -------------------------------------


def odi(*values: int | None) -> dict[str, int | None]:
    return {f"odi_{n}": value for n, value in enumerate(values, 1)}


def test_it_scores_the_odi_as_a_percentage_of_the_maximum() -> None:
    score = score_questionnaire(builtin_scoring("odi"), odi(2, 2, 2, 2, 2, 2, 2, 2, 2, 2))
    assert (40.0, 10) == (score.total, score.answered)


def test_it_scores_the_odi_over_the_answered_sections_when_one_is_skipped() -> None:
    # 18 ÷ (5 × 9) × 100
    score = score_questionnaire(builtin_scoring("odi"), odi(2, 2, 2, 2, 2, 2, 2, 2, 2, None))
    assert (40.0, 9) == (score.total, score.answered)


def test_it_scores_the_odi_with_two_sections_skipped() -> None:
    # 12 ÷ (5 × 8) × 100
    score = score_questionnaire(builtin_scoring("odi"), odi(5, 0, 1, 1, 1, 1, 1, 2, None, None))
    assert 30.0 == score.total


def test_it_refuses_to_score_the_odi_with_three_sections_skipped() -> None:
    with pytest.raises(QuestionnaireError) as caught:
        score_questionnaire(builtin_scoring("odi"), odi(1, 1, 1, 1, 1, 1, 1))
    assert "7 of 10 items answered; 'odi' needs at least 8" in caught.value.message


def test_it_refuses_an_odi_answer_above_5() -> None:
    with pytest.raises(QuestionnaireError) as caught:
        score_questionnaire(builtin_scoring("odi"), odi(6, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    assert "answers.odi_1" == caught.value.field


def test_it_feeds_odi_scores_into_meaningful_change() -> None:
    before = score_questionnaire(builtin_scoring("odi"), odi(3, 3, 3, 3, 3, 2, 2, 2, 2, 2)).total
    after = score_questionnaire(builtin_scoring("odi"), odi(2, 2, 2, 2, 2, 2, 2, 2, 2, None)).total
    assert (50.0, 40.0, True) == (before, after, meaningful_change("odi", before, after).meaningful)


def test_it_scores_the_rmdq_as_the_number_of_yes_answers() -> None:
    answers = {f"rmdq_{n}": 1 if n <= 7 else 0 for n in range(1, 25)}
    assert 7.0 == score_questionnaire(builtin_scoring("rmdq"), answers).total


def test_it_needs_every_rmdq_statement_answered() -> None:
    answers = {f"rmdq_{n}": 0 for n in range(1, 24)}
    with pytest.raises(QuestionnaireError):
        score_questionnaire(builtin_scoring("rmdq"), answers)


@pytest.mark.parametrize(
    ("values", "total", "psychosocial", "band"),
    [
        ([1, 1, 1, 0, 0, 0, 0, 0, 0], 3, 0, "low"),
        ([0, 0, 0, 0, 1, 1, 1, 0, 0], 3, 3, "low"),  # total 3 is low whatever the subscale
        ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, 0, "medium"),
        ([1, 1, 1, 0, 1, 1, 1, 0, 0], 6, 3, "medium"),
        ([0, 0, 0, 0, 1, 1, 1, 1, 0], 4, 4, "high"),
        ([1, 1, 1, 1, 1, 1, 1, 1, 1], 9, 5, "high"),
    ],
)
def test_it_bands_startback_as_low_medium_or_high(
    values: list[int], total: float, psychosocial: float, band: str
) -> None:
    definition = builtin_scoring("startback")
    score = score_questionnaire(definition, answers_in_item_order(definition, values))
    assert (total, {"psychosocial": psychosocial}, band) == (
        score.total, dict(score.subscales), score.band
    )


@pytest.mark.parametrize("questionnaire_id", BUILTIN_QUESTIONNAIRES)
def test_it_ships_no_item_text_for_the_licensed_tools(questionnaire_id: str) -> None:
    definition = builtin_scoring(questionnaire_id)
    assert {PLACEHOLDER_TEXT} == {item.text for item in definition.items}
    assert "scoring only" in definition.version


def test_it_numbers_the_builtin_item_ids_in_order() -> None:
    assert [f"odi_{n}" for n in range(1, 11)] == [i.id for i in builtin_scoring("odi").items]
    assert 24 == len(builtin_scoring("rmdq").items)
    assert ("startback_5", "startback_6", "startback_7", "startback_8", "startback_9") == (
        builtin_scoring("startback").subscales["psychosocial"]
    )


def test_it_names_an_unknown_builtin_questionnaire() -> None:
    with pytest.raises(QuestionnaireError) as caught:
        builtin_scoring("promis")
    assert "questionnaire" == caught.value.field


def test_it_does_not_let_a_caller_change_a_loaded_definition(
    trail_data: dict[str, Any],
) -> None:
    definition = questionnaire_from_dict(trail_data)
    trail_data["subscales"]["worry"].append("tr_1")
    assert ("tr_4", "tr_5", "tr_6") == definition.subscales["worry"]
    with pytest.raises(TypeError):
        definition.subscales["fear"] = ("tr_1",)  # type: ignore[index]
