"""The access-control sweep: every URL pattern, found by walking the resolver.

A new URL is covered the moment it is added: it is either listed as public
here, or it must refuse an anonymous visitor (redirect to log in) and, when it
names an object, answer 404 to another patient. A URL with a path parameter
this file does not know how to fill fails the sweep until someone adds it.

Clinician pages (``caseload:``) are swept with the clinic personas: the
patient's own clinician opens every one, another clinic's clinician gets a
404 for every one that names a patient's object, and every patient gets a 404
for all of them. No patient page ever shows a clinician's note.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from backstride.web.accounts.models import User
from backstride.web.activities.models import ImportedActivity
from backstride.web.alerts.models import Alert
from backstride.web.programs.models import PlanDay, Screening
from backstride.web.runlog.models import Decision
from backstride.web.safety.models import RedFlagLock
from tests.web.conftest import login

PUBLIC = {
    "home",  # the welcome page for visitors; patients are sent on to their next step
    "accounts:signup",
    "accounts:login",
    "accounts:logout",
    "education:cards",
    "education:sources",
    "exports:calendar_feed",  # no log-in: the token is the key (see TOKEN_PROTECTED)
    "join",  # an invitation link: the token is the key; anyone may open it to sign up
}

# Public URLs whose only key is an unguessable token in the path: a wrong token is a 404.
TOKEN_PROTECTED = {
    ("exports:calendar_feed", "token"),
    ("join", "token"),
}
CLINICIAN_PAGES = "caseload:"  # every URL in this namespace is for clinicians only

# Path parameters that are not object ids: a fixed valid value.
PLAIN_PARAMETERS = {
    ("programs:screening_step", "step"): "about",
    ("exports:workout_week", "week"): 1,
}


def _owned_object_ids(owner: User) -> dict[tuple[str, str], int]:
    """For each (url name, parameter) that names an object: the id of ``owner``'s object."""
    activity = ImportedActivity.objects.filter(patient=owner).first().pk
    return {
        ("programs:screening_result", "pk"): Screening.objects.filter(patient=owner).first().pk,
        ("runlog:decision", "pk"): Decision.objects.filter(patient=owner).first().pk,
        ("activities:detail", "pk"): activity,
        ("activities:original", "pk"): activity,
        ("exports:workout", "pk"): PlanDay.objects.filter(
            plan__patient=owner, plan__is_current=True, kind=PlanDay.Kind.RUN_WALK).first().pk,
        **_clinic_object_ids(owner),
    }


def _clinic_object_ids(owner: User) -> dict[tuple[str, str], int]:
    """The clinician pages' ids for ``owner`` (the ``clinic_patient`` persona)."""
    alert = Alert.objects.filter(patient=owner).first()
    lock = RedFlagLock.objects.filter(patient=owner).first()
    ids = {(name, "patient_id"): owner.pk for name, params in all_url_names()
           if name.startswith(CLINICIAN_PAGES) and "patient_id" in params}
    if lock is not None:
        ids[("caseload:lock_clear", "lock_id")] = lock.pk
    if alert is not None:
        ids[("caseload:alert_acknowledge", "alert_id")] = alert.pk
        ids[("caseload:alert_resolve", "alert_id")] = alert.pk
    return ids


def _patient_pages() -> list[tuple[str, tuple[str, ...]]]:
    return [(n, p) for n, p in all_url_names() if not n.startswith(CLINICIAN_PAGES)]


def _clinician_pages() -> list[tuple[str, tuple[str, ...]]]:
    return [(n, p) for n, p in all_url_names() if n.startswith(CLINICIAN_PAGES)]


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry, namespace)
        elif entry.name:
            yield f"{prefix}{entry.name}", entry


def all_url_names() -> list[tuple[str, tuple[str, ...]]]:
    """Every named URL with its path parameter names."""
    return sorted({(name, tuple(p.pattern.converters)) for name, p in _patterns(get_resolver())})


def _url(name: str, params: tuple[str, ...], ids: dict[tuple[str, str], int]) -> str:
    kwargs: dict[str, Any] = {}
    for param in params:
        key = (name, param)
        if key in PLAIN_PARAMETERS:
            kwargs[param] = PLAIN_PARAMETERS[key]
        elif key in ids:
            kwargs[param] = ids[key]
        else:
            pytest.fail(f"{name} has a parameter {param!r} the access sweep cannot fill: add it "
                        "to _owned_object_ids (an object id) or PLAIN_PARAMETERS")
    return reverse(name, kwargs=kwargs)


def _names_objects(name: str, params: tuple[str, ...]) -> bool:
    return any((name, p) not in PLAIN_PARAMETERS and (name, p) not in TOKEN_PROTECTED
               for p in params)


def test_the_sweep_finds_the_patient_pages() -> None:
    """Guard against a sweep that silently checks nothing."""
    names = {name for name, _ in all_url_names()}
    assert {"runlog:today", "programs:plan", "runlog:decision", "runlog:progress"} <= names
    assert {"caseload:queue", "caseload:patient", "caseload:override",
            "caseload:alert_resolve"} <= names


