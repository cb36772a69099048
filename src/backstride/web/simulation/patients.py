"""Simulated patients, played day by day through the real engine. No database here.

Each patient follows a persona (a steady progressor, a sensitive back, a
flare, a red flag, a drop-out, ...). Every day, in the order the product sees
it: the daily job logs yesterday's planned session as missed when nothing was
logged, the morning check-in (with the next-morning pain of yesterday's
session), then the day's session, whose prescription and level are
``decide_next``'s, as the today page would show them. After every log and
check-in the engine decides again, exactly as ``runlog.services`` does, so a
simulated history is one the product could have produced.

Everything comes from ``random.Random(seed)``: the same seed gives the same
patients, day for day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from backstride.core import plans as core_plans
from backstride.core import progression as core
from backstride.core import triage as core_triage
from backstride.core.ladder import Prescription

FIRST_NAMES = ("Aisha", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace", "Hugo", "Ines", "Jack",
               "Keira", "Liam", "Maya", "Noah", "Olu", "Priya", "Quinn", "Rosa", "Sami", "Tess",
               "Umar", "Vera", "Will", "Xena", "Yusuf", "Zoe")
LAST_NAMES = ("Adeyemi", "Brennan", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hughes",
              "Iqbal", "Jones", "Kowalski", "Lopez", "Murphy", "Nakamura", "O'Neill", "Patel",
              "Quist", "Rossi", "Singh", "Taylor", "Uddin", "Varga", "Walsh", "Young")

# How often each kind of patient appears; a caseload of 40 shows every kind.
ARCHETYPES = (
    ("steady", 14), ("sensitive", 6), ("flare", 5), ("dropout", 4), ("low_adherence", 3),
    ("clearance", 3), ("red_flag", 2), ("finishing", 2), ("screening_red_flag", 1),
)
_PICKS = tuple(kind for kind, count in ARCHETYPES for _ in range(count))


@dataclass(frozen=True)
class Persona:
    kind: str
    weeks_in: int  # whole program weeks before today
    sensitivity: float  # how much a run stirs the back, 0 (not at all) to 2
    adherence: float  # chance a planned session is done
    checkin_rate: float  # chance of a check-in on a morning after no session
    baseline: int  # average pain over the week before enrolling (0-10)
    event_day: int | None = None  # program day of the flare, red flag or drop-out


@dataclass
class SimLog:
    day: date
    status: core.Status
    level: int
    prescription: Prescription
    pain_before: int | None = None
    pain_during: int | None = None
    pain_after: int | None = None
    pain_next_morning: int | None = None
    talk_test_ok: bool | None = None
    other_pain: dict[str, int] = field(default_factory=dict)
    symptoms: tuple[str, ...] = ()
    run_seconds: int = 0
    walked_home: bool = False

    def record(self) -> core.SessionRecord:
        return core.SessionRecord(
            date=self.day, status=self.status, pain_before=self.pain_before,
            pain_during=self.pain_during, pain_after=self.pain_after,
            pain_next_morning=self.pain_next_morning, talk_test_ok=self.talk_test_ok,
            other_pain=self.other_pain, symptoms=self.symptoms, run_seconds=self.run_seconds,
        )


@dataclass(frozen=True)
class SimCheckin:
    day: date
    rest_pain: int


@dataclass(frozen=True)
class SimDecision:
    """A decision as ``runlog.services`` stores it: after the log or check-in at ``index``."""

    made_on: date
    trigger: str  # "log" or "checkin"
    index: int
    decision: core.Decision
    latest_session: date | None


@dataclass
class SimPatient:
    index: int
    persona: Persona
    first_name: str
    last_name: str
    answers: dict[str, Any]
    screening: dict[str, Any]  # the Screening columns (programs.mapping)
    plan: core_plans.Plan | None
    logs: list[SimLog] = field(default_factory=list)
    checkins: list[SimCheckin] = field(default_factory=list)
    decisions: list[SimDecision] = field(default_factory=list)
    lock: tuple[date, str, tuple[str, ...]] | None = None  # (day, source, symptoms)

    @property
    def needs_clearance(self) -> bool:
        return self.screening["outcome"] == "clearance_required"


def persona_for(index: int, rng: random.Random, *, weeks_in: int | None = None) -> Persona:
    """A persona: every kind in turn for the first 40, then drawn at random.

    ``weeks_in`` puts every patient who is running that many whole weeks into the
    program (the benchmarks' "12 weeks of history"); the random draws stay the
    same, so the rest of each persona does not change.
    """
    kind = _PICKS[index % len(_PICKS)] if index < len(_PICKS) else rng.choice(_PICKS)
    # "finishing": the 12 weeks just ended, so the 12-week follow-up is being answered.
    drawn = {"finishing": 12, "clearance": 0}.get(kind, rng.randint(1, 10))
    weeks_in = drawn if weeks_in is None or kind in ("finishing", "clearance") else weeks_in
    # Days before today the event happens: red flags this weekend, flares this week or
    # last, drop-outs 9 to 20 days ago (so they show as inactive).
    ago = {"red_flag": (1, 3), "flare": (2, 9), "dropout": (9, 20)}.get(kind)
    event = None if ago is None else max(3, weeks_in * 7 - rng.randint(*ago))
    return Persona(
        kind=kind, weeks_in=weeks_in,
        sensitivity={"sensitive": 1.6, "flare": 1.0}.get(kind, rng.uniform(0.2, 0.8)),
        adherence={"low_adherence": 0.35, "finishing": 0.9}.get(kind, rng.uniform(0.75, 0.97)),
        checkin_rate=rng.uniform(0.2, 0.6), baseline=rng.choice((2, 3, 3, 3, 4, 4)),
        event_day=event,
    )


def answers_for(persona: Persona, rng: random.Random) -> dict[str, Any]:
    """Screening answers that triage sends where the persona belongs."""
    answers: dict[str, Any] = {
        "age": rng.randint(24, 44), "sex": rng.choice(["female", "male"]),
        "episode_weeks": rng.randint(14, 90), "pain_now": min(persona.baseline, 4),
        "pain_week_avg": persona.baseline, "leg_pain": "none",
        "leg_pain_worse_than_back": False, "leg_numbness_or_weakness": False,
        "red_flags": [], "conditions": [], "pre_exercise_yes": [], "flare_now": False,
        "runs_per_month_last_3_months": 0, "pregnant_or_postpartum": False,
        "lower_limb_injury_weeks_ago": None, "in_rehab_restricting_running": False,
    }
    if persona.kind == "clearance":
        answers.update(rng.choice([{"age": rng.randint(56, 68)},
                                   {"conditions": ["disc_herniation"]},
                                   {"pre_exercise_yes": ["unstable_diabetes"]}]))
    if persona.kind == "screening_red_flag":
        answers["red_flags"] = ["night_pain_unrelieved"]
    return answers


def screening_fields(answers: dict[str, Any]) -> dict[str, Any]:
    """What ``screening_submit`` would store: the validated answers and the triage result."""
    parsed = core_triage.parse_screening(answers)
    data = core_triage.triage(parsed).as_dict()
    return {"answers": parsed.as_dict(), "outcome": data["outcome"],
            "profile": data["profile"] or "", "flags": data["flags"],
            "reasons": data["reasons"], "advice": data["advice"]}


def simulate_patient(index: int, today: date, rng: random.Random, *,
                     weeks_in: int | None = None) -> SimPatient:
    """One patient's whole history up to ``today``'s morning."""
    persona = persona_for(index, rng, weeks_in=weeks_in)
    answers = answers_for(persona, rng)
    patient = SimPatient(index, persona, rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES),
                         answers, screening_fields(answers), None)
    if patient.screening["outcome"] not in ("run_walk", "clearance_required"):
        patient.lock = (today - timedelta(days=rng.randint(0, 2)), "screening",
                        tuple(answers["red_flags"]))
        return patient
    patient.plan = _plan(persona, patient.screening["profile"], today, rng)
    if not patient.needs_clearance:
        _Days(patient, today, rng).play()
    return patient


def _plan(persona: Persona, profile: str, today: date, rng: random.Random) -> core_plans.Plan:
    start = today - timedelta(days=persona.weeks_in * 7 + rng.randint(0, 6))
    conservative = profile == core_plans.Profile.CONSERVATIVE
    gap = (0, 3) if conservative else (0, 2, 4)
    weekdays = tuple(sorted((start.weekday() + g) % 7 for g in gap))
    return core_plans.build_plan(core_plans.PlanRequest(
        start=start, weekdays=weekdays, sessions_per_week=len(weekdays),
        profile=profile or core_plans.Profile.STANDARD))


class _Days:
    """Plays one patient's days; see the module docstring for the order within a day."""

    def __init__(self, patient: SimPatient, today: date, rng: random.Random) -> None:
        assert patient.plan is not None
        self.p, self.today, self.rng = patient, today, rng
        self.persona = patient.persona
        self.start = patient.plan.request.start
        self.run_days = {d.date for d in patient.plan.run_walk_days()}
        self.logged: set[date] = set()
        self.locked = False
        self.prescribed: dict[date, core.Decision] = {}

    def play(self) -> None:
        for offset in range((self.today - self.start).days + 1):
            day = self.start + timedelta(days=offset)
            self._daily_job(day)
            self._checkin(day)
            if day < self.today:  # today: only the morning has happened
                self._session(day)

    # --- Each step of a day ---------------------------------------------------------

    def _daily_job(self, day: date) -> None:
        yesterday = day - timedelta(days=1)
        if yesterday in self.run_days and yesterday not in self.logged and not self.locked:
            decision = self._prescription(yesterday)
            self._log(SimLog(yesterday, core.Status.MISSED, self._level(decision),
                             decision.next_session), day)

    def _checkin(self, day: date) -> None:
        if not self._active(day):
            return
        last = self.p.logs[-1] if self.p.logs else None
        after_run = last is not None and last.day == day - timedelta(days=1) and \
            last.status is not core.Status.MISSED
        if not (after_run and self.rng.random() < 0.9) and \
                self.rng.random() >= self.persona.checkin_rate:
            return
        if after_run and last is not None:
            last.pain_next_morning = self._morning_pain(last)
        self.p.checkins.append(SimCheckin(day, self._rest_pain(day)))
        decision = self._decide(day)
        self.p.decisions.append(SimDecision(day, "checkin", len(self.p.checkins) - 1, decision,
                                            self._latest()))
        self.prescribed[day] = decision  # no session today yet: the same history

    def _session(self, day: date) -> None:
        if day not in self.run_days or self.locked or not self._active(day) \
                or self.rng.random() >= self.persona.adherence:
            return
        decision = self._prescription(day)
        prescription = decision.next_session
        log = SimLog(day, core.Status.DONE, self._level(decision), prescription)
        if prescription.level is None and self.rng.random() < 0.5:
            return  # asked not to run: half skip the session (the daily job logs it missed)
        self._score(log, day)
        self._log(log, day)

    # --- Helpers ---------------------------------------------------------------------

    def _log(self, log: SimLog, today: date) -> None:
        self.p.logs.append(log)
        self.logged.add(log.day)
        decision = self._decide(today)
        self.p.decisions.append(SimDecision(today, "log", len(self.p.logs) - 1, decision,
                                            self._latest()))
        if decision.decision is core.DecisionKind.STOP and not self.locked:
            self.locked = True
            self.p.lock = (log.day, "session_log", log.symptoms)

    def _history(self, before: date | None = None) -> core.History:
        logs = [lg for lg in self.p.logs if before is None or lg.day < before]
        logs.sort(key=lambda lg: lg.day)
        return core.History(
            level=logs[-1].level if logs else 1,
            program_baseline_pain=float(self.persona.baseline),
            sessions=tuple(lg.record() for lg in logs),
            checkins=tuple(core.Checkin(c.day, c.rest_pain) for c in self.p.checkins
                           if before is None or c.day <= before),
        )

    def _decide(self, today: date) -> core.Decision:
        return core.decide_next(self._history(), today=today)

    def _prescription(self, day: date) -> core.Decision:
        """What the today page shows for ``day`` (``runlog.selectors.prescription_for``)."""
        if day not in self.prescribed:
            self.prescribed[day] = core.decide_next(self._history(before=day), today=day)
        return self.prescribed[day]

    @staticmethod
    def _level(decision: core.Decision) -> int:
        return decision.next_session.level or decision.next_level

    def _latest(self) -> date | None:
        return max((lg.day for lg in self.p.logs), default=None)

    def _active(self, day: date) -> bool:
        """Drop-outs stop logging and checking in after their day."""
        event = self.persona.event_day
        return not (self.persona.kind == "dropout" and event is not None
                    and (day - self.start).days >= event)

    def _in_flare(self, day: date) -> bool:
        event = self.persona.event_day
        return self.persona.kind == "flare" and event is not None and \
            0 <= (day - self.start).days - event < 7

    def _back(self, day: date) -> float:
        """The back's underlying pain that day: it eases a little each week (the trial's result)."""
        weeks = (day - self.start).days / 7
        flare = 3.5 if self._in_flare(day) else 0.0
        return max(self.persona.baseline - 0.12 * weeks, 0.5) + flare

    def _rest_pain(self, day: date) -> int:
        return _clamp(self._back(day) + self.rng.gauss(-0.3, 0.6))

    def _morning_pain(self, log: SimLog) -> int:
        load = self.persona.sensitivity * log.level / 21 * 2
        return _clamp((log.pain_before or 0) + load + self.rng.gauss(-0.5, 0.7))

    def _score(self, log: SimLog, day: date) -> None:
        rng, load = self.rng, self.persona.sensitivity * log.level / 21
        before = _clamp(self._back(day) + rng.gauss(0, 0.6))
        log.pain_before = before
        log.pain_during = _clamp(before + load * 2 + rng.gauss(0.2, 0.8))
        log.pain_after = _clamp(before + load * 1.2 + rng.gauss(-0.4, 0.6))
        log.talk_test_ok = rng.random() > 0.07
        if rng.random() < 0.03:
            log.other_pain = {rng.choice(["knee", "ankle", "hip", "foot"]): rng.randint(4, 6)}
        running = log.prescription.running_seconds
        log.run_seconds = round(running * rng.uniform(0.9, 1.1)) if running else 0
        if log.pain_during > 5 and running:
            log.status, log.walked_home = core.Status.PARTIAL, True
            log.run_seconds = round(running * rng.uniform(0.3, 0.7))
        elif running and rng.random() < 0.06:
            log.status, log.run_seconds = core.Status.PARTIAL, round(running * 0.5)
        if self.persona.kind == "red_flag" and (day - self.start).days >= (
                self.persona.event_day or 0):
            log.symptoms = (rng.choice(["bilateral_leg_symptoms", "fever_or_unwell"]),)


def _clamp(value: float) -> int:
    return min(max(round(value), 0), 10)


def simulate_clinic(count: int, *, seed: int, today: date,
                    weeks_in: int | None = None) -> list[SimPatient]:
    """``count`` patients from one seed: the same call always gives the same patients."""
    rng = random.Random(seed)
    return [simulate_patient(index, today, random.Random(rng.getrandbits(64)), weeks_in=weeks_in)
            for index in range(count)]
