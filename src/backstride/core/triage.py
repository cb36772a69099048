"""Triage: one screening in, one outcome out, every reason explained (CLINICAL.md §1).

The T- rules are data: :data:`CHECKS` pairs each rule id with the outcome it
leads to and a predicate that says, in plain words, what it saw (or ``None``).
:func:`triage` runs every check; the most severe outcome wins and every fired
rule is reported, most severe first. T-AGE under 18, T-ENVELOPE and T-STARTBACK
are not outcome checks and are handled around them.

:func:`parse_screening` turns a vignette or form (CLINICAL.md §5) into a
validated :class:`Screening`; :func:`screening_schema` describes that input.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from backstride.core import vocab
from backstride.core.errors import ScreeningError
from backstride.core.evidence import (
    ACUTE_EPISODE_WEEKS_BELOW,
    ACUTE_PAIN_NOW_ABOVE,
    ADULT_AGE,
    CLEARANCE_AGE_ABOVE,
    CONSERVATIVE_SESSIONS_PER_WEEK,
    ENVELOPE_AGE_ABOVE,
    ENVELOPE_EPISODE_WEEKS_BELOW,
    ENVELOPE_RUNS_PER_MONTH_ABOVE,
    FLARE_PAIN_NOW_ABOVE,
    FLARE_WEEK_AVG_AT_LEAST,
    LIMB_INJURY_RECENT_WEEKS,
    SESSIONS_PER_WEEK,
    STARTBACK_PSYCHOSOCIAL_HIGH,
    Reason,
    reason,
)

__all__ = [
    "ADVICE", "ANNOTATION_KEYS", "CHECKS", "NO_PLAN", "OUTSIDE_EVIDENCE", "PSYCHOSOCIAL_HIGH",
    "Check", "Outcome", "Profile", "Screening", "StartBackScore", "TriageResult",
    "UnsupportedScreeningError", "parse_screening", "screening_schema", "triage",
]

# Input ranges (validation, not clinical thresholds).
PAIN_MIN, PAIN_MAX = 0, 10
AGE_MIN, AGE_MAX = 0, 120

# Keys a clinician may add to a vignette without them being read (CLINICAL.md §5).
ANNOTATION_KEYS = ("id", "description", "notes", "expected")
ANNOTATION_PREFIX = "_"

OUTSIDE_EVIDENCE = "outside_evidence"  # T-ENVELOPE
PSYCHOSOCIAL_HIGH = "psychosocial_high"  # T-STARTBACK


# --- Outcomes and profiles -------------------------------------------------------


class Outcome(StrEnum):
    """The five triage outcomes, declared most severe first (CLINICAL.md §1)."""

    EMERGENCY = "emergency"
    URGENT_REVIEW = "urgent_review"
    CLEARANCE_REQUIRED = "clearance_required"
    LOW_IMPACT_FIRST = "low_impact_first"
    RUN_WALK = "run_walk"

    @property
    def severity(self) -> int:
        """Higher is more severe: ``run_walk`` is 0, ``emergency`` is 4."""
        members = list(type(self))
        return len(members) - 1 - members.index(self)

    @property
    def allows_plan(self) -> bool:
        """Whether a plan may be drafted (locked for clearance, low-impact in a flare)."""
        return self not in NO_PLAN

    @property
    def allows_running_now(self) -> bool:
        """Whether running may start today, without a clinician or a re-screen."""
        return self is Outcome.RUN_WALK


NO_PLAN = frozenset({Outcome.EMERGENCY, Outcome.URGENT_REVIEW})


class Profile(StrEnum):
    """How a plan is dosed: standard (P-DOSE) or conservative (T-ENVELOPE)."""

    STANDARD = "standard"
    CONSERVATIVE = "conservative"

    @property
    def sessions_per_week(self) -> int:
        """Run-walk sessions a week this profile starts with."""
        if self is Profile.CONSERVATIVE:
            return CONSERVATIVE_SESSIONS_PER_WEEK
        return SESSIONS_PER_WEEK


# --- The screening and its validation --------------------------------------------


@dataclass(frozen=True)
class _Field:
    """One input field of a screening: how it is read and how it is described."""

    name: str
    kind: str  # a key of _PARSERS
    description: str
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] = ()
    required: bool = True
    nullable: bool = False


_FIELDS = (
    _Field("age", "integer", "Age in whole years", AGE_MIN, AGE_MAX),
    _Field("sex", "choice", "Sex", allowed=vocab.SEXES),
    _Field("episode_weeks", "number", "Weeks since this episode of back pain began", 0),
    _Field("pain_now", "integer", "Back pain at rest now, 0-10", PAIN_MIN, PAIN_MAX),
    _Field("pain_week_avg", "number", "Average back pain over the last week, 0-10",
           PAIN_MIN, PAIN_MAX),
    _Field("leg_pain", "choice", "How far down the leg pain reaches", allowed=vocab.LEG_PAIN),
    _Field("leg_pain_worse_than_back", "boolean", "Leg pain is worse than back pain"),
    _Field("leg_numbness_or_weakness", "boolean", "Numbness or weakness in a leg"),
    _Field("red_flags", "ids", "Red flags present now", allowed=vocab.RED_FLAGS),
    _Field("conditions", "ids", "Diagnosed spinal conditions", allowed=vocab.CONDITIONS),
    _Field("pre_exercise_yes", "ids", "'Yes' answers on the pre-exercise screen",
           allowed=vocab.PRE_EXERCISE),
    _Field("flare_now", "boolean", "Having a flare-up now"),
    _Field("runs_per_month_last_3_months", "number",
           "Runs a month, on average, over the last 3 months", 0),
    _Field("pregnant_or_postpartum", "boolean", "Pregnant, or gave birth under 12 months ago"),
    _Field("lower_limb_injury_weeks_ago", "number",
           "Weeks since the last lower-limb injury (null if none)", 0, nullable=True),
    _Field("in_rehab_restricting_running", "boolean",
           "In a supervised rehab programme that restricts running"),
    _Field("startback", "startback", "STarT Back Tool: 9 answers in item order, 1 = agree",
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
        for spec in _FIELDS:
            # Frozen: normalising (list -> sorted, deduplicated tuple) needs the back door.
            object.__setattr__(self, spec.name, _parse_value(spec, getattr(self, spec.name)))

    def as_dict(self) -> dict[str, object]:
        """The screening as JSON-ready data that :func:`parse_screening` reads back."""
        return {f.name: _json_ready(getattr(self, f.name)) for f in fields(self)}


def parse_screening(data: Mapping[str, object]) -> Screening:
    """Read and validate a screening from decoded JSON or a form.

    Raises :class:`ScreeningError` whose ``field`` names the offending key: a
    missing or unknown key, a wrong type, a value out of range or an unknown id.
    """
    if not isinstance(data, Mapping):
        raise ScreeningError("", f"a screening must be a JSON object, got {_shown(data)}")
    _reject_unknown_keys(data)
    for spec in _FIELDS:
        if spec.required and spec.name not in data:
            raise ScreeningError(spec.name, "is required")
    values: dict[str, Any] = {s.name: data[s.name] for s in _FIELDS if s.name in data}
    return Screening(**values)


def _reject_unknown_keys(data: Mapping[str, object]) -> None:
    known = [spec.name for spec in _FIELDS]
    for key in data:
        if not isinstance(key, str):
            raise ScreeningError(str(key), "field names must be text")
        # Clinicians annotate vignettes: "id", "notes", "_anything" are not read.
        annotation = key in ANNOTATION_KEYS or key.startswith(ANNOTATION_PREFIX)
        if key not in known and not annotation:
            raise ScreeningError(key, f"unknown field; expected one of {', '.join(known)}")


def _parse_value(spec: _Field, value: object) -> object:
    if value is None:
        if spec.nullable:
            return None
        raise ScreeningError(spec.name, "must not be null")
    return _PARSERS[spec.kind](spec, value)


def _parse_integer(spec: _Field, value: object) -> int:
    # bool is an int in Python, but `true` is not an age (CLINICAL.md §5).
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScreeningError(spec.name, f"must be a whole number, got {_shown(value)}")
    _check_range(spec, value)
    return value


def _parse_number(spec: _Field, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScreeningError(spec.name, f"must be a number, got {_shown(value)}")
    if not math.isfinite(value):
        raise ScreeningError(spec.name, f"must be a finite number, got {_shown(value)}")
    _check_range(spec, value)
    return value


def _check_range(spec: _Field, value: float) -> None:
    low, high = spec.minimum, spec.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        wanted = f"between {_n(low)} and {_n(high)}" if high is not None else f"{_n(low)} or more"
        raise ScreeningError(spec.name, f"must be {wanted}, got {_n(value)}")


def _parse_boolean(spec: _Field, value: object) -> bool:
    # 0 and 1 are not answers to a yes/no question: refuse them rather than guess.
    if not isinstance(value, bool):
        raise ScreeningError(spec.name, f"must be true or false, got {_shown(value)}")
    return value


def _parse_choice(spec: _Field, value: object) -> str:
    if not isinstance(value, str) or value not in spec.allowed:
        raise ScreeningError(
            spec.name, f"unknown id {_shown(value)}; allowed: {', '.join(spec.allowed)}"
        )
    return value


def _parse_ids(spec: _Field, value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        raise ScreeningError(spec.name, f"must be a list of ids, got {_shown(value)}")
    for item in value:
        if not isinstance(item, str) or item not in spec.allowed:
            raise ScreeningError(
                spec.name, f"unknown id {_shown(item)}; allowed: {', '.join(spec.allowed)}"
            )
    return tuple(i for i in spec.allowed if i in value)  # vocabulary order, no duplicates


def _parse_startback(spec: _Field, value: object) -> tuple[int, ...]:
    if not isinstance(value, list | tuple) or len(value) != vocab.STARTBACK_ITEMS:
        raise ScreeningError(
            spec.name, f"must be a list of {vocab.STARTBACK_ITEMS} answers, got {_shown(value)}"
        )
    for number, answer in enumerate(value, 1):
        if isinstance(answer, bool) or not isinstance(answer, int) or answer not in (0, 1):
            raise ScreeningError(spec.name, f"answer {number} must be 0 or 1, got {_shown(answer)}")
    return tuple(value)


_PARSERS: Mapping[str, Callable[[_Field, object], object]] = {
    "integer": _parse_integer,
    "number": _parse_number,
    "boolean": _parse_boolean,
    "choice": _parse_choice,
    "ids": _parse_ids,
    "startback": _parse_startback,
}


def _shown(value: object) -> str:
    """A short JSON-like rendering of a bad value for an error message."""
    text = json.dumps(value, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."


def _n(value: float | None) -> str:
    """A number as a person writes it: 6, 6.5, never 6.0 (nor 7 for 6.9999999)."""
    if value is None:
        return "none"
    return str(int(value)) if float(value).is_integer() else str(value)


def _json_ready(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


# --- The rules as data -----------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One T- rule: its id, the outcome it leads to, and what it looks for.

    ``sees`` returns a plain sentence saying what triggered the rule, or ``None``.
    """

    rule: str
    outcome: Outcome
    sees: Callable[[Screening], str | None]


