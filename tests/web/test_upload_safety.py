"""Issue #7, uploads: hostile files are refused fast, in little memory, and never stored.

The time limits are generous sanity bounds (a refusal takes milliseconds), not
benchmarks; memory is measured with tracemalloc around the whole web upload.
"""

from __future__ import annotations

import gzip
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import SkipFile
from django.test import Client, RequestFactory
from django.urls import reverse

from backstride.formats import MAX_ACTIVITY_BYTES
from backstride.web.accounts.models import User
from backstride.web.activities.models import ImportedActivity
from backstride.web.activities.uploads import CappedUploadHandler, refused
from tests.web.conftest import login
from tests.web.test_activities import at, recording, today_of

pytestmark = pytest.mark.django_db

SECONDS = 5.0  # a refusal takes milliseconds; this only catches a hang
MEGABYTE = 1024 * 1024

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE {root} [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<{root}><name>&g;</name></{root}>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE {root} [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<{root}><name>&secret;</name></{root}>
"""
ROOTS = {"gpx": "gpx", "tcx": "TrainingCenterDatabase"}


def upload(client: Client, name: str, data: bytes) -> Any:
    return client.post(reverse("activities:upload"),
                       {"file": SimpleUploadedFile(name, data)})


def stored_files(settings: Any) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.mark.parametrize("attack", ["laughs", "xxe"])
@pytest.mark.parametrize("kind", ["gpx", "tcx"])
def test_entity_attacks_are_refused_quickly_and_nothing_is_stored(
    patient_client: Client, settings: Any, attack: str, kind: str,
) -> None:
    data = (LAUGHS if attack == "laughs" else XXE).format(root=ROOTS[kind]).encode()
    started = time.perf_counter()
    response = upload(patient_client, f"attack.{kind}", data)
    elapsed = time.perf_counter() - started
    assert 422 == response.status_code
    assert "XML with entities or a DTD is refused" in response.content.decode()
    assert elapsed < SECONDS
    assert b"root:" not in response.content  # nothing of /etc/passwd
    assert not ImportedActivity.objects.exists() and not stored_files(settings)


def test_a_gzip_bomb_is_refused_in_little_memory(patient_client: Client, settings: Any) -> None:
    bomb = gzip.compress(b"\0" * (MAX_ACTIVITY_BYTES + MEGABYTE), compresslevel=9)
    assert len(bomb) < 200_000  # 65 MiB once inflated
    tracemalloc.start()
    try:
        started = time.perf_counter()
        response = upload(patient_client, "run.gpx.gz", bomb)
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert 422 == response.status_code
    assert "once decompressed" in response.content.decode()
    assert peak < 200 * MEGABYTE, f"peak {peak / MEGABYTE:.0f} MiB"
    assert elapsed < SECONDS * 4  # inflating 64 MiB under tracemalloc
    assert not ImportedActivity.objects.exists() and not stored_files(settings)


def test_the_size_cap_is_enforced_while_the_body_is_read(settings: Any) -> None:
    settings.BACKSTRIDE_UPLOAD_MAX_BYTES = 1000
    request = RequestFactory().post("/")
    handler = CappedUploadHandler(request)
    handler.new_file("file", "big.fit", "application/octet-stream", 5000)
    assert b"x" * 600 == handler.receive_data_chunk(b"x" * 600, 0)
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 600, 600)
    assert ["big.fit"] == refused(request)


def test_a_bulk_upload_reports_the_oversized_file_and_imports_the_rest(
    patient_client: Client, patient: User, settings: Any,
) -> None:
    good = recording(at(patient, today_of(patient)))
    settings.BACKSTRIDE_UPLOAD_MAX_BYTES = len(good) + 10
    huge = b"\0" * (len(good) + 11)
    response = patient_client.post(reverse("activities:bulk"), {"files": [
        SimpleUploadedFile("run.tcx", good), SimpleUploadedFile("huge.fit", huge)]})
    html = response.content.decode()
    assert 200 == response.status_code
    assert "huge.fit is larger than" in html
    assert 1 == ImportedActivity.objects.filter(patient=patient).count()


def test_the_type_comes_from_the_bytes_not_the_name(patient_client: Client, patient: User,
                                                    settings: Any) -> None:
    data = recording(at(patient, today_of(patient)))  # a TCX file
    response = upload(patient_client, "holiday.jpg", data)
    assert 302 == response.status_code
    row = ImportedActivity.objects.get(patient=patient)
    assert ("tcx", "holiday.jpg") == (row.source_format, row.original_name)
    (stored,) = stored_files(settings)
    assert "holiday" not in stored.name and len(stored.name) == 32  # a random name
    refused_page = upload(patient_client, "run.gpx", b"<html><script>alert(1)</script></html>")
    assert 422 == refused_page.status_code


def test_the_original_file_is_only_ever_an_attachment_to_its_owner(
    patient_client: Client, patient: User, other_patient: User,
) -> None:
    upload(patient_client, "run.tcx", recording(at(patient, today_of(patient))))
    row = ImportedActivity.objects.get(patient=patient)
    url = reverse("activities:original", args=[row.pk])
    response = patient_client.get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert "application/octet-stream" == response["Content-Type"]
    assert "nosniff" == response["X-Content-Type-Options"]
    assert "no-store" in response["Cache-Control"]
    assert 404 == login(Client(), other_patient).get(url).status_code
    assert 302 == Client().get(url).status_code
