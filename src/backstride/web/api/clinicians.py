"""``/api/v1/caseload``, ``/api/v1/alerts`` and ``/api/v1/patients/{id}/fhir``: a
clinician's patients, their alerts and a patient's data as FHIR.

Only the clinician's own clinic: every query is scoped by it, and a patient or
alert of another clinic is a 404 (never a 403 that would confirm it exists).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.params.functions import Path

from backstride.web.alerts.models import Alert
from backstride.web.api import auth, fhir, outputs
from backstride.web.api.errors import documented
from backstride.web.api.selectors import clinic_alerts
from backstride.web.audit.services import Action, audit_read
from backstride.web.caseload import selectors
from backstride.web.caseload.access import alert_for_clinician, patient_for_clinician

router = Router(tags=["clinician"], auth=auth.clinicians())

MAX_ID = 2**63 - 1  # a database id; anything larger names nothing
READ_ERRORS = documented(401, 403, 404, 422)  # 403: a session owing its second factor
ALERT_STATUSES = {
    "unresolved": (Alert.Status.OPEN, Alert.Status.ACKNOWLEDGED),
    "open": (Alert.Status.OPEN,),
    "acknowledged": (Alert.Status.ACKNOWLEDGED,),
    "resolved": (Alert.Status.RESOLVED,),
    "all": tuple(Alert.Status),
}


class CaseloadQuery(Schema):
    scope: Literal["mine", "clinic"] = Field(
        "mine", description="mine: patients you are responsible for; clinic: everyone's.")
    filter: Literal["all", "clearance", "paused", "inactive"] = "all"
    q: str = Field("", max_length=100, pattern=r"^[^\x00]*$",  # PostgreSQL refuses a NUL
                   description="Part of a name or email address.")


class AlertQuery(Schema):
    status: Literal["unresolved", "open", "acknowledged", "resolved", "all"] = "unresolved"
    patient: int | None = Field(None, ge=1, le=MAX_ID,
                                description="Only this patient's (a 404 if not your clinic's).")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)


@router.get("/caseload", response={200: outputs.CaseloadOut, **READ_ERRORS})
def caseload(request: HttpRequest, query: Query[CaseloadQuery]) -> dict[str, Any]:
    """The caseload queue: open alerts first (critical, high, low), then lower adherence,
    then rising pain."""
    clinician, clinic = auth.clinician_of(request)
    audit_read(patient=None, action=Action.LIST)
    queue = selectors.caseload_queue(clinic=clinic, clinician=clinician,
                                     mine=query.scope == "mine",
                                     wanted=selectors.Filter(query.filter), search=query.q)
    return {"total": queue.total,
            "patients": [outputs.caseload_row_out(row) for row in queue.rows]}


@router.get("/alerts", response={200: list[outputs.AlertOut], **READ_ERRORS})
def alerts(request: HttpRequest, query: Query[AlertQuery]) -> list[dict[str, Any]]:
    """Alerts of the clinic's patients, most recent first."""
    clinician, clinic = auth.clinician_of(request)
    patient = None
    if query.patient is not None:  # scoped, and recorded as a read of that patient
        patient = patient_for_clinician(clinician, query.patient)
    else:
        audit_read(patient=None, action=Action.LIST)
    rows = clinic_alerts(clinic=clinic, statuses=ALERT_STATUSES[query.status], patient=patient)
    return [outputs.alert_out(a) for a in rows[query.offset:query.offset + query.limit]]


@router.get("/alerts/{alert_id}", response={200: outputs.AlertOut, **READ_ERRORS})
def alert(request: HttpRequest,
          alert_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> dict[str, Any]:
    """One alert of a patient of the clinic."""
    clinician, _clinic = auth.clinician_of(request)
    return outputs.alert_out(alert_for_clinician(clinician, alert_id))


@router.get("/patients/{patient_id}/fhir",
            response={200: None, **documented(401, 403, 404, 409, 422)},
            openapi_extra=fhir.OPENAPI)
def patient_fhir(request: HttpRequest,
                 patient_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> HttpResponse:
    """A patient's data as a FHIR R4 transaction Bundle (``application/fhir+json``);
    409 before the patient has a program."""
    clinician, _clinic = auth.clinician_of(request)
    return fhir.fhir_response(patient_for_clinician(clinician, patient_id), actor=clinician)
