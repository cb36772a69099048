"""The cohort report's figures, computed from per-patient aggregates (no queries here).

CLINICAL.md section 4, the trial's table: enrolled, completed 12 weeks,
adherence (mean, SD), sessions per week, pain and disability change from
baseline at weeks 6 and 12 (mean, 95% CI by Student's t), the share reaching
a meaningful change (O-MCID), adverse events by type and seriousness (O-AE),
weekly running distance from imported activities.

Definitions where CLINICAL.md is silent (design choices, shown on the page):

* *enrolled*: enrolments in the clinic (in the date range, by enrolment date);
* *completed 12 weeks*: the program's weeks have passed and the patient ran
  (done or partial) in its last week;
* *adherence*: done run-walk sessions on planned run-walk days ÷ planned
  run-walk days, both up to yesterday (O-ADHERENCE);
* *sessions per week*: sessions run (done or partial) ÷ weeks elapsed, for
  patients at least a week in;
* *change*: follow-up − baseline in the measure's units (pain: a fall is
  negative); baseline is the week-0 answer (pain: the program baseline when
  week 0 was not answered);
* *weekly running distance*: among patients with any imported activity, the
  mean running distance per program week (weeks reached so far; a week
  without an upload counts 0 km).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from backstride.core import outcomes as core
from backstride.core.outcomes import AdverseEventType, Seriousness

FOLLOW_UPS = (6, 12)  # O-SCHED follow-up weeks reported
MCID = {"pain": core.Measure.PAIN, "psfs": core.Measure.PSFS, "odi": core.Measure.ODI,
        "rmdq": core.Measure.RMDQ}


@dataclass(frozen=True)
class Spread:
    """Mean and sample SD over ``n`` patients (``None`` when too few)."""

    n: int
    mean: float | None
    sd: float | None


@dataclass(frozen=True)
class ChangeRow:
    """A measure's change from baseline at a follow-up week (mean and 95% CI)."""

    key: str
    name: str
    unit: str
    week: int
    n: int
    mean: float | None
    low: float | None
    high: float | None
    meaningful: int | None  # patients reaching O-MCID; None: no threshold for this measure
    lower_is_better: bool

    @property
    def share(self) -> float | None:
        return None if self.meaningful is None or not self.n else self.meaningful / self.n


@dataclass(frozen=True)
class DistanceWeek:
    week: int
    n: int
    mean_km: float
    total_km: float


@dataclass(frozen=True)
class AdverseEventRow:
    type: AdverseEventType
    non_serious: int
    serious: int

    @property
    def total(self) -> int:
        return self.non_serious + self.serious


@dataclass(frozen=True)
class PlanFacts:
    patient_id: int
    start: date
    weeks: int
    baseline_pain: float

    @property
    def end(self) -> date:
        return self.start + timedelta(days=7 * self.weeks)


@dataclass
class Aggregates:
    """What the aggregate queries returned, per patient (see ``reports.selectors``)."""

    enrolled: int
    plans: list[PlanFacts]
    prescribed: dict[int, int] = field(default_factory=dict)
    done: dict[int, int] = field(default_factory=dict)
    ran: dict[int, int] = field(default_factory=dict)
    last_ran: dict[int, date] = field(default_factory=dict)
    scores: list[tuple[int, str, int, float]] = field(default_factory=list)  # patient, key, week
    events: dict[tuple[str, str], int] = field(default_factory=dict)
    distance: list[tuple[int, date, float]] = field(default_factory=list)  # patient, day, m


@dataclass(frozen=True)
class Figures:
    enrolled: int
    with_plan: int
    completed: int
    adherence: Spread
    sessions_per_week: Spread
    changes: list[ChangeRow]
    adverse_events: list[AdverseEventRow]
    distance: list[DistanceWeek]
    distance_patients: int
    adherence_bins: list[int] = field(default_factory=list)  # patients per tenth, 0-100%

    @property
    def adverse_event_total(self) -> int:
        return sum(row.total for row in self.adverse_events)

    @property
    def non_serious_total(self) -> int:
        return sum(row.non_serious for row in self.adverse_events)

    @property
    def serious_total(self) -> int:
        return sum(row.serious for row in self.adverse_events)