def _joined(*findings: tuple[bool, str]) -> str | None:
    """The texts of the findings that hold, as one sentence; ``None`` if none hold."""
    seen = [text for holds, text in findings if holds]
    return "; ".join(seen) if seen else None


def _reported(what: str, ids: Sequence[str]) -> str | None:
    if not ids:
        return None
    listed = "; ".join(f"{vocab.LABELS[i]} ({i})" for i in ids)
    return f"{what} reported: {listed}"


def _sees_cauda_equina(s: Screening) -> str | None:
    ids = [i for i in s.red_flags if i in vocab.CAUDA_EQUINA]
    return _reported("Cauda equina feature", ids)


def _sees_serious_red_flag(s: Screening) -> str | None:
    ids = [i for i in s.red_flags if i in vocab.SERIOUS]
    return _reported("Serious red flag", ids)


def _sees_older_age(s: Screening) -> str | None:
    # Under 18 never gets here: triage() refuses it first (T-AGE).
    older = s.age > CLEARANCE_AGE_ABOVE
    return _joined((older, f"Age is {s.age}, over {CLEARANCE_AGE_ABOVE}"))


def _sees_radicular_pain(s: Screening) -> str | None:
    below_knee_deficit = s.leg_pain == "below_knee" and s.leg_numbness_or_weakness
    return _joined(
        (s.leg_pain_worse_than_back, "Leg pain is worse than back pain"),
        (below_knee_deficit, "Leg pain reaches below the knee, with numbness or weakness"),
    )


