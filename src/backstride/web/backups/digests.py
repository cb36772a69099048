"""Row counts and checksums of every table: what a backup promises and a restore proves.

A digest is computed from the database's own text of each row, sorted, so it
does not depend on row order or on the driver's type conversions:

* SQLite: ``quote()`` of every column (the stored value, exactly), as
  ``iterdump()`` writes it;
* PostgreSQL: ``md5(row::text)`` of every row, the md5s sorted and hashed
  again (md5 as a checksum here, not for security).

The two engines' checksums differ; each is only ever compared with itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone
from psycopg import sql

MANIFEST_SUFFIX = ".manifest.json"


@dataclass(frozen=True)
class TableDigest:
    rows: int
    checksum: str


@dataclass(frozen=True)
class Manifest:
    vendor: str
    created_at: str
    tables: dict[str, TableDigest]

    def save(self, backup: Path) -> Path:
        path = manifest_path(backup)
        data = {"vendor": self.vendor, "created_at": self.created_at,
                "tables": {name: asdict(d) for name, d in sorted(self.tables.items())}}
        path.write_text(json.dumps(data, indent=1) + "\n")
        return path

    @classmethod
    def load(cls, backup: Path) -> Manifest:
        data = json.loads(manifest_path(backup).read_text())
        return cls(vendor=data["vendor"], created_at=data["created_at"],
                   tables={n: TableDigest(**d) for n, d in data["tables"].items()})

    @classmethod
    def now(cls, vendor: str, tables: dict[str, TableDigest]) -> Manifest:
        return cls(vendor=vendor, created_at=timezone.now().isoformat(), tables=tables)


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + MANIFEST_SUFFIX)


def differences(expected: dict[str, TableDigest], actual: dict[str, TableDigest]) -> list[str]:
    """Human-readable differences; empty when every table matches."""
    out = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name), actual.get(name)
        if want != got:
            out.append(f"{name}: expected {want}, found {got}")
    return out


# --- SQLite ----------------------------------------------------------------------------------


def sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                   "AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def sqlite_digests(connection: Any) -> dict[str, TableDigest]:
    """Digests of every table through a DB-API ``sqlite3`` connection.

    The rows are the ``INSERT`` statements of ``iterdump()``: SQLite's own
    ``quote()`` of each stored value, whatever the connection converts.
    """
    rows: dict[str, list[str]] = {t: [] for t in sqlite_tables(connection.cursor())}
    for line in connection.iterdump():
        if line.startswith('INSERT INTO "'):
            table = line[len('INSERT INTO "'):line.index('"', len('INSERT INTO "'))]
            if table in rows:
                rows[table].append(line)
    return {table: _digest(sorted(lines)) for table, lines in rows.items()}


def _digest(rows: list[str]) -> TableDigest:
    hasher = hashlib.sha256()
    for row in rows:
        hasher.update(row.encode())
        hasher.update(b"\n")
    return TableDigest(rows=len(rows), checksum=hasher.hexdigest())


# --- PostgreSQL -----------------------------------------------------------------------------


def postgresql_digests(cursor: Any) -> dict[str, TableDigest]:
    """Digests of every table in the public schema, as this cursor's snapshot sees them."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                   "ORDER BY tablename")
    out = {}
    for (table,) in cursor.fetchall():
        query = sql.SQL("SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' "
                        "ORDER BY md5(t::text))), '') FROM {} AS t").format(sql.Identifier(table))
        cursor.execute(query)
        rows, checksum = cursor.fetchone()
        out[table] = TableDigest(rows=int(rows), checksum=str(checksum))
    return out
