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
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from typing import Any
from urllib.parse import quote

from fhir.resources.R4B.bundle import Bundle

from backstride.core.export_records import (
    AdverseEventRecord,
    CheckinRecord,
    ExportError,
    LoggedSession,
    PatientExport,
    PlannedSession,
    QuestionnaireRecord,
    validate_export,
)
from backstride.core.outcomes.adverse_events import Seriousness
from backstride.core.plans import DayKind
from backstride.core.progression import Status

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

Json = dict[str, Any]

#: Every exported id depends on this value: changing it duplicates every resource
#: on the next import. It is uuid5(NAMESPACE_URL, "urn:backstride:fhir"), pinned.
FHIR_ID_NAMESPACE = uuid.UUID("3e93a418-d4e9-5378-b086-8aa9f363c23a")
DEFAULT_BASE_URL = "urn:backstride"

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
PAIN_LOINC = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
RUN_TEXT = "Run-walk session running time"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SERIOUSNESS_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
TIMEZONE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/timezone"
# Our code systems are the same for every deployment (a code must mean one thing),
# unlike identifier systems and questionnaire canonicals, which live under base_url.
CODES = "urn:backstride:codesystem"

_GENDER = {"female": "female", "male": "male", "other": "other"}  # None -> "unknown"
_SERIOUSNESS = {
    Seriousness.SERIOUS: ("serious", "Serious"),
    Seriousness.NON_SERIOUS: ("non-serious", "Non-serious"),
}
# A planned run-walk day's activity status, from the session logged on its date.
_ACTIVITY_STATUS = {Status.DONE: "completed", Status.PARTIAL: "stopped",
                    Status.MISSED: "cancelled"}
# (SessionRecord field, pain-context code, what the note says, days after the session)
_SESSION_PAINS = (
    ("pain_before", "before", "Back pain before the run-walk session", 0),
    ("pain_during", "during", "Worst back pain during the run-walk session", 0),
    ("pain_after", "after", "Back pain after the run-walk session", 0),
    ("pain_next_morning", "next-morning", "Back pain the morning after the run-walk session", 1),
)
_FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")  # FHIR's id datatype
_BASE_URL = re.compile(r"urn:[A-Za-z0-9][A-Za-z0-9.:-]*|https?://\S+")


def fhir_id(*parts: str) -> str:
    """The FHIR id derived from ``parts`` (resource type, our ids...); see the module doc."""
    return str(uuid.uuid5(FHIR_ID_NAMESPACE, json.dumps(list(parts))))


def patient_bundle(export: PatientExport, *, base_url: str = DEFAULT_BASE_URL) -> Json:
    """One patient's record as a FHIR transaction Bundle (a JSON-ready dict).

    ``base_url`` roots our identifier systems and questionnaire canonicals
    (``urn:backstride:questionnaire:odi``); ids do not depend on it. Raises
    :class:`ExportError` naming the field when a record or the bundle is invalid.
    """
    base = _checked_base_url(base_url)
    validate_export(export)
    bundle = _bundle(list(_entries(_Ctx(export, base))))
    validate_bundle(bundle)
    return bundle


def clinic_bundle(
    exports: Sequence[PatientExport], *, base_url: str = DEFAULT_BASE_URL
) -> Json:
    """Every patient's resources in one transaction Bundle; each patient at most once.

    Errors name the export, e.g. ``exports[3].sessions[0].session.pain_during``.
    """
    base = _checked_base_url(base_url)
    first: dict[str, int] = {}
    entries: list[Json] = []
    for i, export in enumerate(exports):
        validate_export(export, f"exports[{i}]")
        patient = export.patient.id
        if patient in first:
            raise ExportError(f"exports[{i}].patient.id",
                              f"{patient!r} is exports[{first[patient]}] too: each patient once")
        first[patient] = i
        entries.extend(_entries(_Ctx(export, base)))
    bundle = _bundle(entries)
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
        raise _model_error(bundle, exc) from exc
    full_urls = _check_entries(bundle.get("entry", []))
    for i, entry in enumerate(bundle.get("entry", [])):
        for reference in _references(entry["resource"]):
            if reference.startswith("urn:uuid:") and reference not in full_urls:
                raise ExportError(f"entry[{i}].resource", f"refers to {reference}, which is "
                                  "not in the bundle")


# --- Records to resources -----------------------------------------------------------


