"""Invariants of triage that hold for every valid screening (Hypothesis)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.core import evidence, vocab
from backstride.core.triage import (
    Outcome,
    Screening,
    UnsupportedScreeningError,
    parse_screening,
    triage,
)

# Per test, not a global profile: other modules' property tests keep their own settings.
examples = settings(max_examples=200, deadline=None)

ADULTS = st.integers(evidence.ADULT_AGE, 120)
ANY_AGE = st.integers(0, 120)


def steps(top: int, step: float) -> st.SearchStrategy[float]:
    """Multiples of ``step`` up to ``top``: they land on the thresholds and either side."""
    return st.integers(0, round(top / step)).map(lambda n: round(n * step, 6))


def ids(vocabulary: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(vocabulary), max_size=3).map(tuple)


def screenings(ages: st.SearchStrategy[int] = ADULTS) -> st.SearchStrategy[Screening]:
    """Any valid screening (adults unless ``ages`` says otherwise)."""
    return st.builds(
        Screening,
        age=ages,
        sex=st.sampled_from(vocab.SEXES),
        episode_weeks=steps(100, 0.5),
        pain_now=st.integers(0, 10),
        pain_week_avg=steps(10, 0.1),
        leg_pain=st.sampled_from(vocab.LEG_PAIN),
        leg_pain_worse_than_back=st.booleans(),
        leg_numbness_or_weakness=st.booleans(),
        red_flags=ids(vocab.RED_FLAGS),
        conditions=ids(vocab.CONDITIONS),
        pre_exercise_yes=ids(vocab.PRE_EXERCISE),
        flare_now=st.booleans(),
        runs_per_month_last_3_months=steps(20, 0.5),
        pregnant_or_postpartum=st.booleans(),
        lower_limb_injury_weeks_ago=st.none() | steps(20, 0.5),
        in_rehab_restricting_running=st.booleans(),
        startback=st.none() | st.tuples(*[st.integers(0, 1)] * vocab.STARTBACK_ITEMS),
    )


def adding(screening: Screening, name: str, item: str) -> Screening:
    """``screening`` with ``item`` added to its id list ``name``."""
    changes: dict[str, Any] = {name: (*getattr(screening, name), item)}
    return dataclasses.replace(screening, **changes)


FINDINGS = st.one_of(
    st.tuples(st.just("red_flags"), st.sampled_from(vocab.RED_FLAGS)),
    st.tuples(st.just("conditions"), st.sampled_from(vocab.CONDITIONS)),
    st.tuples(st.just("pre_exercise_yes"), st.sampled_from(vocab.PRE_EXERCISE)),
)


@examples
@given(screenings(), FINDINGS)
def test_adding_a_red_flag_or_another_finding_never_makes_the_outcome_less_severe(
    screening: Screening, finding: tuple[str, str]
) -> None:
    before = triage(screening).outcome
    after = triage(adding(screening, *finding)).outcome
    assert after.severity >= before.severity


@examples
@given(screenings(ANY_AGE), st.sampled_from(vocab.CAUDA_EQUINA))
def test_a_cauda_equina_feature_always_means_the_emergency_department(
    screening: Screening, feature: str
) -> None:
    flagged = adding(screening, "red_flags", feature)
    try:
        result = triage(flagged)
    except UnsupportedScreeningError as refusal:
        # Under 18: refused, but never without the emergency advice (T-AGE).
        assert screening.age < evidence.ADULT_AGE
        assert refusal.emergency
        assert "emergency department now" in refusal.message
        return
    assert Outcome.EMERGENCY == result.outcome
    assert "T-CES" == result.reasons[0].rule
    assert result.profile is None


@examples
@given(screenings(), st.sampled_from(vocab.SERIOUS))
def test_a_serious_red_flag_always_means_at_least_urgent_review(
    screening: Screening, flag: str
) -> None:
    result = triage(adding(screening, "red_flags", flag))
    assert result.outcome.severity >= Outcome.URGENT_REVIEW.severity
    assert not result.outcome.allows_plan
    assert "T-SERIOUS" in result.rules


DECIDES = {
    "T-CES": Outcome.EMERGENCY,
    "T-SERIOUS": Outcome.URGENT_REVIEW,
    "T-FLARE": Outcome.LOW_IMPACT_FIRST,
    "T-ACUTE": Outcome.LOW_IMPACT_FIRST,
    "T-RUN": Outcome.RUN_WALK,
}  # every other first reason is a clearance rule


@examples
@given(screenings())
def test_every_result_is_explained_by_registered_rules_and_sources(screening: Screening) -> None:
    result = triage(screening)
    for r in result.reasons:
        assert evidence.RULES[r.rule].sources == r.sources
        assert all(source in evidence.SOURCES for source in r.sources)
        assert r.text
    assert DECIDES.get(result.reasons[0].rule, Outcome.CLEARANCE_REQUIRED) == result.outcome
    assert ("T-RUN" in result.rules) == (Outcome.RUN_WALK == result.outcome)
    assert (result.profile is not None) == result.outcome.allows_plan
    assert tuple(sorted(result.flags)) == result.flags
    assert result.advice
    data = result.as_dict()
    assert data == json.loads(json.dumps(data))


@examples
@given(screenings())
def test_startback_never_changes_the_outcome(screening: Screening) -> None:
    without = triage(dataclasses.replace(screening, startback=None))
    assert without.outcome == triage(screening).outcome


@examples
@given(screenings(ANY_AGE))
def test_parsing_reads_back_every_field_of_a_screening(screening: Screening) -> None:
    assert screening == parse_screening(json.loads(json.dumps(screening.as_dict())))
    assert screening == parse_screening(dataclasses.asdict(screening))
