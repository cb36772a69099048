"""The R- rules of CLINICAL.md section 3, one function each, and :data:`RULES`.

Each function looks at the history through a :class:`Context` and returns a
:class:`Finding` or ``None``; the engine combines them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from backstride.core import evidence as ev
from backstride.core import ladder
from backstride.core.progression.records import (
    DecisionKind,
    Finding,
    History,
    SessionRecord,
    Severity,
    Status,
)
from backstride.core.vocab import CAUDA_EQUINA, SERIOUS

# --- Calendar helpers -------------------------------------------------------------


def week_start(day: date) -> date:
    """The Monday of ``day``'s calendar week (CLINICAL.md: weeks run Monday-Sunday)."""
    return day - timedelta(days=day.weekday())


def _in_week(day: date, monday: date) -> bool:
    return monday <= day < monday + timedelta(days=7)


def _mean(values: Iterable[int]) -> Fraction | None:
    """Exact mean of whole-number scores: thresholds such as R-WEEK's "+ 1" compare
    means of different weeks, and float rounding would miss the boundary (8/3 vs 5/3 + 1)."""
    items = list(values)
    return Fraction(sum(items), len(items)) if items else None


@dataclass(frozen=True)
class Context:
    history: History
    today: date

    @property
    def latest(self) -> SessionRecord | None:
        return self.history.sessions[-1] if self.history.sessions else None

    @property
    def runs(self) -> tuple[SessionRecord, ...]:
        return tuple(s for s in self.history.sessions if s.ran)

    @property
    def baseline(self) -> float:
        return self.history.program_baseline_pain

    @property
    def first_day(self) -> date | None:
        """The earliest session or check-in: when the program's data begins."""
        days = [s.date for s in self.history.sessions] + [c.date for c in self.history.checkins]
        return min(days, default=None)

    def pain_before_in_week(self, monday: date) -> list[int]:
        # Every recorded pain-before value counts, a missed session's too: CLINICAL.md
        # limits R-AFTER, R-ADHERE and P-CAP to done/partial sessions, not weekly pain.
        return [
            s.pain_before for s in self.history.sessions
            if s.pain_before is not None and _in_week(s.date, monday)
        ]

    def weekly_pain(self, monday: date) -> Fraction | None:
        """Mean of the week's pain-before values and check-in rest pain."""
        rest = [c.rest_pain for c in self.history.checkins if _in_week(c.date, monday)]
        return _mean([*self.pain_before_in_week(monday), *rest])


# --- The rules --------------------------------------------------------------------


def red_flags_cleared(ctx: Context) -> bool:
    """Whether a clinician cleared the latest session's red flags (C-OVERRIDE)."""
    latest, cleared = ctx.latest, ctx.history.red_flags_cleared_through
    return latest is not None and cleared is not None and latest.date <= cleared


def _red_flag(ctx: Context) -> Finding | None:
    latest = ctx.latest
    if latest is None or red_flags_cleared(ctx):
        return None
    ces = [s for s in latest.symptoms if s in CAUDA_EQUINA]
    if ces:
        return Finding(
            "R-REDFLAG", f"Cauda equina symptom reported: {', '.join(ces)}",
            DecisionKind.STOP, Severity.CRITICAL,
            "Go to an emergency department now. Do not run.",
        )
    serious = [s for s in latest.symptoms if s in SERIOUS]
    if serious:
        return Finding(
            "R-REDFLAG", f"Serious red flag reported: {', '.join(serious)}",
            DecisionKind.STOP, Severity.CRITICAL,
            "See a doctor within days before any more running.",
        )
    return None


def _during(ctx: Context) -> Finding | None:
    latest = ctx.latest
    if latest is None or latest.pain_during is None or latest.pain_during <= ev.DURING_PAIN_ABOVE:
        return None
    window = timedelta(days=ev.DURING_REPEAT_WINDOW_DAYS)
    earlier = [
        s for s in ctx.history.sessions[:-1]
        if s.pain_during is not None and s.pain_during > ev.DURING_PAIN_ABOVE
        and timedelta(0) <= latest.date - s.date <= window
    ]
    severity = Severity.HIGH if earlier else Severity.LOW
    again = " for the second time within 14 days" if earlier else ""
    return Finding(
        "R-DURING",
        f"Worst pain during the run was {latest.pain_during}/10, above "
        f"{ev.DURING_PAIN_ABOVE}/10{again}",
        DecisionKind.REGRESS, severity,
        "If pain goes above 5/10 during a run, stop running and walk home.",
    )


