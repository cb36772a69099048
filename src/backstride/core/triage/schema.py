"""The screening input, described for forms and tools (``backstride triage --schema``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from backstride.core import vocab
from backstride.core.evidence import STARTBACK_PSYCHOSOCIAL_HIGH
from backstride.core.triage.screening import (
    ANNOTATION_KEYS,
    ANNOTATION_PREFIX,
    SCREENING_FIELDS,
    ScreeningField,
)

_LABELS: Mapping[str, str] = {
    **vocab.LABELS,
    "female": "Female",
    "male": "Male",
    "other": "Other, or would rather not say",
    "none": "No leg pain",
    "above_knee": "Leg pain above the knee only",
    "below_knee": "Leg pain reaching below the knee",
    "done": "Done as planned",
    "partial": "Started, not finished",
    "missed": "Not done",
}

# Each vocabulary: its ids and, where it has one, the rule an id triggers.
_VOCABULARIES: Mapping[str, tuple[tuple[tuple[str, ...], str | None], ...]] = {
    "red_flags": ((vocab.CAUDA_EQUINA, "T-CES"), (vocab.SERIOUS, "T-SERIOUS")),
    "conditions": ((vocab.CONDITIONS, "T-STRUCT"),),
    "pre_exercise_yes": ((vocab.PRE_EXERCISE, "T-APSS"),),
    "sex": ((vocab.SEXES, None),),
    "leg_pain": ((vocab.LEG_PAIN, "T-RADIC"),),
    "pain_sites": ((vocab.PAIN_SITES, "R-LIMB"),),
    "session_statuses": ((vocab.SESSION_STATUSES, None),),
}
_VOCABULARY_OF = {
    vocab.RED_FLAGS: "red_flags", vocab.CONDITIONS: "conditions",
    vocab.PRE_EXERCISE: "pre_exercise_yes", vocab.SEXES: "sex", vocab.LEG_PAIN: "leg_pain",
}
_JSON_TYPES = {"integer": "integer", "number": "number", "boolean": "boolean",
               "choice": "string", "ids": "array", "startback": "array"}


def screening_schema() -> dict[str, object]:
    """Every screening field and every vocabulary, JSON-ready (``triage --schema``)."""
    return {
        "fields": {spec.name: _field_schema(spec) for spec in SCREENING_FIELDS},
        "vocabularies": {name: _vocabulary_schema(groups)
                         for name, groups in _VOCABULARIES.items()},
        "annotation_keys": list(ANNOTATION_KEYS),
        "annotation_prefix": ANNOTATION_PREFIX,
        "notes": "red_flags ids are also the session 'symptoms'; pain_sites are the "
                 "session 'other_pain' sites.",
    }


def _field_schema(spec: ScreeningField) -> dict[str, object]:
    out: dict[str, object] = {
        "type": _JSON_TYPES[spec.kind],
        "required": spec.required,
        "nullable": spec.nullable,
        "description": spec.description,
    }
    if spec.minimum is not None:
        out["minimum"] = spec.minimum
    if spec.maximum is not None:
        out["maximum"] = spec.maximum
    if spec.allowed:
        out["allowed"] = list(spec.allowed)
        out["vocabulary"] = _VOCABULARY_OF[spec.allowed]
    if spec.kind == "startback":
        out.update(_startback_schema())
    return out


def _startback_schema() -> dict[str, object]:
    return {
        "length": vocab.STARTBACK_ITEMS,
        "item_values": [0, 1],
        "psychosocial_items": list(vocab.STARTBACK_PSYCHOSOCIAL_ITEMS),
        "psychosocial_high_at_least": STARTBACK_PSYCHOSOCIAL_HIGH,
    }


def _vocabulary_schema(groups: Sequence[tuple[tuple[str, ...], str | None]]) -> list[object]:
    return [{"id": i, "label": _LABELS[i], "rule": rule_id}
            for ids, rule_id in groups for i in ids]
