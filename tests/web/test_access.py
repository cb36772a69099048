"""The access-control sweep: every URL pattern, found by walking the resolver.

A new URL is covered the moment it is added: it is either listed as public
here, or it must refuse an anonymous visitor (redirect to log in) and, when it
names an object, answer 404 to another patient. A URL with a path parameter
this file does not know how to fill fails the sweep until someone adds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from backstride.web.accounts.models import User
from backstride.web.programs.models import Screening
from backstride.web.runlog.models import Decision
from tests.web.conftest import login

PUBLIC = {
    "home",  # the welcome page for visitors; patients are sent on to their next step
    "accounts:signup",
    "accounts:login",
    "accounts:logout",
    "education:cards",
    "education:sources",
}

# Path parameters that are not object ids: a fixed valid value.
PLAIN_PARAMETERS = {
    ("programs:screening_step", "step"): "about",
}


def _owned_object_ids(owner: User) -> dict[tuple[str, str], int]:
    """For each (url name, parameter) that names an object: the id of ``owner``'s object."""
    return {
        ("programs:screening_result", "pk"): Screening.objects.filter(patient=owner).first().pk,
        ("runlog:decision", "pk"): Decision.objects.filter(patient=owner).first().pk,
    }


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
    return any((name, p) not in PLAIN_PARAMETERS for p in params)


def test_the_sweep_finds_the_patient_pages() -> None:
    """Guard against a sweep that silently checks nothing."""
    names = {name for name, _ in all_url_names()}
    assert {"runlog:today", "programs:plan", "runlog:decision", "runlog:progress"} <= names


@pytest.mark.django_db
def test_every_private_page_sends_an_anonymous_visitor_to_log_in(
    anonymous: Client, other_patient: User
) -> None:
    ids = _owned_object_ids(other_patient)
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
    patient: User, other_patient: User
) -> None:
    client = login(Client(), patient)
    ids = _owned_object_ids(other_patient)
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
    for name, params in all_url_names():
        if _names_objects(name, params):
            url = _url(name, params, ids)
            assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_every_page_without_an_object_answers_a_patient_without_error(patient: User) -> None:
    client = login(Client(), patient)
    for name, params in all_url_names():
        if _names_objects(name, params) or name == "accounts:logout":
            continue
        response = client.get(_url(name, params, {}))
        assert response.status_code in (200, 302), f"{name}: {response.status_code}"


@pytest.mark.django_db
def test_public_pages_open_for_a_visitor(anonymous: Client) -> None:
    for name in PUBLIC - {"accounts:logout"}:
        assert anonymous.get(reverse(name)).status_code == 200, name


@pytest.mark.django_db
def test_a_clinician_account_cannot_open_patient_pages() -> None:
    clinician = User.objects.create_user("doc@example.org", "x" * 12, time_zone="UTC",
                                         role=User.Role.CLINICIAN)
    client = login(Client(), clinician)
    assert client.get(reverse("runlog:today")).status_code == 404
