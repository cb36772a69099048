"""The two journeys of issue #3, in a real browser.

1. A new runner signs up, consents, screens as eligible, sets up a plan, runs
   the interval timer through a run→walk change (fast clock), logs the session,
   sees the decision and the progress chart.
2. A new runner screens with a red flag and never reaches a plan.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from backstride.web.accounts.timezones import local_today

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"
SPEED = 120  # the timer's test clock: two minutes a second


def sign_up_and_consent(page: Page, base: str, email: str, shoot: Any, prefix: str) -> None:
    page.goto(base + "/")
    shoot(f"{prefix}-01-welcome")
    page.get_by_role("link", name="Get started").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Time zone").select_option("Europe/London")
    shoot(f"{prefix}-02-signup")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    shoot(f"{prefix}-03-consent")
    page.get_by_label("I have read this and I agree.").check()
    page.get_by_role("button", name="Agree and continue").click()


def pick(page: Page, field: str, value: str) -> None:
    """Choose a radio or checkbox option by its label (the inputs sit under the labels)."""
    page.locator(f'label:has(input[name="{field}"][value="{value}"])').click()


def screen(page: Page, shoot: Any, prefix: str, red_flags: tuple[str, ...] = ()) -> None:
    expect(page.get_by_role("heading", name="Is running right for you now?")).to_be_visible()
    page.get_by_role("link", name="Start").click()
    page.get_by_label("Age").fill("34")
    pick(page, "sex", "female")
    page.get_by_label("How many weeks ago").fill("30")
    pick(page, "pain_now", "3")
    pick(page, "pain_week_avg", "3")
    pick(page, "flare_now", "no")
    page.get_by_label("Over the last 3 months").fill("0")
    shoot(f"{prefix}-04-screening-about")
    page.get_by_role("button", name="Next").click()
    pick(page, "leg_pain", "none")
    pick(page, "leg_pain_worse_than_back", "no")
    pick(page, "leg_numbness_or_weakness", "no")
    page.get_by_role("button", name="Next").click()
    for flag in red_flags:
        pick(page, "red_flags", flag)
    shoot(f"{prefix}-05-screening-warning-signs")
    page.get_by_role("button", name="Next").click()
    pick(page, "pregnant_or_postpartum", "no")
    pick(page, "lower_limb_injury", "no")
    pick(page, "in_rehab_restricting_running", "no")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    shoot(f"{prefix}-06-screening-review")
    page.get_by_role("button", name="See my result").click()


def test_a_new_runner_goes_from_sign_up_to_progress(page: Page, live_server: Any,
                                                     shoot: Any) -> None:
    base = live_server.url
    sign_up_and_consent(page, base, "runner@example.org", shoot, "journey")
    screen(page, shoot, "journey")

    expect(page.get_by_role("heading", name="You can start the run-walk program")).to_be_visible()
    expect(page.get_by_text("T-RUN")).to_be_visible()
    shoot("journey-07-result")
    page.get_by_role("link", name="Start my plan").click()

    # Run-walk days that include today, so the timer has a session to play.
    today = local_today("Europe/London").weekday()
    days = {today, (today + 2) % 7, (today + 4) % 7}
    for box in page.locator('input[name="weekdays"]').all():
        box.set_checked(int(box.get_attribute("value")) in days)
    shoot("journey-08-plan-setup")
    page.get_by_role("button", name="Make my plan").click()
    expect(page.get_by_role("heading", name="Your 12-week plan")).to_be_visible()
    expect(page.locator(".calendar__week")).to_have_count(12)
    shoot("journey-09-plan")

    page.get_by_role("link", name="Today", exact=True).first.click()
    expect(page.get_by_role("heading", name="Today's run-walk")).to_be_visible()
    expect(page.get_by_text("Level 1 ·")).to_be_visible()
    shoot("journey-10-today")

    page.goto(page.url.split("?")[0] + f"run/?speed={SPEED}")
    timer = page.locator("[data-timer]")
    shoot("journey-11-timer-ready")
    expect(page.locator("[data-timer]")).to_have_attribute("data-ready", "true")
    page.get_by_role("button", name="Start").click()
    expect(timer).to_have_attribute("data-step-kind", "walk", timeout=10_000)
    assert timer.get_attribute("data-history").startswith("warm_up run walk")
    expect(page.locator("[data-label]")).to_have_text("Walk")
    shoot("journey-12-timer-walk")

    page.get_by_role("button", name="Pause").click()
    expect(timer).to_have_attribute("data-paused", "true")
    shown = page.locator("[data-count]").inner_text()
    page.wait_for_timeout(600)  # 600 ms at 120× would be over a minute of session
    assert page.locator("[data-count]").inner_text() == shown
    page.get_by_role("button", name="Resume").click()
    page.get_by_role("button", name="End the session early").click()

    expect(page.get_by_role("heading", name="How did it go?")).to_be_visible()
    expect(page.locator('input[name="status"][value="partial"]')).to_be_checked()
    assert float(page.get_by_label("Minutes of running").input_value()) > 0
    pick(page, "pain_before", "3")
    pick(page, "pain_during", "4")
    pick(page, "pain_after", "3")
    pick(page, "talk_test_ok", "yes")
    shoot("journey-13-log")
    page.get_by_role("button", name="Save my log").click()

    expect(page.get_by_role("heading", name="Repeat this level")).to_be_visible()
    expect(page.get_by_text("R-PROGRESS").first).to_be_visible()
    shoot("journey-14-decision")

    page.get_by_role("link", name="See progress").click()
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    expect(page.locator("svg.chart__svg")).to_have_count(3)
    expect(page.locator(".chart__dot").first).to_be_visible()
    shoot("journey-15-progress")

    page.get_by_role("link", name="Check in").click()
    expect(page.get_by_role("heading", name="Morning check-in")).to_be_visible()
    shoot("journey-16-checkin")

    page.set_viewport_size({"width": 1280, "height": 900})
    for path, name in (("/progress/", "progress"), ("/today/", "today"),
                       ("/learn/sources/", "sources")):
        page.goto(base + path)
        shoot(f"journey-desktop-{name}")
    page.goto(base + "/plan/")
    shoot("journey-desktop-plan")
    page.goto(base + "/learn/")
    shoot("journey-desktop-learn")


def test_a_red_flag_never_reaches_a_plan(page: Page, live_server: Any, shoot: Any) -> None:
    base = live_server.url
    sign_up_and_consent(page, base, "flag@example.org", shoot, "redflag")
    screen(page, shoot, "redflag", red_flags=("bladder_change",))

    expect(page.get_by_role("heading", name="Go to an emergency department now").first
           ).to_be_visible()
    banner = page.get_by_role("alert").filter(has_text="Running is locked")
    expect(banner).to_be_visible()
    expect(page.get_by_text("T-CES")).to_be_visible()
    expect(page.get_by_role("link", name="Start my plan")).to_have_count(0)
    shoot("redflag-07-result")

    for path in ("/plan/setup/", "/plan/", "/today/", "/today/run/", "/log/", "/"):
        page.goto(base + path)
        assert not re.search(r"/plan/?$|/plan/setup/|/today/", page.url), page.url
        expect(banner).to_be_visible()
    page.goto(base + "/learn/")
    expect(banner).to_be_visible()  # on every page, until a clinician clears it
    shoot("redflag-08-banner-everywhere")