def figures(data: Aggregates, *, today: date, names: Mapping[str, str],
            units: Mapping[str, str]) -> Figures:
    """Every figure of the table from the aggregates; ``today`` ends the period."""
    ratios = [a for p in data.plans
              if (a := core.adherence(data.done.get(p.patient_id, 0),
                                      data.prescribed.get(p.patient_id, 0))) is not None]
    return Figures(
        enrolled=data.enrolled, with_plan=len(data.plans),
        completed=sum(1 for p in data.plans if _completed(p, data, today)),
        adherence=_spread(ratios),
        sessions_per_week=_spread([r for p in data.plans if (r := _rate(p, data, today))
                                   is not None]),
        changes=_changes(data, names, units),
        adverse_events=_events(data.events),
        distance=(weeks := _distance(data, today)),
        distance_patients=max((w.n for w in weeks), default=0),
        adherence_bins=[sum(1 for r in ratios if min(int(r * 10), 9) == i) for i in range(10)],
    )


def _completed(plan: PlanFacts, data: Aggregates, today: date) -> bool:
    last = data.last_ran.get(plan.patient_id)
    return plan.end <= today and last is not None and last >= plan.end - timedelta(days=7)


def _rate(plan: PlanFacts, data: Aggregates, today: date) -> float | None:
    elapsed = (min(today, plan.end) - plan.start).days
    if elapsed < 7:
        return None  # under a week in: a rate would mean little
    return data.ran.get(plan.patient_id, 0) / (elapsed / 7)


def _spread(values: Sequence[float]) -> Spread:
    if not values:
        return Spread(0, None, None)
    mean, sd = core.mean_sd(values)
    return Spread(len(values), mean, sd)


def _changes(data: Aggregates, names: Mapping[str, str], units: Mapping[str, str]
             ) -> list[ChangeRow]:
    by_key: dict[str, dict[int, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for patient, key, week, total in data.scores:
        by_key[key][week][patient] = total
    if "pain" in by_key or data.plans:  # the program baseline stands in for a week-0 pain
        pain = by_key["pain"][0]
        for plan in data.plans:
            pain.setdefault(plan.patient_id, plan.baseline_pain)
    order = [k for k in names if k in by_key] + sorted(set(by_key) - set(names))
    return [_change_row(key, names.get(key, key), units.get(key, ""), week, by_key[key])
            for key in order for week in FOLLOW_UPS if by_key[key].get(0)]


def _change_row(key: str, name: str, unit: str, week: int,
                scores: Mapping[int, Mapping[int, float]]) -> ChangeRow:
    base, follow = scores.get(0, {}), scores.get(week, {})
    pairs = [(base[p], follow[p]) for p in follow if p in base]
    measure = MCID.get(key)
    lower_is_better = core.MCID[measure].lower_is_better if measure else True
    if not pairs:
        return ChangeRow(key, name, unit, week, 0, None, None, None,
                         None if measure is None else 0, lower_is_better)
    mean, low, high = core.mean_ci95([f - b for b, f in pairs])
    meaningful = None if measure is None else sum(
        1 for b, f in pairs if core.meaningful_change(measure, b, f).meaningful)
    return ChangeRow(key, name, unit, week, len(pairs), mean, low, high, meaningful,
                     lower_is_better)


def _events(counts: Mapping[tuple[str, str], int]) -> list[AdverseEventRow]:
    return [AdverseEventRow(kind, counts.get((kind.value, Seriousness.NON_SERIOUS.value), 0),
                            counts.get((kind.value, Seriousness.SERIOUS.value), 0))
            for kind in AdverseEventType]


def _distance(data: Aggregates, today: date) -> list[DistanceWeek]:
    plans = {p.patient_id: p for p in data.plans}
    metres: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for patient, day, value in data.distance:
        plan = plans.get(patient)
        if plan is None:
            continue
        week = (day - plan.start).days // 7 + 1
        if 1 <= week <= plan.weeks:
            metres[patient][week] += value
    if not metres:
        return []
    top = max(plans[p].weeks for p in metres)
    weeks = []
    for week in range(1, top + 1):
        reached = [p for p in metres
                   if plans[p].start + timedelta(days=7 * (week - 1)) < today
                   and week <= plans[p].weeks]
        if reached:
            kms = [metres[p].get(week, 0.0) / 1000 for p in reached]
            weeks.append(DistanceWeek(week, len(reached), sum(kms) / len(kms), sum(kms)))
    return weeks
