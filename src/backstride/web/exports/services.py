"""Writes for exports: the private calendar link, its reminder, and each calendar export.

An export is a write as well as a read: it records, per plan day, the event it
sent (``CalendarEvent``), so the next export after a change carries the same
UID with SEQUENCE + 1 and calendars update the event instead of adding one.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backstride.formats.ics import CalendarSession, describe, sessions_calendar
from backstride.web.accounts.models import User
from backstride.web.exports.models import CalendarEvent, CalendarFeed
from backstride.web.exports.selectors import Session, all_run_walk_days, sessions_for
from backstride.web.programs.models import Plan, PlanDay

TOKEN_BYTES = 32  # 256 random bits: not guessable, not enumerable
# For an all-day event the trigger counts from 00:00 of the session's date.
REMINDER_TRIGGERS: dict[str, timedelta] = {
    CalendarFeed.Reminder.EVENING_BEFORE.value: timedelta(hours=-6),
    CalendarFeed.Reminder.MORNING.value: timedelta(hours=7),
}
CALENDAR_NAME = "Backstride run-walk"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_link_create(*, patient: User) -> str:
    """A new private calendar link token for ``patient``; any older link stops working."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.select_for_update().get_or_create(patient=patient)
        feed.token_hash = token_hash(token)
        feed.link_created_at = timezone.now()
        feed.full_clean()
        feed.save()
    return token


def feed_link_revoke(*, patient: User) -> None:
    """Stop the private link without making a new one."""
    CalendarFeed.objects.filter(patient=patient).update(token_hash=None, link_created_at=None)


def feed_reminder_set(*, patient: User, reminder: str) -> CalendarFeed:
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.select_for_update().get_or_create(patient=patient)
        feed.reminder = reminder
        feed.full_clean()
        feed.save(update_fields=["reminder"])
    return feed


def calendar_export(*, patient: User, stamp: datetime, today: date) -> bytes:
    """The patient's run-walk sessions as ``.ics`` (every plan: dropped sessions cancelled)."""
    feed = CalendarFeed.objects.filter(patient=patient).first()
    reminder = REMINDER_TRIGGERS.get(feed.reminder) if feed is not None else None
    entries = [(s.day, _event(s, cancelled, reminder))
               for s, cancelled in _sessions(patient, today)]
    sequences = _sequences(entries)
    events = [replace(event, sequence=sequences[day.pk]) for day, event in entries]
    return sessions_calendar(events, stamp=stamp, name=CALENDAR_NAME)


def _sessions(patient: User, today: date) -> list[tuple[Session, bool]]:
    """Every run-walk session of every plan, and whether it was dropped.

    A plan that was replaced keeps its sessions before the day the new plan
    was made; the later ones were dropped, and go out as cancelled.
    """
    by_plan: dict[Plan, list[PlanDay]] = {}
    for day in all_run_walk_days(patient):
        by_plan.setdefault(day.plan, []).append(day)
    current = next((plan for plan in by_plan if plan.is_current), None)
    cutoff = None
    if current is not None:
        cutoff = current.created_at.astimezone(ZoneInfo(patient.time_zone)).date()
    out: list[tuple[Session, bool]] = []
    for plan, days in by_plan.items():
        dropped = [] if plan.is_current or cutoff is None else [d for d in days if d.date >= cutoff]
        kept = [d for d in days if d not in dropped]
        out += [(s, False) for s in sessions_for(patient, plan, kept, today)]
        out += [(s, True) for s in sessions_for(patient, plan, dropped, date.max)]  # as planned
    return sorted(out, key=lambda pair: (pair[0].day.date, pair[0].day.pk))


def _event(session: Session, cancelled: bool, reminder: timedelta | None) -> CalendarSession:
    day, prescription = session.day, session.prescription
    if prescription is None:
        title = _("Run-walk: running on hold")
        text = _("Running is on hold for now: open Backstride to see why and what to do.")
    else:
        title = (_("Low-impact cardio (no running)") if prescription.level is None
                 else _("Run-walk, level %(n)d") % {"n": prescription.level})
        text = describe(prescription)
    if session.logged is not None:
        status = _("Logged: %(status)s.") % {"status": session.logged.get_status_display()}
    else:
        status = _("The level is the one you are at now; after each session it follows how "
                   "your back responded.")
    description = "\n\n".join([text, status, *day.notes[:2]])
    return CalendarSession(id=f"planday-{day.pk}", day=day.date, title=title,
                           description=description, cancelled=cancelled, reminder=reminder)


def _sequences(entries: Sequence[tuple[PlanDay, CalendarSession]]) -> dict[int, int]:
    """Each plan day's SEQUENCE: 0 when first sent, one more each time the event changed."""
    with transaction.atomic():
        stored = {e.plan_day_id: e for e in CalendarEvent.objects.select_for_update()
                  .filter(plan_day__in=[day.pk for day, _session in entries])}
        new, changed = [], []
        for day, event in entries:
            seen = _fingerprint(event)
            known = stored.get(day.pk)
            if known is None:
                stored[day.pk] = CalendarEvent(plan_day=day, sequence=0, fingerprint=seen)
                new.append(stored[day.pk])
            elif known.fingerprint != seen:
                known.sequence += 1
                known.fingerprint = seen
                changed.append(known)
        CalendarEvent.objects.bulk_create(new, ignore_conflicts=True)
        CalendarEvent.objects.bulk_update(changed, ["sequence", "fingerprint"])
    return {pk: event.sequence for pk, event in stored.items()}


def _fingerprint(event: CalendarSession) -> str:
    """What a calendar shows of the event; a change of any of it is a new SEQUENCE."""
    seen = [event.day.isoformat(), event.title, event.description, event.cancelled,
            None if event.reminder is None else event.reminder.total_seconds()]
    return hashlib.sha256(json.dumps(seen).encode()).hexdigest()