def _morning(ctx: Context) -> Finding | None:
    latest = ctx.latest
    if latest is None or not latest.ran:
        return None
    if latest.pain_next_morning is None or latest.pain_before is None:
        # A missing next-morning value never counts as settled (CLINICAL.md section 3);
        # without the pain before there is nothing to compare it with.
        return Finding(
            "R-MORNING", "Next-morning pain was not recorded, so the back has not "
            "shown it settled", DecisionKind.REPEAT,
            advice="Record your pain the morning after each session.",
        )
    rise = latest.pain_next_morning - latest.pain_before
    if rise >= ev.MORNING_REGRESS_RISE:
        kind = DecisionKind.REGRESS
    elif rise >= ev.MORNING_REPEAT_RISE:
        kind = DecisionKind.REPEAT
    else:
        return None
    return Finding(
        "R-MORNING",
        f"Next-morning pain was {latest.pain_next_morning}/10, {rise} above the "
        f"{latest.pain_before}/10 before the session", kind,
    )


def _week(ctx: Context) -> Finding | None:
    this_monday = week_start(ctx.today)
    this_week = _mean(ctx.pain_before_in_week(this_monday))
    last_week = _mean(ctx.pain_before_in_week(this_monday - timedelta(days=7)))
    if this_week is None or last_week is None or this_week < last_week + ev.WEEK_RISE:
        return None
    return Finding(
        "R-WEEK",
        f"Mean pain before sessions this week is {float(this_week):.1f}/10, up from "
        f"{float(last_week):.1f}/10 last week", DecisionKind.REPEAT,
    )


def _flare(ctx: Context) -> Finding | None:
    recent = [
        c for c in ctx.history.checkins
        if timedelta(0) <= ctx.today - c.date < timedelta(days=ev.FLARE_WINDOW_DAYS)
    ]
    high = {c.date for c in recent if c.rest_pain > ev.FLARE_REST_PAIN_ABOVE}
    raised = {c.date for c in recent if c.rest_pain >= ctx.baseline + ev.FLARE_BASELINE_RISE}
    if len(high) >= ev.FLARE_CHECKINS:
        text = (f"Rest pain was above {ev.FLARE_REST_PAIN_ABOVE}/10 on {len(high)} days in "
                f"the last {ev.FLARE_WINDOW_DAYS} days")
    elif len(raised) >= ev.FLARE_CHECKINS:
        text = (f"Rest pain was {ev.FLARE_BASELINE_RISE} or more above the program baseline "
                f"({ctx.baseline:g}/10) on {len(raised)} days in the last "
                f"{ev.FLARE_WINDOW_DAYS} days")
    else:
        return None
    return Finding(
        "R-FLARE", text, DecisionKind.PAUSE_RUNNING, Severity.HIGH,
        f"Your back is flaring: swap running for swimming, cycling or the elliptical for at "
        f"least {ev.PAUSE_DAYS} days, then check in again.",
    )


def _after(ctx: Context) -> Finding | None:
    last = ctx.runs[-ev.AFTER_RUNS:]
    if len(last) < ev.AFTER_RUNS or not all(
        s.pain_after is not None and s.pain_before is not None and s.pain_after > s.pain_before
        for s in last
    ):
        return None
    return Finding(
        "R-AFTER", f"Pain after was higher than pain before in each of the last "
        f"{ev.AFTER_RUNS} runs", DecisionKind.REPEAT, Severity.HIGH,
        "Ask your clinician or doctor to review how running is going for your back.",
    )


