"""The evidence registry: every source, every clinical rule, every threshold.

This module is the single place where the engine's clinical knowledge lives as
data. Each rule has the id used in ``shared/CLINICAL.md``, a plain-language
text, its thresholds as named constants and the ids of its sources. The
engine modules (``triage``, ``plans``, ``progression``, ``outcomes``) look
their rules up here and attach them to every decision they explain, and
``backstride rules --markdown`` renders this registry as
``docs/clinical-rules.md`` so a clinician reviews exactly what the code does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

# --- Thresholds -------------------------------------------------------------
# Named so that a test, a reviewer and the generated document all refer to the
# same number. "design choice" marks numbers the evidence gives a direction for
# but no exact value (CLINICAL.md preamble).

ADULT_AGE = 18  # T-AGE: adults only
CLEARANCE_AGE_ABOVE = 55  # T-AGE: over 55 needs clearance
LIMB_INJURY_RECENT_WEEKS = 6  # T-OTHER: injury 6 weeks ago or less
FLARE_PAIN_NOW_ABOVE = 5  # T-FLARE (design choice)
FLARE_WEEK_AVG_AT_LEAST = 7  # T-FLARE (design choice)
ACUTE_EPISODE_WEEKS_BELOW = 6  # T-ACUTE (design choice)
ACUTE_PAIN_NOW_ABOVE = 3  # T-ACUTE (design choice)
ENVELOPE_AGE_ABOVE = 45  # T-ENVELOPE: the trial enrolled 18-45
ENVELOPE_EPISODE_WEEKS_BELOW = 12  # T-ENVELOPE: chronic means 12 weeks or more
ENVELOPE_RUNS_PER_MONTH_ABOVE = 1  # T-ENVELOPE: the trial enrolled non-runners
STARTBACK_PSYCHOSOCIAL_HIGH = 4  # T-STARTBACK: subscale items 5-9

PROGRAM_WEEKS = 12  # P-DOSE
SESSIONS_PER_WEEK = 3  # P-DOSE
SESSIONS_PER_WEEK_MIN = 2  # P-DOSE
SESSIONS_PER_WEEK_MAX = 4  # P-DOSE
CONSERVATIVE_SESSIONS_PER_WEEK = 2  # T-ENVELOPE
SESSION_MINUTES = 30  # P-DOSE
WARM_UP_SECONDS = 300  # P-SHAPE
COOL_DOWN_SECONDS = 300  # P-SHAPE
FIRST_RUN_BOUT_SECONDS = 15  # P-START
LONGEST_RUN_BOUT_SECONDS = 180  # P-START
STRENGTH_SESSIONS_PER_WEEK = 2  # P-CROSS
SOFT_SURFACE_WEEKS = 4  # P-SURFACE (design choice: "early weeks")
CAP_RATIO = 1.10  # P-CAP
CAP_WINDOW_DAYS = 30  # P-CAP
CADENCE_CUE_MIN = 0.05  # P-CADENCE
CADENCE_CUE_MAX = 0.10  # P-CADENCE
# P-CADENCE (design choice): when is a step rate "low for the speed", so the cue
# is worth offering? Step rate rises with running speed; at an easy 9 km/h
# (2.5 m/s) recreational runners take about 155-170 steps a minute, and fewer
# than 150 is the low tail, where long, overreaching steps are likely. The line
# rises 10 steps a minute per m/s of speed (about what runners add going from a
# jog to a steady run). Below the line, the optional +5-10% cue is shown.
CADENCE_LOW_AT_REFERENCE_SPM = 150.0  # P-CADENCE (design choice)
CADENCE_REFERENCE_SPEED = 2.5  # P-CADENCE (design choice), m/s
CADENCE_LOW_SLOPE = 10.0  # P-CADENCE (design choice), steps/min per m/s

DURING_PAIN_ABOVE = 5  # R-DURING
DURING_REPEAT_WINDOW_DAYS = 14  # R-DURING
MORNING_REGRESS_RISE = 2  # R-MORNING
MORNING_REPEAT_RISE = 1  # R-MORNING
WEEK_RISE = 1  # R-WEEK
FLARE_WINDOW_DAYS = 7  # R-FLARE (design choice)
FLARE_REST_PAIN_ABOVE = 5  # R-FLARE (design choice)
FLARE_BASELINE_RISE = 2  # R-FLARE (design choice)
FLARE_CHECKINS = 2  # R-FLARE (design choice)
PAUSE_DAYS = 3  # pause_running lasts at least 3 days
AFTER_RUNS = 3  # R-AFTER
PERSIST_PAIN_AT_LEAST = 4  # R-PERSIST
PERSIST_WEEKS = 3  # R-PERSIST
LIMB_PAIN_AT_LEAST = 4  # R-LIMB
ADHERE_MIN_SESSIONS = 2  # R-ADHERE (design choice)
ADHERE_WEEKS = 2  # R-ADHERE (design choice)

MCID_PAIN_POINTS = 2.0  # O-MCID
MCID_PAIN_PERCENT = 30.0  # O-MCID
MCID_ODI_POINTS = 10.0  # O-MCID
MCID_ODI_PERCENT = 30.0  # O-MCID
MCID_RMDQ_POINTS = 5.0  # O-MCID
MCID_RMDQ_PERCENT = 30.0  # O-MCID
MCID_PSFS_POINTS = 2.0  # O-MCID
TRIAL_ADHERENCE = 0.70  # O-ADHERENCE: what ASTEROID reached


@dataclass(frozen=True)
class Source:
    """A publication or document the rules rest on."""

    id: str
    citation: str


@dataclass(frozen=True)
class Threshold:
    """A number a rule uses, with its unit; ``design_choice`` marks a chosen value."""

    name: str
    value: float
    unit: str
    design_choice: bool = False


@dataclass(frozen=True)
class Rule:
    """One clinical rule: id, family, plain-language text, thresholds, sources."""

    id: str
    family: str
    text: str
    sources: tuple[str, ...]
    thresholds: tuple[Threshold, ...] = ()


@dataclass(frozen=True)
class Reason:
    """Why the engine decided something: the rule, what it saw, the sources."""

    rule: str
    text: str
    sources: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "text": self.text, "sources": list(self.sources)}


def _t(name: str, value: float, unit: str, design_choice: bool = False) -> Threshold:
    return Threshold(name, value, unit, design_choice)


_SOURCES = (
    Source(
        "ASTEROID-2025",
        "Neason C, Samanna CL, Tagliaferri SD et al. Running is acceptable and efficacious "
        "in adults with non-specific chronic low back pain: the ASTEROID randomised "
        "controlled trial. Br J Sports Med 2025;59:99-108. Protocol: Tagliaferri SD et al. "
        "BMJ Open Sport Exerc Med 2023;9:e001524; registry ACTRN12622001276741",
    ),
    Source("NICE-NG59", "NICE guideline NG59, Low back pain and sciatica in over 16s "
           "(2016, updated 2020)"),
    Source("IFOMPT-2020", "Finucane LM et al. International framework for red flags for "
           "potential serious spinal pathologies. J Orthop Sports Phys Ther 2020;50:350-372"),
    Source("DOWNIE-2013", "Downie A et al. Red flags to screen for malignancy and fracture "
           "in patients with low back pain. BMJ 2013;347:f7095"),
    Source("SILBERNAGEL-2007", "Silbernagel KG et al. Continued sports activity, using a "
           "pain-monitoring model, during rehabilitation in patients with Achilles "
           "tendinopathy. Am J Sports Med 2007;35:897-906"),
    Source("FRANDSEN-2025", "Frandsen JSB et al. Br J Sports Med 2025;59:1203-10 "
           "(single-session spikes > 10% over the longest run of the past 30 days raised "
           "injury risk)"),
    Source("HEIDERSCHEIT-2011", "Heiderscheit BC et al. Effects of step rate manipulation "
           "on joint mechanics during running. Med Sci Sports Exerc 2011;43:296-302"),
    Source("FOSTER-2008", "Foster C et al. The talk test as a marker of exercise training "
           "intensity. J Cardiopulm Rehabil Prev 2008"),
    Source("MITCHELL-2020", "Mitchell UH et al. PLoS One 2020;15:e0229457 (long-term "
           "runners: taller, less degenerated lumbar discs)"),
    Source("BELAVY-2017", "Belavy DL et al. Running exercise strengthens the intervertebral "
           "disc. Sci Rep 2017;7:45975"),
    Source("C25K", "NHS Couch to 5K running plan (9 weeks, 3 runs a week, 5-minute "
           "brisk-walk warm-up)"),
    Source("APSS", "Exercise & Sports Science Australia, Adult Pre-Exercise Screening "
           "System, stage 1"),
    Source("STARTBACK", "Hill JC et al. Arthritis Rheum 2008; Keele University STarT Back "
           "Tool (free for non-commercial use with its notice)"),
    Source("OSTELO-2008", "Ostelo RW et al. Interpreting change scores for pain and "
           "functional status in low back pain. Spine 2008;33:90-94"),
    Source("STRATFORD-1995", "Stratford P et al. Physiother Can 1995;47:258-263 "
           "(Patient-Specific Functional Scale)"),
    Source("MAPI-ODI", "Oswestry Disability Index, licensed through Mapi Research Trust"),
    Source("PROMIS", "PROMIS measures; integration into software needs written permission"),
    Source("SEED-000", "Running for back pain... surely not? Recent research disagrees "
           "(clinic article on the ASTEROID trial)"),
    Source("SEED-001", "Running with a back injury (clinic article: stable state, 1-2 impact "
           "sessions a week, talk test, low-impact alternatives)"),
    Source("SEED-002", "Back pain and running - do you need to give it up? (physical "
           "therapy article: hurt is not harm, disc health in runners, rehab strength)"),
    Source("SEED-003", "Running with back pain (spine clinic article: softer surfaces, "
           "pause running in a flare, low-impact alternatives)"),
    Source("SEED-004", "Running with back pain: what you need to know (mechanical vs "
           "structural pain, 3-4 runs a week, one variable at a time, see a doctor)"),
)

_RULES = (
    # --- Triage ---------------------------------------------------------------
    Rule("T-CES", "triage",
         "Any cauda equina feature (new bladder change, bowel incontinence, saddle or "
         "genital numbness, new sexual dysfunction, symptoms in both legs, progressive leg "
         "weakness) means going to an emergency department now; no plan.",
         ("IFOMPT-2020", "NICE-NG59")),
    Rule("T-SERIOUS", "triage",
         "Significant trauma, a history of cancer, unexplained weight loss, fever or feeling "
         "systemically unwell, night pain unrelieved by rest, IV drug use, immunosuppression "
         "or long-term corticosteroids mean seeing a doctor within days before any running.",
         ("IFOMPT-2020", "DOWNIE-2013", "NICE-NG59")),
    Rule("T-AGE", "triage",
         "Under 18 is not supported (adults only), though cauda equina features still get "
         "emergency advice; over 55 needs a clinician's clearance first.",
         ("IFOMPT-2020", "ASTEROID-2025"),
         (_t("ADULT_AGE", ADULT_AGE, "years"),
          _t("CLEARANCE_AGE_ABOVE", CLEARANCE_AGE_ABOVE, "years"))),
    Rule("T-RADIC", "triage",
         "Leg pain worse than back pain, or leg pain below the knee with numbness or "
         "weakness, needs a clinician's clearance first.",
         ("ASTEROID-2025",)),
    Rule("T-STRUCT", "triage",
         "A diagnosed structural condition (disc herniation, degenerative disc disease, "
         "scoliosis, spondylolisthesis, spinal stenosis, spinal fracture, spinal surgery, "
         "inflammatory spondyloarthropathy, osteoporosis) needs a clinician's clearance first.",
         ("SEED-004", "SEED-003", "ASTEROID-2025")),
    Rule("T-REHAB", "triage",
         "Being in a supervised rehab programme that restricts running needs a clinician's "
         "clearance first.",
         ("SEED-003",)),
    Rule("T-OTHER", "triage",
         "Pregnancy or under 12 months postpartum, or a lower-limb injury 6 weeks ago or "
         "less, needs a clinician's clearance first.",
         ("ASTEROID-2025",),
         (_t("LIMB_INJURY_RECENT_WEEKS", LIMB_INJURY_RECENT_WEEKS, "weeks"),)),
    Rule("T-APSS", "triage",
         "Any 'yes' on the pre-exercise screen (heart disease or stroke, chest pain, fainting "
         "or dizziness on exertion, an asthma attack needing care in 12 months, unstable "
         "diabetes, another condition exercise could worsen) needs a clinician's clearance.",
         ("APSS",)),
    Rule("T-FLARE", "triage",
         "A flare now, pain at rest above 5/10, or an average over the last week of 7/10 or "
         "more means low-impact exercise first, and screening again when it settles.",
         ("SEED-003", "SEED-004", "SILBERNAGEL-2007"),
         (_t("FLARE_PAIN_NOW_ABOVE", FLARE_PAIN_NOW_ABOVE, "/10", True),
          _t("FLARE_WEEK_AVG_AT_LEAST", FLARE_WEEK_AVG_AT_LEAST, "/10", True))),
    Rule("T-ACUTE", "triage",
         "A current episode shorter than 6 weeks with pain at rest above 3/10 means "
         "low-impact exercise first.",
         ("SEED-001", "SEED-004"),
         (_t("ACUTE_EPISODE_WEEKS_BELOW", ACUTE_EPISODE_WEEKS_BELOW, "weeks", True),
          _t("ACUTE_PAIN_NOW_ABOVE", ACUTE_PAIN_NOW_ABOVE, "/10", True))),
    Rule("T-RUN", "triage",
         "With none of the above, start the graded run-walk program.",
         ("ASTEROID-2025",)),
    Rule("T-ENVELOPE", "triage",
         "Run-walk outside the trial's population (age 46-55, episode under 12 weeks, or "
         "already running more than once a month) is still run-walk, marked "
         "outside_evidence, with the conservative profile of 2 sessions a week.",
         ("ASTEROID-2025", "SEED-001"),
         (_t("ENVELOPE_AGE_ABOVE", ENVELOPE_AGE_ABOVE, "years"),
          _t("ENVELOPE_EPISODE_WEEKS_BELOW", ENVELOPE_EPISODE_WEEKS_BELOW, "weeks"),
          _t("ENVELOPE_RUNS_PER_MONTH_ABOVE", ENVELOPE_RUNS_PER_MONTH_ABOVE, "runs/month"),
          _t("CONSERVATIVE_SESSIONS_PER_WEEK", CONSERVATIVE_SESSIONS_PER_WEEK, "sessions"))),
    Rule("T-STARTBACK", "triage",
         "A STarT Back psychosocial subscale of 4 or more flags psychosocial_high for a "
         "clinician; it does not change the outcome.",
         ("STARTBACK", "NICE-NG59"),
         (_t("STARTBACK_PSYCHOSOCIAL_HIGH", STARTBACK_PSYCHOSOCIAL_HIGH, "points"),)),
    # --- Plan -------------------------------------------------------------------
    Rule("P-DOSE", "plan",
         "By default 12 weeks of 3 run-walk sessions a week, 30 minutes each; 2 to 4 a week "
         "are allowed.",
         ("ASTEROID-2025", "SEED-004"),
         (_t("PROGRAM_WEEKS", PROGRAM_WEEKS, "weeks"),
          _t("SESSIONS_PER_WEEK", SESSIONS_PER_WEEK, "sessions"),
          _t("SESSION_MINUTES", SESSION_MINUTES, "minutes"))),
    Rule("P-DAYS", "plan",
         "Run-walk sessions are never on consecutive days, and every week keeps at least one "
         "full rest day.",
         ("C25K", "SEED-004")),
    Rule("P-SHAPE", "plan",
         "Every session: 5 minutes of brisk walking and dynamic mobility, the run-walk "
         "block, then 5 minutes of walking and static stretches.",
         ("C25K", "SEED-004"),
         (_t("WARM_UP_SECONDS", WARM_UP_SECONDS, "s"),
          _t("COOL_DOWN_SECONDS", COOL_DOWN_SECONDS, "s"))),
    Rule("P-START", "plan",
         "The first run bouts last about 15 seconds; by week 12 they may reach about 3 "
         "minutes. The program does not aim at continuous running.",
         ("ASTEROID-2025",),
         (_t("FIRST_RUN_BOUT_SECONDS", FIRST_RUN_BOUT_SECONDS, "s"),
          _t("LONGEST_RUN_BOUT_SECONDS", LONGEST_RUN_BOUT_SECONDS, "s"))),
    Rule("P-ONEVAR", "plan",
         "Each step changes one variable only: the run bout gets longer or the walk bout "
         "shorter, never both; pace is never raised while duration is.",
         ("SEED-004",)),
    Rule("P-CAP", "plan",
         "No session's total running time exceeds 110% of the longest total running time "
         "completed in the previous 30 days; after 30 days without running, start again at "
         "the first level.",
         ("FRANDSEN-2025",),
         (_t("CAP_RATIO", CAP_RATIO, "x"), _t("CAP_WINDOW_DAYS", CAP_WINDOW_DAYS, "days"))),
    Rule("P-PACE", "plan",
         "Run at a conversational pace: you should be able to talk in full sentences.",
         ("SEED-001", "FOSTER-2008")),
    Rule("P-CROSS", "plan",
         "Other days hold low-impact cross-training (swimming, deep-water running, cycling, "
         "elliptical, Pilates, yoga) and 2 trunk and core strength sessions a week.",
         ("SEED-001", "SEED-002", "SEED-003"),
         (_t("STRENGTH_SESSIONS_PER_WEEK", STRENGTH_SESSIONS_PER_WEEK, "sessions"),)),
    Rule("P-SURFACE", "plan",
         "In the early weeks run on soft, even surfaces (grass, track, treadmill).",
         ("SEED-003", "ASTEROID-2025"),
         (_t("SOFT_SURFACE_WEEKS", SOFT_SURFACE_WEEKS, "weeks", True),)),
    Rule("P-CADENCE", "plan",
         "When imported data show cadence, an optional cue of 5-10% more steps a minute at "
         "the same speed, never more.",
         ("HEIDERSCHEIT-2011",),
         (_t("CADENCE_CUE_MIN", CADENCE_CUE_MIN, "fraction"),
          _t("CADENCE_CUE_MAX", CADENCE_CUE_MAX, "fraction"),
          _t("CADENCE_LOW_AT_REFERENCE_SPM", CADENCE_LOW_AT_REFERENCE_SPM, "steps/min", True),
          _t("CADENCE_REFERENCE_SPEED", CADENCE_REFERENCE_SPEED, "m/s", True),
          _t("CADENCE_LOW_SLOPE", CADENCE_LOW_SLOPE, "steps/min per m/s", True))),
    # --- Progression ------------------------------------------------------------
    Rule("R-REDFLAG", "progression",
         "A cauda equina symptom means stop, emergency advice and a critical alert; another "
         "serious red flag means stop, see a doctor and a critical alert.",
         ("IFOMPT-2020",)),
    Rule("R-DURING", "progression",
         "Worst pain during a run above 5/10: walk home, go back one level, low alert (high "
         "if it happened twice within 14 days).",
         ("SILBERNAGEL-2007",),
         (_t("DURING_PAIN_ABOVE", DURING_PAIN_ABOVE, "/10"),
          _t("DURING_REPEAT_WINDOW_DAYS", DURING_REPEAT_WINDOW_DAYS, "days"))),
    Rule("R-MORNING", "progression",
         "Next-morning pain 2 or more above that session's pain before: go back one level; "
         "1 above: repeat; at or below: may progress. A missing value is never settled.",
         ("SILBERNAGEL-2007",),
         (_t("MORNING_REGRESS_RISE", MORNING_REGRESS_RISE, "points"),
          _t("MORNING_REPEAT_RISE", MORNING_REPEAT_RISE, "points"))),
    Rule("R-WEEK", "progression",
         "When this week's mean pain before sessions is 1 or more above last week's, do not "
         "progress.",
         ("SILBERNAGEL-2007",),
         (_t("WEEK_RISE", WEEK_RISE, "points"),)),
    Rule("R-FLARE", "progression",
         "Within the last 7 days, rest pain above 5/10 on two check-ins on different dates, "
         "or 2 or more above the program baseline on two check-ins on different dates: pause "
         "running for low-impact exercise, high alert.",
         ("SEED-003", "SEED-004"),
         (_t("FLARE_WINDOW_DAYS", FLARE_WINDOW_DAYS, "days", True),
          _t("FLARE_REST_PAIN_ABOVE", FLARE_REST_PAIN_ABOVE, "/10", True),
          _t("FLARE_BASELINE_RISE", FLARE_BASELINE_RISE, "points", True),
          _t("FLARE_CHECKINS", FLARE_CHECKINS, "check-ins", True),
          _t("PAUSE_DAYS", PAUSE_DAYS, "days"))),
    Rule("R-AFTER", "progression",
         "Pain after higher than pain before in each of the last 3 runs: repeat, ask a "
         "clinician or doctor to review, high alert.",
         ("SEED-004",),
         (_t("AFTER_RUNS", AFTER_RUNS, "runs"),)),
    Rule("R-PERSIST", "progression",
         "Weekly pain of 4/10 or more and not below the program baseline in each of the 3 "
         "calendar weeks up to this one: hold the level, high alert for a clinician or "
         "doctor review.",
         ("SEED-004", "SEED-002", "NICE-NG59"),
         (_t("PERSIST_PAIN_AT_LEAST", PERSIST_PAIN_AT_LEAST, "/10"),
          _t("PERSIST_WEEKS", PERSIST_WEEKS, "weeks"))),
    Rule("R-LIMB", "progression",
         "New knee, ankle, hip or foot pain of 4/10 or more: go back one level, low alert.",
         ("ASTEROID-2025",),
         (_t("LIMB_PAIN_AT_LEAST", LIMB_PAIN_AT_LEAST, "/10"),)),
    Rule("R-TALK", "progression",
         "Talk test failed: repeat the level and slow down.",
         ("SEED-001", "FOSTER-2008")),
    Rule("R-ADHERE", "progression",
         "Fewer than 2 sessions (done or partial) in each of the last 2 complete weeks of the "
         "program: low alert so someone reaches out. Never blocks progression by itself.",
         ("ASTEROID-2025",),
         (_t("ADHERE_MIN_SESSIONS", ADHERE_MIN_SESSIONS, "sessions", True),
          _t("ADHERE_WEEKS", ADHERE_WEEKS, "weeks", True))),
    Rule("R-PROGRESS", "progression",
         "None of the above, the session done, the talk test passed and the next morning "
         "settled: move up one level, within P-CAP.",
         ("ASTEROID-2025", "SILBERNAGEL-2007")),
    # --- Clinician --------------------------------------------------------------
    # A product rule, not in CLINICAL.md's tables: the trial's program was supervised
    # by an exercise physiologist, whose adjustments the engine must respect.
    Rule("C-OVERRIDE", "clinician",
         "A clinician's override (a level set, running paused, progression held, sessions a "
         "week changed, red flags cleared after a doctor saw the person) stands until the "
         "clinician lifts it, and is recorded with its reason. The engine never progresses "
         "past a hold or above a level the clinician set, prescribes no running while running "
         "is paused, and still applies every restrictive rule and P-CAP.",
         ("ASTEROID-2025",)),
    # --- Outcomes -----------------------------------------------------------------
    Rule("O-SCHED", "outcomes",
         "Pain (0-10) every week; disability and PSFS at weeks 0, 6 and 12.",
         ("ASTEROID-2025",)),
    Rule("O-MCID", "outcomes",
         "A meaningful change is pain down 2 points or 30%; ODI down 10 points or 30%; RMDQ "
         "down 5 points or 30%; PSFS mean up 2 points.",
         ("OSTELO-2008", "STRATFORD-1995"),
         (_t("MCID_PAIN_POINTS", MCID_PAIN_POINTS, "points"),
          _t("MCID_PAIN_PERCENT", MCID_PAIN_PERCENT, "%"),
          _t("MCID_ODI_POINTS", MCID_ODI_POINTS, "points"),
          _t("MCID_ODI_PERCENT", MCID_ODI_PERCENT, "%"),
          _t("MCID_RMDQ_POINTS", MCID_RMDQ_POINTS, "points"),
          _t("MCID_RMDQ_PERCENT", MCID_RMDQ_PERCENT, "%"),
          _t("MCID_PSFS_POINTS", MCID_PSFS_POINTS, "points"))),
    Rule("O-LICENCE", "outcomes",
         "Built in: the 0-10 pain scale and PSFS. ODI, RMDQ, STarT Back and PROMIS are "
         "licensed: the product ships their scoring, and the item text comes from a "
         "definitions file the clinic loads under its own licence.",
         ("MAPI-ODI", "STARTBACK", "PROMIS")),
    Rule("O-AE", "outcomes",
         "Adverse events are recorded with their type (lower-limb pain, back-pain flare, "
         "fall, cardiovascular or fainting, other) and seriousness.",
         ("ASTEROID-2025",)),
    Rule("O-ADHERENCE", "outcomes",
         "Adherence is completed run-walk sessions divided by prescribed ones; the trial "
         "reached 70%.",
         ("ASTEROID-2025",),
         (_t("TRIAL_ADHERENCE", TRIAL_ADHERENCE, "fraction"),)),
)

SOURCES: Mapping[str, Source] = MappingProxyType({s.id: s for s in _SOURCES})
RULES: Mapping[str, Rule] = MappingProxyType({r.id: r for r in _RULES})
FAMILIES = ("triage", "plan", "progression", "clinician", "outcomes")


def rule(rule_id: str) -> Rule:
    """Return the rule with this id; ``KeyError`` names an unknown id."""
    return RULES[rule_id]


def reason(rule_id: str, text: str) -> Reason:
    """A :class:`Reason` for ``rule_id`` carrying that rule's sources."""
    return Reason(rule_id, text, RULES[rule_id].sources)
