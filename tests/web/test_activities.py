"""Imported activities (journey step 6) and the plan's exports (step 3): watch and calendar.

Uploads are synthetic recordings with known bouts (``formats.synthetic``) or
corpus files; every upload goes through the same service the pages use.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import fitdecode
import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from backstride.core.errors import ImportFormatError
from backstride.core.ladder import level, run_walk_session
from backstride.core.segmentation import Bout, BoutKind, RunWalkSummary, Segments
from backstride.formats.synthetic import Gait, Leg, legs_of, synthetic_gpx, synthetic_tcx
from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.activities.models import ImportedActivity
from backstride.web.activities.services import activity_import
from backstride.web.exports.models import CalendarFeed
from backstride.web.programs.models import Plan, PlanDay
from backstride.web.programs.services import plan_create
from backstride.web.runlog.models import Decision, SessionLog
from backstride.web.runlog.selectors import next_decision
from tests.conftest import CORPUS
from tests.web.conftest import latest_screening, log_session, login, make_plan, make_user

pytestmark = pytest.mark.django_db

LEVEL_1 = run_walk_session(level(1))  # 11 × (run 15 s, walk 90 s): 165 s of running
NO_CLOCK = CORPUS / "fit" / "fitparse__antfs-dump.63.fit"  # an FR70 whose clock was never set


def recording(start: datetime, legs: Any = None, **kw: Any) -> bytes:
    return synthetic_tcx(legs or legs_of(LEVEL_1), start=start, **kw)


def at(user: User, day: date, hour: int = 8) -> datetime:
    """``hour`` o'clock on ``day`` in the user's time zone, as UTC."""
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(user.time_zone)).astimezone(UTC)


def upload(user: User, data: bytes, name: str = "run.tcx", **kw: Any) -> Any:
    return activity_import(patient=user, data=data, filename=name, **kw)


def stored_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()]


def today_of(user: User) -> date:
    return local_today(user.time_zone)


# --- Import ----------------------------------------------------------------------------


def test_an_upload_keeps_the_file_under_a_random_name_with_its_summary_and_bouts(
    patient: User, settings: Any
) -> None:
    data = recording(at(patient, today_of(patient)))
    imported = upload(patient, data, name="../../etc/Morning Run.tcx")
    row = ImportedActivity.objects.get()
    assert (row, False) == (imported.activity, imported.duplicate)
    assert "Morning Run.tcx" == row.original_name  # a label; no folder survives
    assert "run" not in row.original.name.lower() and row.original.name.startswith("activities/")
    assert Path(row.original.path).read_bytes() == data
    assert (len(data), "tcx", "running") == (row.size, row.source_format, row.sport)
    assert 64 == len(row.sha256)
    assert 11 == row.run_bouts == sum(1 for b in row.bouts if b["kind"] == "run")
    assert row.running_seconds == pytest.approx(165, rel=0.1)
    assert row.running_cadence == pytest.approx(160, abs=5)
    assert [p.name for p in stored_files(settings)] == [Path(row.original.name).name]


def test_it_is_matched_to_todays_session_and_judged_against_its_running_time(
    patient: User,
) -> None:
    row = upload(patient, recording(at(patient, today_of(patient)))).activity
    assert today_of(patient) == row.local_date == row.plan_day.date
    assert 165 == row.planned_running_seconds
    assert ImportedActivity.Compliance.GREEN == row.compliance
    assert row.session_log is None  # not logged yet: the import waits for the log


def test_the_type_is_sniffed_from_the_bytes_not_the_name(patient: User) -> None:
    gpx = synthetic_gpx(legs_of(LEVEL_1), start=at(patient, today_of(patient)))
    row = upload(patient, gpx, name="looks-like.fit").activity
    assert "gpx" == row.source_format


# --- Matching by the patient's local date ----------------------------------------------


def test_an_activity_belongs_to_the_local_date_of_the_patient_not_the_utc_date() -> None:
    """07:00 in Melbourne is 20:00 the day before in UTC; the session is Melbourne's."""
    runner = make_user("melbourne@example.org", time_zone="Australia/Melbourne")
    today = today_of(runner)
    make_plan(runner, start=today - timedelta(days=4))  # run-walk days: today-4, -2, today
    day = today - timedelta(days=2)
    start = at(runner, day, hour=7)
    assert start.date() == day - timedelta(days=1)  # the UTC date is the day before
    row = upload(runner, recording(start)).activity
    assert day == row.local_date == row.plan_day.date


