"""Loading a questionnaire definition from JSON-compatible data (O-LICENCE).

The shape (every key is required unless marked optional)::

    {"id": "...", "name": "...", "licence": "...", "version": "...",
     "instructions": "...",                               # optional
     "items": [{"id": "...", "text": "...",
                "answers": [{"value": 0, "label": "..."}, ...]}, ...],
     "scoring": {"method": "sum" | "count" | "percent_of_max" | "mean",
                 "count_value": 1,        # optional, count only (default 1)
                 "max_per_item": 5,       # optional, percent_of_max only
                 "min_answered": 8},      # optional (default: every item)
     "subscales": {"name": ["item id", ...]},             # optional
     "bands": [{"label": "...",
                "when": [{"score": "total" | subscale, "min": x, "max": y}]},
               {"label": "..."}]}                         # optional

``when`` may be one condition or a list of conditions that must all hold; a
band without ``when`` is the fallback and must come last. Every error is a
:class:`QuestionnaireError` naming the path of the bad field, such as
``items[3].answers`` or ``bands[1].when[0].score``. Unknown keys are refused
so that a misspelt option is never silently ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from backstride.core import fields as f
from backstride.core.errors import QuestionnaireError
from backstride.core.outcomes.questionnaires import (
    TOTAL,
    Answer,
    Band,
    Condition,
    Item,
    QuestionnaireDefinition,
    Scoring,
    ScoringMethod,
)

E = QuestionnaireError
_TOP = ("id", "name", "licence", "version", "items", "scoring")
_TOP_OPTIONAL = ("instructions", "subscales", "bands")
_MIN_ANSWERS = 2  # an item with a single answer cannot tell anyone apart


def questionnaire_from_dict(data: Mapping[str, object]) -> QuestionnaireDefinition:
    """A validated :class:`QuestionnaireDefinition` from ``data`` (e.g. ``json.load``)."""
    top = _object(data, "", _TOP, _TOP_OPTIONAL)
    items = _items(top["items"])
    subscales = _subscales(top.get("subscales", {}), items)
    return QuestionnaireDefinition(
        id=_text(top["id"], "id"),
        name=_text(top["name"], "name"),
        licence=_text(top["licence"], "licence"),
        version=_text(top["version"], "version"),
        items=items,
        scoring=_scoring(top["scoring"], items),
        subscales=subscales,
        bands=_bands(top.get("bands", []), subscales),
        instructions=f.text(top.get("instructions", ""), "instructions", E, allow_blank=True),
    )


# --- Shapes -------------------------------------------------------------------


def _object(
    value: object, path: str, required: Sequence[str], optional: Sequence[str] = ()
) -> Mapping[str, object]:
    data = f.mapping(value, path or "definition", E)
    f.reject_unknown(data, (*required, *optional), path, E)
    f.require_keys(data, required, path, E)
    return data


def _list(value: object, path: str, at_least: int = 1) -> Sequence[object]:
    return f.sequence(value, path, E, at_least=at_least)


def _text(value: object, path: str) -> str:
    return f.text(value, path, E)


def _unique(values: Sequence[object], path: str, what: str, suffix: str = "") -> None:
    for i, value in enumerate(values):
        if value in values[:i]:
            raise QuestionnaireError(f"{path}[{i}]{suffix}", f"duplicate {what} {value!r}")


# --- Items --------------------------------------------------------------------


def _items(value: object) -> tuple[Item, ...]:
    items = tuple(_item(raw, f"items[{i}]") for i, raw in enumerate(_list(value, "items")))
    _unique([item.id for item in items], "items", "item id", ".id")
    return items


def _item(value: object, path: str) -> Item:
    raw = _object(value, path, ("id", "text", "answers"))
    item_id = _text(raw["id"], f.at(path, "id"))
    if item_id == TOTAL:
        raise QuestionnaireError(f.at(path, "id"), f"{TOTAL!r} is reserved")
    answers_path = f.at(path, "answers")
    answers = tuple(
        _answer(entry, f"{answers_path}[{i}]")
        for i, entry in enumerate(_list(raw["answers"], answers_path, _MIN_ANSWERS))
    )
    _unique([answer.value for answer in answers], answers_path, "answer value", ".value")
    return Item(item_id, _text(raw["text"], f.at(path, "text")), answers)


def _answer(value: object, path: str) -> Answer:
    raw = _object(value, path, ("value", "label"))
    return Answer(f.integer(raw["value"], f.at(path, "value"), E),
                  _text(raw["label"], f.at(path, "label")))


# --- Scoring ------------------------------------------------------------------


def _scoring(value: object, items: tuple[Item, ...]) -> Scoring:
    raw = _object(value, "scoring", ("method",), ("count_value", "max_per_item", "min_answered"))
    method = _method(raw["method"])
    _only_for(raw, "count_value", method, ScoringMethod.COUNT)
    _only_for(raw, "max_per_item", method, ScoringMethod.PERCENT_OF_MAX)
    scoring = Scoring(
        method=method,
        count_value=f.integer(raw.get("count_value", 1), "scoring.count_value", E),
        max_per_item=_optional_int(raw.get("max_per_item"), "scoring.max_per_item", 1),
        min_answered=_optional_int(raw.get("min_answered"), "scoring.min_answered", 1, len(items)),
    )
    _check_fits(scoring, items)
    return scoring


def _method(value: object) -> ScoringMethod:
    return ScoringMethod(f.choice(value, "scoring.method", E, [m.value for m in ScoringMethod]))


def _only_for(
    raw: Mapping[str, object], key: str, method: ScoringMethod, owner: ScoringMethod
) -> None:
    if key in raw and method is not owner:
        raise QuestionnaireError(
            f"scoring.{key}", f"is only used by method {owner.value!r}, not {method.value!r}"
        )


def _optional_int(value: object, path: str, low: int, high: int | None = None) -> int | None:
    return None if value is None else f.integer(value, path, E, low=low, high=high)


def _check_fits(scoring: Scoring, items: tuple[Item, ...]) -> None:
    """Every item can be scored by ``scoring`` (a count can be hit; a percent stays 0-100)."""
    for i, item in enumerate(items):
        if scoring.method is ScoringMethod.COUNT and scoring.count_value not in item.values:
            raise QuestionnaireError(
                "scoring.count_value",
                f"item {item.id!r} (items[{i}]) has no answer with value {scoring.count_value}",
            )
        if scoring.method is ScoringMethod.PERCENT_OF_MAX:
            _check_percent_range(scoring, item, i)


def _check_percent_range(scoring: Scoring, item: Item, index: int) -> None:
    # Values in 0..top, two of them at least: top is above 0, so no division by 0.
    top = scoring.item_max(item)
    for j, value in enumerate(item.values):
        if not 0 <= value <= top:
            raise QuestionnaireError(
                f"items[{index}].answers[{j}].value",
                f"{value} is outside 0..{top}, the range percent_of_max scores",
            )


# --- Subscales and bands ------------------------------------------------------


def _subscales(value: object, items: tuple[Item, ...]) -> Mapping[str, tuple[str, ...]]:
    known = {item.id for item in items}
    subscales: dict[str, tuple[str, ...]] = {}
    for name, ids in f.mapping(value, "subscales", E).items():
        path = f"subscales.{name}"
        if name == TOTAL or not isinstance(name, str) or not name.strip():
            raise QuestionnaireError(path, "needs a non-empty name other than 'total'")
        members = _list(ids, path)
        for i, item_id in enumerate(members):
            if item_id not in known:
                raise QuestionnaireError(f"{path}[{i}]", f"{item_id!r} is not an item id")
        _unique(members, path, "item id")
        subscales[name] = tuple(str(item_id) for item_id in members)
    return MappingProxyType(subscales)


def _bands(value: object, subscales: Mapping[str, tuple[str, ...]]) -> tuple[Band, ...]:
    bands = tuple(
        _band(raw, f"bands[{i}]", subscales) for i, raw in enumerate(_list(value, "bands", 0))
    )
    for i, band in enumerate(bands[:-1]):
        if not band.when:
            raise QuestionnaireError(
                f"bands[{i + 1}]", f"is unreachable: bands[{i}] before it has no condition"
            )
    return bands


def _band(value: object, path: str, subscales: Mapping[str, tuple[str, ...]]) -> Band:
    raw = _object(value, path, ("label",), ("when",))
    label = _text(raw["label"], f.at(path, "label"))
    if "when" not in raw:
        return Band(label)
    when, when_path = raw["when"], f.at(path, "when")
    if isinstance(when, Mapping):
        return Band(label, (_condition(when, when_path, subscales),))
    conditions = _list(when, when_path)
    return Band(
        label,
        tuple(_condition(c, f"{when_path}[{i}]", subscales) for i, c in enumerate(conditions)),
    )


def _condition(value: object, path: str, subscales: Mapping[str, tuple[str, ...]]) -> Condition:
    raw = _object(value, path, ("score",), ("min", "max"))
    score = raw["score"]
    if score != TOTAL and score not in subscales:
        names = ", ".join([TOTAL, *subscales])
        raise QuestionnaireError(f.at(path, "score"), f"unknown score {score!r}; one of {names}")
    if raw.get("min") is None and raw.get("max") is None:
        raise QuestionnaireError(path, "needs a min, a max or both")
    low = _bound(raw.get("min"), f.at(path, "min"))
    high = _bound(raw.get("max"), f.at(path, "max"))
    if low is not None and high is not None and low > high:
        raise QuestionnaireError(f.at(path, "max"), f"{high:g} is below min {low:g}")
    return Condition(str(score), low, high)


def _bound(value: object, path: str) -> float | None:
    if value is None:
        return None
    return f.number(value, path, E)
