"""Journey step 6 in a real browser: upload what the watch recorded, see it against the plan.

A runner with today's level-1 session logs in, uploads a recording of it from
the today page, sees the planned and recorded bouts drawn one above the other
and the compliance colour, logs the session with the running time filled in
from the file, then uploads a real watch's file and a broken one at once, sends
the next session to the watch and subscribes to the plan in a calendar.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from backstride.core.ladder import level, run_walk_session
from backstride.formats.synthetic import legs_of, synthetic_tcx
from backstride.web.accounts.timezones import local_today
from backstride.web.activities.models import ImportedActivity
from backstride.web.runlog.models import SessionLog
from tests.web.conftest import PASSWORD, make_plan, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parents[1] / "data" / "activities"


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings: Any, tmp_path_factory: Any) -> None:
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


def pick(page: Page, field: str, value: str) -> None:
    page.locator(f'label:has(input[name="{field}"][value="{value}"])').click()


def test_a_runner_uploads_todays_run_and_sees_it_against_the_plan(
    page: Page, live_server: Any, shoot: Any, tmp_path: Path
) -> None:
    base = live_server.url
    user = make_user("importer@example.org")
    today = local_today(user.time_zone)
    make_plan(user, start=today)  # today is run-walk day 1, level 1: 165 s of running
    start = datetime.combine(today, time(7, 30), tzinfo=ZoneInfo(user.time_zone))
    recording = tmp_path / "morning-run.tcx"
    recording.write_bytes(synthetic_tcx(legs_of(run_walk_session(level(1))),
                                        start=start.astimezone(UTC)))

    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Today's run-walk")).to_be_visible()
    expect(page.get_by_role("heading", name="From your watch")).to_be_visible()
    shoot("import-01-today")

    # Send to watch: today's workout as a FIT file.
    with page.expect_download() as download:
        page.get_by_role("link", name="Send to watch (.fit)").click()
    assert download.value.suggested_filename == f"{today.isoformat()}-L01.fit"

    page.locator("[data-imports]").get_by_label("Activity file").set_input_files(str(recording))
    page.locator("[data-imports]").get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="Planned and recorded run-walk")).to_be_visible()
    expect(page.locator("[data-compliance]").first).to_have_attribute("data-compliance", "green")
    expect(page.get_by_text("As planned").first).to_be_visible()
    expect(page.locator("rect.chart__bar--run")).to_have_count(22)  # 11 planned, 11 recorded
    shoot("import-02-run-against-plan")
    page.get_by_text("Show as a table").click()
    expect(page.locator("table[data-bouts] tbody tr")).to_have_count(23)
    shoot("import-03-table")

    page.get_by_role("link", name="Log this session").click()
    expect(page.get_by_role("heading", name="How did it go?")).to_be_visible()
    ran = float(page.get_by_label("Minutes of running").input_value())
    activity = ImportedActivity.objects.get(patient=user)
    assert ran == round(activity.running_seconds / 60, 1)
    pick(page, "status", "done")
    for field in ("pain_before", "pain_during", "pain_after"):
        pick(page, field, "2")
    pick(page, "talk_test_ok", "yes")
    shoot("import-04-log-prefilled")
    page.get_by_role("button", name="Save my log").click()
    expect(page).to_have_url(re.compile(r"/decisions/\d+/$"))
    log = SessionLog.objects.get(patient=user)
    assert log.run_seconds == activity.running_seconds
    activity.refresh_from_db()
    assert activity.session_log == log

    # Several files at once: a real watch's run (2015: no session to match) and a broken file.
    broken = tmp_path / "broken.fit"
    broken.write_bytes(b"this is not a watch file" * 4)
    page.goto(base + "/activities/upload/several/")
    page.get_by_label("Activity files").set_input_files([str(DATA / "fenix2-run.fit"),
                                                        str(broken), str(recording)])
    page.get_by_role("button", name="Upload all").click()
    rows = page.locator("tr[data-outcome]")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_have_attribute("data-outcome", "imported")
    expect(rows.nth(1)).to_have_attribute("data-outcome", "rejected")
    expect(rows.nth(1)).to_contain_text("not a FIT, GPX or TCX file")
    expect(rows.nth(2)).to_have_attribute("data-outcome", "duplicate")
    shoot("import-05-bulk")

    page.goto(base + "/activities/")
    expect(page.get_by_role("heading", name="Cadence while running, week by week")).to_be_visible()
    shoot("import-06-runs")
    page.get_by_role("link", name="Sat 15 Aug 2015").click()
    expect(page.get_by_text("There was no run-walk session planned")).to_be_visible()
    shoot("import-07-real-watch-file")

    page.goto(base + "/plan/")
    expect(page.get_by_role("link", name="watch workouts (.zip)").first).to_be_visible()
    shoot("import-08-plan")
    with page.expect_download() as week:
        page.get_by_role("link", name="watch workouts (.zip)").first.click()
    assert week.value.suggested_filename == "backstride-week-01.zip"
    page.get_by_role("link", name="Add to my calendar").click()
    page.get_by_role("button", name="Make my private link").click()
    feed = page.locator("[data-feed-url]").input_value()
    assert "/calendar/" in feed and feed.endswith(".ics")
    shoot("import-09-calendar")
    assert page.request.get(feed).headers["content-type"].startswith("text/calendar")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + f"/activities/{activity.pk}/")
    shoot("import-desktop-run")
