"""Issue #4 in a real browser: a clinician's Monday morning, and the patient reading the reply.

The clinician logs in, sees a critical alert at the top of the queue, opens the
patient, acknowledges and resolves the alert with notes, clears a patient
waiting for clearance, sets another patient's level and messages them; in a
second browser context that patient logs in and reads the message and the
reason for the change.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from backstride.web.accounts.models import User
from backstride.web.accounts.services import consent_accept
from backstride.web.accounts.timezones import local_today
from backstride.web.caseload import services as caseload
from backstride.web.caseload.models import Override
from backstride.web.programs.models import Plan
from backstride.web.runlog.services import checkin_create
from backstride.web.simulation.loader import load_clinic
from tests.e2e.conftest import PHONE, SCREENSHOTS, type_code
from tests.web.conftest import log_session, make_plan
from tests.web.two_factor import authenticator

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"
DESKTOP = {"width": 1366, "height": 900}


def patient(email: str, first: str, last: str, clinician: User, **answers: Any) -> User:
    user = User.objects.create_user(email, PASSWORD, time_zone="Europe/London",
                                    first_name=first, last_name=last)
    consent_accept(user=user)
    today = local_today(user.time_zone)
    make_plan(user, start=today - timedelta(days=12), **answers)
    clinic = clinician.clinic_membership.clinic
    caseload.invitation_accept(user=user, invitation=caseload.invitation_create(
        clinician=clinician, clinic=clinic))
    return user


def history(user: User, **last: Any) -> None:
    plan = Plan.objects.get(patient=user)
    today = local_today(user.time_zone)
    for ago in (6, 4, 2):
        log_session(user, plan, today - timedelta(days=ago), **(last if ago == 2 else {}))
        checkin_create(patient=user, plan=plan, client_id=uuid.uuid4(), rest_pain=2,
                       pain_next_morning=3, symptoms=[], today=today - timedelta(days=ago - 1))


@pytest.fixture
def monday(db: Any) -> dict[str, User]:
    """A clinic of 12 simulated steady patients plus three who need the clinician today."""
    loaded = load_clinic(count=12, seed=11, today=local_today("Europe/London"),
                         clinic_name="Riverside Physio", clinician_email="ep@riverside.example",
                         password=PASSWORD, email_domain="sim.riverside.example")
    ep = loaded.clinician
    red = patient("ana@example.org", "Ana", "Ruiz", ep)
    history(red, symptoms=["saddle_numbness"])
    waiting = patient("ben@example.org", "Ben", "Okoro", ep, conditions=["disc_herniation"])
    runner = patient("cara@example.org", "Cara", "Lind", ep)
    history(runner)
    return {"clinician": ep, "red": red, "waiting": waiting, "runner": runner}


def log_in(page: Page, base: str, email: str) -> None:
    user = User.objects.get(email=email)
    clinician = user.role == User.Role.CLINICIAN
    device = authenticator(user) if clinician else None  # set up before, as in real life
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if device is not None:  # clinicians always type a code (issue #7)
        type_code(page, device)


def snap(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"clinician-{name}.png"), full_page=True)


def test_a_clinicians_monday_morning(page: Page, browser: Browser, live_server: Any,
                                     monday: dict[str, User]) -> None:
    base = live_server.url
    log_in(page, base, "ep@riverside.example")
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    first = page.locator("tr.qrow").first
    expect(first).to_contain_text("Ana Ruiz")
    expect(first).to_have_class("qrow qrow--critical")
    expect(first).to_contain_text("R-REDFLAG")
    expect(page.locator("tr.qrow")).to_have_count(15)
    snap(page, "01-queue-phone")
    page.set_viewport_size(DESKTOP)
    page.reload()
    snap(page, "01-queue-desktop")

    # The queue filters without a full reload (htmx swaps the table in place).
    page.evaluate("window.__marker = 'still here'")
    page.locator("label.chip", has_text="Needs clearance").click()
    expect(page.locator("tr.qrow")).to_have_count(1)
    expect(page.locator("tr.qrow").first).to_contain_text("Ben Okoro")
    assert "filter=clearance" in page.url
    assert page.evaluate("window.__marker") == "still here"
    page.locator("label.chip", has_text="All").click()
    expect(page.locator("tr.qrow")).to_have_count(15)

    # The critical alert: acknowledge, then resolve, each with a note.
    page.get_by_role("link", name="Ana Ruiz").click()
    expect(page.get_by_role("heading", name="Ana Ruiz", level=1)).to_be_visible()
    alert = page.locator("article.alert-card").first
    expect(alert).to_contain_text("R-REDFLAG")
    snap(page, "02-patient-desktop")
    alert.get_by_label("Note (optional)").fill("Phoned Ana: going to A&E now.")
    alert.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Alert acknowledged.")).to_be_visible()
    alert = page.locator("article.alert-card").first
    expect(alert).to_contain_text("Phoned Ana: going to A&E now.")
    alert.get_by_label("Note (optional)").fill("Seen in A&E: no cauda equina.")
    alert.get_by_role("button", name="Resolve").click()
    expect(page.get_by_text("Alert resolved.")).to_be_visible()
    expect(page.locator("article.alert-card")).to_have_count(0)
    page.get_by_text("1 resolved alert").click()
    expect(page.get_by_text("Seen in A&E: no cauda equina.")).to_be_visible()

    # Clear the patient waiting for clearance, from the clearance queue.
    page.get_by_role("link", name="Clearance", exact=True).click()
    expect(page.get_by_role("heading", name="Plans waiting for clearance")).to_be_visible()
    card = page.locator("article.clear-item", has_text="Ben Okoro")
    expect(card).to_contain_text("T-STRUCT")
    snap(page, "03-clearance-desktop")
    card.get_by_label("Clear to run-walk").check()
    card.get_by_label("Note for the patient").fill("Cleared by Dr Shah: start gently.")
    card.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("Clearance decided.")).to_be_visible()
    assert not Plan.objects.get(patient=monday["waiting"]).locked

    # Set Cara's level and send her a message.
    page.goto(base + "/clinic/?q=Cara")
    page.get_by_role("link", name="Cara Lind").click()
    form = page.locator("form.override-form")
    expect(form).to_be_visible()  # open by default for a patient who can run
    form.locator('label:has(input[value="set_level"])').click()
    form.get_by_label("Level", exact=True).fill("2")
    form.get_by_role("button", name="Save the change").click()
    expect(page.get_by_text("Say why: the patient sees the reason.")).to_be_visible()  # 422
    page.get_by_label("Reason").fill("Back was sore after Thursday: one level down.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved. The patient sees the change")).to_be_visible()
    assert Override.objects.get(patient=monday["runner"]).level == 2
    expect(page.locator(".facts")).to_contain_text("2")
    page.locator("#messages").get_by_label("Message").fill("Hi Cara, I set you to level 2.")
    page.locator("#messages").get_by_role("button", name="Send").click()
    expect(page.locator(".thread")).to_contain_text("I set you to level 2")
    snap(page, "04-messages-desktop")
    page.goto(f"{base}/clinic/patients/{monday['runner'].pk}/")
    snap(page, "05-patient-override-desktop")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/clinic/patients/{monday['red'].pk}/")
    snap(page, "06-patient-phone")

    # Cara, in her own browser, reads the message and sees why her level changed.
    context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/London")
    cara = context.new_page()
    log_in(cara, base, "cara@example.org")
    cara.goto(base + "/today/")
    nav = cara.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Messages")).to_contain_text("1")
    expect(cara.get_by_text("Back was sore after Thursday")).to_be_visible()
    expect(cara.locator(".callout", has_text="From your clinician")).to_contain_text(
        "Set the level 2")
    cara.screenshot(path=str(SCREENSHOTS / "clinician-07-patient-today.png"), full_page=True)
    nav.get_by_role("link", name="Messages").click()
    expect(cara.get_by_text("Hi Cara, I set you to level 2.")).to_be_visible()
    expect(cara.locator("body")).not_to_contain_text("going to A&E")
    cara.screenshot(path=str(SCREENSHOTS / "clinician-08-patient-messages.png"), full_page=True)
    cara.get_by_label("Message").fill("Thanks, will do!")
    cara.get_by_role("button", name="Send").click()
    expect(cara.locator(".thread")).to_contain_text("Thanks, will do!")
    context.close()

    # Back in the clinician's queue, Cara's reply shows as unread.
    page.goto(base + "/clinic/")
    expect(page.locator("tr.qrow", has_text="Cara Lind").locator(".count")).to_have_text("1 unread")
