"""``manage.py restore PATH``: replace the database with a backup, then prove it matches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backstride.web.backups.copies import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a backup made by `manage.py backup` (stop the app first: every table is "
            "replaced), then check every table's row count and checksum against its manifest.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file (its .manifest.json beside it)")
        parser.add_argument("--yes", action="store_true",
                            help="do not ask before replacing the database")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["path"])
        if not source.is_file():
            raise CommandError(f"{source}: no such backup")
        if not options["yes"] and input(
                "This replaces every table of the database. Type 'restore' to go on: "
        ) != "restore":
            raise CommandError("Nothing restored.")
        try:
            manifest = restore(source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(d.rows for d in manifest.tables.values())
        self.stdout.write(self.style.SUCCESS(
            f"Restored {len(manifest.tables)} tables, {rows} rows from {source}: every count "
            "and checksum matches the backup's manifest."))
