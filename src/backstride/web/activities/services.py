"""Writes for imported activities: import a file, date an undated one, link a later log.

``activity_import`` is the whole of journey step 6 for one upload: size cap,
duplicate check, reading (``backstride.formats`` sniffs the type from the bytes
and caps the decompressed size), run/walk segmentation, storing the original
file under a random name, matching the planned session of that local date and
feeding the running time to the session's log so P-CAP counts what was run.
A file that cannot be read raises ``ImportFormatError`` and leaves nothing
behind: no row, no stored file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import PurePath
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backstride.core.compliance import compliance, match_session_day
from backstride.core.errors import ImportFormatError
from backstride.core.segmentation import segment
from backstride.formats import read_activity
from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.activities import mapping
from backstride.web.activities.models import ImportedActivity
from backstride.web.activities.selectors import session_prescription
from backstride.web.audit.services import Action, audit_record, current_actor
from backstride.web.programs.models import Plan, PlanDay
from backstride.web.programs.selectors import plan_current
from backstride.web.runlog.models import SessionLog
from backstride.web.runlog.services import session_log_running_update

# Two uploads are one recording when they start and last the same to within this.
SAME_RECORDING = timedelta(seconds=1)
MAX_NAME = 200


@dataclass(frozen=True)
class Imported:
    """The row an upload ended in, and whether it was already there (a duplicate)."""

    activity: ImportedActivity
    duplicate: bool


def activity_import(*, patient: User, data: bytes, filename: str, day: date | None = None,
                    today: date | None = None) -> Imported:
    """Import one uploaded file for ``patient``.

    ``day`` is the local date the person gave; it is used only when the file
    has no start time (a watch whose clock was never set). Raises
    ImportFormatError (``.field`` "file" or "date") for a file too large, not
    an activity, or dated in the future.
    """
    name = clean_name(filename)
    _check_size(data, name)
    digest = hashlib.sha256(data).hexdigest()
    same_file = ImportedActivity.objects.filter(patient=patient, sha256=digest).first()
    if same_file is not None:
        return Imported(same_file, duplicate=True)
    activity = read_activity(data, filename=name)
    same_run = _same_recording(patient, activity.start, activity.duration)
    if same_run is not None:
        return Imported(same_run, duplicate=True)
    today = today or local_today(patient.time_zone)
    local_date = day
    if activity.start is not None:
        local_date = activity.start.astimezone(ZoneInfo(patient.time_zone)).date()
    elif day is not None and day > today:
        raise ImportFormatError("date", _("The date of the run cannot be in the future."))
    row = ImportedActivity(patient=patient, original_name=name, sha256=digest, size=len(data),
                           local_date=local_date,
                           **mapping.activity_fields(activity, segment(activity)))
    return _store(row, data, today)


def activity_set_date(*, activity: ImportedActivity, day: date,
                      today: date | None = None) -> ImportedActivity:
    """Date a file that had no start time, then match it. ImportFormatError for a future date."""
    patient = activity.patient
    today = today or local_today(patient.time_zone)
    if activity.start is not None:
        raise ImportFormatError("date", _("This file says when it was recorded."))
    if day > today:
        raise ImportFormatError("date", _("The date of the run cannot be in the future."))
    with transaction.atomic():
        activity.local_date = day
        activity.save(update_fields=["local_date"])
        audit_record(actor=current_actor(patient), action=Action.UPDATE, patient=patient,
                     obj=activity)
        _match(activity, today)
    return activity


def activities_attach_log(*, patient: User, log: SessionLog) -> int:
    """Link a new log to the activities already matched to its session; how many."""
    return ImportedActivity.objects.filter(
        patient=patient, plan_day__date=log.date, plan_day__plan__is_current=True,
        session_log__isnull=True,
    ).update(session_log=log)


def clean_name(filename: str) -> str:
    """The file's own name, without any folder, for labels only (never a path on disk)."""
    name = PurePath(filename.replace("\\", "/")).name.strip() or "activity"
    return "".join(c for c in name if c.isprintable())[:MAX_NAME]


