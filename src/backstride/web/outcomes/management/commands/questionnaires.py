"""``manage.py questionnaires load FILE [--clinic NAME|ID]`` and ``manage.py questionnaires list``.

Loads a clinic's licensed definitions file (O-LICENCE): ODI, RMDQ, STarT Back,
PROMIS... with their item text. The file is checked whole before anything is
stored; a malformed one is refused with the path of the bad item, and exits 2.
``--clinic`` may be left out when the installation has one clinic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backstride.core.errors import QuestionnaireError
from backstride.web.caseload.models import Clinic
from backstride.web.outcomes.models import Questionnaire
from backstride.web.outcomes.services import questionnaires_load


class Command(BaseCommand):
    help = ("Load a clinic's licensed questionnaire definitions file (JSON), or list what is "
            "loaded. Weekly pain and the PSFS are built in.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("load", help="load a definitions file")
        load.add_argument("file", help="JSON: one definition, a list, or {questionnaires: [...]}")
        load.add_argument("--clinic", help="the clinic's name or id (optional with one clinic)")
        listing = actions.add_parser("list", help="list the loaded definitions")
        listing.add_argument("--clinic")

    def handle(self, *args: Any, **options: Any) -> None:
        clinic = _clinic(options.get("clinic"))
        if options["action"] == "list":
            for q in Questionnaire.objects.filter(clinic=clinic):
                state = "current" if q.is_current else "replaced"
                self.stdout.write(f"{q.key}\t{q.name}\t{q.version}\t{state}")
            return
        try:
            loaded = questionnaires_load(clinic=clinic, data=_read(options["file"]))
        except QuestionnaireError as error:
            raise CommandError(f"{options['file']}: not loaded: {error}", returncode=2) from None
        for entry in loaded:
            q = entry.questionnaire
            verb = "loaded" if entry.changed else "unchanged"
            self.stdout.write(f"{verb}: {q.key} ({q.name} {q.version}) for {clinic.name}")


def _clinic(value: str | None) -> Clinic:
    clinics = Clinic.objects.all()
    if value:
        clinic = (clinics.filter(pk=int(value)).first() if value.isdigit()
                  else clinics.filter(name=value).first())
        if clinic is None:
            raise CommandError(f"no clinic {value!r}", returncode=2)
        return clinic
    if clinics.count() != 1:
        names = ", ".join(c.name for c in clinics) or "none yet"
        raise CommandError(f"name the clinic with --clinic (clinics: {names})", returncode=2)
    return clinics.get()


def _read(name: str) -> object:
    try:
        return json.loads(Path(name).read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"{name}: {error.strerror}", returncode=2) from None
    except ValueError as error:
        raise CommandError(f"{name}: not JSON ({error})", returncode=2) from None