@dataclass(frozen=True)
class _Ctx:
    export: PatientExport
    base_url: str

    def id(self, resource_type: str, *parts: str) -> str:
        return fhir_id(resource_type, self.export.patient.id, *parts)

    def ref(self, resource_type: str, *parts: str) -> Json:
        return {"reference": f"urn:uuid:{self.id(resource_type, *parts)}"}

    @property
    def subject(self) -> Json:
        return self.ref("Patient")

    def url(self, *names: str) -> str:
        separator = ":" if self.base_url.startswith("urn:") else "/"
        return separator.join((self.base_url, *names))

    def identifier(self, kind: str, value: str) -> Json:
        return {"system": self.url(kind), "value": value}


def _entries(ctx: _Ctx) -> Iterator[Json]:
    export = ctx.export
    yield _patient(ctx)
    yield _care_plan(ctx)
    yield _baseline_pain(ctx)
    for logged in sorted(export.sessions, key=lambda s: (s.session.date, s.id)):
        yield from _session(ctx, logged)
    for checkin in sorted(export.checkins, key=lambda c: (c.checkin.date, c.id)):
        yield _rest_pain(ctx, checkin)
    for record in sorted(export.questionnaires, key=lambda q: (q.date, q.id)):
        yield _questionnaire_response(ctx, record)
        yield _questionnaire_score(ctx, record)
    for event in sorted(export.adverse_events, key=lambda e: (e.event.date, e.id)):
        yield _adverse_event(ctx, event)


def _patient(ctx: _Ctx) -> Json:
    patient = ctx.export.patient
    resource: Json = {
        "resourceType": "Patient",
        "id": ctx.id("Patient"),
        "extension": [{"url": TIMEZONE_EXTENSION, "valueCode": patient.time_zone}],
        "identifier": [ctx.identifier("patient", patient.id)],
        "gender": _GENDER.get(patient.sex or "", "unknown"),
    }
    if patient.birth_year is not None:
        resource["birthDate"] = f"{patient.birth_year:04d}"
    return resource


def _care_plan(ctx: _Ctx) -> Json:
    by_date: dict[date, list[LoggedSession]] = {}
    for logged in ctx.export.sessions:
        by_date.setdefault(logged.session.date, []).append(logged)
    planned = sorted(ctx.export.planned, key=lambda p: (p.date, p.id))
    activities = [_activity(ctx, p, by_date.get(p.date, [])) for p in planned]
    resource: Json = {
        "resourceType": "CarePlan",
        "id": ctx.id("CarePlan"),
        "identifier": [ctx.identifier("program", ctx.export.patient.id)],
        # Design choice: the export describes the program as it runs now.
        "status": "active",
        "intent": "plan",
        "title": "Graded run-walk program",
        "subject": ctx.subject,
        "period": {"start": ctx.export.patient.enrolled_on.isoformat()},
    }
    if activities:
        resource["activity"] = activities
    return resource


def _activity(ctx: _Ctx, planned: PlannedSession, logs: Sequence[LoggedSession]) -> Json:
    day = planned.date.isoformat()
    if DayKind(planned.kind) is not DayKind.RUN_WALK:
        logs = ()  # a log is the outcome of a run-walk day only
    status = _ACTIVITY_STATUS[Status(logs[0].session.status)] if logs else "scheduled"
    activity: Json = {"detail": {
        "code": {"coding": [_coding("day-kind", str(planned.kind))], "text": planned.title},
        "status": status,
        "scheduledPeriod": {"start": day, "end": day},
        "description": _describe(planned),
    }}
    if logs:
        activity["outcomeReference"] = [
            ctx.ref("Observation", "session", log.id, "run-seconds") for log in logs]
    return activity


def _baseline_pain(ctx: _Ctx) -> Json:
    patient = ctx.export.patient
    text = "Program baseline pain: mean back pain at enrolment, 0-10"
    return _observation(
        ctx.id("Observation", "patient", patient.id, "baseline-pain"), ctx, "survey",
        {"coding": [_coding("observation", "baseline-pain", text)], "text": text},
        patient.enrolled_on,
        valueQuantity=_quantity(patient.program_baseline_pain, "{score}"),
    )


def _session(ctx: _Ctx, logged: LoggedSession) -> Iterator[Json]:
    session = logged.session
    pains = [
        _pain(ctx.id("Observation", "session", logged.id, "pain", code), ctx,
              session.date + timedelta(days=days_after), value, code, note)
        for name, code, note, days_after in _SESSION_PAINS
        if (value := getattr(session, name)) is not None
    ] + [
        _pain(ctx.id("Observation", "session", logged.id, "pain-site", site), ctx,
              session.date, score, "with-session",
              f"{site.capitalize()} pain reported with the run-walk session", body_site=site)
        for site, score in sorted(session.other_pain.items())
    ]
    run = _observation(
        ctx.id("Observation", "session", logged.id, "run-seconds"), ctx, "activity",
        {"coding": [_coding("observation", "run-seconds", RUN_TEXT)], "text": RUN_TEXT},
        session.date,
        identifier=[ctx.identifier("session-log", logged.id)],
        basedOn=[ctx.ref("CarePlan")],
        issued=logged.logged_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        valueQuantity=_quantity(session.run_seconds, "s"),
        component=_session_components(logged),
    )
    if pains:  # the session groups the pain scores logged with it
        run["hasMember"] = [{"reference": f"urn:uuid:{pain['id']}"} for pain in pains]
    yield run
    yield from pains


