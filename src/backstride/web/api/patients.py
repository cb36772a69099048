"""``/api/v1/me/...``: a patient's plan, today, session logs, check-ins and uploads.

The writes reuse the web app's services, so the API keeps their guarantees: a
log is idempotent on its ``client_id`` (a repeat returns the first row with a
200, concurrent repeats still make one row), every log asks the engine what
comes next, red flags lock running, and a rejected upload leaves nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from backstride.core.errors import HistoryError, ImportFormatError
from backstride.core.evidence import DURING_PAIN_ABOVE
from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.activities import selectors as activity_selectors
from backstride.web.activities import services as activity_services
from backstride.web.api import auth, fhir, outputs
from backstride.web.api.errors import ApiError, documented
from backstride.web.api.inputs import ActivityForm, CheckinIn, SessionLogIn
from backstride.web.api.uploads import body_at_most
from backstride.web.audit.services import audit_read
from backstride.web.programs.models import Plan
from backstride.web.programs.selectors import plan_current
from backstride.web.runlog import selectors, services
from backstride.web.runlog.models import Checkin, SessionLog
from backstride.web.safety.selectors import red_flag_lock_open

router = Router(tags=["patient"], auth=auth.patients())

READ_ERRORS = documented(401, 403, 404)
WRITE_ERRORS = documented(400, 401, 403, 404, 409, 413, 422)
PAIN_FIELDS = ("pain_before", "pain_during", "pain_after")


def _plan_of(patient: User) -> Plan:
    plan = plan_current(patient)
    if plan is None:
        raise ApiError(404, "no_plan", _("There is no plan yet: do the screening in the app."))
    return plan


def _running_locked(patient: User, plan: Plan) -> bool:
    return plan.locked or red_flag_lock_open(patient) is not None


@router.get("/me/plan", response={200: outputs.PlanOut, **READ_ERRORS})
def my_plan(request: HttpRequest) -> dict[str, Any]:
    """The current plan, every day of it, each with the status of its log."""
    patient = auth.patient_of(request)
    plan = _plan_of(patient)
    audit_read(patient=patient, obj=plan)
    days = list(plan.days.all())
    logs = selectors.logs_by_date(patient, days[0].date, days[-1].date) if days else {}
    return outputs.plan_out(plan, logs)


@router.get("/me/today", response={200: outputs.TodayOut, **READ_ERRORS})
def my_today(request: HttpRequest) -> dict[str, Any]:
    """Today (the patient's local date): the planned day, its log, or the session to do."""
    patient = auth.patient_of(request)
    plan = _plan_of(patient)
    audit_read(patient=patient, obj=plan)
    state = selectors.today_for(patient, plan, local_today(patient.time_zone))
    return outputs.today_out(state, running_locked=_running_locked(patient, plan))


@router.get("/me/fhir", response={200: None, **documented(401, 403, 404, 409)},
            openapi_extra=fhir.OPENAPI)
def my_fhir(request: HttpRequest) -> HttpResponse:
    """Everything of mine as a FHIR R4 transaction Bundle (``application/fhir+json``);
    409 before there is a program to export."""
    patient = auth.patient_of(request)
    return fhir.fhir_response(patient, actor=patient)


@router.post("/me/sessions",
             response={201: outputs.SessionLogOut, 200: outputs.SessionLogOut, **WRITE_ERRORS})
def log_session(request: HttpRequest, payload: SessionLogIn) -> Status[dict[str, Any]]:
    """Log a session: 201 with the engine's decision, or 200 with the row an earlier post
    with the same ``client_id`` made. 409 when the date already has a log or running is
    locked (a plan waiting for clearance, a red flag)."""
    patient = auth.patient_of(request)
    plan = _plan_of(patient)
    earlier = SessionLog.objects.filter(patient=patient, client_id=payload.client_id).first()
    if earlier is not None:  # a retry is answered even if running was locked since
        return Status(200, outputs.session_log_out(earlier, earlier.decisions.first()))
    if _running_locked(patient, plan):
        raise ApiError(409, "running_locked", _("Running is locked for now: see the advice "
                                                "on the today page."))
    today = local_today(patient.time_zone)
    try:
        logged = services.session_log_create(patient=patient, plan=plan,
                                             client_id=payload.client_id, day=payload.date,
                                             today=today, **_log_fields(payload, plan, patient))
    except HistoryError as error:
        raise _refusal(error, SessionLog.objects.filter(patient=patient,
                                                        date=payload.date).exists()) from None
    if logged.created:
        activity_services.activities_attach_log(patient=patient, log=logged.row)
    return Status(201 if logged.created else 200,
                  outputs.session_log_out(logged.row, logged.decision))  # type: ignore[arg-type]


def _log_fields(payload: SessionLogIn, plan: Plan, patient: User) -> dict[str, Any]:
    """The service's arguments, after the rules the session log form applies."""
    if payload.date < plan.start:
        raise ApiError(422, "invalid", _("Choose a date from %(day)s, when your plan started.")
                       % {"day": plan.start.isoformat()}, "date")
    base: dict[str, Any] = {"status": payload.status, "symptoms": payload.symptoms,
                            "walked_home": payload.walked_home}
    if payload.status == "missed":  # nothing to score; the answers are not kept
        return {**base, **dict.fromkeys(PAIN_FIELDS), "talk_test_ok": None, "other_pain": {},
                "run_seconds": None}
    _check_answers(payload)
    recorded = activity_selectors.imported_running_seconds(patient, payload.date)
    return {**base, **{name: getattr(payload, name) for name in PAIN_FIELDS},
            "talk_test_ok": payload.talk_test_ok, "other_pain": payload.other_pain.scores(),
            "run_seconds": payload.run_seconds if payload.run_seconds is not None else recorded}


def _check_answers(payload: SessionLogIn) -> None:
    for name in PAIN_FIELDS:
        if getattr(payload, name) is None:
            raise ApiError(422, "required", _("Give a score from 0 to 10."), name)
    if payload.talk_test_ok is None:
        raise ApiError(422, "required", _("Answer true or false."), "talk_test_ok")
    if payload.status == "partial" and payload.run_seconds is None:
        raise ApiError(422, "required", _("Say roughly how many seconds you ran."),
                       "run_seconds")
    if payload.walked_home and payload.pain_during <= DURING_PAIN_ABOVE:  # type: ignore[operator]
        raise ApiError(422, "invalid", _("A session ended for pain over %(limit)d needs a "
                                         "pain_during above %(limit)d.")
                       % {"limit": DURING_PAIN_ABOVE}, "pain_during")


def _refusal(error: HistoryError, day_taken: bool) -> ApiError:
    """A service's refusal: a conflict with what is stored (409) or bad input (422)."""
    if error.field == "client_id":
        return ApiError(409, "client_id_taken", _("This client_id belongs to another log: "
                                                  "make a new one."), "client_id")
    if error.field == "date" and day_taken:
        return ApiError(409, "already_logged", error.message, "date")
    return ApiError(422, "invalid", error.message, error.field)


@router.post("/me/checkins",
             response={201: outputs.CheckinOut, 200: outputs.CheckinOut, **WRITE_ERRORS})
def check_in(request: HttpRequest, payload: CheckinIn) -> Status[dict[str, Any]]:
    """Today's check-in: 201 (a second one today updates the day's answers), or 200 with
    the row an earlier post with the same ``client_id`` made."""
    patient = auth.patient_of(request)
    plan = _plan_of(patient)
    try:
        logged = services.checkin_create(
            patient=patient, plan=plan, client_id=payload.client_id,
            rest_pain=payload.rest_pain, pain_next_morning=payload.pain_next_morning,
            symptoms=payload.symptoms, today=local_today(patient.time_zone))
    except HistoryError as error:
        if error.field == "date":  # another of today's check-ins was saved at that moment
            raise ApiError(409, "already_logged", _(
                "Another check-in of today was saved at the same moment: post yours again "
                "to update it.")) from None
        raise _refusal(error, day_taken=False) from None
    row: Checkin = logged.row  # type: ignore[assignment]
    return Status(201 if logged.created else 200, outputs.checkin_out(row, logged.decision))


def _upload_cap() -> int:
    return int(settings.BACKSTRIDE_UPLOAD_MAX_BYTES)


UPLOAD_FIELDS = {"file", *ActivityForm.model_fields}


@router.post("/me/activities", response={201: outputs.ImportOut, 200: outputs.ImportOut,
                                         **documented(400, 401, 403, 404, 413, 422)},
             openapi_extra={"requestBody": {"content": {"multipart/form-data": {
                 "schema": {"additionalProperties": False}}}}})
@decorate_view(body_at_most(_upload_cap))
def upload_activity(request: HttpRequest, file: File[UploadedFile],
                    form: Form[ActivityForm]) -> Status[dict[str, Any]]:
    """Upload one FIT, GPX or TCX file (also zipped or gzipped), multipart: 201 imported,
    200 duplicate (the same file or recording), 422 ``rejected`` with the reason, 413
    over the size cap."""
    patient = auth.patient_of(request)
    _refuse_unknown_fields(request)
    name = activity_services.clean_name(file.name or "")
    if (file.size or 0) > _upload_cap():  # (the upload handler usually stops it sooner)
        raise ApiError(413, "too_large", activity_services.too_large(name), "file")
    try:
        imported = activity_services.activity_import(
            patient=patient, data=file.read(), filename=name, day=form.date,
            today=local_today(patient.time_zone))
    except ImportFormatError as error:
        if error.field == "date":
            raise ApiError(422, "invalid", error.message, "date") from None
        raise ApiError(422, "rejected", error.message, "file") from None
    reason = _("You had already uploaded this run.") if imported.duplicate else ""
    return Status(200 if imported.duplicate else 201, {
        "result": "duplicate" if imported.duplicate else "imported", "reason": reason,
        "activity": outputs.activity_out(imported.activity)})


def _refuse_unknown_fields(request: HttpRequest) -> None:
    """Ninja reads only the fields it knows from a multipart body: refuse the others, as
    every JSON body refuses them (mass assignment)."""
    unknown = sorted((set(request.POST) | set(request.FILES)) - UPLOAD_FIELDS)
    if unknown:
        raise ApiError(422, "unknown_field", _("This field is not accepted here."), unknown[0])