def _sees_structural_condition(s: Screening) -> str | None:
    return _reported("Diagnosed condition", s.conditions)


def _sees_restricting_rehab(s: Screening) -> str | None:
    return _joined(
        (s.in_rehab_restricting_running, "In a supervised rehab programme that restricts running")
    )


def _sees_other_clearance(s: Screening) -> str | None:
    weeks = s.lower_limb_injury_weeks_ago
    recent = weeks is not None and weeks <= LIMB_INJURY_RECENT_WEEKS
    return _joined(
        (s.pregnant_or_postpartum, "Pregnant or under 12 months postpartum"),
        (recent, f"Lower-limb injury {_n(weeks)} weeks ago, "
                 f"{LIMB_INJURY_RECENT_WEEKS} weeks or less"),
    )


def _sees_pre_exercise_yes(s: Screening) -> str | None:
    return _reported("'Yes' on the pre-exercise screen", s.pre_exercise_yes)


def _sees_flare(s: Screening) -> str | None:
    return _joined(
        (s.flare_now, "A flare-up is happening now"),
        (s.pain_now > FLARE_PAIN_NOW_ABOVE,
         f"Pain at rest is {s.pain_now}/10, above {FLARE_PAIN_NOW_ABOVE}/10"),
        (s.pain_week_avg >= FLARE_WEEK_AVG_AT_LEAST,
         f"Average pain over the last week is {_n(s.pain_week_avg)}/10, "
         f"{FLARE_WEEK_AVG_AT_LEAST}/10 or more"),
    )


