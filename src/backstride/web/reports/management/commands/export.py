"""``manage.py export fhir --patient ID | --clinic ID > bundle.json``: a FHIR R4 bundle on stdout.

A management command, not a ``backstride`` sub-command: the ``backstride``
CLI may not import Django (the layer rule, tests/test_architecture.py), and
the export reads the database. The bundle is validated before it is written.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backstride.core.export_records import ExportError
from backstride.web.accounts.models import User
from backstride.web.audit.services import Action, audit_record
from backstride.web.caseload.models import Clinic
from backstride.web.reports.selectors import (
    clinic_fhir_bundle,
    clinic_patients,
    patient_fhir_bundle,
)


class Command(BaseCommand):
    help = ("Write one patient's (--patient ID) or a whole clinic's (--clinic ID) data as a "
            "FHIR R4 transaction bundle (JSON) to standard output. This is a manage.py "
            "command because the backstride CLI cannot import Django (the layer rule).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=["fhir"], help="the export format: fhir")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--patient", type=int, help="a patient's account id")
        which.add_argument("--clinic", type=int, help="a clinic's id")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["patient"] is not None:
                patient = User.objects.filter(pk=options["patient"],
                                              role=User.Role.PATIENT).first()
                if patient is None:
                    raise CommandError(f"no patient {options['patient']}", returncode=2)
                bundle = patient_fhir_bundle(patient)
                exported = [patient]
            else:
                clinic = Clinic.objects.filter(pk=options["clinic"]).first()
                if clinic is None:
                    raise CommandError(f"no clinic {options['clinic']}", returncode=2)
                bundle = clinic_fhir_bundle(clinic)
                exported = list(clinic_patients(clinic))
        except ExportError as error:
            raise CommandError(f"not exported: {error}", returncode=2) from None
        for person in exported:
            audit_record(actor=None, action=Action.EXPORT, patient=person, obj=("fhir", None))
        self.stdout.write(json.dumps(bundle, indent=1))
