"""A patient's FHIR R4 transaction Bundle, as the API serves it (``/me/fhir`` and
``/patients/{id}/fhir``): the reports app builds it, this module answers with it.

The Bundle is served as ``application/fhir+json`` and recorded as an export of
the patient's data (one audit row, like the download on the clinician's page).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

from backstride.core.export_records import ExportError
from backstride.web.accounts.models import User
from backstride.web.api.errors import ApiError
from backstride.web.audit.services import Action, audit_record
from backstride.web.reports.selectors import patient_fhir_bundle

MEDIA_TYPE = "application/fhir+json"
# The OpenAPI description of the 200 answer (merged into the operation by ninja).
OPENAPI = {"responses": {200: {"content": {MEDIA_TYPE: {"schema": {
    "type": "object", "required": ["resourceType", "type", "entry"],
    "properties": {"resourceType": {"const": "Bundle"}, "type": {"const": "transaction"},
                   "entry": {"type": "array", "items": {"type": "object"}}},
}}}}}}


def fhir_response(patient: User, *, actor: User) -> HttpResponse:
    """The Bundle of ``patient`` (already scoped to ``actor``), or a 409 before a program."""
    try:
        bundle: dict[str, Any] = patient_fhir_bundle(patient)
    except ExportError as error:
        if error.field != "patient":
            raise RuntimeError(f"FHIR export failed: {error}") from error  # ours: a 500
        raise ApiError(409, "nothing_to_export", error.message[:1].upper() + error.message[1:],
                       None) from None
    audit_record(actor=actor, action=Action.EXPORT, patient=patient, obj=("fhir", patient.pk))
    return HttpResponse(json.dumps(bundle), content_type=MEDIA_TYPE)
