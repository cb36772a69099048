"""A short tour of the engine: screen an example person, print their first two weeks."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

from backstride.cli import render
from backstride.core.plans import PlanRequest, build_plan
from backstride.core.triage import parse_screening, triage

EXAMPLE = {
    "age": 34, "sex": "female", "episode_weeks": 30, "pain_now": 3, "pain_week_avg": 3.5,
    "leg_pain": "none", "leg_pain_worse_than_back": False, "leg_numbness_or_weakness": False,
    "red_flags": [], "conditions": [], "pre_exercise_yes": [], "flare_now": False,
    "runs_per_month_last_3_months": 0, "pregnant_or_postpartum": False,
    "lower_limb_injury_weeks_ago": None, "in_rehab_restricting_running": False,
}


def main() -> int:
    result = triage(parse_screening(EXAMPLE))
    print("Screening: a 34-year-old with 30 weeks of low back pain, pain 3/10, no red flags")
    print(f"Outcome: {result.outcome}")
    for r in result.reasons:
        print(f"  {r.rule}: {r.text} ({', '.join(r.sources)})")
    today = datetime.now().astimezone().date()  # the demo runs in the user's own zone
    start = today + timedelta(days=-today.weekday() % 7 or 7)  # next Monday
    plan = build_plan(PlanRequest(start=start, weekdays=(0, 2, 5), weeks=2, sessions_per_week=3))
    print(f"\nFirst two weeks from {start.isoformat()} (run-walk on Mon, Wed, Sat):\n")
    sys.stdout.write(render.plan_table(plan))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