def _sees_acute_episode(s: Screening) -> str | None:
    acute = s.episode_weeks < ACUTE_EPISODE_WEEKS_BELOW and s.pain_now > ACUTE_PAIN_NOW_ABOVE
    return _joined((acute, (
        f"The episode began {_n(s.episode_weeks)} weeks ago, under "
        f"{ACUTE_EPISODE_WEEKS_BELOW} weeks, and pain at rest is {s.pain_now}/10, "
        f"above {ACUTE_PAIN_NOW_ABOVE}/10"
    )))


# Table order of CLINICAL.md §1, which is also most severe first.
CHECKS: tuple[Check, ...] = (
    Check("T-CES", Outcome.EMERGENCY, _sees_cauda_equina),
    Check("T-SERIOUS", Outcome.URGENT_REVIEW, _sees_serious_red_flag),
    Check("T-AGE", Outcome.CLEARANCE_REQUIRED, _sees_older_age),
    Check("T-RADIC", Outcome.CLEARANCE_REQUIRED, _sees_radicular_pain),
    Check("T-STRUCT", Outcome.CLEARANCE_REQUIRED, _sees_structural_condition),
    Check("T-REHAB", Outcome.CLEARANCE_REQUIRED, _sees_restricting_rehab),
    Check("T-OTHER", Outcome.CLEARANCE_REQUIRED, _sees_other_clearance),
    Check("T-APSS", Outcome.CLEARANCE_REQUIRED, _sees_pre_exercise_yes),
    Check("T-FLARE", Outcome.LOW_IMPACT_FIRST, _sees_flare),
    Check("T-ACUTE", Outcome.LOW_IMPACT_FIRST, _sees_acute_episode),
)

RUN_TEXT = "No triage rule stops or delays running"  # T-RUN


def _outside_trial(s: Screening) -> str | None:
    # T-ENVELOPE: ASTEROID enrolled 18-45-year-old non-runners with chronic pain.
    # Over 55 counts too: it is further still from the trial (and needs clearance).
    runs = s.runs_per_month_last_3_months
    return _joined(
        (s.age > ENVELOPE_AGE_ABOVE, f"age {s.age}, over {ENVELOPE_AGE_ABOVE}"),
        (s.episode_weeks < ENVELOPE_EPISODE_WEEKS_BELOW,
         f"episode of {_n(s.episode_weeks)} weeks, under {ENVELOPE_EPISODE_WEEKS_BELOW}"),
        (runs > ENVELOPE_RUNS_PER_MONTH_ABOVE,
         f"already running {_n(runs)} times a month, more than {ENVELOPE_RUNS_PER_MONTH_ABOVE}"),
    )


# --- STarT Back ------------------------------------------------------------------


