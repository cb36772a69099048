"""A generic questionnaire scorer (O-LICENCE).

ODI, RMDQ and STarT Back are licensed: the product ships how to score them,
and the item text comes from a definitions file the clinic loads under its own
licence. So a questionnaire is data, a :class:`QuestionnaireDefinition`
(loaded by :func:`~backstride.core.outcomes.questionnaire_loading.questionnaire_from_dict`),
and one function scores any of them: a total, optional subscales scored the
same way, and an optional band chosen by ordered rules (first match wins).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from backstride.core.errors import QuestionnaireError

TOTAL = "total"  # the score name a band condition uses for the total
_DECIMALS = 9  # 300 / 9 items is reported as 33.333333333, and compared as such


class ScoringMethod(StrEnum):
    """How answer values become a score."""

    SUM = "sum"  # sum of the answered values
    COUNT = "count"  # number of answered items whose value is ``count_value`` (RMDQ "yes")
    PERCENT_OF_MAX = "percent_of_max"  # sum ÷ (sum of the answered items' maxima) × 100 (ODI)
    MEAN = "mean"  # sum ÷ number answered


@dataclass(frozen=True)
class Answer:
    """One allowed answer of an item: its ``value`` and the text shown for it."""

    value: int
    label: str


@dataclass(frozen=True)
class Item:
    """One question: an id used in answers, its text and its allowed answers."""

    id: str
    text: str
    answers: tuple[Answer, ...]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(answer.value for answer in self.answers)


@dataclass(frozen=True)
class Scoring:
    """The scoring rule; ``None`` options take their defaults (see the fields)."""

    method: ScoringMethod
    count_value: int = 1  # COUNT: the answer value that counts
    max_per_item: int | None = None  # PERCENT_OF_MAX: None = each item's highest value
    min_answered: int | None = None  # None = every item must be answered

    def item_max(self, item: Item) -> int:
        """The most ``item`` can score, for PERCENT_OF_MAX."""
        return max(item.values) if self.max_per_item is None else self.max_per_item


@dataclass(frozen=True)
class Condition:
    """``min <= score <= max`` (either end optional) for the total or a subscale."""

    score: str
    min: float | None = None
    max: float | None = None

    def holds(self, scores: Mapping[str, float]) -> bool:
        value = scores[self.score]
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


@dataclass(frozen=True)
class Band:
    """A label given when every condition in ``when`` holds; no conditions = fallback."""

    label: str
    when: tuple[Condition, ...] = ()

    def matches(self, scores: Mapping[str, float]) -> bool:
        return all(condition.holds(scores) for condition in self.when)


@dataclass(frozen=True)
class QuestionnaireDefinition:
    """A questionnaire as data: what it is, its items, how it is scored and banded."""

    id: str
    name: str
    licence: str
    version: str
    items: tuple[Item, ...]
    scoring: Scoring
    subscales: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    bands: tuple[Band, ...] = ()
    instructions: str = ""

    def item(self, item_id: str) -> Item | None:
        """The item with this id, if there is one."""
        return next((item for item in self.items if item.id == item_id), None)


@dataclass(frozen=True)
class QuestionnaireScore:
    """A scored questionnaire: ``total`` and ``subscales`` in the method's units
    (points, a count, or % of the maximum), the first matching ``band`` label
    (``None`` if none matched), and how many items were ``answered``."""

    questionnaire: str
    total: float
    subscales: Mapping[str, float]
    band: str | None
    answered: int

    def as_dict(self) -> dict[str, object]:
        return {
            "questionnaire": self.questionnaire,
            "total": self.total,
            "subscales": dict(self.subscales),
            "band": self.band,
            "answered": self.answered,
        }


def score_questionnaire(
    definition: QuestionnaireDefinition, answers: Mapping[str, int | None]
) -> QuestionnaireScore:
    """Score ``answers`` (item id -> answer value; ``None`` or absent = skipped).

    The total is the definition's method over the answered items; each
    subscale is the same method over its own items. At least ``min_answered``
    items must be answered (default: all), and each subscale tolerates as many
    skipped items as the total does (but needs one answer at least). Unknown
    item ids and values an item does not allow raise
    :class:`QuestionnaireError` naming ``answers.<item id>``.
    """
    given = _checked_answers(definition, answers)
    skippable = len(definition.items) - _min_answered(definition)
    total = _scored(definition, definition.items, given, skippable, TOTAL)
    subscales = {
        name: _scored(definition, _items(definition, ids), given, skippable, name)
        for name, ids in definition.subscales.items()
    }
    band = _band(definition.bands, {TOTAL: total, **subscales})
    return QuestionnaireScore(
        definition.id, total, MappingProxyType(subscales), band, len(given)
    )


def answers_in_item_order(
    definition: QuestionnaireDefinition, values: Sequence[int | None], field: str = "answers"
) -> dict[str, int | None]:
    """``values`` listed in the definition's item order, keyed by item id.

    For inputs that give a tool's answers as a list, such as the vignette's
    nine STarT Back answers (CLINICAL.md section 5). A list of the wrong
    length raises :class:`QuestionnaireError` naming ``field``.
    """
    expected = len(definition.items)
    if isinstance(values, str) or not isinstance(values, Sequence) or len(values) != expected:
        raise QuestionnaireError(
            field, f"needs {expected} answers in {definition.id!r} item order, not {values!r}"
        )
    return {item.id: value for item, value in zip(definition.items, values, strict=True)}


def _checked_answers(
    definition: QuestionnaireDefinition, answers: Mapping[str, int | None]
) -> dict[str, int]:
    if not isinstance(answers, Mapping):
        raise QuestionnaireError("answers", "must map item ids to answer values")
    given: dict[str, int] = {}
    for item_id, value in answers.items():
        item = definition.item(item_id)
        if item is None:
            raise QuestionnaireError(
                f"answers.{item_id}", f"is not an item of {definition.id!r}"
            )
        if value is not None:
            given[item_id] = _allowed(item, value)
    return given


def _allowed(item: Item, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in item.values:
        allowed = ", ".join(str(v) for v in item.values)
        raise QuestionnaireError(
            f"answers.{item.id}", f"{value!r} is not an allowed answer ({allowed})"
        )
    return value


def _min_answered(definition: QuestionnaireDefinition) -> int:
    wanted = definition.scoring.min_answered
    return len(definition.items) if wanted is None else wanted


def _items(definition: QuestionnaireDefinition, ids: Sequence[str]) -> tuple[Item, ...]:
    return tuple(item for item in definition.items if item.id in ids)


def _scored(
    definition: QuestionnaireDefinition,
    items: Sequence[Item],
    given: Mapping[str, int],
    skippable: int,
    name: str,
) -> float:
    answered = [item for item in items if item.id in given]
    needed = max(1, len(items) - skippable)
    if len(answered) < needed:
        scope = "" if name == TOTAL else f"subscale {name!r}: "
        raise QuestionnaireError(
            "answers",
            f"{scope}{len(answered)} of {len(items)} items answered; "
            f"{definition.id!r} needs at least {needed}",
        )
    method = _METHODS[definition.scoring.method]
    return round(method(definition.scoring, answered, given), _DECIMALS)


def _sum(scoring: Scoring, items: Sequence[Item], given: Mapping[str, int]) -> float:
    return float(sum(given[item.id] for item in items))


def _count(scoring: Scoring, items: Sequence[Item], given: Mapping[str, int]) -> float:
    return float(sum(1 for item in items if given[item.id] == scoring.count_value))


def _mean(scoring: Scoring, items: Sequence[Item], given: Mapping[str, int]) -> float:
    return _sum(scoring, items, given) / len(items)


def _percent_of_max(scoring: Scoring, items: Sequence[Item], given: Mapping[str, int]) -> float:
    # ODI with skipped sections: sum ÷ (5 × sections answered) × 100. Multiplying
    # before dividing keeps 3 of 10 at exactly 30.0.
    return _sum(scoring, items, given) * 100 / sum(scoring.item_max(item) for item in items)


_METHODS: Mapping[
    ScoringMethod, Callable[[Scoring, Sequence[Item], Mapping[str, int]], float]
] = MappingProxyType({
    ScoringMethod.SUM: _sum,
    ScoringMethod.COUNT: _count,
    ScoringMethod.MEAN: _mean,
    ScoringMethod.PERCENT_OF_MAX: _percent_of_max,
})


def _band(bands: Sequence[Band], scores: Mapping[str, float]) -> str | None:
    # Ordered rules, first match wins (STarT Back: low, then medium, then high).
    return next((band.label for band in bands if band.matches(scores)), None)
