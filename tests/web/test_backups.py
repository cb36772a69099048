"""Issue #7, durability: ``manage.py backup`` and ``restore`` round-trip every table exactly.

Each backup writes a manifest (row count and checksum of every table); each
restore proves the restored database matches it. SQLite runs here; the
PostgreSQL tests (pg_dump -Fc / pg_restore) run under scripts/with-postgres.sh.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from backstride.web.backups.copies import live_digests
from backstride.web.backups.digests import Manifest, differences, sqlite_digests
from backstride.web.runlog.models import Decision, SessionLog
from tests.web.clinics import enrol, make_clinician
from tests.web.conftest import history, log_session, make_plan, make_user

ROOT = Path(__file__).resolve().parents[2]
transactional = pytest.mark.django_db(transaction=True)


def seed(prefix: str, patients: int = 3) -> None:
    from backstride.web.caseload.services import clinic_create, override_create

    clinician = make_clinician(f"ep@{prefix}.example", clinic_create(name=f"Clinic {prefix}"))
    for n in range(patients):
        user = make_user(f"{prefix}{n}@example.org")
        plan = make_plan(user)
        enrol(user, clinician)
        history(user, plan, 3)
        override_create(clinician=clinician, patient=user, kind="hold_progression",
                        reason="Watch the knee")


@transactional
def test_a_backup_restores_every_table_to_identical_counts_and_checksums(
    tmp_path: Path,
) -> None:
    seed("before")
    taken = live_digests()
    target = tmp_path / ("db.sqlite3" if connection.vendor == "sqlite" else "db.dump")
    call_command("backup", str(target))
    manifest = Manifest.load(target)
    assert taken == manifest.tables
    assert manifest.tables["runlog_sessionlog"].rows == 9
    assert manifest.tables["audit_event"].rows > 0
    seed("after", patients=1)  # changes made after the backup ...
    assert differences(taken, live_digests())
    call_command("restore", str(target), "--yes")
    assert [] == differences(taken, live_digests())  # ... are gone; all else is identical


@transactional
def test_a_restore_refuses_a_backup_that_does_not_match_its_manifest(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite file is checked against its manifest before restoring")
    seed("x", patients=1)
    target = tmp_path / "db.sqlite3"
    call_command("backup", str(target))
    with sqlite3.connect(target) as tampered:
        tampered.execute("UPDATE accounts_user SET first_name = 'Mallory'")
    before = live_digests()
    with pytest.raises(CommandError, match="does not match its manifest"):
        call_command("restore", str(target), "--yes")
    assert before == live_digests()  # nothing was restored


# --- A backup taken while writes run ---------------------------------------------------------


def sqlite_env(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("BACKSTRIDE_") and k != "DATABASE_URL"}
    return {**env, "BACKSTRIDE_VAR_DIR": str(var), "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "backstride.web.settings"}


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert 0 == done.returncode, done.stdout + done.stderr
    return done.stdout


def test_a_sqlite_backup_taken_while_writes_run_is_consistent_and_restores_exactly(
    tmp_path: Path,
) -> None:
    """A real file database in WAL mode, a writer process committing patients meanwhile."""
    env = sqlite_env(tmp_path)
    manage(env, "migrate", "--no-input", "-v", "0")
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-m", "tests.web.backup_writer", str(stop)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None
        while int(writer.stdout.readline() or 0) < 3:  # let it get going
            pass
        backup = tmp_path / "during.sqlite3"
        manage(env, "backup", str(backup))
        time.sleep(0.5)  # and write on after the backup
    finally:
        stop.touch()
        writer.communicate(timeout=120)
    assert 0 == writer.returncode
    manifest = Manifest.load(backup)
    live = tmp_path / "backstride.sqlite3"
    with sqlite3.connect(live) as db:
        written = db.execute("SELECT count(*) FROM accounts_user").fetchone()[0]
    in_backup = manifest.tables["accounts_user"].rows
    assert 3 <= in_backup <= written
    # Consistent: each patient whole (3 logs, each with its decision), none half-written.
    assert 3 * in_backup == manifest.tables["runlog_sessionlog"].rows
    with sqlite3.connect(backup) as db:
        orphans = db.execute("SELECT count(*) FROM runlog_sessionlog s WHERE NOT EXISTS "
                             "(SELECT 1 FROM runlog_decision d WHERE d.session_log_id = s.id)")
        assert 0 == orphans.fetchone()[0]
    manage(env, "restore", str(backup), "--yes")
    with sqlite3.connect(live) as db:
        assert [] == differences(manifest.tables, sqlite_digests(db))


@transactional
def test_a_postgresql_backup_taken_while_writes_run_restores_exactly(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore: needs PostgreSQL (scripts/with-postgres.sh)")
    seed("base", patients=1)
    stop = threading.Event()
    written: list[int] = []
    errors: list[BaseException] = []

    def write(thread: int) -> None:
        try:
            n = 0
            while not stop.is_set():
                user = make_user(f"w{thread}-{n}@example.org")
                plan = make_plan(user)
                log_session(user, plan, plan.start)
                n += 1
            written.append(n)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.5)
        target = tmp_path / "during.dump"
        call_command("backup", str(target))
        time.sleep(0.3)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors, errors
    manifest = Manifest.load(target)
    assert manifest.tables["accounts_user"].rows < 2 + sum(written) + 1
    call_command("restore", str(target), "--yes")
    assert [] == differences(manifest.tables, live_digests())
    assert SessionLog.objects.count() == Decision.objects.filter(
        session_log__isnull=False).values("session_log").distinct().count()


def test_the_backup_tools_are_found(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore: needs PostgreSQL (scripts/with-postgres.sh)")
    from backstride.web.backups.copies import pg_binary
    assert Path(pg_binary("pg_dump")).name == "pg_dump"
