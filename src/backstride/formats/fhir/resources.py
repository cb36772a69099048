"""Records to FHIR resources: derived ids, the codes we use, one builder per resource."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from typing import Any
from urllib.parse import quote

from backstride.core.export_records import (
    AdverseEventRecord,
    CheckinRecord,
    LoggedSession,
    PatientExport,
    PlannedSession,
    QuestionnaireRecord,
)
from backstride.core.outcomes.adverse_events import Seriousness
from backstride.core.plans import DayKind
from backstride.core.progression import Status

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


def fhir_id(*parts: str) -> str:
    """The FHIR id derived from ``parts`` (resource type, our ids...).

    See ``backstride.formats.fhir`` for why ids are derived this way.
    """
    return str(uuid.uuid5(FHIR_ID_NAMESPACE, json.dumps(list(parts))))


# --- Records to resources -----------------------------------------------------------


@dataclass(frozen=True)
class Context:
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


def patient_entries(ctx: Context) -> Iterator[Json]:
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


def _patient(ctx: Context) -> Json:
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


def _care_plan(ctx: Context) -> Json:
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


def _activity(ctx: Context, planned: PlannedSession, logs: Sequence[LoggedSession]) -> Json:
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


def _baseline_pain(ctx: Context) -> Json:
    patient = ctx.export.patient
    text = "Program baseline pain: mean back pain at enrolment, 0-10"
    return _observation(
        ctx.id("Observation", "patient", patient.id, "baseline-pain"), ctx, "survey",
        {"coding": [_coding("observation", "baseline-pain", text)], "text": text},
        patient.enrolled_on,
        valueQuantity=_quantity(patient.program_baseline_pain, "{score}"),
    )


def _session(ctx: Context, logged: LoggedSession) -> Iterator[Json]:
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


def _rest_pain(ctx: Context, record: CheckinRecord) -> Json:
    pain = _pain(ctx.id("Observation", "checkin", record.id, "pain", "rest"), ctx,
                 record.checkin.date, record.checkin.rest_pain, "rest",
                 "Back pain at rest (daily check-in)")
    return {**pain, "identifier": [ctx.identifier("checkin", record.id)]}


def _pain(
    resource_id: str, ctx: Context, day: date, value: int, context: str, note: str, *,
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


def _questionnaire_response(ctx: Context, record: QuestionnaireRecord) -> Json:
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


def _questionnaire_score(ctx: Context, record: QuestionnaireRecord) -> Json:
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


def _adverse_event(ctx: Context, record: AdverseEventRecord) -> Json:
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
    resource_id: str, ctx: Context, category: str, code: Json, day: date, **fields: Any
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


def bundle_of(entries: list[Json]) -> Json:
    bundle: Json = {"resourceType": "Bundle", "type": "transaction"}
    if entries:
        bundle["entry"] = [
            {"fullUrl": f"urn:uuid:{r['id']}", "resource": r,
             "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}}
            for r in entries]
    return bundle