def _session_components(logged: LoggedSession) -> list[Json]:
    session = logged.session
    parts = [
        _component("session-status", "Session status", valueCodeableConcept=_concept(
            "session-status", str(session.status))),
        _component("decision", "Progression decision after the session",
                   valueCodeableConcept=_concept("decision", logged.decision)),
        _component("next-level", "Run-walk level of the next session",
                   valueInteger=logged.next_level),
    ]
    if session.talk_test_ok is not None:
        parts.append(_component("talk-test", "Talk test passed (could talk in full sentences)",
                                valueBoolean=session.talk_test_ok))
    parts += [_component("decision-rule", "Rule behind the decision",
                         valueCodeableConcept=_concept("rule", rule)) for rule in logged.reasons]
    parts += [_component("symptom", "Symptom reported with the session",
                         valueCodeableConcept=_concept("symptom", symptom))
              for symptom in session.symptoms]
    return parts


def _rest_pain(ctx: _Ctx, record: CheckinRecord) -> Json:
    pain = _pain(ctx.id("Observation", "checkin", record.id, "pain", "rest"), ctx,
                 record.checkin.date, record.checkin.rest_pain, "rest",
                 "Back pain at rest (daily check-in)")
    return {**pain, "identifier": [ctx.identifier("checkin", record.id)]}


def _pain(
    resource_id: str, ctx: _Ctx, day: date, value: int, context: str, note: str, *,
    body_site: str = "back",
) -> Json:
    """A 0-10 pain score (LOINC 72514-3); the component and the note say which pain."""
    return _observation(
        resource_id, ctx, "survey",
        {"coding": [{"system": LOINC, "code": PAIN_LOINC, "display": PAIN_DISPLAY}],
         "text": PAIN_DISPLAY},
        day,
        valueInteger=value,
        bodySite={"text": body_site},
        note=[{"text": note}],
        component=[_component("pain-context", "When the pain was rated",
                              valueCodeableConcept=_concept("pain-context", context))],
    )


def _questionnaire_response(ctx: _Ctx, record: QuestionnaireRecord) -> Json:
    items = [{"linkId": item, "answer": [{"valueInteger": value}]}
             for item, value in record.answers.items() if value is not None]
    resource: Json = {
        "resourceType": "QuestionnaireResponse",
        "id": ctx.id("QuestionnaireResponse", "questionnaire", record.id),
        "identifier": ctx.identifier("questionnaire-response", record.id),
        # Percent-encoded: a definition's id is any text, a canonical is a URI.
        "questionnaire": ctx.url("questionnaire", quote(record.questionnaire, safe="")),
        "status": "completed",
        "subject": ctx.subject,
        "authored": record.date.isoformat(),
    }
    if items:
        resource["item"] = items
    return resource


def _questionnaire_score(ctx: _Ctx, record: QuestionnaireRecord) -> Json:
    text = f"{record.name} total score"
    extra: Json = {}
    if record.subscales:
        extra["component"] = [
            {"code": {"coding": [{"system": f"{CODES}:questionnaire-subscale", "code": name}],
                      "text": f"{record.name} {name} subscale"},
             "valueQuantity": _quantity(score, "{score}")}
            for name, score in record.subscales.items()]
    if record.band is not None:
        extra["interpretation"] = [{"text": record.band}]
    return _observation(
        ctx.id("Observation", "questionnaire", record.id, "score"), ctx, "survey",
        {"coding": [_coding("observation", "questionnaire-total", text)], "text": text},
        record.date,
        derivedFrom=[ctx.ref("QuestionnaireResponse", "questionnaire", record.id)],
        valueQuantity=_quantity(record.total, "{score}"),
        **extra,
    )


