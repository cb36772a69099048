"""Reads for reports and exports: the cohort report, FHIR bundles, CSV files.

``cohort_report`` computes the whole table in a constant number of aggregate
queries whatever the cohort's size (one per kind of row, grouped by patient
in the database), then plain Python (``reports.cohort``): proved by
``tests/web/test_reports.py`` at 10 and 200 patients, and timed at scale by
issue 8's benchmark. ``patient_fhir_bundle`` is what the API serves.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, QuerySet, Sum
from django.utils import timezone

from backstride.core.export_records import ExportError
from backstride.formats import csv_export, fhir
from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.activities.models import ImportedActivity
from backstride.web.adverse_events.models import AdverseEvent
from backstride.web.caseload.models import Clinic, Enrolment
from backstride.web.outcomes.models import Questionnaire, QuestionnaireResponse
from backstride.web.outcomes.selectors import BUILT_IN, UNITS
from backstride.web.programs.models import Plan, PlanDay
from backstride.web.reports import cohort, mapping
from backstride.web.runlog.models import SessionLog

FHIR_BASE_URL = "urn:backstride"
REPORTED_WEEKS = (0, *cohort.FOLLOW_UPS)


@dataclass(frozen=True)
class CohortReport:
    clinic: Clinic
    today: date
    date_from: date | None
    date_to: date | None
    clinician: User | None
    figures: cohort.Figures


def cohort_report(*, clinic: Clinic, today: date | None = None, date_from: date | None = None,
                  date_to: date | None = None, clinician: User | None = None) -> CohortReport:
    """The trial-style table for ``clinic``'s patients enrolled in the range, or one clinician's.

    ``today`` (default: today in ``BACKSTRIDE_TIME_ZONE``) ends the period:
    sessions and planned days count up to the day before it.
    """
    today = today or local_today(settings.BACKSTRIDE_TIME_ZONE)
    enrolments = _cohort(clinic, date_from, date_to, clinician)
    patients = enrolments.values("patient_id")
    names = {m.key: m.name for m in BUILT_IN}
    names.update(Questionnaire.objects.filter(clinic=clinic, is_current=True)
                 .values_list("key", "name"))
    data = cohort.Aggregates(enrolled=enrolments.count(), plans=_plans(patients))
    _sessions(data, patients, today)
    data.scores = list(QuestionnaireResponse.objects.filter(
        patient__in=patients, plan__is_current=True, status="complete",
        week__in=REPORTED_WEEKS).values_list("patient_id", "key", "week", "total"))
    data.events = {(row["type"], row["seriousness"]): row["n"] for row in AdverseEvent.objects
                   .filter(patient__in=patients).values("type", "seriousness")
                   .annotate(n=Count("pk"))}
    data.distance = _distance(patients, today)
    return CohortReport(clinic, today, date_from, date_to, clinician,
                        cohort.figures(data, today=today, names=names, units=UNITS))


def _cohort(clinic: Clinic, date_from: date | None, date_to: date | None,
            clinician: User | None) -> QuerySet[Enrolment]:
    rows = Enrolment.objects.filter(clinic=clinic)
    if clinician is not None:
        rows = rows.filter(responsible=clinician)
    if date_from is not None:
        rows = rows.filter(enrolled_at__date__gte=date_from)
    if date_to is not None:
        rows = rows.filter(enrolled_at__date__lte=date_to)
    return rows


def _plans(patients: QuerySet[Any]) -> list[cohort.PlanFacts]:
    return [cohort.PlanFacts(*row) for row in Plan.objects.filter(
        patient__in=patients, is_current=True).values_list(
        "patient_id", "start", "weeks", "baseline_pain")]


def _sessions(data: cohort.Aggregates, patients: QuerySet[Any], today: date) -> None:
    """Planned run-walk days, done sessions on them, sessions run: three grouped queries."""
    days = PlanDay.objects.filter(plan__is_current=True, plan__patient__in=patients,
                                  kind=PlanDay.Kind.RUN_WALK, date__lt=today)
    data.prescribed = dict(days.values("plan__patient_id").annotate(n=Count("pk"))
                           .values_list("plan__patient_id", "n"))
    logs = SessionLog.objects.filter(patient__in=patients, date__lt=today,
                                     patient__plans__is_current=True,
                                     date__gte=F("patient__plans__start"))
    planned = days.filter(plan__patient=OuterRef("patient"), date=OuterRef("date"))
    data.done = dict(logs.filter(Exists(planned), status=SessionLog.Status.DONE)
                     .values("patient_id").annotate(n=Count("pk"))
                     .values_list("patient_id", "n"))
    for patient, ran, last in (logs.exclude(status=SessionLog.Status.MISSED)
                               .values("patient_id").annotate(n=Count("pk"), last=Max("date"))
                               .values_list("patient_id", "n", "last")):
        data.ran[patient], data.last_ran[patient] = ran, last


def _distance(patients: QuerySet[Any], today: date) -> list[tuple[int, date, float]]:
    """Running metres per patient and local date, summed in the database."""
    rows = (ImportedActivity.objects.filter(
        patient__in=patients, running_distance_m__isnull=False, local_date__lt=today,
        patient__plans__is_current=True, local_date__gte=F("patient__plans__start"))
        .values("patient_id", "local_date").annotate(m=Sum("running_distance_m"))
        .values_list("patient_id", "local_date", "m"))
    return [(p, d, float(m)) for p, d, m in rows]


def clinicians_of(clinic: Clinic) -> list[User]:
    return list(User.objects.filter(clinic_membership__clinic=clinic)
                .order_by("last_name", "first_name", "email"))


# --- FHIR and CSV ------------------------------------------------------------------------


def patient_fhir_bundle(patient: User) -> dict[str, Any]:
    """One patient's FHIR R4 transaction Bundle (validated); for the page, the CLI and the API.

    Raises ``ExportError`` (field ``patient``) when the patient has no program yet.
    """
    export = mapping.patient_export(patient)
    if export is None:
        raise ExportError("patient", "has no program yet: there is nothing to export")
    return fhir.patient_bundle(export, base_url=FHIR_BASE_URL)


def clinic_patients(clinic: Clinic) -> QuerySet[User]:
    return User.objects.filter(enrolment__clinic=clinic).order_by("pk")


def clinic_fhir_bundle(clinic: Clinic) -> dict[str, Any]:
    """Every patient of ``clinic`` with a program, in one transaction Bundle."""
    return fhir.clinic_bundle(mapping.patient_exports(clinic_patients(clinic)),
                              base_url=FHIR_BASE_URL)


def sessions_csv(clinic: Clinic) -> str:
    """Every logged session of the clinic's patients, pseudonymous (formats.csv_export)."""
    return csv_export.sessions_csv(mapping.patient_exports(clinic_patients(clinic)))


def table_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A small RFC 4180 CSV whose text cells are guarded against formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1000 else f"{value:.1f}"
    text = str(value)
    # Same guard as formats.csv_export (OWASP CSV injection): names are typed by people.
    return f"'{text}" if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def now_stamp() -> str:
    return timezone.now().strftime("%Y%m%d")

