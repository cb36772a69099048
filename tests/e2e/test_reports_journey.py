"""Issue #6 in a real browser: the clinician opens the cohort report and downloads a PDF.

The clinic is simulated (12 patients, some six weeks in, with questionnaires
and adverse events); the clinician logs in with a second factor, reads the
trial-style table and its charts, filters it, opens one patient's report and
downloads the PDF, whose text names the patient.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from backstride.web.accounts.timezones import local_today
from backstride.web.caseload.models import Enrolment
from backstride.web.simulation.loader import load_clinic
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_clinician_journey import DESKTOP, PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clinic(db: Any) -> Any:
    return load_clinic(count=12, seed=6, today=local_today("Europe/London"),
                       clinic_name="Riverside Physio", clinician_email="ep@riverside.example",
                       password=PASSWORD, email_domain="sim.riverside.example")


def test_the_clinician_reads_the_cohort_report_and_downloads_a_patients_pdf(
        page: Page, live_server: Any, clinic: Any) -> None:
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    log_in(page, base, "ep@riverside.example")
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Cohort report")).to_be_visible()
    expect(page.locator('[data-figure="enrolled"]')).to_have_text("12")
    expect(page.locator('[data-change="pain-6"]')).to_contain_text("Weekly back pain")
    expect(page.get_by_role("img", name="Adherence per patient")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "reports-01-cohort.png"), full_page=True)

    page.get_by_label("Responsible clinician").select_option(label="Sam Okafor")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator('[data-figure="enrolled"]')).to_have_text("12")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download CSV").click()
    assert csv_download.value.suggested_filename.startswith("backstride-cohort-")

    patient = Enrolment.objects.select_related("patient").order_by("patient_id").first().patient
    page.goto(f"{base}/clinic/patients/{patient.pk}/")
    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Report", exact=True).click()
    expect(page.get_by_role("heading", name=patient.get_full_name())).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "reports-02-patient-report.png"), full_page=True)
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download PDF").click()
    target = SCREENSHOTS / "reports-patient.pdf"
    pdf_download.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(target), "-"], check=True,
                              capture_output=True, text=True).stdout
        assert patient.get_full_name() in text and "Decisions and their reasons" in text
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                        str(target), str(SCREENSHOTS / "reports-03-pdf-page1")], check=True)
