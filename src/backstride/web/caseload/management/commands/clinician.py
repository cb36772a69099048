"""``manage.py clinician --clinic NAME --email EMAIL``: add a clinician (and the clinic).

There is no sign-up page for clinicians: operations add them. The password is
read from ``BACKSTRIDE_NEW_PASSWORD`` or asked for on the terminal.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from backstride.web.accounts.models import User
from backstride.web.caseload.models import Clinic
from backstride.web.caseload.services import clinician_create


class Command(BaseCommand):
    help = "Add a clinician account to a clinic (the clinic is created when new)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clinic", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--time-zone", default=settings.BACKSTRIDE_TIME_ZONE)

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"{email} already has an account")
        password = os.environ.get("BACKSTRIDE_NEW_PASSWORD") or getpass.getpass("Password: ")
        try:
            password_validation.validate_password(password)
            clinic, _created = Clinic.objects.get_or_create(name=options["clinic"].strip())
            clinician_create(clinic=clinic, email=email, password=password,
                             time_zone=options["time_zone"], first_name=options["first_name"],
                             last_name=options["last_name"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"clinician {email} added to {clinic.name}")
