"""The FHIR export: valid R4(B) resources, stable ids, the right pain scores."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.core.export_records import (
    AdverseEventRecord,
    CheckinRecord,
    LoggedSession,
    PatientExport,
    PatientRecord,
    PlannedSession,
    QuestionnaireRecord,
)
from backstride.core.outcomes import (
    AdverseEvent,
    AdverseEventType,
    Answer,
    Item,
    QuestionnaireDefinition,
    Scoring,
    ScoringMethod,
    Seriousness,
    score_questionnaire,
)
from backstride.core.plans import DayKind, PlanRequest, build_plan
from backstride.core.progression import Checkin, History, SessionRecord, Status, decide_next
from backstride.formats.fhir import (
    FHIR_ID_NAMESPACE,
    PAIN_LOINC,
    ExportError,
    clinic_bundle,
    fhir_id,
    patient_bundle,
    validate_bundle,
)

START = date(2025, 3, 3)  # a Monday
FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")


# --- A small builder ---------------------------------------------------------------


def a_session(day: date = START, **fields: Any) -> SessionRecord:
    values: dict[str, Any] = {
        "date": day, "status": Status.DONE, "pain_before": 3, "pain_during": 4,
        "pain_after": 2, "pain_next_morning": 1, "talk_test_ok": True, "run_seconds": 150,
    }
    return SessionRecord(**{**values, **fields})


def a_log(log_id: str, session: SessionRecord, **fields: Any) -> LoggedSession:
    values: dict[str, Any] = {
        "decision": "progress", "next_level": 2, "reasons": ("R-PROGRESS",),
        "logged_at": datetime.combine(session.date, datetime.min.time(), UTC)
        + timedelta(hours=18),
    }
    return LoggedSession(id=log_id, session=session, **{**values, **fields})


def an_export(patient_id: str = "patient-1", **fields: Any) -> PatientExport:
    """Two planned run-walk days and a rest day, two logs, a check-in, an ODI, an AE."""
    second = START + timedelta(days=2)
    values: dict[str, Any] = {
        "patient": PatientRecord(
            id=patient_id, sex="female", birth_year=1988, time_zone="Europe/London",
            enrolled_on=START, program_baseline_pain=4.5,
        ),
        "planned": (
            PlannedSession(id="plan-1", date=START, kind=DayKind.RUN_WALK, level=1,
                           running_seconds=150, title="Run-walk session"),
            PlannedSession(id="plan-2", date=second, kind=DayKind.RUN_WALK, level=2,
                           running_seconds=165, title="Run-walk session"),
            PlannedSession(id="plan-3", date=START + timedelta(days=6), kind=DayKind.REST,
                           title="Rest"),
        ),
        "sessions": (
            a_log("log-1", a_session(other_pain={"knee": 3})),
            a_log("log-2", a_session(second, status=Status.MISSED, pain_before=None,
                                     pain_during=None, pain_after=None,
                                     pain_next_morning=None, talk_test_ok=None,
                                     run_seconds=0),
                  decision="repeat", next_level=2, reasons=("R-PROGRESS",)),
        ),
        "checkins": (CheckinRecord(id="checkin-1", checkin=Checkin(START + timedelta(1), 2)),),
        "questionnaires": (
            QuestionnaireRecord(
                id="odi-week-0", questionnaire="odi", name="ODI", date=START,
                answers={"q1": 2, "q2": None, "q3": 4}, total=40.0,
                subscales={"walking": 30.0}, band="moderate",
            ),
        ),
        "adverse_events": (
            AdverseEventRecord(id="ae-1", event=AdverseEvent(
                second, AdverseEventType.LOWER_LIMB_PAIN, Seriousness.NON_SERIOUS,
                "Sore left calf after the run")),
        ),
    }
    return PatientExport(**{**values, **fields})


def resources(bundle: dict[str, Any], resource_type: str | None = None) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle.get("entry", [])
            if resource_type is None or e["resource"]["resourceType"] == resource_type]


def pain_observations(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in resources(bundle, "Observation")
            if r["code"]["coding"][0]["code"] == PAIN_LOINC]


def pain_context(observation: dict[str, Any]) -> str:
    (component,) = observation["component"]
    return str(component["valueCodeableConcept"]["coding"][0]["code"])


# --- Valid FHIR --------------------------------------------------------------------


def test_every_resource_parses_with_its_own_r4b_model_class() -> None:
    bundle = patient_bundle(an_export())
    for resource in resources(bundle):
        model = get_fhir_model_class(resource["resourceType"])
        assert resource["id"] == model.model_validate(resource).model_dump()["id"]
    Bundle.model_validate(bundle)
    assert {"Patient": 1, "CarePlan": 1, "Observation": 10, "QuestionnaireResponse": 1,
            "AdverseEvent": 1} == Counter(r["resourceType"] for r in resources(bundle))


def test_the_bundle_is_a_transaction_of_puts_keyed_by_the_resource_ids() -> None:
    bundle = patient_bundle(an_export())
    assert "transaction" == bundle["type"]
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert f"urn:uuid:{resource['id']}" == entry["fullUrl"]
        assert {"method": "PUT", "url": f"{resource['resourceType']}/{resource['id']}"} == (
            entry["request"])


def test_the_bundle_is_plain_json() -> None:
    bundle = patient_bundle(an_export())
    assert bundle == json.loads(json.dumps(bundle))


def test_every_reference_points_at_an_entry_of_the_bundle() -> None:
    bundle = patient_bundle(an_export())
    full_urls = {e["fullUrl"] for e in bundle["entry"]}
    text = json.dumps(bundle)
    references = set(re.findall(r'"reference": "([^"]+)"', text))
    assert references
    assert references <= full_urls


# --- Stable ids --------------------------------------------------------------------


def test_exporting_twice_gives_identical_ids_and_full_urls() -> None:
    first, second = patient_bundle(an_export()), patient_bundle(an_export())
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    assert first == second


def test_the_order_records_arrive_in_does_not_change_the_bundle() -> None:
    export = an_export()
    shuffled = dataclasses.replace(
        export, planned=export.planned[::-1], sessions=export.sessions[::-1])
    assert patient_bundle(export) == patient_bundle(shuffled)


def test_ids_differ_between_patients_even_when_their_record_ids_are_the_same() -> None:
    one = {r["id"] for r in resources(patient_bundle(an_export("patient-1")))}
    two = {r["id"] for r in resources(patient_bundle(an_export("patient-2")))}
    assert set() == one & two


def test_a_patient_id_maps_to_the_same_fhir_id_in_every_release() -> None:
    # Pinned: if this changes, every re-import duplicates every resource.
    assert "3e93a418-d4e9-5378-b086-8aa9f363c23a" == str(FHIR_ID_NAMESPACE)
    assert "582f21e4-00dd-5848-b860-51e148bcdc2e" == fhir_id("Patient", "patient-1")
    (patient,) = resources(patient_bundle(an_export()), "Patient")
    assert fhir_id("Patient", "patient-1") == patient["id"]


def test_the_base_url_roots_identifiers_and_canonicals_but_not_ids() -> None:
    default = patient_bundle(an_export())
    clinic = patient_bundle(an_export(), base_url="https://clinic.example/fhir/")
    assert [r["id"] for r in resources(default)] == [r["id"] for r in resources(clinic)]
    (patient,) = resources(clinic, "Patient")
    assert [{"system": "https://clinic.example/fhir/patient", "value": "patient-1"}] == (
        patient["identifier"])
    (response,) = resources(default, "QuestionnaireResponse")
    assert "urn:backstride:questionnaire:odi" == response["questionnaire"]


@pytest.mark.parametrize("base_url", ["", "backstride", "urn:", "ftp://x", "urn:a b"])
def test_a_base_url_that_is_not_a_urn_or_http_url_is_refused(base_url: str) -> None:
    with pytest.raises(ExportError) as caught:
        patient_bundle(an_export(), base_url=base_url)
    assert "base_url" == caught.value.field


@settings(max_examples=50, deadline=None)
@given(patient_id=st.text(min_size=1).filter(str.strip), log_id=st.text(min_size=1)
       .filter(str.strip))
def test_any_of_our_ids_gives_valid_stable_fhir_ids(patient_id: str, log_id: str) -> None:
    export = an_export(patient_id, sessions=(a_log(log_id, a_session()),))
    bundle = patient_bundle(export)
    assert all(FHIR_ID.fullmatch(r["id"]) for r in resources(bundle))
    assert bundle == patient_bundle(export)


# --- What the resources say --------------------------------------------------------


def test_pain_observations_carry_loinc_72514_3_and_the_right_values_and_dates() -> None:
    bundle = patient_bundle(an_export())
    found = {(pain_context(o), o["bodySite"]["text"]): (o["valueInteger"], o["effectiveDateTime"])
             for o in pain_observations(bundle)}
    assert {
        ("before", "back"): (3, "2025-03-03"),
        ("during", "back"): (4, "2025-03-03"),
        ("after", "back"): (2, "2025-03-03"),
        ("next-morning", "back"): (1, "2025-03-04"),
        ("with-session", "knee"): (3, "2025-03-03"),
        ("rest", "back"): (2, "2025-03-04"),
    } == found
    (patient,) = resources(bundle, "Patient")
    for observation in pain_observations(bundle):
        assert {"system": "http://loinc.org", "code": "72514-3",
                "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"} == (
            observation["code"]["coding"][0])
        assert {"reference": f"urn:uuid:{patient['id']}"} == observation["subject"]


def test_a_pain_observation_says_which_pain_in_a_note() -> None:
    notes = {pain_context(o): o["note"][0]["text"]
             for o in pain_observations(patient_bundle(an_export()))}
    assert "Worst back pain during the run-walk session" == notes["during"]
    assert "Back pain at rest (daily check-in)" == notes["rest"]


def test_a_missed_session_without_pain_scores_gives_no_pain_observation() -> None:
    export = an_export(sessions=an_export().sessions[1:], checkins=())
    assert [] == pain_observations(patient_bundle(export))


def test_each_session_becomes_a_running_time_observation_in_seconds() -> None:
    bundle = patient_bundle(an_export())
    runs = [r for r in resources(bundle, "Observation")
            if r["code"]["text"] == "Run-walk session running time"]
    assert [150, 0] == [r["valueQuantity"]["value"] for r in runs]
    assert {"value": 150, "unit": "s", "system": "http://unitsofmeasure.org", "code": "s"} == (
        runs[0]["valueQuantity"])
    assert "2025-03-03T18:00:00Z" == runs[0]["issued"]
    components = {c["code"]["coding"][0]["code"]: c for c in runs[0]["component"]}
    assert "progress" == components["decision"]["valueCodeableConcept"]["coding"][0]["code"]
    assert 2 == components["next-level"]["valueInteger"]
    assert components["talk-test"]["valueBoolean"] is True
    assert 5 == len(runs[0]["hasMember"])  # before, during, after, next morning, knee


def test_the_care_plan_holds_the_planned_sessions_with_dates_and_outcomes() -> None:
    (plan,) = resources(patient_bundle(an_export()), "CarePlan")
    assert ("active", "plan", "2025-03-03") == (
        plan["status"], plan["intent"], plan["period"]["start"])
    details = [a["detail"] for a in plan["activity"]]
    assert [("2025-03-03", "completed"), ("2025-03-05", "cancelled"), ("2025-03-09", "scheduled")
            ] == [(d["scheduledPeriod"]["start"], d["status"]) for d in details]
    assert "Run-walk session: level 1, 2 min 30 s running" == details[0]["description"]
    assert "Rest" == details[2]["description"]
    assert 1 == len(plan["activity"][0]["outcomeReference"])


def test_the_questionnaire_response_holds_the_given_answers_and_a_score_observation() -> None:
    bundle = patient_bundle(an_export())
    (response,) = resources(bundle, "QuestionnaireResponse")
    assert ("completed", "2025-03-03") == (response["status"], response["authored"])
    assert [("q1", 2), ("q3", 4)] == [
        (i["linkId"], i["answer"][0]["valueInteger"]) for i in response["item"]]
    (score,) = [r for r in resources(bundle, "Observation")
                if r.get("derivedFrom") == [{"reference": f"urn:uuid:{response['id']}"}]]
    assert 40.0 == score["valueQuantity"]["value"]
    assert [30.0] == [c["valueQuantity"]["value"] for c in score["component"]]
    assert [{"text": "moderate"}] == score["interpretation"]


def test_a_questionnaire_id_that_is_not_uri_safe_is_percent_encoded() -> None:
    record = dataclasses.replace(an_export().questionnaires[0], questionnaire="my odi/2")
    (response,) = resources(patient_bundle(an_export(questionnaires=(record,))),
                            "QuestionnaireResponse")
    assert "urn:backstride:questionnaire:my%20odi%2F2" == response["questionnaire"]


def test_an_adverse_event_is_actual_with_its_seriousness_coded() -> None:
    (event,) = resources(patient_bundle(an_export()), "AdverseEvent")
    assert ("actual", "2025-03-05", "Sore left calf after the run") == (
        event["actuality"], event["date"], event["event"]["text"])
    assert {"system": "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness",
            "code": "non-serious", "display": "Non-serious"} == (
        event["seriousness"]["coding"][0])
    assert "lower_limb_pain" == event["event"]["coding"][0]["code"]


def test_the_patient_is_pseudonymous_with_gender_birth_year_and_time_zone() -> None:
    (patient,) = resources(patient_bundle(an_export()), "Patient")
    assert {"resourceType", "id", "extension", "identifier", "gender", "birthDate"} == set(
        patient)
    assert ("female", "1988") == (patient["gender"], patient["birthDate"])
    assert "Europe/London" == patient["extension"][0]["valueCode"]
    unknown = an_export(patient=dataclasses.replace(an_export().patient, sex=None,
                                                    birth_year=None))
    (patient,) = resources(patient_bundle(unknown), "Patient")
    assert ("unknown", None) == (patient["gender"], patient.get("birthDate"))


def test_an_export_with_only_a_patient_is_still_valid() -> None:
    bare = PatientExport(patient=an_export().patient)
    assert ["Patient", "CarePlan", "Observation"] == [
        r["resourceType"] for r in resources(patient_bundle(bare))]


# --- The clinic bundle -------------------------------------------------------------


def test_the_clinic_bundle_holds_every_patients_resources_and_no_duplicates() -> None:
    exports = [an_export(f"patient-{n}") for n in range(3)]
    clinic = clinic_bundle(exports)
    assert [e for x in exports for e in patient_bundle(x)["entry"]] == clinic["entry"]
    full_urls = [e["fullUrl"] for e in clinic["entry"]]
    assert len(full_urls) == len(set(full_urls))
    assert 3 == len(resources(clinic, "Patient"))


def test_the_clinic_bundle_refuses_the_same_patient_twice() -> None:
    with pytest.raises(ExportError) as caught:
        clinic_bundle([an_export("a"), an_export("b"), an_export("a")])
    assert "exports[2].patient.id" == caught.value.field


def test_an_empty_clinic_is_an_empty_transaction() -> None:
    assert {"resourceType": "Bundle", "type": "transaction"} == clinic_bundle([])


# --- Bad records are ExportErrors, never tracebacks --------------------------------


def with_first_session(**fields: Any) -> PatientExport:
    export = an_export()
    first = export.sessions[0]
    return dataclasses.replace(export, sessions=(
        dataclasses.replace(first, session=dataclasses.replace(first.session, **fields)),
        *export.sessions[1:]))


def test_a_pain_of_11_smuggled_into_a_session_is_an_export_error_naming_the_field() -> None:
    with pytest.raises(ExportError) as caught:
        patient_bundle(with_first_session(pain_during=11))
    assert "sessions[0].session.pain_during" == caught.value.field
    with pytest.raises(ExportError) as caught:
        clinic_bundle([an_export("other"), with_first_session(pain_during=11)])
    assert "exports[1].sessions[0].session.pain_during" == caught.value.field


# Each builds a record the dataclasses accept but no export should: values smuggled in.
BAD_EXPORTS: dict[str, Callable[[PatientExport], PatientExport]] = {
    "patient.program_baseline_pain": lambda x: dataclasses.replace(
        x, patient=dataclasses.replace(x.patient, program_baseline_pain=float("nan"))),
    "patient.sex": lambda x: dataclasses.replace(x, patient=dataclasses.replace(
        x.patient, sex="f")),
    "patient.birth_year": lambda x: dataclasses.replace(x, patient=dataclasses.replace(
        x.patient, birth_year=2030)),
    "patient.enrolled_on": lambda x: dataclasses.replace(x, patient=dataclasses.replace(
        x.patient, enrolled_on=datetime(2025, 3, 3, tzinfo=UTC))),
    "sessions[0].logged_at": lambda x: dataclasses.replace(x, sessions=(dataclasses.replace(
        x.sessions[0], logged_at=datetime(2025, 3, 3, 18)),)),  # noqa: DTZ001 (the point)
    "sessions[0].decision": lambda x: dataclasses.replace(x, sessions=(dataclasses.replace(
        x.sessions[0], decision="go faster"),)),
    "sessions[1].id": lambda x: dataclasses.replace(x, sessions=(x.sessions[0],) * 2),
    "sessions[0].session.other_pain.knee": lambda x: with_first_session(other_pain={"knee": -1}),
    "sessions[0].session.status": lambda x: with_first_session(status="skipped"),
    "checkins[0].checkin.rest_pain": lambda x: dataclasses.replace(x, checkins=(
        CheckinRecord(id="c", checkin=Checkin(START, True)),)),
    "planned[0].kind": lambda x: dataclasses.replace(x, planned=(dataclasses.replace(
        x.planned[0], kind="jog"),)),  # type: ignore[arg-type]  # smuggled on purpose
    "questionnaires[0].total": lambda x: dataclasses.replace(x, questionnaires=(
        dataclasses.replace(x.questionnaires[0], total=float("inf")),)),
    "adverse_events[0].event.seriousness": lambda x: dataclasses.replace(x, adverse_events=(
        AdverseEventRecord(id="ae", event=dataclasses.replace(
            x.adverse_events[0].event, seriousness="mild")),)),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("field", sorted(BAD_EXPORTS))
def test_a_bad_record_is_an_export_error_naming_its_field(field: str) -> None:
    with pytest.raises(ExportError) as caught:
        patient_bundle(BAD_EXPORTS[field](an_export()))
    assert field == caught.value.field


def test_a_resource_the_fhir_model_rejects_is_an_export_error_not_a_validation_error() -> None:
    bundle = patient_bundle(an_export())
    bundle["entry"][3]["resource"]["valueQuantity"]["value"] = "a lot"
    with pytest.raises(ExportError) as caught:
        validate_bundle(bundle)
    assert type(caught.value) is ExportError
    assert "entry[3].resource.valueQuantity.value" == caught.value.field
    assert caught.value.message.startswith("Observation/")


@pytest.mark.parametrize(("breakage", "field"), [
    ("duplicate", "entry[14].fullUrl"),
    ("dangling", "entry[1].resource"),
    ("bad-id", "entry[0].resource.id"),
    ("post", "entry[0].request"),
])
def test_validate_bundle_checks_what_the_models_do_not(breakage: str, field: str) -> None:
    bundle = patient_bundle(an_export())
    entries = bundle["entry"]
    if breakage == "duplicate":
        entries.append(entries[0])
    elif breakage == "dangling":
        entries[1]["resource"]["subject"] = {"reference": "urn:uuid:not-in-this-bundle"}
    elif breakage == "bad-id":
        long_id = "x" * 65  # the models accept it; FHIR ids have at most 64 characters
        entries[0]["resource"]["id"] = long_id
        entries[0]["fullUrl"] = f"urn:uuid:{long_id}"
        entries[0]["request"]["url"] = f"Patient/{long_id}"
    else:
        entries[0]["request"]["method"] = "POST"
    with pytest.raises(ExportError) as caught:
        validate_bundle(bundle)
    assert field == caught.value.field


# --- Records made from the core's own values ---------------------------------------


def test_a_plan_decisions_and_a_scored_questionnaire_from_the_core_export_cleanly() -> None:
    plan = build_plan(PlanRequest(start=START, weekdays=(0, 2, 4)))
    planned = tuple(PlannedSession.from_plan_day(f"day-{d.date}", d) for d in plan.days)
    session = a_session()
    decision = decide_next(History(level=1, program_baseline_pain=4.5, sessions=(session,)),
                           today=session.date)
    logged = LoggedSession.from_decision("log-1", session, decision,
                                         logged_at=datetime(2025, 3, 3, 18, tzinfo=UTC))
    invented = QuestionnaireDefinition(  # O-LICENCE: tests use an invented questionnaire
        id="invented", name="Invented", licence="none", version="1",
        items=tuple(Item(f"i{n}", f"Item {n}", (Answer(0, "no"), Answer(1, "yes")))
                    for n in range(3)),
        scoring=Scoring(ScoringMethod.SUM),
    )
    answers = {"i0": 1, "i1": 0, "i2": 1}
    record = QuestionnaireRecord.from_score(
        "q-1", name="Invented", day=START, answers=answers,
        score=score_questionnaire(invented, answers))
    export = an_export(planned=planned, sessions=(logged,), questionnaires=(record,))

    bundle = patient_bundle(export)

    (care_plan,) = resources(bundle, "CarePlan")
    assert 12 * 7 == len(care_plan["activity"])
    assert str(decision.decision) == logged.decision
    assert decision.rules == logged.reasons
    assert planned[0].level == 1 and planned[0].running_seconds > 0
    (response,) = resources(bundle, "QuestionnaireResponse")
    assert "urn:backstride:questionnaire:invented" == response["questionnaire"]
