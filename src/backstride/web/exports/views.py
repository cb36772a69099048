"""Send to watch (FIT workouts, one session or a week as ZIP) and the calendar (ICS, feed)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from backstride.formats.fit_workout import session_workout, workouts_zip
from backstride.web.accounts.access import consent_required
from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.audit.services import Action, audit_record
from backstride.web.exports import selectors, services
from backstride.web.exports.forms import ReminderForm
from backstride.web.exports.models import CalendarFeed
from backstride.web.forms import posted
from backstride.web.programs.selectors import plan_current

FIT_TYPE = "application/vnd.ant.fit"
ON_HOLD = gettext_lazy("Running is on hold for now, so there is no workout to send to your "
                       "watch.")


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@consent_required
def workout(request: HttpRequest, pk: int) -> HttpResponse:
    """One session's FIT workout."""
    day = selectors.run_walk_day_for_patient(request.user, pk)
    today = local_today(request.user.time_zone)
    session = selectors.sessions_for(request.user, day.plan, [day], today)[0]
    if session.prescription is None:
        messages.warning(request, ON_HOLD)
        return redirect("runlog:today")
    fit = session_workout(day.date, session.prescription)
    return _attachment(fit.data, FIT_TYPE, fit.file_name)


@consent_required
def workout_week(request: HttpRequest, week: int) -> HttpResponse:
    """Every run-walk session of program week ``week`` as FIT workouts in one ZIP."""
    plan = plan_current(request.user)
    if plan is None:
        raise Http404
    today = local_today(request.user.time_zone)
    days = selectors.run_walk_days_of_week(plan, week)
    if not days:
        raise Http404
    workouts = [session_workout(s.day.date, s.prescription)
                for s in selectors.sessions_for(request.user, plan, days, today)
                if s.prescription is not None]
    if not workouts:
        messages.warning(request, ON_HOLD)
        return redirect("programs:plan")
    data = workouts_zip(workouts)
    return _attachment(data, "application/zip", f"backstride-week-{week:02d}.zip")


@consent_required
def calendar_download(request: HttpRequest) -> HttpResponse:
    data = _calendar(request.user)
    return _attachment(data, "text/calendar; charset=utf-8", "backstride-plan.ics")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private subscription: no log-in, the unguessable token is the key; 404 otherwise."""
    feed = (CalendarFeed.objects.select_related("patient")
            .filter(token_hash=services.token_hash(token)).first())
    if feed is None:
        raise Http404
    # No one is signed in here: the row names no actor, only the address the link was used from.
    audit_record(actor=None, action=Action.EXPORT, patient=feed.patient, obj=feed)
    response = HttpResponse(_calendar(feed.patient), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


def _calendar(patient: User) -> bytes:
    return services.calendar_export(patient=patient, stamp=timezone.now(),
                                    today=local_today(patient.time_zone))


@consent_required
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    """The calendar page: download, the private link (shown once when made), the reminder."""
    feed = CalendarFeed.objects.filter(patient=request.user).first()
    form = ReminderForm(posted(request) if request.POST.get("action") == "reminder" else None,
                        initial={"reminder": feed.reminder if feed else ""})
    new_link = None
    action = request.POST.get("action")
    if action == "link":
        token = services.feed_link_create(patient=request.user)
        new_link = request.build_absolute_uri(reverse("exports:calendar_feed", args=[token]))
        feed = CalendarFeed.objects.get(patient=request.user)
    elif action == "revoke":
        services.feed_link_revoke(patient=request.user)
        messages.success(request, _("Your private calendar link no longer works."))
        return redirect("exports:calendar")
    elif action == "reminder" and form.is_valid():
        services.feed_reminder_set(patient=request.user, reminder=form.cleaned_data["reminder"])
        messages.success(request, _("Reminder saved: calendars show it after their next update."))
        return redirect("exports:calendar")
    return render(request, "exports/calendar.html", {
        "feed": feed, "form": form, "new_link": new_link,
        "webcal": new_link.replace("https://", "webcal://").replace("http://", "webcal://")
        if new_link else None,
    })
