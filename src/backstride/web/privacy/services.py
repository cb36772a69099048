"""A patient's data rights: download everything, and erase the account.

``patient_archive`` is a ZIP: one JSON file per kind of row (every model with
a foreign-key path to the patient, ``privacy.selectors``), the original
activity files as uploaded, the FHIR R4 bundle, and a README.

``account_erase`` deletes every one of those rows and the stored files, and
the invitations addressed to the person's email. It keeps only what the
audit duty requires, pseudonymised: the audit rows stay, naming a random
pseudonym instead of the person (``audit.services.audit_pseudonymise``).
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from django.core import serializers
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from backstride.core.export_records import ExportError
from backstride.web.accounts.models import User
from backstride.web.audit.services import Action, audit_pseudonymise, audit_record
from backstride.web.privacy import selectors
from backstride.web.reports.selectors import patient_fhir_bundle

log = logging.getLogger(__name__)
ERASE_PASSES = 10  # deletion order is found by retrying what a PROTECT foreign key blocked

README = """Your Backstride data, as of {when} (UTC).

data/<app>.<kind>.json   every row about you, one file per kind (Django's JSON shape:
                         model, pk, fields); dates are your local dates, times are UTC
activities/              the activity files you uploaded, as uploaded
fhir-bundle.json         your program as a FHIR R4 transaction bundle (pseudonymous)

Not included: password hashes and link tokens (secrets), and clinicians' private
notes, which your clinic can release to you on request.
"""


def patient_archive(*, patient: User, now: datetime | None = None) -> bytes:
    """Everything Backstride holds about ``patient``, as a ZIP file."""
    now = now or timezone.now()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(when=now.strftime("%Y-%m-%d %H:%M")))
        for owned in selectors.owned_models():
            if not selectors.downloadable(owned):
                continue
            rows = list(owned.rows_of(patient))
            if rows:
                archive.writestr(f"data/{owned.label}.json", _json(owned, rows))
            for name, data in _files(owned, rows):  # the original uploads, as uploaded
                archive.writestr(f"activities/{name}", data)
        try:
            bundle = patient_fhir_bundle(patient)
        except ExportError:
            bundle = None  # no program yet: nothing to put in FHIR
        if bundle is not None:
            archive.writestr("fhir-bundle.json", json.dumps(bundle, indent=1))
    audit_record(actor=patient, action=Action.EXPORT, patient=patient,
                 obj=("archive", patient.pk))
    return buffer.getvalue()


def _json(owned: selectors.Owned, rows: list[object]) -> str:
    data = serializers.serialize("python", rows, fields=selectors.public_fields(owned.model))
    return json.dumps(data, cls=DjangoJSONEncoder, indent=1, ensure_ascii=False)


def _files(owned: selectors.Owned, rows: list[object]) -> list[tuple[str, bytes]]:
    found = []
    for row in rows:
        for field in selectors.file_fields(owned.model):
            stored = getattr(row, field)
            if not stored or not default_storage.exists(stored.name):
                continue
            label = PurePath(str(getattr(row, "original_name", "") or stored.name)).name
            with default_storage.open(stored.name, "rb") as handle:
                found.append((f"{row.pk}-{label}", handle.read()))  # type: ignore[attr-defined]
    return found


@dataclass(frozen=True)
class Erased:
    rows: int
    files: int
    pseudonym: str


def account_erase(*, patient: User) -> Erased:
    """Delete the patient's rows and files; keep only their audit rows, pseudonymised.

    The audit rows stay as written (they are immutable, IP addresses included):
    only their link to the account goes, so they name a random pseudonym.
    """
    owned = [o for o in selectors.owned_models()
             if o.model is not User and o.label not in selectors.KEPT_ON_ERASURE]
    names = [stored.name for o in owned for row in o.rows_of(patient)
             for f in selectors.file_fields(o.model) if (stored := getattr(row, f))]
    with transaction.atomic():
        audit_record(actor=patient, action=Action.DELETE, patient=patient,
                     obj=("account", patient.pk))
        pseudonym = audit_pseudonymise(patient) or ""
        count = sum(rows.delete()[0] for rows in selectors.by_email(patient.email))
        count += _delete_rows(patient, owned)
        count += patient.delete()[0]
        transaction.on_commit(lambda: _delete_files(names))
    log.info("account erased: audit pseudonym %s (%d rows, %d files)", pseudonym, count,
             len(names))
    return Erased(count, len(names), pseudonym)


def _delete_rows(patient: User, owned: list[selectors.Owned]) -> int:
    """Delete every owned row; a PROTECT key only orders the deletions (retried next pass)."""
    count, pending = 0, owned
    for _pass in range(ERASE_PASSES):
        blocked = []
        for o in pending:
            try:
                count += o.deletable_rows_of(patient).delete()[0]
            except ProtectedError:
                blocked.append(o)
        if not blocked:
            return count
        pending = blocked
    raise ProtectedError("rows that protect each other cannot be erased",
                         set())  # a new model's PROTECT cycle: fix it there


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
