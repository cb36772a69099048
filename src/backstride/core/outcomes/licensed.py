"""A clinic's definitions file for the licensed tools, checked against the scoring we ship.

O-LICENCE: ODI, RMDQ, STarT Back and PROMIS are licensed. The clinic loads
their item text from its own definitions file; for ODI, RMDQ and STarT Back
the product ships the scoring (:mod:`.builtin_questionnaires`), so a file for
one of them may leave out ``scoring``, ``subscales`` and ``bands`` (the
shipped ones are used), and must otherwise agree with them: the same item ids
in the same order, the same answer values, the same scoring rule. A tool we
ship no scoring for (PROMIS, or any other) brings its own rule.

A file holds one definition, a list of them, or ``{"questionnaires": [...]}``.
Every error is a :class:`QuestionnaireError` naming the path of the bad field,
prefixed with the definition's place in the file (``questionnaires[1].items[3].id``).
O-SCHED: a disability tool is collected at weeks 0, 6 and 12; STarT Back, a
screening tool, at week 0 only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from backstride.core.errors import QuestionnaireError
from backstride.core.outcomes.builtin_questionnaires import (
    BUILTIN_QUESTIONNAIRES,
    builtin_definition_data,
    builtin_scoring,
)
from backstride.core.outcomes.measures import DISABILITY_WEEKS
from backstride.core.outcomes.questionnaire_loading import questionnaire_from_dict
from backstride.core.outcomes.questionnaires import QuestionnaireDefinition

BUILT_IN_MEASURES = ("pain", "psfs")  # O-LICENCE: ours, never loaded from a file
SHIPPED_RULES = ("scoring", "subscales", "bands")
SCREENING_WEEKS: tuple[int, ...] = (0,)  # STarT Back stratifies care at the start
_WEEKS = {"startback": SCREENING_WEEKS}


@dataclass(frozen=True)
class FileDefinition:
    """One definition of a file: checked, and the data it came from (to store as loaded)."""

    definition: QuestionnaireDefinition
    data: Mapping[str, object]


def definitions_from_file(data: object) -> tuple[FileDefinition, ...]:
    """Every definition in a loaded file (``json.load``), checked; ids must be distinct."""
    entries, prefix = _entries(data)
    loaded: list[FileDefinition] = []
    for i, entry in enumerate(entries):
        path = f"{prefix}[{i}]" if prefix is not None else ""
        definition = licensed_definition(entry, path=path)
        if any(d.definition.id == definition.id for d in loaded):
            raise QuestionnaireError(f"{path}.id" if path else "id",
                                     f"{definition.id!r} is defined twice in the file")
        loaded.append(FileDefinition(definition, entry))  # type: ignore[arg-type]
    return tuple(loaded)


def licensed_definition(data: object, *, path: str = "") -> QuestionnaireDefinition:
    """One definition: a shipped tool's file merged with and checked against its scoring."""
    try:
        return _definition(data)
    except QuestionnaireError as error:
        field = ".".join(part for part in (path, error.field) if part)
        raise QuestionnaireError(field, error.message) from None


def questionnaire_weeks(questionnaire_id: str) -> tuple[int, ...]:
    """The program weeks a licensed tool is collected in (O-SCHED)."""
    return _WEEKS.get(questionnaire_id, DISABILITY_WEEKS)


def _entries(data: object) -> tuple[Sequence[object], str | None]:
    if isinstance(data, Mapping) and set(data) == {"questionnaires"}:
        listed = data["questionnaires"]
        if isinstance(listed, list) and listed:
            return listed, "questionnaires"
        raise QuestionnaireError("questionnaires", "must be a non-empty list of definitions")
    if isinstance(data, list):
        if not data:
            raise QuestionnaireError("definitions", "the file holds no definition")
        return data, ""
    return [data], None


def _definition(data: object) -> QuestionnaireDefinition:
    if not isinstance(data, Mapping):
        raise QuestionnaireError("definition", "must be an object")
    key = data.get("id")
    if key in BUILT_IN_MEASURES:
        raise QuestionnaireError("id", f"{key!r} is built in (O-LICENCE) and cannot be loaded")
    if key not in BUILTIN_QUESTIONNAIRES:
        return questionnaire_from_dict(data)
    shipped = builtin_definition_data(str(key))
    merged = {**{k: shipped[k] for k in SHIPPED_RULES if k in shipped}, **data}
    definition = questionnaire_from_dict(merged)
    _agrees(definition, builtin_scoring(str(key)))
    return definition


def _agrees(loaded: QuestionnaireDefinition, shipped: QuestionnaireDefinition) -> None:
    """A licensed file must score exactly as the shipped rule does."""
    if len(loaded.items) != len(shipped.items):
        raise QuestionnaireError("items", f"{shipped.name} has {len(shipped.items)} items, "
                                 f"the file gives {len(loaded.items)}")
    for i, (ours, theirs) in enumerate(zip(shipped.items, loaded.items, strict=True)):
        if theirs.id != ours.id:
            raise QuestionnaireError(f"items[{i}].id", f"must be {ours.id!r} (the shipped "
                                     f"{shipped.name} scoring's item order), not {theirs.id!r}")
        if sorted(theirs.values) != sorted(ours.values):
            allowed = ", ".join(str(v) for v in ours.values)
            raise QuestionnaireError(f"items[{i}].answers",
                                     f"item {theirs.id!r} must offer the values {allowed}")
    for name in SHIPPED_RULES:
        if getattr(loaded, name) != getattr(shipped, name):
            raise QuestionnaireError(name, f"differs from the {shipped.name} {name} shipped "
                                     "with Backstride; leave it out to use the shipped one")
