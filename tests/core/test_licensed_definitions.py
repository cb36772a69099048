"""Licensed questionnaires (O-LICENCE): a clinic's definitions file, the shipped scoring.

Every item text here is invented: never the licensed tools' own words.
"""

from __future__ import annotations

import copy
import math

import pytest

from backstride.core.errors import QuestionnaireError
from backstride.core.outcomes import (
    builtin_definition_data,
    builtin_scoring,
    definitions_from_file,
    licensed_definition,
    mean_ci95,
    questionnaire_weeks,
    score_questionnaire,
)


def invented(key: str) -> dict[str, object]:
    """A clinic's file for a shipped tool: invented item text, no scoring (the shipped one)."""
    data = copy.deepcopy(builtin_definition_data(key))
    for key_ in ("scoring", "subscales", "bands"):
        data.pop(key_, None)
    for n, item in enumerate(data["items"], start=1):  # type: ignore[attr-defined]
        item["text"] = f"Invented question {n} about a made-up daily task"
    data["licence"] = "Test licence (invented)"
    return data


def test_a_file_without_scoring_gets_the_shipped_scoring_and_keeps_its_text() -> None:
    definition = licensed_definition(invented("odi"))
    assert builtin_scoring("odi").scoring == definition.scoring
    assert "Invented question 3 about a made-up daily task" == definition.items[2].text


def test_odi_is_sum_over_five_times_answered_times_100_with_two_sections_skipped() -> None:
    odi = licensed_definition(invented("odi"))
    answers: dict[str, int | None] = {f"odi_{n}": v for n, v in
                                      enumerate([3, 2, 1, 4, 0, 2, 3, 1], start=1)}
    answers.update(odi_9=None, odi_10=None)
    # By hand: 16 points over 8 answered sections: 16 / (5 × 8) × 100 = 40%.
    assert 40.0 == score_questionnaire(odi, answers).total
    every = {f"odi_{n}": 2 for n in range(1, 11)}  # 20 / 50 = 40% as well
    assert 40.0 == score_questionnaire(odi, every).total


def test_odi_with_three_sections_skipped_is_not_scored() -> None:
    odi = licensed_definition(invented("odi"))
    answers = {f"odi_{n}": 1 for n in range(1, 8)}
    with pytest.raises(QuestionnaireError) as error:
        score_questionnaire(odi, answers)
    assert "answers" == error.value.field
    assert "7 of 10" in error.value.message


def test_rmdq_counts_the_yes_answers() -> None:
    rmdq = licensed_definition(invented("rmdq"))
    answers = {f"rmdq_{n}": 1 if n in (1, 4, 9, 16, 23) else 0 for n in range(1, 25)}
    assert 5.0 == score_questionnaire(rmdq, answers).total


def test_start_back_total_psychosocial_subscale_and_bands() -> None:
    tool = licensed_definition(invented("startback"))

    def scored(values: list[int]) -> tuple[float, float, str | None]:
        result = score_questionnaire(tool, {f"startback_{n}": v
                                            for n, v in enumerate(values, start=1)})
        return result.total, result.subscales["psychosocial"], result.band

    assert (3.0, 1.0, "low") == scored([1, 1, 0, 0, 1, 0, 0, 0, 0])
    assert (5.0, 3.0, "medium") == scored([1, 1, 0, 0, 1, 1, 1, 0, 0])
    assert (6.0, 4.0, "high") == scored([1, 0, 0, 1, 1, 1, 0, 1, 1])


def test_a_malformed_file_names_the_item() -> None:
    data = invented("odi")
    data["items"][3]["answers"] = [{"value": 0, "label": "only one"}]  # type: ignore[index]
    with pytest.raises(QuestionnaireError) as error:
        definitions_from_file({"questionnaires": [invented("rmdq"), data]})
    assert error.value.field.startswith("questionnaires[1].items[3].answers")


def test_a_shipped_tool_in_another_item_order_is_refused() -> None:
    data = invented("rmdq")
    items = data["items"]
    items[0], items[1] = items[1], items[0]  # type: ignore[index]
    with pytest.raises(QuestionnaireError) as error:
        licensed_definition(data)
    assert "items[0].id" == error.value.field


def test_a_shipped_tool_with_other_scoring_is_refused() -> None:
    data = invented("odi")
    data["scoring"] = {"method": "sum"}
    with pytest.raises(QuestionnaireError) as error:
        licensed_definition(data)
    assert "scoring" == error.value.field


def test_an_unshipped_tool_brings_its_own_scoring() -> None:
    promis_like = {
        "id": "promis-pf-4", "name": "Invented physical function short form",
        "licence": "Test licence", "version": "1",
        "items": [{"id": f"pf{n}", "text": f"Invented task {n}",
                   "answers": [{"value": v, "label": str(v)} for v in range(1, 6)]}
                  for n in range(1, 5)],
        "scoring": {"method": "sum"},
    }
    (entry,) = definitions_from_file(promis_like)
    assert 11.0 == score_questionnaire(entry.definition,
                                       {"pf1": 1, "pf2": 2, "pf3": 3, "pf4": 5}).total
    assert (0, 6, 12) == questionnaire_weeks("promis-pf-4")
    assert (0,) == questionnaire_weeks("startback")


def test_the_built_in_measures_cannot_be_loaded_from_a_file() -> None:
    with pytest.raises(QuestionnaireError) as error:
        licensed_definition({"id": "pain"})
    assert "id" == error.value.field


def test_the_same_id_twice_in_one_file_is_refused() -> None:
    with pytest.raises(QuestionnaireError) as error:
        definitions_from_file([invented("odi"), invented("odi")])
    assert "[1].id" == error.value.field


def test_the_95_percent_ci_matches_a_hand_computed_value() -> None:
    # Changes -1, -2, 0, -3, -1: mean -1.4, sample SD sqrt(1.3) = 1.140175,
    # t(0.975, df 4) = 2.776445, half-width 2.776445 × 1.140175 / sqrt(5) = 1.415706.
    mean, low, high = mean_ci95([-1, -2, 0, -3, -1])
    assert math.isclose(-1.4, mean)
    assert math.isclose(-1.4 - 1.415706, low, abs_tol=1e-5)  # type: ignore[arg-type]
    assert math.isclose(-1.4 + 1.415706, high, abs_tol=1e-5)  # type: ignore[arg-type]
