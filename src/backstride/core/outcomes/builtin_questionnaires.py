"""Scoring-only definitions of the licensed tools: ODI, RMDQ, STarT Back (O-LICENCE).

They carry how each tool is scored and banded, never its item text: every item
says :data:`PLACEHOLDER_TEXT`, and the clinic loads the real text from its own
licensed definitions file (the item ids here are the ones that file uses).
"""

from __future__ import annotations

from functools import cache

from backstride.core.errors import QuestionnaireError
from backstride.core.evidence import STARTBACK_PSYCHOSOCIAL_HIGH
from backstride.core.outcomes.questionnaire_loading import questionnaire_from_dict
from backstride.core.outcomes.questionnaires import TOTAL, QuestionnaireDefinition
from backstride.core.vocab import STARTBACK_ITEMS, STARTBACK_PSYCHOSOCIAL_ITEMS

PLACEHOLDER_TEXT = "(item text loaded from the clinic's licensed definitions file)"

ODI_SECTIONS = 10
ODI_MAX_PER_SECTION = 5  # each section scores 0-5; ODI = sum ÷ (5 × answered) × 100
# Design choice: the ODI pro-rates skipped sections; scoring stops once more
# than two of the ten are skipped, as is common practice.
ODI_MIN_ANSWERED = 8
RMDQ_ITEMS = 24  # RMDQ = number of statements ticked "yes", 0-24
STARTBACK_LOW_TOTAL_AT_MOST = 3  # STARTBACK: total 0-3 is low risk
STARTBACK_MEDIUM_PSYCHOSOCIAL_AT_MOST = STARTBACK_PSYCHOSOCIAL_HIGH - 1  # else 4-5 is high


def _items(prefix: str, count: int, answers: list[dict[str, object]]) -> list[dict[str, object]]:
    return [
        {"id": f"{prefix}_{n}", "text": PLACEHOLDER_TEXT, "answers": answers}
        for n in range(1, count + 1)
    ]


def _odi() -> dict[str, object]:
    return {
        "id": "odi",
        "name": "Oswestry Disability Index",
        "licence": "Licensed through Mapi Research Trust (MAPI-ODI); scoring only, the "
        "clinic supplies the item text under its own licence.",
        "version": "2.1a (scoring only)",
        "items": _items(
            "odi", ODI_SECTIONS,
            [{"value": v, "label": str(v)} for v in range(ODI_MAX_PER_SECTION + 1)],
        ),
        "scoring": {
            "method": "percent_of_max",
            "max_per_item": ODI_MAX_PER_SECTION,
            "min_answered": ODI_MIN_ANSWERED,
        },
    }


def _rmdq() -> dict[str, object]:
    return {
        "id": "rmdq",
        "name": "Roland-Morris Disability Questionnaire",
        "licence": "Licensed; scoring only, the clinic supplies the item text under its "
        "own licence.",
        "version": "24-item (scoring only)",
        "items": _items(
            "rmdq", RMDQ_ITEMS, [{"value": 0, "label": "no"}, {"value": 1, "label": "yes"}]
        ),
        "scoring": {"method": "count", "count_value": 1},
    }


def _startback() -> dict[str, object]:
    agree = [{"value": 0, "label": "disagree"}, {"value": 1, "label": "agree"}]
    bother = [
        {"value": 0, "label": "not at all, slightly or moderately"},
        {"value": 1, "label": "very much or extremely"},
    ]
    items = _items("startback", STARTBACK_ITEMS - 1, agree)
    items += [{"id": f"startback_{STARTBACK_ITEMS}", "text": PLACEHOLDER_TEXT, "answers": bother}]
    return {
        "id": "startback",
        "name": "Keele STarT Back Screening Tool",
        "licence": "Keele University; free for non-commercial use with its notice (STARTBACK). "
        "Scoring only, the clinic supplies the item text.",
        "version": "9-item (scoring only)",
        "items": items,
        "scoring": {"method": "sum"},
        "subscales": {
            "psychosocial": [f"startback_{n}" for n in STARTBACK_PSYCHOSOCIAL_ITEMS],
        },
        # Hill 2008: total 0-3 low; otherwise psychosocial 0-3 medium, 4-5 high.
        "bands": [
            {"label": "low", "when": {"score": TOTAL, "max": STARTBACK_LOW_TOTAL_AT_MOST}},
            {
                "label": "medium",
                "when": {"score": "psychosocial", "max": STARTBACK_MEDIUM_PSYCHOSOCIAL_AT_MOST},
            },
            {"label": "high"},
        ],
    }


_BUILDERS = {"odi": _odi, "rmdq": _rmdq, "startback": _startback}
BUILTIN_QUESTIONNAIRES: tuple[str, ...] = tuple(_BUILDERS)


def builtin_definition_data(questionnaire_id: str) -> dict[str, object]:
    """The scoring-only definition of a built-in tool as JSON-compatible data (a fresh copy).

    An unknown id raises :class:`QuestionnaireError` naming ``questionnaire``.
    """
    builder = _BUILDERS.get(questionnaire_id)
    if builder is None:
        known = ", ".join(BUILTIN_QUESTIONNAIRES)
        raise QuestionnaireError(
            "questionnaire", f"no built-in scoring for {questionnaire_id!r}; one of {known}"
        )
    return builder()


@cache
def builtin_scoring(questionnaire_id: str) -> QuestionnaireDefinition:
    """The scoring-only definition of ``"odi"``, ``"rmdq"`` or ``"startback"``.

    Scores: ODI in % (0-100), RMDQ in points (0-24), STarT Back in points
    (total 0-9, ``psychosocial`` subscale 0-5) with bands low/medium/high.
    An unknown id raises :class:`QuestionnaireError` naming ``questionnaire``.
    """
    return questionnaire_from_dict(builtin_definition_data(questionnaire_id))
