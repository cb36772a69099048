"""The screening: its fields, and reading one from a vignette or form (CLINICAL.md §5).

Each field is described once, in :data:`SCREENING_FIELDS`: how it is read
(with :mod:`backstride.core.fields`) and how :func:`screening_schema` describes
it. Every error is a :class:`ScreeningError` naming the field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from backstride.core import fields as f
from backstride.core import vocab
from backstride.core.errors import ScreeningError

E = ScreeningError

# Input ranges (validation, not clinical thresholds).
PAIN_MIN, PAIN_MAX = f.SCORE_MIN, f.SCORE_MAX
AGE_MIN, AGE_MAX = 0, 120

# Keys a clinician may add to a vignette without them being read (CLINICAL.md §5).
ANNOTATION_KEYS = ("id", "description", "notes", "expected")
ANNOTATION_PREFIX = "_"


@dataclass(frozen=True)
class ScreeningField:
    """One input field of a screening: how it is read and how it is described."""

    name: str
    kind: str  # a key of _READERS
    description: str
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] = ()
    required: bool = True
    nullable: bool = False


SCREENING_FIELDS = (
    ScreeningField("age", "integer", "Age in whole years", AGE_MIN, AGE_MAX),
    ScreeningField("sex", "choice", "Sex", allowed=vocab.SEXES),
    ScreeningField("episode_weeks", "number", "Weeks since this episode of back pain began", 0),
    ScreeningField("pain_now", "integer", "Back pain at rest now, 0-10", PAIN_MIN, PAIN_MAX),
    ScreeningField("pain_week_avg", "number", "Average back pain over the last week, 0-10",
                   PAIN_MIN, PAIN_MAX),
    ScreeningField("leg_pain", "choice", "How far down the leg pain reaches",
                   allowed=vocab.LEG_PAIN),
    ScreeningField("leg_pain_worse_than_back", "boolean", "Leg pain is worse than back pain"),
    ScreeningField("leg_numbness_or_weakness", "boolean", "Numbness or weakness in a leg"),
    ScreeningField("red_flags", "ids", "Red flags present now", allowed=vocab.RED_FLAGS),
    ScreeningField("conditions", "ids", "Diagnosed spinal conditions",
                   allowed=vocab.CONDITIONS),
    ScreeningField("pre_exercise_yes", "ids", "'Yes' answers on the pre-exercise screen",
                   allowed=vocab.PRE_EXERCISE),
    ScreeningField("flare_now", "boolean", "Having a flare-up now"),
    ScreeningField("runs_per_month_last_3_months", "number",
                   "Runs a month, on average, over the last 3 months", 0),
    ScreeningField("pregnant_or_postpartum", "boolean",
                   "Pregnant, or gave birth under 12 months ago"),
    ScreeningField("lower_limb_injury_weeks_ago", "number",
                   "Weeks since the last lower-limb injury (null if none)", 0, nullable=True),
    ScreeningField("in_rehab_restricting_running", "boolean",
                   "In a supervised rehab programme that restricts running"),
    ScreeningField("startback", "startback",
                   "STarT Back Tool: 9 answers in item order, 1 = agree",
                   required=False, nullable=True),
)


@dataclass(frozen=True)
class Screening:
    """One person's answers to the screening (CLINICAL.md §5).

    Construction validates every field (raising :class:`ScreeningError`) and
    normalises the id lists to vocabulary order without duplicates, so two
    screenings with the same answers are equal. Weeks and runs may be fractional.
    """

    age: int
    sex: str
    episode_weeks: float
    pain_now: int
    pain_week_avg: float
    leg_pain: str
    leg_pain_worse_than_back: bool
    leg_numbness_or_weakness: bool
    red_flags: tuple[str, ...]
    conditions: tuple[str, ...]
    pre_exercise_yes: tuple[str, ...]
    flare_now: bool
    runs_per_month_last_3_months: float
    pregnant_or_postpartum: bool
    lower_limb_injury_weeks_ago: float | None
    in_rehab_restricting_running: bool
    startback: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        for spec in SCREENING_FIELDS:
            # Frozen: normalising (list -> sorted, deduplicated tuple) needs the back door.
            object.__setattr__(self, spec.name, _read(spec, getattr(self, spec.name)))

    def as_dict(self) -> dict[str, object]:
        """The screening as JSON-ready data that :func:`parse_screening` reads back."""
        return {
            field.name: _json_ready(getattr(self, field.name))
            for field in dataclasses.fields(self)
        }


def parse_screening(data: Mapping[str, object]) -> Screening:
    """Read and validate a screening from decoded JSON or a form.

    Raises :class:`ScreeningError` whose ``field`` names the offending key: a
    missing or unknown key, a wrong type, a value out of range or an unknown id.
    """
    f.mapping(data, "", E)
    # Clinicians annotate vignettes: "id", "notes", "_anything" are not read.
    f.reject_unknown(data, [spec.name for spec in SCREENING_FIELDS], "", E,
                     annotations=ANNOTATION_KEYS, annotation_prefix=ANNOTATION_PREFIX)
    f.require_keys(data, [spec.name for spec in SCREENING_FIELDS if spec.required], "", E)
    values: dict[str, Any] = {s.name: data[s.name] for s in SCREENING_FIELDS if s.name in data}
    return Screening(**values)


def _read(spec: ScreeningField, value: object) -> object:
    if value is None:
        if spec.nullable:
            return None
        raise E(spec.name, "must not be null")
    return _READERS[spec.kind](spec, value)


def _integer(spec: ScreeningField, value: object) -> int:
    return f.integer(value, spec.name, E, low=spec.minimum, high=spec.maximum)


def _number(spec: ScreeningField, value: object) -> object:
    f.number(value, spec.name, E, low=spec.minimum, high=spec.maximum)
    return value  # as written: 26 stays 26 in the stored answers, not 26.0


def _boolean(spec: ScreeningField, value: object) -> bool:
    return f.boolean(value, spec.name, E)


def _choice(spec: ScreeningField, value: object) -> str:
    return f.choice(value, spec.name, E, spec.allowed)


def _ids(spec: ScreeningField, value: object) -> tuple[str, ...]:
    # The web wizard shows one error per form field, so name the list, not the item.
    given = f.ids(value, spec.name, E, spec.allowed, item_paths=False)
    return tuple(i for i in spec.allowed if i in given)  # vocabulary order


def _startback(spec: ScreeningField, value: object) -> tuple[int, ...]:
    answers = f.sequence(value, spec.name, E)
    if len(answers) != vocab.STARTBACK_ITEMS:
        raise E(spec.name,
                f"must be a list of {vocab.STARTBACK_ITEMS} answers, not {f.shown(value)}")
    checked: list[int] = []
    for number, answer in enumerate(answers, 1):
        # 1 = agree, 0 = disagree: true or 1.0 is a bug upstream, not an answer.
        if isinstance(answer, bool) or not isinstance(answer, int) or answer not in (0, 1):
            raise E(spec.name, f"answer {number} must be 0 or 1, not {f.shown(answer)}")
        checked.append(answer)
    return tuple(checked)


_READERS: Mapping[str, Callable[[ScreeningField, object], object]] = {
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "choice": _choice,
    "ids": _ids,
    "startback": _startback,
}


def _json_ready(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value
