"""Hypothesis strategies shared by the test suite.

Every strategy here draws *valid* input only; a test that needs bad input
mutates what it draws. Group strategies by the core module they feed, one
section each, and keep module-specific helpers private (``_name``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TypeVar

from hypothesis import strategies as st

from backstride.core.history import parse_history
from backstride.core.ladder import LADDER, TOP_LEVEL
from backstride.core.progression import History
from backstride.core.vocab import PAIN_SITES, RED_FLAGS

T = TypeVar("T")

SCORES = st.integers(0, 10)


def rarely(rare: st.SearchStrategy[T], usual: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """``rare`` one time in ten, else ``usual`` (what shrinking goes back to)."""
    return st.integers(0, 9).flatmap(lambda n: rare if n == 9 else usual)


# --- Progression: decide vignettes (CLINICAL.md section 5) --------------------------

#: How far back a drawn history reaches: past P-CAP's 30 days and R-PERSIST's 3 weeks.
HISTORY_DAYS = 45
TODAYS = st.dates(date(2024, 1, 1), date(2027, 12, 31))
#: Most scores are low, as in a settled program, so that every decision is drawn often.
_PAINS = st.one_of(st.integers(0, 3), SCORES)
_SYMPTOMS = rarely(st.lists(st.sampled_from(RED_FLAGS), min_size=1, max_size=2, unique=True),
                   st.just([]))
RED_FLAG_SYMPTOMS = st.lists(st.sampled_from(RED_FLAGS), min_size=1, max_size=3, unique=True)


def _ran_session(day: date, symptoms: st.SearchStrategy[list[str]], level: int,
                 ) -> st.SearchStrategy[dict[str, Any]]:
    # The level's own running time (as completed) or anything else a watch records.
    run_seconds = st.just(LADDER[level - 1].running_seconds) | st.integers(0, 1200)
    return st.fixed_dictionaries({
        "date": st.just(day.isoformat()),
        "status": st.sampled_from(["done", "partial"]),
        "pain_before": _PAINS,
        "pain_during": _PAINS,
        "pain_after": _PAINS,
        "pain_next_morning": rarely(st.none(), _PAINS),
        "talk_test_ok": rarely(st.just(False), st.just(True)),
        "other_pain": rarely(st.dictionaries(st.sampled_from(PAIN_SITES), SCORES, max_size=2),
                             st.just({})),
        "symptoms": symptoms,
        "run_seconds": run_seconds,
    })


def _missed_session(day: date, symptoms: st.SearchStrategy[list[str]],
                    ) -> st.SearchStrategy[dict[str, Any]]:
    # A missed session may still report pain before and symptoms (why it was missed).
    return st.fixed_dictionaries(
        {"date": st.just(day.isoformat()), "status": st.just("missed"), "symptoms": symptoms},
        optional={"pain_before": _PAINS},
    )


def session_dicts(day: date, symptoms: st.SearchStrategy[list[str]] = _SYMPTOMS,
                  level: int = 1) -> st.SearchStrategy[dict[str, Any]]:
    """One valid session of a decide vignette on ``day`` at ``level``: done, partial or
    missed."""
    return _ran_session(day, symptoms, level) | _missed_session(day, symptoms)


@st.composite
def decide_vignettes(
    draw: st.DrawFn, *, min_sessions: int = 0, max_sessions: int = 8,
    latest_symptoms: st.SearchStrategy[list[str]] = _SYMPTOMS,
) -> dict[str, Any]:
    """A valid ``backstride decide`` input: sessions and check-ins in the
    ``HISTORY_DAYS`` up to ``today``, oldest first. The latest session's symptoms
    are drawn from ``latest_symptoms`` (e.g. ``RED_FLAG_SYMPTOMS``)."""
    today = draw(TODAYS)
    level = draw(st.integers(1, TOP_LEVEL))
    ago = draw(st.lists(st.integers(0, HISTORY_DAYS), min_size=min_sessions,
                        max_size=max_sessions))
    days = [today - timedelta(days=n) for n in sorted(ago, reverse=True)]
    sessions = [draw(session_dicts(d, level=level)) for d in days[:-1]]
    sessions += [draw(session_dicts(d, latest_symptoms, level)) for d in days[-1:]]
    checkins = [{"date": (today - timedelta(days=n)).isoformat(), "rest_pain": draw(_PAINS)}
                for n in sorted(draw(st.lists(st.integers(0, HISTORY_DAYS), max_size=8)),
                                reverse=True)]
    return {
        "today": today.isoformat(),
        "level": level,
        "program_baseline_pain": draw(st.integers(0, 20)) / 2,
        "sessions": sessions,
        "checkins": checkins,
    }


def histories(**options: Any) -> st.SearchStrategy[tuple[History, date]]:
    """``decide_vignettes(**options)`` read by ``parse_history``: ``(history, today)``."""
    return decide_vignettes(**options).map(parse_history)