@dataclass(frozen=True)
class StartBackScore:
    """STarT Back Tool scores: the total (0-9) and the psychosocial subscale (0-5)."""

    total: int
    psychosocial: int

    @classmethod
    def of(cls, answers: Sequence[int]) -> StartBackScore:
        """Score nine 0/1 answers; items 5-9 (1-based) form the psychosocial subscale."""
        subscale = sum(answers[item - 1] for item in vocab.STARTBACK_PSYCHOSOCIAL_ITEMS)
        return cls(total=sum(answers), psychosocial=subscale)

    @property
    def psychosocial_high(self) -> bool:
        """T-STARTBACK: the subscale reaches the high-risk threshold."""
        return self.psychosocial >= STARTBACK_PSYCHOSOCIAL_HIGH

    def as_dict(self) -> dict[str, object]:
        """JSON-ready scores."""
        return {"total": self.total, "psychosocial": self.psychosocial,
                "psychosocial_high": self.psychosocial_high}


def _startback_reason(score: StartBackScore | None) -> Reason | None:
    if score is None or not score.psychosocial_high:
        return None
    return reason("T-STARTBACK", (
        f"STarT Back psychosocial subscale is {score.psychosocial}/"
        f"{len(vocab.STARTBACK_PSYCHOSOCIAL_ITEMS)}, "
        f"{STARTBACK_PSYCHOSOCIAL_HIGH} or more: a clinician should look at it"
    ))


# --- The result ------------------------------------------------------------------

# What to do now, per outcome, in the person's words (CLINICAL.md §1, first table).
ADVICE: Mapping[Outcome, tuple[str, ...]] = MappingProxyType({
    Outcome.EMERGENCY: (
        "Go to an emergency department now. If you cannot get there, call your local "
        "emergency number.",
        "Do not run or exercise, and do not wait to see if it settles.",
    ),
    Outcome.URGENT_REVIEW: (
        "See a doctor within the next few days, before any running.",
        "No run-walk plan is made until a doctor has seen you.",
    ),
    Outcome.CLEARANCE_REQUIRED: (
        "A clinician must clear you for running first.",
        "Your run-walk plan is drafted but stays locked until a clinician signs it off.",
    ),
    Outcome.LOW_IMPACT_FIRST: (
        "For now, keep active with low-impact exercise: walking, cycling, swimming or the "
        "elliptical.",
        "Screen again when the flare settles; running can start then.",
    ),
    Outcome.RUN_WALK: (
        "Start the graded run-walk program: short running bouts between walks, at a pace "
        "at which you can still talk.",
    ),
})
CONSERVATIVE_ADVICE = (
    f"Start with {CONSERVATIVE_SESSIONS_PER_WEEK} run-walk sessions a week: the trial "
    "studied people a little different from you, so the plan goes more gently."
)
MINOR_MESSAGE = f"Backstride supports adults ({ADULT_AGE} and over) only."
MINOR_ADVICE = "Please ask a doctor or physiotherapist about exercise for back pain."


