"""Outcome questionnaires on the web: reminders, drafts, licensed definitions, results.

Item texts are invented (O-LICENCE): never a licensed tool's own words.
"""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.outcomes import selectors, services
from backstride.web.outcomes.models import Questionnaire, QuestionnaireResponse
from backstride.web.programs.models import Plan
from tests.core.test_licensed_definitions import invented
from tests.web.conftest import login, make_plan, make_user

pytestmark = pytest.mark.django_db


def answer_url(key: str, week: int) -> str:
    return reverse("outcomes:answer", args=[key, week])


def load(clinic: Any, *definitions: dict[str, object]) -> None:
    services.questionnaires_load(clinic=clinic, data=list(definitions))


def test_the_today_page_reminds_of_the_questionnaires_due(patient_client: Client) -> None:
    html = patient_client.get(reverse("runlog:today")).content.decode()
    assert answer_url("pain", 0) in html and answer_url("psfs", 0) in html
    response = patient_client.post(answer_url("pain", 0), {"pain": "4", "action": "finish"})
    assert response.status_code == 302
    html = patient_client.get(reverse("runlog:today")).content.decode()
    assert answer_url("pain", 0) not in html and answer_url("psfs", 0) in html


def test_an_incomplete_psfs_is_saved_as_a_draft_and_never_scored(patient: User,
                                                                  patient_client: Client) -> None:
    two = {"activity_1": "Jogging to the station", "score_1": "3",
           "activity_2": "Carrying a toddler", "score_2": "5", "action": "finish"}
    response = patient_client.post(answer_url("psfs", 0), two)
    assert response.status_code == 422
    assert "3 to 5" in response.content.decode()
    row = QuestionnaireResponse.objects.get(patient=patient, key="psfs")
    assert ("draft", None) == (row.status, row.total)
    assert 'data-due' in patient_client.get(reverse("runlog:today")).content.decode()
    three = {**two, "activity_3": "Gardening", "score_3": "7"}
    assert patient_client.post(answer_url("psfs", 0), three).status_code == 302
    row.refresh_from_db()
    assert ("complete", 5.0) == (row.status, row.total)  # (3 + 5 + 7) / 3


def test_save_for_later_keeps_a_draft_even_when_complete(patient: User,
                                                         patient_client: Client) -> None:
    patient_client.post(answer_url("pain", 0), {"pain": "6", "action": "save"})
    row = QuestionnaireResponse.objects.get(patient=patient, key="pain")
    assert ("draft", None, {"pain": 6}) == (row.status, row.total, row.answers)


def test_a_week_that_is_not_open_sends_the_patient_back(patient_client: Client) -> None:
    assert patient_client.get(answer_url("psfs", 6)).status_code == 302
    assert patient_client.get(answer_url("no-such-tool", 0)).status_code == 404


def test_a_clinic_loads_its_odi_by_command_and_its_patients_answer_it(
        clinic: Any, clinic_patient: User, tmp_path: Path) -> None:
    path = tmp_path / "definitions.json"
    path.write_text(json.dumps({"questionnaires": [invented("odi"), invented("startback")]}))
    out = StringIO()
    call_command("questionnaires", "load", str(path), "--clinic", clinic.name, stdout=out)
    assert "loaded: odi" in out.getvalue() and "loaded: startback" in out.getvalue()
    client = login(Client(), clinic_patient)
    page = client.get(answer_url("odi", 0)).content.decode()
    assert "Invented question 1 about a made-up daily task" in page
    seven = {f"odi_{n}": "2" for n in range(1, 8)}
    response = client.post(answer_url("odi", 0), {**seven, "action": "finish"})
    assert response.status_code == 422  # 7 of 10 sections: not scored
    row = QuestionnaireResponse.objects.get(patient=clinic_patient, key="odi")
    assert ("draft", None) == (row.status, row.total)
    eight = {**seven, "odi_8": "4"}
    assert client.post(answer_url("odi", 0), {**eight, "action": "finish"}).status_code == 302
    row.refresh_from_db()
    assert ("complete", 45.0) == (row.status, row.total)  # 18 / (5 × 8) × 100
    call_command("questionnaires", "load", str(path), "--clinic", clinic.name, stdout=out)
    assert "unchanged: odi" in out.getvalue()
    assert 2 == Questionnaire.objects.filter(clinic=clinic).count()


def test_the_command_rejects_a_malformed_file_naming_the_item(clinic: Any, tmp_path: Path
                                                              ) -> None:
    data = invented("odi")
    data["items"][5]["id"] = "odi_x"  # type: ignore[index]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError) as error:
        call_command("questionnaires", "load", str(path))
    assert "items[5].id" in str(error.value) and error.value.returncode == 2
    assert not Questionnaire.objects.exists()


def test_the_clinician_page_loads_a_file_and_names_the_bad_item(clinician: User) -> None:
    client = login(Client(), clinician)
    data = invented("rmdq")
    data["items"][2]["answers"] = [{"value": 0, "label": "no"}, {"value": 2, "label": "?"}]  # type: ignore[index]
    upload = SimpleUploadedFile("rmdq.json", json.dumps(data).encode())
    response = client.post(reverse("caseload:questionnaires"), {"file": upload})
    assert response.status_code == 422
    assert "items[2]" in response.content.decode()  # the item, named
    good = SimpleUploadedFile("rmdq.json", json.dumps(invented("rmdq")).encode())
    assert client.post(reverse("caseload:questionnaires"), {"file": good}).status_code == 302
    assert Questionnaire.objects.filter(key="rmdq", is_current=True).exists()


def test_results_judge_the_week_6_change_against_baseline(db: Any) -> None:
    user = make_user("weeks@example.org")
    today = local_today(user.time_zone)
    plan = make_plan(user, start=today - timedelta(days=43))
    measure = selectors.measure_for(user, "pain")
    assert measure is not None
    for week, pain in ((0, 6), (6, 3)):
        services.response_save(patient=user, plan=plan, measure=measure, week=week,
                               answers={"pain": pain}, finish=True, today=today)
    (result,) = selectors.results_for(user, Plan.objects.get(pk=plan.pk))
    ((week, change),) = result.changes
    assert (6, True) == (week, change.meaningful)  # 6 → 3: 3 points, O-MCID is 2
    html = login(Client(), user).get(reverse("runlog:progress")).content.decode()
    assert "Meaningful improvement" in html and "O-MCID" in html
