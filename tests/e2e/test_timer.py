"""The interval timer keeps time from timestamps, not ticks, and ends a painful run."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from backstride.web.accounts.timezones import local_today
from backstride.web.runlog.models import SessionLog
from tests.web.conftest import PASSWORD, make_plan, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in_with_a_run_today(page: Page, base: str, shoot: Any) -> None:
    user = make_user("timer@example.org")
    make_plan(user, start=local_today(user.time_zone))  # today is run-walk day 1, level 1
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    shoot("login")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Today's run-walk")).to_be_visible()


def test_a_frozen_tab_shows_the_right_bout_when_it_wakes(page: Page, live_server: Any,
                                                          shoot: Any) -> None:
    """Six minutes pass with no timer firing (a backgrounded tab): the position is still right."""
    page.clock.install()
    log_in_with_a_run_today(page, live_server.url, shoot)
    page.get_by_role("link", name="Start").click()
    expect(page.locator("[data-timer]")).to_have_attribute("data-ready", "true")
    page.get_by_role("button", name="Start").click()
    expect(page.locator("[data-label]")).to_have_text("Warm-up")
    # Level 1: warm-up 300 s, run 15 s, walk 90 s. At 360 s: 45 s of the first walk left.
    page.clock.fast_forward("06:00")
    expect(page.locator("[data-timer]")).to_have_attribute("data-step-kind", "walk")
    expect(page.locator("[data-count]")).to_have_text("0:45")
    shoot("timer-after-background")


def test_pain_over_5_walks_home_and_the_log_records_it(page: Page, live_server: Any,
                                                        shoot: Any) -> None:
    log_in_with_a_run_today(page, live_server.url, shoot)
    page.goto(page.url.split("?")[0] + "run/?speed=120")
    expect(page.locator("[data-timer]")).to_have_attribute("data-ready", "true")
    page.get_by_role("button", name="Start").click()
    expect(page.locator("[data-timer]")).to_have_attribute("data-step-kind", "walk",
                                                           timeout=10_000)
    page.get_by_role("button", name="Pain over 5 — walk home").click()
    expect(page.get_by_text("You stopped because pain went above 5")).to_be_visible()
    for field, value in (("pain_before", "3"), ("pain_during", "5"), ("pain_after", "4"),
                         ("talk_test_ok", "yes")):
        page.locator(f'label:has(input[name="{field}"][value="{value}"])').click()
    page.get_by_role("button", name="Save my log").click()
    expect(page.get_by_text("choose 6 or more")).to_be_visible()  # 5 is not "over 5"
    expect(page.locator('input[name="pain_before"][value="3"]')).to_be_checked()  # kept
    page.locator('label:has(input[name="pain_during"][value="7"])').click()
    shoot("walk-home-log")
    page.get_by_role("button", name="Save my log").click()
    expect(page.get_by_role("heading", name="Go back a level")).to_be_visible()
    expect(page.locator(".reason").filter(has_text="R-DURING")).to_be_visible()
    expect(page.locator(".alert").filter(has_text="R-DURING")).to_be_visible()
    shoot("walk-home-decision")
    log = SessionLog.objects.get()
    assert (log.status, log.walked_home, log.pain_during) == ("partial", True, 7)
    assert log.run_seconds > 0
