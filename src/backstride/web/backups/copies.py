"""Taking and restoring a backup of the default database, SQLite or PostgreSQL.

SQLite: the online backup API copies a consistent snapshot while the app
keeps writing (WAL readers never block writers); ``PRAGMA integrity_check``
must answer ``ok`` and the manifest is computed from the copy itself.

PostgreSQL: ``pg_dump -Fc`` inside a REPEATABLE READ transaction whose
snapshot it shares (``--snapshot``), so the manifest's counts and checksums
describe exactly the rows in the dump, however many writes run meanwhile.
``pg_restore --clean --single-transaction`` puts it back.

Every restore ends by computing the live database's digests and comparing
them with the backup's manifest: a restore that does not match fails loudly.
Restore with the app stopped: it replaces every table.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3

# pg_dump and pg_restore run from argument lists, never through a shell.
import subprocess  # nosec B404
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from backstride.web.backups.digests import (
    Manifest,
    TableDigest,
    differences,
    postgresql_digests,
    sqlite_digests,
)


class BackupError(Exception):
    """A backup or restore that cannot be trusted (with the reason)."""


def live_digests() -> dict[str, TableDigest]:
    """Digests of the default database as it is now."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return sqlite_digests(connection.connection)
    with connection.cursor() as cursor:
        return postgresql_digests(cursor)


def backup(target: Path) -> Manifest:
    """Write a backup of the default database to ``target`` and its manifest beside it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    manifest = _sqlite_backup(target) if connection.vendor == "sqlite" else _pg_backup(target)
    manifest.save(target)
    return manifest


def restore(source: Path) -> Manifest:
    """Replace the default database with the backup ``source``; verified by its manifest."""
    manifest = Manifest.load(source)
    if manifest.vendor != connection.vendor:
        raise BackupError(f"a {manifest.vendor} backup cannot be restored into "
                          f"{connection.vendor}")
    if connection.vendor == "sqlite":
        _sqlite_restore(source, manifest)
    else:
        _pg_restore(source)
    problems = differences(manifest.tables, live_digests())
    if problems:
        raise BackupError("the restored database does not match the backup:\n"
                          + "\n".join(problems))
    return manifest


# --- SQLite --------------------------------------------------------------------------------


def _sqlite_backup(target: Path) -> Manifest:
    connection.ensure_connection()
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    copy = sqlite3.connect(partial)
    try:
        connection.connection.backup(copy)  # one step: a consistent snapshot
        tables = _sqlite_checked(copy)
    finally:
        copy.close()
    partial.replace(target)
    return Manifest.now("sqlite", tables)


def _sqlite_checked(db: sqlite3.Connection) -> dict[str, TableDigest]:
    """The copy's digests, once ``PRAGMA integrity_check`` says ``ok``."""
    verdict = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    if verdict != ["ok"]:
        raise BackupError("integrity_check failed: " + "; ".join(map(str, verdict[:5])))
    return sqlite_digests(db)


def _sqlite_restore(source: Path, manifest: Manifest) -> None:
    backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        problems = differences(manifest.tables, _sqlite_checked(backup_db))
        if problems:
            raise BackupError("the backup file does not match its manifest:\n"
                              + "\n".join(problems))
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("restore cannot run inside a transaction")
        backup_db.backup(connection.connection)
    finally:
        backup_db.close()


# --- PostgreSQL ----------------------------------------------------------------------------


def pg_binary(name: str) -> str:
    """``pg_dump``/``pg_restore``: BACKSTRIDE_PG_BIN, the PATH, or Debian's versioned folder."""
    folder = os.environ.get("BACKSTRIDE_PG_BIN")
    candidates = [str(Path(folder) / name)] if folder else []
    found = shutil.which(name)
    candidates += [found] if found else []
    candidates += sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    for path in candidates:
        if Path(path).is_file() and os.access(path, os.X_OK):
            return path
    raise BackupError(f"{name} not found: install PostgreSQL's client or set BACKSTRIDE_PG_BIN")


def _pg_args(settings: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", str(settings["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            args += [flag, str(settings[key])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True,  # nosec B603
                          check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed ({done.returncode}): "
                          f"{done.stderr.strip()[-2000:]}")


def _pg_backup(target: Path) -> Manifest:
    args, env = _pg_args(connection.settings_dict)
    connection.ensure_connection()
    partial = target.with_name(target.name + ".partial")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        tables = postgresql_digests(cursor)
        _run([pg_binary("pg_dump"), "--format=custom", f"--snapshot={snapshot}",
              "--file", str(partial), *args], env)
    partial.replace(target)
    _run([pg_binary("pg_restore"), "--list", str(target)], env)  # the file reads back
    return Manifest.now("postgresql", tables)


def _pg_restore(source: Path) -> None:
    args, env = _pg_args(connection.settings_dict)
    if connection.in_atomic_block:
        raise BackupError("restore cannot run inside a transaction")
    connection.close()  # hold no locks on the tables being replaced
    _run([pg_binary("pg_restore"), "--clean", "--if-exists", "--no-owner",
          "--single-transaction", "--exit-on-error", *args, str(source)], env)