def test_the_same_instant_belongs_to_different_dates_for_different_zones() -> None:
    moment_day = date.today() - timedelta(days=3)  # noqa: DTZ011 - only a calendar date
    instant = datetime.combine(moment_day, time(23, 30), tzinfo=UTC)
    dates = {}
    for zone in ("America/Los_Angeles", "Asia/Tokyo"):
        runner = make_user(f"{zone.split('/')[1].lower()}@example.org", time_zone=zone)
        make_plan(runner, start=today_of(runner) - timedelta(days=7))
        dates[zone] = upload(runner, recording(instant)).activity.local_date
    assert dates["America/Los_Angeles"] == moment_day
    assert dates["Asia/Tokyo"] == moment_day + timedelta(days=1)


def test_a_run_a_day_off_the_plan_is_matched_to_the_nearest_session() -> None:
    runner = make_user("late@example.org")
    today = today_of(runner)
    make_plan(runner, start=today - timedelta(days=4))  # run-walk days: today-4, -2, today
    day_after = upload(runner, recording(at(runner, today - timedelta(days=3)))).activity
    assert today - timedelta(days=4) == day_after.plan_day.date  # morning: nearer the day before


def test_a_run_two_days_from_any_session_matches_nothing(patient: User) -> None:
    """The patient's plan starts today: two days before it there is no session."""
    row = upload(patient, recording(at(patient, today_of(patient) - timedelta(days=2)))).activity
    assert row.plan_day is None and "" == row.compliance
    assert row.local_date == today_of(patient) - timedelta(days=2)


# --- Compliance bands at their boundaries ----------------------------------------------


def segments_with(running_seconds: float) -> Segments:
    bouts = (Bout(BoutKind.RUN, 0.0, running_seconds, None, None),)
    summary = RunWalkSummary(running_seconds, 1, running_seconds, 0.0, 0.0, None, None, None,
                             None)
    return Segments(bouts, summary)


@pytest.mark.parametrize(("running", "colour"), [
    (165, "green"), (198, "green"), (199, "amber"), (132, "green"), (131, "amber"),
    (247, "amber"), (248, "red"), (83, "amber"), (82, "red"), (0, "red"),
])
def test_compliance_colours_include_the_20_and_50_percent_boundaries(
    patient: User, monkeypatch: Any, running: int, colour: str
) -> None:
    """165 s planned: +20 % is 198 s (green), +50 % is 247.5 s (amber up to 247)."""
    monkeypatch.setattr("backstride.web.activities.services.segment",
                        lambda _activity: segments_with(running))
    row = upload(patient, recording(at(patient, today_of(patient)))).activity
    assert (165, colour) == (row.planned_running_seconds, row.compliance)


def test_running_while_the_plan_waits_for_clearance_is_red(db: Any) -> None:
    runner = make_user("older@example.org")
    plan = make_plan(runner, age=60)  # over 55: clearance required, plan locked
    assert plan.locked
    row = upload(runner, recording(at(runner, today_of(runner)))).activity
    assert (0, "red") == (row.planned_running_seconds, row.compliance)


# --- Duplicates, size cap, malformed files ---------------------------------------------


def test_the_same_file_twice_is_reported_as_a_duplicate_and_stored_once(
    patient: User, settings: Any
) -> None:
    data = recording(at(patient, today_of(patient)))
    first = upload(patient, data)
    again = upload(patient, data, name="copy.tcx")
    assert again.duplicate and again.activity == first.activity
    assert 1 == ImportedActivity.objects.count() == len(stored_files(settings))


def test_the_same_recording_in_another_format_is_a_duplicate(patient: User) -> None:
    start = at(patient, today_of(patient))
    upload(patient, recording(start))
    again = upload(patient, synthetic_gpx(legs_of(LEVEL_1), start=start), name="run.gpx")
    assert again.duplicate
    assert 1 == ImportedActivity.objects.count()


