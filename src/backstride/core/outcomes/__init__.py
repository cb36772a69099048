"""Outcomes: what is measured, when, and what counts as a meaningful change.

CLINICAL.md section 4. The public API is re-exported here:

* :mod:`.measures`: the built-in 0-10 pain scale and PSFS, and the O-SCHED schedule;
* :mod:`.change`: O-MCID meaningful change;
* :mod:`.adherence`: O-ADHERENCE;
* :mod:`.adverse_events`: O-AE;
* :mod:`.questionnaires`, :mod:`.questionnaire_loading`, :mod:`.builtin_questionnaires`:
  the O-LICENCE generic scorer and the scoring-only ODI, RMDQ and STarT Back;
* :mod:`.licensed`: a clinic's definitions file, checked against the shipped scoring;
* :mod:`.cohort_statistics`: mean, SD and t-based 95% CI for the cohort report.
"""

from __future__ import annotations

from backstride.core.outcomes.adherence import adherence, meets_trial_adherence
from backstride.core.outcomes.adverse_events import (
    AdverseEvent,
    AdverseEventType,
    Seriousness,
    adverse_event_counts,
    parse_adverse_event,
)
from backstride.core.outcomes.builtin_questionnaires import (
    BUILTIN_QUESTIONNAIRES,
    PLACEHOLDER_TEXT,
    builtin_definition_data,
    builtin_scoring,
)
from backstride.core.outcomes.change import (
    MCID,
    Change,
    McidThreshold,
    Measure,
    meaningful_change,
    share_meaningful,
)
from backstride.core.outcomes.cohort_statistics import (
    mean_ci95,
    mean_sd,
    regularized_incomplete_beta,
    student_t_cdf,
    t_quantile,
)
from backstride.core.outcomes.licensed import (
    BUILT_IN_MEASURES,
    FileDefinition,
    definitions_from_file,
    licensed_definition,
    questionnaire_weeks,
)
from backstride.core.outcomes.measures import (
    DISABILITY_WEEKS,
    PAIN_WEEKS,
    PSFS_WEEKS,
    SCHEDULE,
    measures_due,
    psfs_score,
    validate_pain,
)
from backstride.core.outcomes.questionnaire_loading import questionnaire_from_dict
from backstride.core.outcomes.questionnaires import (
    TOTAL,
    Answer,
    Band,
    Condition,
    Item,
    QuestionnaireDefinition,
    QuestionnaireScore,
    Scoring,
    ScoringMethod,
    answers_in_item_order,
    score_questionnaire,
)

__all__ = [
    "BUILTIN_QUESTIONNAIRES",
    "BUILT_IN_MEASURES",
    "DISABILITY_WEEKS",
    "MCID",
    "PAIN_WEEKS",
    "PLACEHOLDER_TEXT",
    "PSFS_WEEKS",
    "SCHEDULE",
    "TOTAL",
    "AdverseEvent",
    "AdverseEventType",
    "Answer",
    "Band",
    "Change",
    "Condition",
    "FileDefinition",
    "Item",
    "McidThreshold",
    "Measure",
    "QuestionnaireDefinition",
    "QuestionnaireScore",
    "Scoring",
    "ScoringMethod",
    "Seriousness",
    "adherence",
    "adverse_event_counts",
    "answers_in_item_order",
    "builtin_definition_data",
    "builtin_scoring",
    "definitions_from_file",
    "licensed_definition",
    "mean_ci95",
    "mean_sd",
    "meaningful_change",
    "measures_due",
    "meets_trial_adherence",
    "parse_adverse_event",
    "psfs_score",
    "questionnaire_from_dict",
    "questionnaire_weeks",
    "regularized_incomplete_beta",
    "score_questionnaire",
    "share_meaningful",
    "student_t_cdf",
    "t_quantile",
    "validate_pain",
]