def _persist(ctx: Context) -> Finding | None:
    this_monday = week_start(ctx.today)
    weeks = [this_monday - timedelta(days=7 * n) for n in range(ev.PERSIST_WEEKS)]
    first = ctx.first_day
    if first is None or first >= weeks[-1] + timedelta(days=7):
        return None  # the program does not span the weeks yet
    pains = [ctx.weekly_pain(monday) for monday in weeks]
    # A week without any data inside the program does not clear the rule: missing data
    # never counts as improvement (CLINICAL.md safety bias). One week of data is needed.
    known = [p for p in pains if p is not None]
    if not known or not all(
        p >= ev.PERSIST_PAIN_AT_LEAST and p >= ctx.baseline for p in known
    ):
        return None
    shown = ", ".join("no data" if p is None else f"{float(p):.1f}" for p in reversed(pains))
    return Finding(
        "R-PERSIST", f"Weekly pain has stayed at {ev.PERSIST_PAIN_AT_LEAST}/10 or more and "
        f"not below the baseline for {ev.PERSIST_WEEKS} weeks ({shown})",
        DecisionKind.REPEAT, Severity.HIGH,
        "Your pain is not improving: ask your clinician or doctor for a review.",
    )


def _limb(ctx: Context) -> Finding | None:
    latest = ctx.latest
    if latest is None:
        return None
    sore = {site: score for site, score in latest.other_pain.items()
            if score >= ev.LIMB_PAIN_AT_LEAST}
    if not sore:
        return None
    sites = ", ".join(f"{site} {score}/10" for site, score in sorted(sore.items()))
    return Finding(
        "R-LIMB", f"New lower-limb pain: {sites}", DecisionKind.REGRESS, Severity.LOW,
        "Ease off: lower-limb pain was the most common problem in the trial.",
    )


def _talk(ctx: Context) -> Finding | None:
    latest = ctx.latest
    if latest is None or latest.talk_test_ok is not False:
        return None
    return Finding(
        "R-TALK", "The talk test failed: the pace was too hard", DecisionKind.REPEAT,
        advice="Slow down: you should be able to talk in full sentences while running.",
    )


def _adhere(ctx: Context) -> Finding | None:
    if not ctx.history.sessions:
        return None
    first_monday = week_start(ctx.history.sessions[0].date)
    this_monday = week_start(ctx.today)
    complete = [this_monday - timedelta(days=7 * n) for n in range(1, ev.ADHERE_WEEKS + 1)]
    if complete[-1] < first_monday:
        return None
    counts = [sum(1 for s in ctx.runs if _in_week(s.date, m)) for m in complete]
    if any(n >= ev.ADHERE_MIN_SESSIONS for n in counts):
        return None
    return Finding(
        "R-ADHERE", f"Fewer than {ev.ADHERE_MIN_SESSIONS} sessions in each of the last "
        f"{ev.ADHERE_WEEKS} complete weeks ({', '.join(map(str, reversed(counts)))})",
        alert=Severity.LOW,
    )


Rule = Callable[[Context], Finding | None]

#: Every R- rule but R-PROGRESS, which is what remains when none of these restrict.
RULES: tuple[tuple[str, Rule], ...] = (
    ("R-REDFLAG", _red_flag),
    ("R-DURING", _during),
    ("R-MORNING", _morning),
    ("R-WEEK", _week),
    ("R-FLARE", _flare),
    ("R-AFTER", _after),
    ("R-PERSIST", _persist),
    ("R-LIMB", _limb),
    ("R-TALK", _talk),
    ("R-ADHERE", _adhere),
)


def progress_finding(ctx: Context, findings: Sequence[Finding]) -> Finding | None:
    """R-PROGRESS: progress only when the latest session was done and nothing restricts.

    Returns ``None`` when another rule already decided (that rule is the reason).
    """
    latest = ctx.latest
    if latest is None:
        return Finding("R-PROGRESS", "No session logged yet: start at this level",
                       DecisionKind.REPEAT)
    if latest.status is not Status.DONE:
        return Finding("R-PROGRESS", f"The last session was {latest.status}, not completed, "
                       "so the level stays", DecisionKind.REPEAT)
    if latest.talk_test_ok is None:
        # R-PROGRESS needs the talk test passed; not recording it is not passing it.
        return Finding("R-PROGRESS", "The talk test was not recorded, so the level stays",
                       DecisionKind.REPEAT)
    if any(f.decision is not None for f in findings):
        return None
    if ctx.history.level >= ladder.TOP_LEVEL:
        return Finding("R-PROGRESS", "Session done and settled; this is the program's top "
                       "level, so it stays", DecisionKind.REPEAT)
    return Finding("R-PROGRESS", "Session done, talk test passed and the next morning "
                   "settled: one level up", DecisionKind.PROGRESS)

