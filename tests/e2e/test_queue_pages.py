"""The caseload queue past its first page, in a real browser (issues #4 and #8).

A clinician with more patients than one page holds (50) works from the top,
goes on to the second page, opens a patient there and comes back to the same
page; a filter starts again from the first page of its own rows. The
self-refresh asks for the page being read, so it never jumps back to page 1.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from backstride.web.accounts.timezones import local_today
from backstride.web.caseload.views.queue import PAGE_SIZE
from backstride.web.simulation.loader import load_clinic
from tests.e2e.test_clinician_journey import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PATIENTS = PAGE_SIZE + 8


@pytest.fixture
def big_clinic(db: Any) -> str:
    loaded = load_clinic(count=PATIENTS, seed=21, today=local_today("Europe/London"),
                         clinic_name="Hillside Physio", clinician_email="ep@hillside.example",
                         password=PASSWORD, email_domain="sim.hillside.example")
    return loaded.clinician.email


def row_patients(page: Page) -> list[str]:
    """The patient id of each row, top first (simulated names can repeat; ids cannot)."""
    rows = page.locator("tr.qrow")
    return [rows.nth(i).get_attribute("data-patient") or "" for i in range(rows.count())]


def test_the_second_page_of_the_queue(page: Page, live_server: Any, big_clinic: str) -> None:
    base = live_server.url
    log_in(page, base, big_clinic)
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    expect(page.locator("tr.qrow")).to_have_count(PAGE_SIZE)
    pager = page.get_by_role("navigation", name="Pages of the queue")
    expect(pager).to_contain_text("Page 1 of 2")
    expect(pager.get_by_role("link", name="← Previous")).to_have_count(0)
    expect(page.locator("#queue")).to_have_attribute("data-total", str(PATIENTS))
    first_page = row_patients(page)
    assert len(set(first_page)) == PAGE_SIZE

    # The rest, a page link away: the rows that were not on page 1, and every one of them.
    pager.get_by_role("link", name="Next →").click()
    expect(page).to_have_url(re.compile(r"[?&]page=2\b"))
    expect(page.locator("tr.qrow")).to_have_count(PATIENTS - PAGE_SIZE)
    expect(pager).to_contain_text("Page 2 of 2")
    second_page = row_patients(page)
    assert not set(second_page) & set(first_page)
    assert len(set(first_page) | set(second_page)) == PATIENTS
    # The self-refresh asks for this page, not the first.
    expect(page.locator("#queue")).to_have_attribute("hx-get", re.compile(r"page=2\b"))

    # A patient from page 2, then back to the same page.
    top = page.locator("tr.qrow").first.locator("a.qrow__name")
    name = top.inner_text().strip()
    top.click()
    expect(page).to_have_url(re.compile(rf"/clinic/patients/{second_page[0]}/"))
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    page.go_back()
    expect(page.locator("tr.qrow")).to_have_count(PATIENTS - PAGE_SIZE)
    assert row_patients(page) == second_page

    # A filter swaps the table in place and starts from its own first page.
    chip = page.locator("label.chip", has_text="Inactive 7+ days")
    inactive = int(chip.locator(".chip__n").inner_text())
    assert 0 < inactive < PAGE_SIZE
    chip.click()
    expect(page.locator("tr.qrow")).to_have_count(inactive)
    assert "filter=inactive" in page.url and "page=2" not in page.url
    expect(page.get_by_role("navigation", name="Pages of the queue")).to_have_count(0)