def too_large(name: str) -> str:
    """The message for a file over BACKSTRIDE_UPLOAD_MAX_BYTES."""
    return _("%(name)s is larger than %(mb)d MB, the most a file may be.") % {
        "name": clean_name(name), "mb": settings.BACKSTRIDE_UPLOAD_MAX_BYTES // 10**6}


def _check_size(data: bytes, name: str) -> None:
    if len(data) > settings.BACKSTRIDE_UPLOAD_MAX_BYTES:
        raise ImportFormatError("file", too_large(name))


def _same_recording(patient: User, start: datetime | None,
                    duration: float) -> ImportedActivity | None:
    if start is None:
        return None
    return ImportedActivity.objects.filter(
        patient=patient,
        start__range=(start - SAME_RECORDING, start + SAME_RECORDING),
        duration_seconds__range=(duration - 1, duration + 1),
    ).first()


def _store(row: ImportedActivity, data: bytes, today: date) -> Imported:
    """Save the file and the row together: if the row fails, the file goes too."""
    row.original.save("upload", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            row.full_clean(validate_constraints=False)
            row.save()
            audit_record(actor=current_actor(row.patient), action=Action.CREATE,
                         patient=row.patient, obj=row)
            _match(row, today)
    except IntegrityError:  # the same file, uploaded at the same moment by another request
        row.original.delete(save=False)
        existing = ImportedActivity.objects.filter(patient=row.patient, sha256=row.sha256).first()
        if existing is None:
            raise
        return Imported(existing, duplicate=True)
    except BaseException:
        row.original.delete(save=False)
        raise
    return Imported(row, duplicate=False)


# --- Matching ----------------------------------------------------------------------------


def _match(row: ImportedActivity, today: date) -> None:
    """Match ``row`` to its planned session, judge compliance, feed the session's log."""
    plan = plan_current(row.patient)
    plan_day = _session_day(row, plan, today) if plan is not None else None
    if plan is None or plan_day is None:
        row.plan_day, row.session_log, row.planned_running_seconds, row.compliance = (
            None, None, None, "")
    else:
        log = SessionLog.objects.filter(patient=row.patient, date=plan_day.date).first()
        planned = _planned_running(row.patient, plan, plan_day, log)
        row.plan_day, row.session_log, row.planned_running_seconds = plan_day, log, planned
        row.compliance = str(compliance(planned, row.running_seconds))
    row.save(update_fields=["plan_day", "session_log", "planned_running_seconds", "compliance"])
    if plan is not None and row.session_log is not None:
        _feed_log(row.patient, plan, row.session_log, today)


def _session_day(row: ImportedActivity, plan: Plan, today: date) -> PlanDay | None:
    if row.local_date is None:
        return None
    near = {d.date: d for d in PlanDay.objects.filter(
        plan=plan, kind=PlanDay.Kind.RUN_WALK,
        date__range=(row.local_date - timedelta(days=1), row.local_date + timedelta(days=1)))}
    local_start = row.start.astimezone(ZoneInfo(row.patient.time_zone)) if row.start else None
    matched = match_session_day(near, day=row.local_date, local_start=local_start, latest=today)
    return None if matched is None else near[matched]


def _planned_running(patient: User, plan: Plan, plan_day: PlanDay,
                     log: SessionLog | None) -> int:
    """Seconds of running prescribed (none while running is locked)."""
    prescription = session_prescription(patient, plan, plan_day, log)
    return int(prescription["total_running_seconds"]) if prescription else 0


def _feed_log(patient: User, plan: Plan, log: SessionLog, today: date) -> None:
    """The log's running time becomes what the recordings show.

    The longest of its recordings, not their sum: a run recorded by a phone and
    a watch must not count twice, and the safer error (P-CAP) is counting less.
    A session logged as not done keeps its answer.
    """
    if log.status == SessionLog.Status.MISSED:
        return
    recorded = max(a.running_seconds for a in log.activities.all())
    if recorded != log.run_seconds:
        session_log_running_update(patient=patient, plan=plan, log=log, run_seconds=recorded,
                                   today=today)