def _adverse_event(ctx: _Ctx, record: AdverseEventRecord) -> Json:
    event = record.event
    label = str(event.type).replace("_", " ").capitalize()
    code, display = _SERIOUSNESS[Seriousness(event.seriousness)]
    return {
        "resourceType": "AdverseEvent",
        "id": ctx.id("AdverseEvent", "adverse-event", record.id),
        "identifier": ctx.identifier("adverse-event", record.id),
        "actuality": "actual",
        "event": {"coding": [_coding("adverse-event-type", str(event.type), label)],
                  "text": event.description.strip() or label},
        "seriousness": {"coding": [{"system": SERIOUSNESS_SYSTEM, "code": code,
                                    "display": display}]},
        "subject": ctx.subject,
        "date": event.date.isoformat(),
    }


# --- Small builders ------------------------------------------------------------------


def _observation(
    resource_id: str, ctx: _Ctx, category: str, code: Json, day: date, **fields: Any
) -> Json:
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": category}]}],
        "code": code,
        "subject": ctx.subject,
        "effectiveDateTime": day.isoformat(),
        **fields,
    }


def _coding(system: str, code: str, display: str | None = None) -> Json:
    coding = {"system": f"{CODES}:{system}", "code": code}
    return coding if display is None else {**coding, "display": display}


def _concept(system: str, code: str) -> Json:
    return {"coding": [_coding(system, code)], "text": code}


def _component(code: str, text: str, **value: Any) -> Json:
    return {"code": {"coding": [_coding("observation", code, text)], "text": text}, **value}


def _quantity(value: float, unit: str) -> Json:
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def _describe(planned: PlannedSession) -> str:
    if planned.level is None:
        return planned.title
    minutes, seconds = divmod(planned.running_seconds, 60)
    running = " ".join(part for part in (f"{minutes} min" if minutes else "",
                                         f"{seconds} s" if seconds else "") if part)
    return f"{planned.title}: level {planned.level}, {running or 'no'} running"


def _bundle(entries: list[Json]) -> Json:
    bundle: Json = {"resourceType": "Bundle", "type": "transaction"}
    if entries:
        bundle["entry"] = [
            {"fullUrl": f"urn:uuid:{r['id']}", "resource": r,
             "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}}
            for r in entries]
    return bundle


# --- Checking ------------------------------------------------------------------------


def _checked_base_url(base_url: str) -> str:
    base = base_url.rstrip("/") if isinstance(base_url, str) else base_url
    if not isinstance(base, str) or not _BASE_URL.fullmatch(base) or base.endswith(":"):
        raise ExportError("base_url", f"must be a urn: or http(s):// URL, not {base_url!r}")
    return base


def _check_entries(entries: Sequence[Mapping[str, Any]]) -> set[str]:
    """The bundle's fullUrls, once each check passes (bdl-7, transaction PUT rules)."""
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        resource, full_url = entry.get("resource"), entry.get("fullUrl")
        if not isinstance(resource, Mapping) or not isinstance(resource.get("id"), str):
            raise ExportError(f"entry[{i}].resource", "is missing or has no id")
        # The models accept any string as an id; FHIR does not.
        if not _FHIR_ID.fullmatch(resource["id"]):
            raise ExportError(f"entry[{i}].resource.id", f"{resource['id']!r} is not a FHIR id")
        if full_url in seen:
            raise ExportError(f"entry[{i}].fullUrl", f"{full_url} appears twice")
        if full_url != f"urn:uuid:{resource['id']}":
            raise ExportError(f"entry[{i}].fullUrl", f"{full_url} disagrees with the id")
        if entry.get("request") != {"method": "PUT",
                                    "url": f"{resource['resourceType']}/{resource['id']}"}:
            raise ExportError(f"entry[{i}].request", "must be PUT <type>/<id>")
        seen.add(full_url)
    return seen


def _references(value: object) -> Iterator[str]:
    """Every ``reference`` string anywhere inside a resource."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if key == "reference" and isinstance(inner, str):
                yield inner
            else:
                yield from _references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _references(inner)


def _model_error(bundle: Mapping[str, Any], exc: Exception) -> ExportError:
    """An ExportError naming the first invalid element, from a pydantic error."""
    errors = getattr(exc, "errors", None)
    details = errors() if callable(errors) else []
    if not details:
        return ExportError("bundle", str(exc))
    first = details[0]
    loc = [str(part) for part in first.get("loc", ())]
    field = "".join(f"[{part}]" if part.isdigit() else f".{part}" for part in loc).lstrip(".")
    where = ""
    entries = bundle.get("entry")
    if len(loc) > 1 and loc[0] == "entry" and loc[1].isdigit() and isinstance(entries, list):
        entry = entries[int(loc[1])] if int(loc[1]) < len(entries) else None
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if isinstance(resource, Mapping):
            where = f"{resource.get('resourceType')}/{resource.get('id')}: "
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    return ExportError(field or "bundle", f"{where}{first.get('msg', exc)}{more}")
