"""``manage.py daily [--today YYYY-MM-DD]``: the once-a-day job (see ``caseload.daily``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backstride.web.caseload.daily import daily_run


class Command(BaseCommand):
    help = ("Mark missed sessions, raise R-ADHERE alerts and queue check-in reminders, as of "
            "each patient's local date. Safe to run more than once a day.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="treat this date (YYYY-MM-DD) as every patient's "
                            "today (for replays and tests)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("--today must be a date written YYYY-MM-DD") from error
        report = daily_run(today=today)
        self.stdout.write(
            f"daily: {report.plans} plans, {report.missed} sessions marked missed, "
            f"{report.alerts} adherence alerts, {report.reminders} check-in reminders queued"
        )
        for line in report.errors:
            self.stderr.write(f"daily: skipped {line}")