def test_another_patient_uploading_the_same_file_is_not_told_about_the_first(
    patient: User, other_patient: User
) -> None:
    data = recording(at(patient, today_of(patient)))
    upload(patient, data)
    assert not upload(other_patient, data).duplicate


def test_a_file_over_the_size_cap_is_refused_and_nothing_is_stored(
    patient: User, settings: Any
) -> None:
    settings.BACKSTRIDE_UPLOAD_MAX_BYTES = 10_000
    data = recording(at(patient, today_of(patient)))
    assert len(data) > 10_000
    with pytest.raises(ImportFormatError, match="larger than"):
        upload(patient, data)
    assert not ImportedActivity.objects.exists() and not stored_files(settings)


def test_the_upload_page_refuses_an_oversized_file_before_reading_it(
    patient_client: Client, settings: Any
) -> None:
    settings.BACKSTRIDE_UPLOAD_MAX_BYTES = 1_000_000
    big = SimpleUploadedFile("huge.fit", b"\0" * 1_000_001)
    response = patient_client.post(reverse("activities:upload"), {"file": big})
    assert 422 == response.status_code
    assert "huge.fit is larger than 1 MB" in response.content.decode()
    assert not ImportedActivity.objects.exists()


@pytest.mark.parametrize(("content", "words"), [
    (b"<html><body>not a run</body></html>", "neither GPX nor TCX"),
    (b"\x00" * 64, "not a FIT, GPX or TCX file"),
    ((CORPUS / "tcx" / "togeojson__tcx-courses.tcx").read_bytes(), "course"),
], ids=["html", "bytes", "course"])
def test_a_malformed_file_gets_a_clear_message_and_nothing_is_stored(
    patient_client: Client, settings: Any, content: bytes, words: str
) -> None:
    response = patient_client.post(reverse("activities:upload"),
                                   {"file": SimpleUploadedFile("bad.fit", content)})
    html = response.content.decode()
    assert 422 == response.status_code
    assert words in html and "nothing was stored" in html
    assert not ImportedActivity.objects.exists() and not stored_files(settings)


