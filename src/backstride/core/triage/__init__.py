"""Triage: one screening in, one outcome out, every reason explained (CLINICAL.md §1).

The public API is re-exported here:

* :mod:`.screening`: :class:`Screening` and :func:`parse_screening`, which reads a
  vignette or form (CLINICAL.md §5);
* :mod:`.schema`: :func:`screening_schema`, which describes that input;
* :mod:`.outcome`: the five :class:`Outcome` values and the dosing :class:`Profile`;
* :mod:`.rules`: the T- rules as data, :data:`CHECKS`;
* :mod:`.evaluation`: :func:`triage`, which runs them;
* :mod:`.result`: :class:`TriageResult`, its advice, STarT Back scores and the
  T-AGE refusal, :class:`UnsupportedScreeningError`.
"""

from __future__ import annotations

from backstride.core.triage.evaluation import triage
from backstride.core.triage.outcome import NO_PLAN, Outcome, Profile
from backstride.core.triage.result import (
    ADVICE,
    CONSERVATIVE_ADVICE,
    MINOR_ADVICE,
    MINOR_MESSAGE,
    OUTSIDE_EVIDENCE,
    PSYCHOSOCIAL_HIGH,
    StartBackScore,
    TriageResult,
    UnsupportedScreeningError,
)
from backstride.core.triage.rules import CHECKS, RUN_TEXT, Check
from backstride.core.triage.schema import screening_schema
from backstride.core.triage.screening import (
    AGE_MAX,
    AGE_MIN,
    ANNOTATION_KEYS,
    ANNOTATION_PREFIX,
    PAIN_MAX,
    PAIN_MIN,
    Screening,
    parse_screening,
)

__all__ = [
    "ADVICE", "AGE_MAX", "AGE_MIN", "ANNOTATION_KEYS", "ANNOTATION_PREFIX", "CHECKS",
    "CONSERVATIVE_ADVICE", "MINOR_ADVICE", "MINOR_MESSAGE", "NO_PLAN", "OUTSIDE_EVIDENCE",
    "PAIN_MAX", "PAIN_MIN", "PSYCHOSOCIAL_HIGH", "RUN_TEXT",
    "Check", "Outcome", "Profile", "Screening", "StartBackScore", "TriageResult",
    "UnsupportedScreeningError", "parse_screening", "screening_schema", "triage",
]
