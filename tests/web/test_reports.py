"""Reports and exports: the cohort report, the clinician PDF, FHIR bundles, CSV files."""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
import subprocess
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from backstride.formats.csv_export import COLUMNS, DATA_DICTIONARY
from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.adverse_events.services import adverse_event_record
from backstride.web.caseload.models import Enrolment
from backstride.web.outcomes import selectors as outcome_selectors
from backstride.web.outcomes import services as outcome_services
from backstride.web.programs.models import Plan
from backstride.web.reports.mapping import patient_pseudonym
from backstride.web.reports.selectors import cohort_report, patient_fhir_bundle
from backstride.web.simulation.loader import load_clinic
from tests.web.clinics import enrol
from tests.web.conftest import login, make_plan, make_user

pytestmark = pytest.mark.django_db
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
MAX_QUERIES = 30  # session, user, 2FA, membership, nav, the report's ~10 aggregates


def validate_every_resource(bundle: dict[str, Any]) -> int:
    """Parse the bundle and each entry with its own fhir.resources R4B class."""
    Bundle.model_validate(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return len(bundle["entry"])


def simulated_clinician(count: int, seed: int) -> Client:
    loaded = load_clinic(count=count, seed=seed, today=timezone.localdate(),
                         clinic_name=f"Clinic {count}", password="x" * 12,
                         clinician_email=f"ep{count}@example.org",
                         email_domain=f"c{count}.example")
    return login(Client(), loaded.clinician)


def test_the_cohort_report_makes_as_many_queries_for_200_patients_as_for_10(
        django_assert_max_num_queries: Any) -> None:
    few, many = simulated_clinician(10, seed=1), simulated_clinician(200, seed=2)
    url = reverse("caseload:cohort_report")
    with CaptureQueriesContext(connection) as baseline:
        assert few.get(url).status_code == 200
    assert len(baseline) <= MAX_QUERIES
    with django_assert_max_num_queries(len(baseline)):
        response = many.get(url)
    assert response.status_code == 200
    assert 'data-figure="enrolled">200<' in response.content.decode()


def pain(user: User, plan: Plan, week: int, value: int) -> None:
    measure = outcome_selectors.measure_for(user, "pain")
    assert measure is not None
    outcome_services.response_save(patient=user, plan=plan, measure=measure, week=week,
                                   answers={"pain": value}, finish=True,
                                   today=local_today(user.time_zone))


def cohort_of_three(clinician: User) -> list[User]:
    """Three patients 43 days in: weekly pain 5→3, 6→5 and 4→4; one fall, one flare."""
    people = []
    for n, (before, after) in enumerate(((5, 3), (6, 5), (4, 4))):
        user = make_user(f"cohort{n}@example.org")
        today = local_today(user.time_zone)
        plan = make_plan(user, start=today - timedelta(days=43))
        enrol(user, clinician)
        pain(user, plan, 0, before)
        pain(user, plan, 6, after)
        people.append(user)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    adverse_event_record(patient=people[0], reported_by=clinician, data={
        "date": yesterday, "type": "fall", "seriousness": "serious", "description": "Slipped"})
    adverse_event_record(patient=people[1], reported_by=clinician, data={
        "date": yesterday, "type": "back_pain_flare", "seriousness": "non_serious",
        "description": ""})
    return people


def test_the_cohort_figures_match_a_hand_computed_table(clinic: Any, clinician: User) -> None:
    cohort_of_three(clinician)
    figures = cohort_report(clinic=clinic).figures
    assert (3, 3, 0) == (figures.enrolled, figures.with_plan, figures.completed)
    week6 = next(r for r in figures.changes if (r.key, r.week) == ("pain", 6))
    # Changes -2, -1, 0: mean -1, SD 1, t(0.975, 2) = 4.302653: CI -1 ± 2.484138.
    assert 3 == week6.n and math.isclose(-1.0, week6.mean)  # type: ignore[arg-type]
    assert math.isclose(-3.484138, week6.low, abs_tol=1e-5)  # type: ignore[arg-type]
    assert math.isclose(1.484138, week6.high, abs_tol=1e-5)  # type: ignore[arg-type]
    assert 1 == week6.meaningful  # 5 → 3 (2 points); 6 → 5 (17%) and 4 → 4 are not
    counts = {(e.type.value, e.serious, e.non_serious) for e in figures.adverse_events}
    assert {("fall", 1, 0), ("back_pain_flare", 0, 1)} <= counts
    assert 0 == figures.adherence.mean  # nothing logged: 0 of the planned sessions done


def test_the_cohort_report_filters_by_clinician_and_enrolment_date(
        clinic: Any, clinician: User) -> None:
    people = cohort_of_three(clinician)
    other = User.objects.create_user("second@riverside.example", "x" * 12, role="clinician",
                                     time_zone="UTC")
    clinic.memberships.create(clinician=other)
    Enrolment.objects.filter(patient=people[0]).update(
        responsible=other, enrolled_at=timezone.now() - timedelta(days=90))
    assert 1 == cohort_report(clinic=clinic, clinician=other).figures.enrolled
    since = timezone.localdate() - timedelta(days=30)
    assert 2 == cohort_report(clinic=clinic, date_from=since).figures.enrolled
    client = login(Client(), clinician)
    page = client.get(reverse("caseload:cohort_report"), {"clinician": other.pk})
    assert 'data-figure="enrolled">1<' in page.content.decode()
    rows = list(csv.DictReader(io.StringIO(client.get(
        reverse("caseload:cohort_report_csv"), {"date_from": since.isoformat()}
    ).content.decode())))
    assert "2" == next(r for r in rows if r["section"] == "enrolled")["count"]
    assert any(r["section"] == "change_from_baseline" and r["measure"] == "pain" for r in rows)


@pytest.fixture
def reported(clinic_patient: User, clinician: User) -> User:
    """The clinic's patient (a log, a check-in, one of every clinic object) and a questionnaire."""
    plan = Plan.objects.get(patient=clinic_patient, is_current=True)
    pain(clinic_patient, plan, 0, 4)
    return clinic_patient


def test_the_patient_pdf_holds_the_key_figures_and_prints_page_one(
        reported: User, clinician: User) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed (apt-get install -y poppler-utils)")
    client = login(Client(), clinician)
    response = client.get(reverse("caseload:patient_report_pdf", args=[reported.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / "patient-report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    page = client.get(reverse("caseload:patient_report", args=[reported.pk]))
    assert page.status_code == 200
    report = page.context["r"]
    progress, rule = report.progress, report.decisions[-1].reasons[0]["rule"]
    for figure in ("Run-walk", "Plan and adherence", f"{progress.completed} of "
                   f"{progress.prescribed} planned", rule, "Fall", "Tripped on a kerb",
                   "Weekly back pain", "Knee niggle", "Back pain around each session"):
        assert figure in text, figure
    assert "watch the knee" not in text  # a clinician's private note stays private
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(SCREENSHOTS / "patient-report-page1")], check=True)
    assert (SCREENSHOTS / "patient-report-page1.png").stat().st_size > 5000


def test_the_patient_fhir_bundle_validates_and_is_pseudonymous(reported: User,
                                                               clinician: User) -> None:
    response = login(Client(), clinician).get(reverse("caseload:patient_fhir",
                                                      args=[reported.pk]))
    assert response.status_code == 200
    bundle = json.loads(response.content)
    assert validate_every_resource(bundle) > 10
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "CarePlan", "Observation", "QuestionnaireResponse",
            "AdverseEvent"} <= kinds
    text = response.content.decode()
    assert reported.email not in text and patient_pseudonym(reported.pk) in text
    assert bundle == patient_fhir_bundle(reported)  # stable: the same ids every time


def test_the_clinic_bundle_and_the_export_command_validate(clinic: Any, reported: User,
                                                          clinician: User) -> None:
    bundle = json.loads(login(Client(), clinician).get(reverse("caseload:clinic_fhir")).content)
    validate_every_resource(bundle)
    out = StringIO()
    call_command("export", "fhir", "--clinic", str(clinic.pk), stdout=out)
    assert bundle == json.loads(out.getvalue())
    out = StringIO()
    call_command("export", "fhir", "--patient", str(reported.pk), stdout=out)
    validate_every_resource(json.loads(out.getvalue()))


def test_the_csv_exports_and_their_data_dictionary(reported: User, clinician: User) -> None:
    client = login(Client(), clinician)
    sessions = client.get(reverse("caseload:sessions_csv"))
    rows = list(csv.reader(io.StringIO(sessions.content.decode())))
    assert list(COLUMNS) == rows[0] and len(rows) == 1 + 1  # the persona's one log
    assert reported.email not in sessions.content.decode()
    caseload = client.get(reverse("caseload:caseload_csv")).content.decode()
    assert reported.email in caseload.splitlines()[1]
    page = client.get(reverse("caseload:exports")).content.decode()
    assert all(f"<code>{column}</code>" in page for column, _t, _m in DATA_DICTIONARY)