def test_a_row_that_fails_after_the_file_was_written_takes_the_file_with_it(
    patient: User, settings: Any, monkeypatch: Any
) -> None:
    def broken(*_args: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr("backstride.web.activities.services._match", broken)
    with pytest.raises(RuntimeError):
        upload(patient, recording(at(patient, today_of(patient))))
    assert not ImportedActivity.objects.exists() and not stored_files(settings)


# --- A file without a start time -------------------------------------------------------


def test_a_file_without_a_start_time_asks_for_the_date_then_matches_it(
    patient: User, patient_client: Client
) -> None:
    response = patient_client.post(reverse("activities:upload"),
                                   {"file": SimpleUploadedFile("fr70.fit", NO_CLOCK.read_bytes())})
    row = ImportedActivity.objects.get()
    assert response["Location"] == reverse("activities:detail", args=[row.pk])
    assert row.start is None and row.local_date is None and row.plan_day is None
    page = patient_client.get(response["Location"]).content.decode()
    assert "When was this?" in page
    today = today_of(patient)
    tomorrow = patient_client.post(response["Location"],
                                   {"day": (today + timedelta(days=1)).isoformat()})
    assert 422 == tomorrow.status_code and "cannot be in the future" in tomorrow.content.decode()
    patient_client.post(response["Location"], {"day": today.isoformat()})
    row.refresh_from_db()
    assert today == row.local_date == row.plan_day.date


def test_a_date_given_with_the_upload_is_used_for_a_file_without_one(patient: User) -> None:
    row = upload(patient, NO_CLOCK.read_bytes(), day=today_of(patient)).activity
    assert today_of(patient) == row.local_date == row.plan_day.date


def test_a_date_given_with_the_upload_never_overrides_the_files_own(patient: User) -> None:
    yesterday = today_of(patient) - timedelta(days=1)
    row = upload(patient, recording(at(patient, today_of(patient))), day=yesterday).activity
    assert today_of(patient) == row.local_date


# --- Feeding the engine: P-CAP counts what was actually run ----------------------------


SHORT_RUN = [Leg(BoutKind.WALK, 300), *[Leg(k, s) for _ in range(4) for k, s in (
    (BoutKind.RUN, 15), (BoutKind.WALK, 90))], Leg(BoutKind.WALK, 300)]  # 60 s of running


def test_an_import_after_the_log_sets_its_running_time_and_p_cap_follows(patient: User) -> None:
    today = today_of(patient)
    plan = Plan.objects.get(patient=patient)
    log = log_session(patient, plan, today).row  # "done": 165 s as prescribed
    assert 165 == log.run_seconds
    decisions = Decision.objects.count()
    row = upload(patient, recording(at(patient, today), SHORT_RUN)).activity
    log.refresh_from_db()
    assert row.session_log == log
    assert row.running_seconds == log.run_seconds == pytest.approx(60, abs=6)
    assert Decision.objects.count() == decisions + 1  # decided again with the new time
    assert ImportedActivity.Compliance.RED == row.compliance  # 60 of 165 s
    later = next_decision(patient=patient, plan=plan, today=today + timedelta(days=2))
    assert later.next_session.running_seconds <= 1.10 * log.run_seconds  # P-CAP
    assert "P-CAP" in {r.rule for r in later.reasons}


def test_an_import_before_the_log_prefills_the_log_form_and_is_linked_when_logged(
    patient: User, patient_client: Client
) -> None:
    today = today_of(patient)
    row = upload(patient, recording(at(patient, today), SHORT_RUN)).activity
    form = patient_client.get(reverse("runlog:log")).context["form"]
    minutes = form.initial["run_minutes"]
    assert minutes == round(row.running_seconds / 60, 1)
    response = patient_client.post(reverse("runlog:log"), {
        "client_id": str(uuid.uuid4()), "date": today.isoformat(), "status": "done",
        "pain_before": "3", "pain_during": "3", "pain_after": "3", "talk_test_ok": "yes",
        "run_minutes": str(minutes), "other_knee": "", "other_ankle": "", "other_hip": "",
        "other_foot": ""})
    assert 302 == response.status_code
    log = SessionLog.objects.get(patient=patient)
    row.refresh_from_db()
    assert row.session_log == log
    assert log.run_seconds == row.running_seconds  # the file's seconds, not rounded minutes


def test_the_longest_of_two_recordings_of_a_session_counts_never_their_sum(
    patient: User,
) -> None:
    today = today_of(patient)
    plan = Plan.objects.get(patient=patient)
    log = log_session(patient, plan, today).row
    upload(patient, recording(at(patient, today, 8), SHORT_RUN))
    upload(patient, recording(at(patient, today, 8) + timedelta(seconds=20), seed=3))
    log.refresh_from_db()
    assert log.run_seconds == max(a.running_seconds for a in ImportedActivity.objects.all())


def test_a_session_logged_as_not_done_keeps_its_answer(patient: User) -> None:
    today = today_of(patient)
    plan = Plan.objects.get(patient=patient)
    log = log_session(patient, plan, today, status="missed", pain_before=None,
                      pain_during=None, pain_after=None, talk_test_ok=None).row
    upload(patient, recording(at(patient, today)))
    log.refresh_from_db()
    assert (0, "missed") == (log.run_seconds, log.status)


# --- Pages -----------------------------------------------------------------------------


def test_the_today_page_offers_the_upload_and_shows_todays_recording(
    patient: User, patient_client: Client
) -> None:
    html = patient_client.get(reverse("runlog:today")).content.decode()
    assert reverse("activities:upload") in html and 'enctype="multipart/form-data"' in html
    upload(patient, recording(at(patient, today_of(patient))))
    html = patient_client.get(reverse("runlog:today")).content.decode()
    assert "Recorded run" in html and 'data-compliance="green"' in html


def test_uploading_from_the_today_page_leads_to_the_run_with_its_chart(
    patient: User, patient_client: Client
) -> None:
    data = recording(at(patient, today_of(patient)))
    response = patient_client.post(reverse("activities:upload"),
                                   {"file": SimpleUploadedFile("run.tcx", data)}, follow=True)
    html = response.content.decode()
    assert 200 == response.status_code
    assert "Planned and recorded run-walk" in html
    assert html.count("chart__bar--run") >= 22  # 11 planned and 11 recorded run bouts
    assert 'data-compliance="green"' in html
    assert "<table data-bouts>" in html  # the table fallback
    assert "Log this session" in html  # not logged yet: the log form is one tap away


def test_uploading_the_same_file_again_says_so(patient: User, patient_client: Client) -> None:
    data = recording(at(patient, today_of(patient)))
    for _ in range(2):
        response = patient_client.post(reverse("activities:upload"),
                                       {"file": SimpleUploadedFile("run.tcx", data)}, follow=True)
    assert "already uploaded this run" in response.content.decode()


def test_the_bulk_page_reports_each_file_as_imported_duplicate_or_rejected(
    patient: User, patient_client: Client
) -> None:
    today = today_of(patient)
    good = recording(at(patient, today))
    other = recording(at(patient, today - timedelta(days=1)), seed=2)
    files = [SimpleUploadedFile("a.tcx", good), SimpleUploadedFile("b.tcx", good),
             SimpleUploadedFile("c.fit", b"garbage" * 10), SimpleUploadedFile("d.tcx", other)]
    response = patient_client.post(reverse("activities:bulk"), {"files": files})
    html = response.content.decode()
    assert 200 == response.status_code
    outcomes = [m for m in ("imported", "duplicate", "rejected", "imported")]
    found = [part.split('"')[0] for part in html.split('data-outcome="')[1:]]
    assert outcomes == found
    assert "not a FIT, GPX or TCX file" in html
    assert 2 == ImportedActivity.objects.count()


def test_the_original_file_downloads_as_an_attachment_for_its_owner_only(
    patient: User, patient_client: Client, other_patient: User
) -> None:
    data = recording(at(patient, today_of(patient)))
    row = upload(patient, data, name="Morning Run.tcx").activity
    response = patient_client.get(reverse("activities:original", args=[row.pk]))
    assert 200 == response.status_code
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Morning Run.tcx" in response["Content-Disposition"]
    assert data == b"".join(response.streaming_content)
    other = login(Client(), other_patient)
    assert 404 == other.get(reverse("activities:original", args=[row.pk])).status_code
    assert 404 == other.get(reverse("activities:detail", args=[row.pk])).status_code


def test_the_list_page_shows_cadence_over_the_weeks(patient: User, patient_client: Client) -> None:
    upload(patient, recording(at(patient, today_of(patient))))
    html = patient_client.get(reverse("activities:list")).content.decode()
    assert "Cadence while running, week by week" in html and "line-cadence" in html


# --- P-CADENCE: the optional cue, only when the step rate is low for the speed ---------


def test_a_low_step_rate_for_the_speed_shows_the_five_to_ten_percent_cue(
    patient: User, patient_client: Client
) -> None:
    slow_steps = Gait(run_speed=2.6, run_cadence=138.0)  # floor at 2.6 m/s: 151 steps/min
    row = upload(patient, recording(at(patient, today_of(patient)), gait=slow_steps)).activity
    html = patient_client.get(reverse("activities:detail", args=[row.pk])).content.decode()
    assert "data-cue" in html and "P-CADENCE" in html
    low, high = round(row.running_cadence * 1.05), round(row.running_cadence * 1.10)
    assert f"{low} to {high} a minute" in html
    assert "Not more than that" in html
    assert "data-cue" in patient_client.get(reverse("activities:list")).content.decode()


def test_a_usual_step_rate_shows_no_cue(patient: User, patient_client: Client) -> None:
    row = upload(patient, recording(at(patient, today_of(patient)))).activity  # 160 at 2.6 m/s
    html = patient_client.get(reverse("activities:detail", args=[row.pk])).content.decode()
    assert "data-cue" not in html


def test_without_a_speed_there_is_no_cue(patient: User, patient_client: Client) -> None:
    treadmill = recording(at(patient, today_of(patient)), gait=Gait(run_cadence=130.0),
                          speed=False, position=False)
    row = upload(patient, treadmill).activity
    row.running_distance_m = None  # a treadmill without a foot pod: no distance either
    row.save()
    html = patient_client.get(reverse("activities:detail", args=[row.pk])).content.decode()
    assert "data-cue" not in html


# --- Send to watch ---------------------------------------------------------------------


def fit_messages(data: bytes) -> list[tuple[str, dict[str, Any]]]:
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE,
                             error_handling=fitdecode.ErrorHandling.RAISE) as reader:
        return [(f.name, {x.name: x.value for x in f.fields}) for f in reader
                if isinstance(f, fitdecode.FitDataMessage)]


