"""``manage.py backup [PATH]``: a verified copy of the database, with its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from backstride.web.backups.copies import BackupError, backup
from backstride.web.backups.digests import manifest_path


class Command(BaseCommand):
    help = ("Back up the database (SQLite: online backup API + integrity_check; PostgreSQL: "
            "pg_dump -Fc) and write row counts and checksums to PATH.manifest.json.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="where to write the backup (default: "
                            "var/backups/backstride-<UTC time>.<sqlite3|dump>)")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["path"]) if options["path"] else _default_path()
        try:
            manifest = backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(d.rows for d in manifest.tables.values())
        self.stdout.write(self.style.SUCCESS(
            f"Backed up {len(manifest.tables)} tables, {rows} rows to {target}"))
        self.stdout.write(f"Manifest: {manifest_path(target)}")


def _default_path() -> Path:
    suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.VAR_DIR) / "backups" / f"backstride-{stamp}.{suffix}"
