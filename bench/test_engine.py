"""Engine speed: one decision over a 12-week history, one 12-week plan.

Targets (issue 8): decide_next under 1 ms per call, build_plan under 5 ms.
`make bench` times them with pytest-benchmark; `make test` runs each once.
"""

from __future__ import annotations

from datetime import date, timedelta

from backstride.core.plans import PlanRequest, build_plan
from backstride.core.progression import Checkin, History, SessionRecord, Status, decide_next

START = date(2026, 1, 5)  # a Monday


def twelve_weeks() -> History:
    sessions = []
    checkins = []
    for week in range(12):
        for offset in (0, 2, 5):
            day = START + timedelta(days=7 * week + offset)
            sessions.append(SessionRecord(
                date=day, status=Status.DONE, pain_before=3, pain_during=3, pain_after=3,
                pain_next_morning=3, talk_test_ok=True, run_seconds=165 + 10 * week,
            ))
            checkins.append(Checkin(day + timedelta(days=1), 2))
    return History(level=12, program_baseline_pain=3.0, sessions=tuple(sessions),
                   checkins=tuple(checkins))


def test_decide_next_over_twelve_weeks(benchmark) -> None:  # type: ignore[no-untyped-def]
    history = twelve_weeks()
    today = history.sessions[-1].date
    decision = benchmark(decide_next, history, today=today)
    assert decision.next_level >= 1


def test_build_a_twelve_week_plan(benchmark) -> None:  # type: ignore[no-untyped-def]
    request = PlanRequest(start=START, weekdays=(0, 2, 5), weeks=12, sessions_per_week=3)
    plan = benchmark(build_plan, request)
    assert 84 == len(plan.days)