@pytest.mark.django_db
def test_every_private_page_sends_an_anonymous_visitor_to_log_in(
    anonymous: Client, clinic_patient: User
) -> None:
    ids = _owned_object_ids(clinic_patient)
    login_url = reverse("accounts:login")
    for name, params in all_url_names():
        if name in PUBLIC:
            continue
        url = _url(name, params, ids)
        for method in ("get", "post"):
            response = getattr(anonymous, method)(url)
            assert response.status_code == 302, f"{method.upper()} {url} ({name})"
            assert response["Location"].startswith(login_url), f"{url} ({name})"


@pytest.mark.django_db
def test_no_page_shows_a_patient_another_patients_object(
    patient: User, clinic_patient: User
) -> None:
    client = login(Client(), patient)
    ids = _owned_object_ids(clinic_patient)
    for name, params in all_url_names():
        if not _names_objects(name, params):
            continue
        url = _url(name, params, ids)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, f"{method.upper()} {url} ({name})"


@pytest.mark.django_db
def test_the_owner_can_open_each_of_those_objects(other_patient: User) -> None:
    """The 404s above are about ownership, not broken pages."""
    client = login(Client(), other_patient)
    ids = _owned_object_ids(other_patient)
    for name, params in _patient_pages():
        if _names_objects(name, params):
            url = _url(name, params, ids)
            assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_every_page_without_an_object_answers_a_patient_without_error(patient: User) -> None:
    client = login(Client(), patient)
    for name, params in _patient_pages():
        if _names_objects(name, params) or name == "accounts:logout" or name in _TOKEN_NAMES:
            continue
        response = client.get(_url(name, params, {}))
        assert response.status_code in (200, 302), f"{name}: {response.status_code}"


@pytest.mark.django_db
def test_public_pages_open_for_a_visitor(anonymous: Client) -> None:
    for name in PUBLIC - {"accounts:logout"} - _TOKEN_NAMES:
        assert anonymous.get(reverse(name)).status_code == 200, name


_TOKEN_NAMES = {name for name, _param in TOKEN_PROTECTED}


@pytest.mark.django_db
def test_a_token_protected_url_answers_a_wrong_token_with_404(
    anonymous: Client, other_patient: User
) -> None:
    for name, param in TOKEN_PROTECTED:
        for token in ("wrong", "x" * 43):
            url = reverse(name, kwargs={param: token})
            assert anonymous.get(url).status_code == 404, url
            assert login(Client(), other_patient).get(url).status_code == 404, url


@pytest.mark.django_db
def test_a_clinician_account_cannot_open_patient_pages() -> None:
    clinician = User.objects.create_user("doc@example.org", "x" * 12, time_zone="UTC",
                                         role=User.Role.CLINICIAN)
    client = login(Client(), clinician)
    assert client.get(reverse("runlog:today")).status_code == 404


# --- Clinician pages --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_own_clinician_opens_every_clinician_page(clinician: User,
                                                      clinic_patient: User) -> None:
    client = login(Client(), clinician)
    ids = _owned_object_ids(clinic_patient)
    for name, params in _clinician_pages():
        url = _url(name, params, ids)
        assert client.get(url).status_code == 200, f"{url} ({name})"


@pytest.mark.django_db
def test_another_clinics_clinician_gets_404_for_every_patient_url(
    other_clinician: User, clinic_patient: User
) -> None:
    client = login(Client(), other_clinician)
    ids = _owned_object_ids(clinic_patient)
    checked = 0
    for name, params in _clinician_pages():
        if not _names_objects(name, params):
            continue
        url = _url(name, params, ids)
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"note": "x", "body": "x", "reason": "x"})
            assert response.status_code == 404, f"{method.upper()} {url} ({name})"
        checked += 1
    assert checked >= 8  # patient, override, notes, clearance, lock, messages, AE, alerts


@pytest.mark.django_db
def test_another_clinics_clinician_sees_none_of_our_patients_in_lists(
    other_clinician: User, clinic_patient: User
) -> None:
    client = login(Client(), other_clinician)
    for name, params in _clinician_pages():
        if params:
            continue
        for query in ("", "?scope=clinic"):
            html = client.get(reverse(name) + query).content.decode()
            assert clinic_patient.email not in html, name
            assert reverse("caseload:patient", args=[clinic_patient.pk]) not in html, name


@pytest.mark.django_db
def test_every_clinician_page_is_a_404_for_a_patient(patient: User,
                                                     clinic_patient: User) -> None:
    ids = _owned_object_ids(clinic_patient)
    for person in (patient, clinic_patient):  # another patient, and the patient themself
        client = login(Client(), person)
        for name, params in _clinician_pages():
            url = _url(name, params, ids)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code == 404, f"{person}: {method.upper()} {url}"


@pytest.mark.django_db
def test_no_patient_page_shows_a_clinicians_note(clinic_patient: User) -> None:
    client = login(Client(), clinic_patient)
    ids = _owned_object_ids(clinic_patient)
    for name, params in _patient_pages():
        if name in ("accounts:logout", *_TOKEN_NAMES):
            continue
        response = client.get(_url(name, params, ids), follow=True)
        body = (b"".join(response.streaming_content) if response.streaming
                else response.content)
        assert b"watch the knee" not in body, name
