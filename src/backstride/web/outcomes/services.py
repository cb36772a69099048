"""Writes for outcomes: a clinic loading its definitions file, a patient saving answers.

``questionnaires_load`` checks the whole file first (core
``definitions_from_file``): a malformed file changes nothing and its error
names the item. ``response_save`` keeps an unfinished questionnaire as a
draft with no score; only a complete one is scored (ODI's rule scores up to
two skipped sections, pro-rated: sum ÷ (5 × answered) × 100).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backstride.core import outcomes as core
from backstride.core.errors import QuestionnaireError
from backstride.web.accounts.models import User
from backstride.web.audit.services import Action, audit_record
from backstride.web.caseload.models import Clinic
from backstride.web.outcomes.models import Questionnaire, QuestionnaireResponse
from backstride.web.outcomes.selectors import PAIN, PSFS, Measure, definition_of
from backstride.web.programs.models import Plan


@dataclass(frozen=True)
class Loaded:
    questionnaire: Questionnaire
    changed: bool  # False: the same definition was already current


def questionnaires_load(*, clinic: Clinic, data: object,
                        loaded_by: User | None = None) -> list[Loaded]:
    """Load every definition of a file for ``clinic``; raises ``QuestionnaireError``."""
    entries = core.definitions_from_file(data)
    with transaction.atomic():
        return [_load_one(clinic, entry, loaded_by) for entry in entries]


def _load_one(clinic: Clinic, entry: core.FileDefinition, loaded_by: User | None) -> Loaded:
    definition = entry.definition
    current = (Questionnaire.objects.select_for_update()
               .filter(clinic=clinic, key=definition.id, is_current=True).first())
    if current is not None and current.definition == dict(entry.data):
        return Loaded(current, False)
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    row = Questionnaire(clinic=clinic, key=definition.id, name=definition.name,
                        version=definition.version, licence=definition.licence,
                        definition=dict(entry.data), loaded_by=loaded_by)
    row.full_clean()
    row.save()
    return Loaded(row, True)


@dataclass(frozen=True)
class Saved:
    response: QuestionnaireResponse
    problem: str | None = None  # why a "finish" stayed a draft


def response_save(*, patient: User, plan: Plan, measure: Measure, week: int,
                  answers: Mapping[str, Any], finish: bool, today: date) -> Saved:
    """Save ``answers`` for ``measure`` in O-SCHED week ``week``; complete only when scorable."""
    score, problem = _score(measure, answers) if finish else (None, None)
    with transaction.atomic():
        row = (QuestionnaireResponse.objects.select_for_update()
               .filter(plan=plan, key=measure.key, week=week).first()
               or QuestionnaireResponse(patient=patient, plan=plan, key=measure.key, week=week))
        row.questionnaire = measure.questionnaire
        row.answers, row.date = dict(answers), today
        _apply(row, score)
        row.full_clean()
        created = row.pk is None
        row.save()
        audit_record(actor=patient, action=Action.CREATE if created else Action.UPDATE,
                     patient=patient, obj=row)
    return Saved(row, problem)


def _apply(row: QuestionnaireResponse, score: core.QuestionnaireScore | None) -> None:
    if score is None:
        row.status, row.total = QuestionnaireResponse.Status.DRAFT, None
        row.subscales, row.band = {}, ""
        row.completed_at = None
        return
    row.status, row.total = QuestionnaireResponse.Status.COMPLETE, score.total
    row.subscales, row.band = dict(score.subscales), score.band or ""
    row.completed_at = row.completed_at or timezone.now()


def _score(measure: Measure, answers: Mapping[str, Any]
           ) -> tuple[core.QuestionnaireScore | None, str | None]:
    """The score of complete answers, or why they are not complete yet."""
    try:
        if measure.key == PAIN:
            return _single(PAIN, core.validate_pain(answers.get(PAIN), PAIN,
                                                    error=QuestionnaireError)), None
        if measure.key == PSFS:
            return _single(PSFS, core.psfs_score(psfs_pairs(answers))), None
        assert measure.questionnaire is not None
        return core.score_questionnaire(definition_of(measure.questionnaire), answers), None
    except QuestionnaireError as error:
        if error.field.startswith("answers."):
            raise  # a value the form never offers: not a draft, a bad request
        return None, _incomplete(measure, error)


def _single(key: str, total: float) -> core.QuestionnaireScore:
    return core.QuestionnaireScore(key, total, {}, None, 1)


def _incomplete(measure: Measure, error: QuestionnaireError) -> str:
    if measure.key == PAIN:
        return _("Choose a number from 0 to 10 to finish.")
    if measure.key == PSFS:
        return _("Name 3 to 5 different activities and rate each one to finish (%(why)s).") % {
            "why": error.message}
    return _("Not finished yet: %(why)s. Your answers are saved as a draft.") % {
        "why": error.message}


def psfs_pairs(answers: Mapping[str, Any]) -> list[tuple[str, int]]:
    """The (activity, rating) rows the person filled in; a half-filled row stays incomplete."""
    rows: Sequence[Mapping[str, Any]] = answers.get("activities", [])
    pairs = []
    for i, row in enumerate(rows):
        activity, score = (row.get("activity") or "").strip(), row.get("score")
        if not activity and score is None:
            continue
        if not activity or score is None:
            raise QuestionnaireError(f"psfs[{i}]", "name the activity and rate it")
        pairs.append((activity, score))
    return pairs
