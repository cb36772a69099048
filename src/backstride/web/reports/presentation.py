"""How report figures read in a table and in CSV: columns, rows and their data dictionary."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from backstride.web.caseload.presentation import name_of
from backstride.web.caseload.selectors import QueueRow
from backstride.web.reports.cohort import ChangeRow

COHORT_CSV_COLUMNS = ("section", "measure", "week", "n", "mean", "sd", "ci95_low",
                      "ci95_high", "meaningful_n", "meaningful_share", "count")
COHORT_CSV_DICTIONARY = (
    ("section", "text", "enrolled, completed_12_weeks, adherence, sessions_per_week, "
                        "change_from_baseline, adverse_events, weekly_running_distance"),
    ("measure", "text", "pain, psfs, odi, rmdq, another questionnaire id, an adverse-event "
                        "type and seriousness, or empty"),
    ("week", "integer", "O-SCHED follow-up week (6, 12) or program week (distance)"),
    ("n", "integer", "patients the figure is computed over"),
    ("mean", "number", "adherence: a fraction 0-1; change: follow-up − baseline in the "
                       "measure's units; distance: km per patient"),
    ("sd", "number", "sample standard deviation (n − 1)"),
    ("ci95_low", "number", "95% confidence interval of the mean, Student's t"),
    ("ci95_high", "number", "95% confidence interval of the mean, Student's t"),
    ("meaningful_n", "integer", "patients reaching a meaningful improvement (O-MCID)"),
    ("meaningful_share", "number 0-1", "meaningful_n ÷ n"),
    ("count", "integer", "enrolled, completed or adverse events"),
)

# (column, type, meaning) of the caseload CSV: what the caseload queue shows.
CASELOAD_COLUMNS = (
    ("patient_id", "integer", "The account id (the same as in the clinician's page address)"),
    ("name", "text", "The patient's name, or their email when they gave none"),
    ("email", "text", "The patient's email"),
    ("responsible", "text", "The responsible clinician"),
    ("plan_start", "date, YYYY-MM-DD", "The current plan's first day; empty without a plan"),
    ("week", "integer", "Program week today (0 before the start)"),
    ("level", "integer", "Current run-walk level"),
    ("adherence_week", "number 0-1", "Done ÷ planned run-walk sessions this week"),
    ("adherence_all", "number 0-1", "Done ÷ planned run-walk sessions so far (O-ADHERENCE)"),
    ("pain_trend", "number", "Mean pain of the last 3 sessions minus the 3 before"),
    ("open_alerts_critical", "integer", "Unresolved critical alerts"),
    ("open_alerts_high", "integer", "Unresolved high alerts"),
    ("open_alerts_low", "integer", "Unresolved low alerts"),
    ("inactive_days", "integer", "Days since the last log or check-in"),
    ("needs_clearance", "true | false", "The plan waits for a clinician's clearance"),
    ("running_paused", "true | false", "Running paused by a clinician or the engine"),
    ("red_flag_lock", "true | false", "An open red-flag lock"),
)


def changes_by_measure(rows: Sequence[ChangeRow]) -> Iterator[tuple[str, list[ChangeRow]]]:
    keys = list(dict.fromkeys(r.key for r in rows))
    for key in keys:
        yield key, [r for r in rows if r.key == key]


def cohort_csv_rows(report: Any) -> Iterable[Sequence[Any]]:
    f = report.figures
    yield ("enrolled", "", "", f.enrolled, None, None, None, None, None, None, f.enrolled)
    yield ("completed_12_weeks", "", "", f.with_plan, None, None, None, None, None, None,
           f.completed)
    for name, spread in (("adherence", f.adherence), ("sessions_per_week", f.sessions_per_week)):
        yield (name, "", "", spread.n, spread.mean, spread.sd, None, None, None, None, None)
    for r in f.changes:
        yield ("change_from_baseline", r.key, r.week, r.n, r.mean, None, r.low, r.high,
               r.meaningful, r.share, None)
    for e in f.adverse_events:
        yield ("adverse_events", f"{e.type}:non_serious", "", None, None, None, None, None,
               None, None, e.non_serious)
        yield ("adverse_events", f"{e.type}:serious", "", None, None, None, None, None, None,
               None, e.serious)
    for w in f.distance:
        yield ("weekly_running_distance", "", w.week, w.n, w.mean_km, None, None, None, None,
               None, None)


def caseload_rows(rows: Iterable[QueueRow]) -> Iterable[Sequence[Any]]:
    for r in rows:
        yield (r.patient.pk, name_of(r.patient), r.patient.email, name_of(r.responsible),
               r.plan.start.isoformat() if r.plan else None, r.week, r.level, r.adherence_week,
               r.adherence_all, r.trend, r.alerts.critical, r.alerts.high, r.alerts.low,
               r.inactive_days, r.needs_clearance, r.paused, r.locked)



