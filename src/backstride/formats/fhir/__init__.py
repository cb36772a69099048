"""FHIR R4 export: one patient, or a clinic's caseload, as a transaction Bundle.

What each record becomes:

=====================  ==============================================================
record                 resources
=====================  ==============================================================
PatientRecord          Patient (pseudonymous: our id, gender, birth year, time zone);
                       CarePlan (the program); Observation (program baseline pain)
PlannedSession         one CarePlan.activity, dated, linked to the session's outcome
LoggedSession          Observation "Run-walk session running time" (seconds, status,
                       talk test, decision, next level, rules); one pain Observation
                       (LOINC 72514-3) per recorded pain score
CheckinRecord          pain Observation (rest)
QuestionnaireRecord    QuestionnaireResponse; Observation with the scores
AdverseEventRecord     AdverseEvent
=====================  ==============================================================

**Bundle type: transaction, every entry a PUT.** A ``collection`` is only a
file: posting it to a server stores one more Bundle each time, and whether the
receiver merges re-exports is up to it. A transaction of ``PUT Type/<id>`` is
an upsert the FHIR API defines: importing the same export twice, or a later
one, updates the same resources instead of duplicating them (STYLE.md,
"stable exports"), and it is all-or-nothing, so a failed import leaves nothing
half-loaded. The file is still a plain Bundle anyone can read.

**Ids are derived, never random.** Each resource id is
``uuid5(FHIR_ID_NAMESPACE, json.dumps([type, patient id, record kind, record id,
detail...]))``: a valid FHIR id (36 characters of ``[a-f0-9-]``) whatever our
ids look like, the same on every export, different for every patient and
record (the JSON list keeps ``("a:b", "c")`` and ``("a", "b:c")`` apart).
``fullUrl`` is ``urn:uuid:<id>`` and references inside the bundle use it, so
the file resolves on its own and a server rewrites them to ``Type/<id>``.
Our own ids travel in ``identifier`` (system under ``base_url``).

Every bundle is checked before it is returned: the records first
(:func:`~backstride.core.export_records.validate_export`), then the whole bundle
with the ``fhir.resources`` R4B models, which parse each entry with its own
resource class (:func:`validate_bundle`). Anything wrong is an
:class:`ExportError`; a pydantic error never escapes. (R4B is 4.3.0: for these
six resources it is R4 with no change that matters here.)

The package: ``resources`` (ids and one builder per resource), ``checks``
(what a bundle must pass); the bundles are built here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from backstride.core.export_records import ExportError, PatientExport, validate_export
from backstride.formats.fhir.checks import check_entries, checked_base_url, model_error, references
from backstride.formats.fhir.resources import (
    DEFAULT_BASE_URL,
    FHIR_ID_NAMESPACE,
    PAIN_LOINC,
    Context,
    Json,
    bundle_of,
    fhir_id,
    patient_entries,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "FHIR_ID_NAMESPACE",
    "PAIN_LOINC",
    "ExportError",
    "clinic_bundle",
    "fhir_id",
    "patient_bundle",
    "validate_bundle",
]


def patient_bundle(export: PatientExport, *, base_url: str = DEFAULT_BASE_URL) -> Json:
    """One patient's record as a FHIR transaction Bundle (a JSON-ready dict).

    ``base_url`` roots our identifier systems and questionnaire canonicals
    (``urn:backstride:questionnaire:odi``); ids do not depend on it. Raises
    :class:`ExportError` naming the field when a record or the bundle is invalid.
    """
    base = checked_base_url(base_url)
    validate_export(export)
    bundle = bundle_of(list(patient_entries(Context(export, base))))
    validate_bundle(bundle)
    return bundle


def clinic_bundle(
    exports: Sequence[PatientExport], *, base_url: str = DEFAULT_BASE_URL
) -> Json:
    """Every patient's resources in one transaction Bundle; each patient at most once.

    Errors name the export, e.g. ``exports[3].sessions[0].session.pain_during``.
    """
    base = checked_base_url(base_url)
    first: dict[str, int] = {}
    entries: list[Json] = []
    for i, export in enumerate(exports):
        validate_export(export, f"exports[{i}]")
        patient = export.patient.id
        if patient in first:
            raise ExportError(f"exports[{i}].patient.id",
                              f"{patient!r} is exports[{first[patient]}] too: each patient once")
        first[patient] = i
        entries.extend(patient_entries(Context(export, base)))
    bundle = bundle_of(entries)
    validate_bundle(bundle)
    return bundle


def validate_bundle(bundle: Mapping[str, Any]) -> None:
    """Raise :class:`ExportError` unless ``bundle`` is a valid FHIR transaction of ours.

    The ``fhir.resources`` R4B ``Bundle`` model checks the bundle and parses
    every entry's resource with its own class; then: fullUrls are unique and
    agree with the ids and the PUT urls, and every ``urn:uuid:`` reference
    points at an entry of the bundle.
    """
    try:
        Bundle.model_validate(bundle)
    except (ValueError, TypeError) as exc:
        # pydantic's ValidationError is a ValueError; it is not imported here because
        # formats may depend only on the file libraries (tests/test_architecture.py).
        raise model_error(bundle, exc) from exc
    full_urls = check_entries(bundle.get("entry", []))
    for i, entry in enumerate(bundle.get("entry", [])):
        for reference in references(entry["resource"]):
            if reference.startswith("urn:uuid:") and reference not in full_urls:
                raise ExportError(f"entry[{i}].resource", f"refers to {reference}, which is "
                                  "not in the bundle")