def test_todays_session_downloads_as_a_fit_workout(patient: User,
                                                   patient_client: Client) -> None:
    day = PlanDay.objects.get(plan__patient=patient, date=today_of(patient))
    html = patient_client.get(reverse("runlog:today")).content.decode()
    assert reverse("exports:workout", args=[day.pk]) in html
    response = patient_client.get(reverse("exports:workout", args=[day.pk]))
    assert 200 == response.status_code
    assert f'attachment; filename="{today_of(patient).isoformat()}-L01.fit"' == response[
        "Content-Disposition"]
    messages = fit_messages(response.content)
    assert messages[1][1]["wkt_name"].startswith("L1 ")
    steps = [m for name, m in messages if name == "workout_step"]
    assert ("Warm up", "Cool down") == (steps[0]["wkt_step_name"], steps[-1]["wkt_step_name"])


def test_a_week_of_workouts_downloads_as_one_zip_from_the_plan_page(
    patient: User, patient_client: Client
) -> None:
    html = patient_client.get(reverse("programs:plan")).content.decode()
    assert reverse("exports:workout_week", args=[1]) in html
    response = patient_client.get(reverse("exports:workout_week", args=[1]))
    assert 200 == response.status_code and "application/zip" == response["Content-Type"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        assert 3 == len(names) and all(n.endswith("-L01.fit") for n in names)
        for name in names:
            assert "workout" == fit_messages(archive.read(name))[0][1]["type"]


def test_future_workouts_are_at_the_level_the_engine_gives_now_never_a_projected_one(
    patient: User, patient_client: Client
) -> None:
    """The plan projects level 3 for session 3; the watch gets today's level 1 (P-CAP)."""
    third = PlanDay.objects.filter(plan__patient=patient, kind="run_walk").order_by("date")[2]
    assert 3 == third.prescription["level"]
    response = patient_client.get(reverse("exports:workout", args=[third.pk]))
    assert response["Content-Disposition"].endswith('-L01.fit"')


def test_no_workout_while_running_is_locked(db: Any) -> None:
    runner = make_user("locked@example.org")
    plan = make_plan(runner, age=60)
    client = login(Client(), runner)
    day = plan.days.filter(kind="run_walk").first()
    response = client.get(reverse("exports:workout", args=[day.pk]))
    assert 302 == response.status_code
    assert 302 == client.get(reverse("exports:workout_week", args=[1])).status_code


def test_a_week_outside_the_plan_is_404(patient_client: Client) -> None:
    assert 404 == patient_client.get(reverse("exports:workout_week", args=[13])).status_code


# --- Calendar: download, re-export, subscription ---------------------------------------


def calendar_events(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def test_the_plan_downloads_as_a_calendar_with_uids_from_plan_day_ids(
    patient: User, patient_client: Client
) -> None:
    response = patient_client.get(reverse("exports:calendar_ics"))
    assert response["Content-Disposition"] == 'attachment; filename="backstride-plan.ics"'
    events = calendar_events(response.content)
    days = PlanDay.objects.filter(plan__patient=patient, kind="run_walk")
    assert {f"planday-{d.pk}@backstride" for d in days} == set(events)
    first = events[f"planday-{days.first().pk}@backstride"]
    assert first.decoded("dtstart") == today_of(patient)
    assert "10 × (Run 0:15, Walk 1:30)" in str(first["description"])  # the intervals
    assert {0} == {int(e["sequence"]) for e in events.values()}


def test_re_exporting_an_unchanged_plan_changes_nothing(patient_client: Client) -> None:
    first = calendar_events(patient_client.get(reverse("exports:calendar_ics")).content)
    again = calendar_events(patient_client.get(reverse("exports:calendar_ics")).content)
    assert set(first) == set(again)
    assert all(int(again[uid]["sequence"]) == 0 for uid in again)
    assert all(str(first[uid]["description"]) == str(again[uid]["description"]) for uid in again)


def test_after_a_session_changes_the_plan_its_events_are_updated_not_duplicated(
    patient: User, patient_client: Client
) -> None:
    today = today_of(patient)
    plan = Plan.objects.get(patient=patient)
    before = calendar_events(patient_client.get(reverse("exports:calendar_ics")).content)
    log_session(patient, plan, today, status="partial", run_seconds=60)
    after = calendar_events(patient_client.get(reverse("exports:calendar_ics")).content)
    assert set(before) == set(after)  # same UIDs: updated, not added
    todays = f"planday-{plan.days.get(date=today).pk}@backstride"
    assert 1 == int(after[todays]["sequence"])  # now "Logged: started, not finished"
    assert "Logged" in str(after[todays]["description"])
    future = [uid for uid, e in after.items() if e.decoded("dtstart") > today]
    # The engine now prescribes a shortened level 1 (P-CAP from 60 s): the future changed.
    assert all(int(after[uid]["sequence"]) == 1 for uid in future)
    assert all(str(after[uid]["description"]) != str(before[uid]["description"])
               for uid in future)


def test_a_new_plan_cancels_the_dropped_sessions_and_adds_the_new_ones(
    patient: User, patient_client: Client
) -> None:
    old = calendar_events(patient_client.get(reverse("exports:calendar_ics")).content)
    today = today_of(patient)
    plan_create(patient=patient, screening=latest_screening(patient),
                start=today + timedelta(days=1),
                weekdays=sorted({(today.weekday() + 1 + 2 * n) % 7 for n in range(3)}),
                sessions_per_week=3)
    new = calendar_events(patient_client.get(reverse("exports:calendar_ics")).content)
    assert set(old) < set(new)
    for uid in old:
        assert "CANCELLED" == str(new[uid]["status"]) and 1 == int(new[uid]["sequence"])
    added = set(new) - set(old)
    assert 36 == len(added)
    assert all("CONFIRMED" == str(new[uid]["status"]) for uid in added)


def test_a_reminder_adds_an_alarm_the_evening_before(patient_client: Client) -> None:
    patient_client.post(reverse("exports:calendar"),
                        {"action": "reminder", "reminder": "evening_before"})
    events = calendar_events(patient_client.get(reverse("exports:calendar_ics")).content)
    alarm = next(iter(events.values())).walk("VALARM")[0]
    assert timedelta(hours=-6) == alarm.decoded("trigger")
    assert all(int(e["sequence"]) == 0 for e in events.values())  # first export


def new_feed_url(client: Client) -> str:
    html = client.post(reverse("exports:calendar"), {"action": "link"}).content.decode()
    url = html.split('data-feed-url', 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]
    return url.replace("http://testserver", "")


def test_the_private_subscription_works_without_log_in_and_is_stored_hashed(
    patient: User, patient_client: Client, anonymous: Client
) -> None:
    url = new_feed_url(patient_client)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 40
    response = anonymous.get(url)
    assert 200 == response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    assert "Content-Disposition" not in response  # a subscription, not a download
    assert calendar_events(response.content)
    stored = CalendarFeed.objects.get(patient=patient).token_hash
    assert token not in stored and 64 == len(stored)
    page = patient_client.get(reverse("exports:calendar")).content.decode()
    assert token not in page  # shown once, when made


def test_a_wrong_token_is_404(anonymous: Client, patient_client: Client) -> None:
    url = new_feed_url(patient_client)
    assert 404 == anonymous.get(url.replace(".ics", "x.ics")).status_code
    assert 404 == anonymous.get(reverse("exports:calendar_feed", args=["guess"])).status_code


def test_a_new_link_revokes_the_old_one(patient_client: Client, anonymous: Client) -> None:
    old = new_feed_url(patient_client)
    new = new_feed_url(patient_client)
    assert old != new
    assert 404 == anonymous.get(old).status_code
    assert 200 == anonymous.get(new).status_code
    patient_client.post(reverse("exports:calendar"), {"action": "revoke"})
    assert 404 == anonymous.get(new).status_code


def test_the_feed_uses_the_patients_own_date(anonymous: Client) -> None:
    runner = make_user("tokyo@example.org", time_zone="Asia/Tokyo")
    make_plan(runner)
    url = new_feed_url(login(Client(), runner))
    events = calendar_events(anonymous.get(url).content)
    assert min(e.decoded("dtstart") for e in events.values()) == today_of(runner)