@dataclass(frozen=True)
class TriageResult:
    """The outcome of a screening, why, and what to do now.

    ``reasons`` are most severe first; ``flags`` are sorted; ``profile`` is
    ``None`` when no plan may be made (``emergency``, ``urgent_review``).
    """

    outcome: Outcome
    reasons: tuple[Reason, ...]
    flags: tuple[str, ...] = ()
    profile: Profile | None = None
    advice: tuple[str, ...] = ()
    startback: StartBackScore | None = None

    @property
    def rules(self) -> tuple[str, ...]:
        """The ids of the rules that fired, in reason order."""
        return tuple(r.rule for r in self.reasons)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready data, as ``backstride triage`` prints it."""
        profile = self.profile
        return {
            "outcome": str(self.outcome),
            "reasons": [r.as_dict() for r in self.reasons],
            "flags": list(self.flags),
            "profile": None if profile is None else str(profile),
            "sessions_per_week": None if profile is None else profile.sessions_per_week,
            "advice": list(self.advice),
            "startback": None if self.startback is None else self.startback.as_dict(),
        }


class UnsupportedScreeningError(ScreeningError):
    """T-AGE: the person is under 18. Red-flag advice is still given.

    ``emergency`` says a cauda equina feature was reported; ``advice`` says what
    to do now; ``reasons`` carry T-AGE and any red-flag rule that fired.
    """

    def __init__(self, message: str, *, advice: tuple[str, ...],
                 reasons: tuple[Reason, ...], emergency: bool) -> None:
        super().__init__("age", message)
        self.advice = advice
        self.reasons = reasons
        self.emergency = emergency


# --- Triage ----------------------------------------------------------------------


def triage(screening: Screening) -> TriageResult:
    """Evaluate every T- rule on ``screening``; the most severe outcome wins.

    Raises :class:`UnsupportedScreeningError` for a person under 18 (T-AGE).
    """
    _refuse_minors(screening)
    seen = sorted(_seen(screening, CHECKS), key=lambda pair: -pair[0].outcome.severity)
    outcome = seen[0][0].outcome if seen else Outcome.RUN_WALK
    reasons = tuple(reason(c.rule, text) for c, text in seen) or (reason("T-RUN", RUN_TEXT),)
    profile = _profile(screening, outcome)
    flags, notes = _notes(screening, profile)
    return TriageResult(
        outcome=outcome,
        reasons=reasons + notes,
        flags=flags,
        profile=profile,
        advice=_advice(outcome, profile),
        startback=_startback(screening),
    )


def _seen(s: Screening, checks: Sequence[Check]) -> list[tuple[Check, str]]:
    """The checks that fire, each with what it saw, in the order given."""
    return [(check, text) for check in checks if (text := check.sees(s)) is not None]


def _profile(s: Screening, outcome: Outcome) -> Profile | None:
    if not outcome.allows_plan:
        return None
    return Profile.STANDARD if _outside_trial(s) is None else Profile.CONSERVATIVE


def _startback(s: Screening) -> StartBackScore | None:
    return None if s.startback is None else StartBackScore.of(s.startback)


def _notes(s: Screening, profile: Profile | None) -> tuple[tuple[str, ...], tuple[Reason, ...]]:
    """Flags and reasons that never change the outcome (T-ENVELOPE, T-STARTBACK)."""
    flags: list[str] = []
    notes: list[Reason] = []
    outside = _outside_trial(s)
    if profile is Profile.CONSERVATIVE and outside is not None:
        flags.append(OUTSIDE_EVIDENCE)
        notes.append(reason("T-ENVELOPE", f"Outside the trial's population: {outside}; "
                            f"conservative profile, {CONSERVATIVE_SESSIONS_PER_WEEK} "
                            "run-walk sessions a week"))
    startback = _startback_reason(_startback(s))
    if startback is not None:
        flags.append(PSYCHOSOCIAL_HIGH)
        notes.append(startback)
    return tuple(sorted(flags)), tuple(notes)


def _advice(outcome: Outcome, profile: Profile | None) -> tuple[str, ...]:
    if outcome is Outcome.RUN_WALK and profile is Profile.CONSERVATIVE:
        return (*ADVICE[outcome], CONSERVATIVE_ADVICE)
    return ADVICE[outcome]


def _refuse_minors(s: Screening) -> None:
    """T-AGE: refuse under-18s, still giving emergency or doctor advice for red flags."""
    if s.age >= ADULT_AGE:
        return
    age = reason("T-AGE", f"Age is {s.age}, under {ADULT_AGE}")
    flags = _seen(s, [c for c in CHECKS if c.outcome in NO_PLAN])
    # Safety bias: a refusal must not hide red-flag advice (T-CES; T-SERIOUS too).
    advice = ADVICE[flags[0][0].outcome] if flags else (MINOR_ADVICE,)
    raise UnsupportedScreeningError(
        " ".join((MINOR_MESSAGE, *advice)),
        advice=advice,
        reasons=(age, *(reason(c.rule, text) for c, text in flags)),
        emergency=any(c.outcome is Outcome.EMERGENCY for c, _ in flags),
    )


# --- The input schema ------------------------------------------------------------

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
        "fields": {spec.name: _field_schema(spec) for spec in _FIELDS},
        "vocabularies": {name: _vocabulary_schema(groups)
                         for name, groups in _VOCABULARIES.items()},
        "annotation_keys": list(ANNOTATION_KEYS),
        "annotation_prefix": ANNOTATION_PREFIX,
        "notes": "red_flags ids are also the session 'symptoms'; pain_sites are the "
                 "session 'other_pain' sites.",
    }


def _field_schema(spec: _Field) -> dict[str, object]:
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
