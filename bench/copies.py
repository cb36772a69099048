"""Copies of a clinic's patients made inside PostgreSQL, for part 3's 10,000-patient clinic.

Writing 9,000 more simulated patients through the loader took five of the
benchmark's seventeen minutes (Python building ~100 MB of rows, then sending
them). Here each copy is one ``INSERT … SELECT`` per table, in the database:
every row a source patient owns, under new ids, with the references between
the copied rows moved to the copies. So the copies hold exactly what the
originals hold (plans and their days, logs, check-ins, decisions, alerts,
messages, questionnaire answers, …), which is what the queue and the cohort
report read per patient.

Which tables: every model of the project with a foreign key to its patient
(``patient`` or ``user``), or to a row that has one (a plan's days), found
from Django's app registry, so a table added later is copied too. The audit
trail is left out: it records the benchmark's own requests, not patient data.
``copy_patients`` checks afterwards that every table holds as many rows for
the copies as for the originals, times the copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction

LEFT_OUT = {"audit"}  # app labels
OWNER_NAMES = ("patient", "user")
SOURCE = "bench_copy_source"  # the temporary table of source patient ids


@dataclass(frozen=True)
class Owned:
    """A model whose rows belong to one patient, through ``owner`` (to the user or a parent)."""

    model: type[models.Model]
    owner: models.ForeignKey[Any, Any]

    @property
    def table(self) -> str:
        return self.model._meta.db_table


def owned_models() -> list[Owned]:
    """Every project model owned by a patient, directly or through its parent row."""
    user = get_user_model()
    candidates = [m for m in apps.get_models() if m.__module__.startswith("backstride.")
                  and m._meta.app_label not in LEFT_OUT and m is not user]
    found: dict[type[models.Model], Owned] = {}
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model in found:
                continue
            keys = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
            owner = next((f for f in keys if f.related_model is user and f.name in OWNER_NAMES),
                         None) or next((f for f in keys if f.related_model in found
                                        and not f.null), None)
            if owner is not None:
                found[model] = Owned(model, owner)
                grew = True
    return list(found.values())


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _rows_of_source(owned: Owned, by_model: dict[type[models.Model], Owned]) -> str:
    """SQL condition: the row belongs to a source patient."""
    column = _q(owned.owner.column)
    parent = owned.owner.related_model
    if parent is get_user_model():
        return f"{column} IN (SELECT id FROM {SOURCE})"
    inner = by_model[parent]  # type: ignore[index]
    return (f"{column} IN (SELECT {_q(parent._meta.pk.column)} FROM {_q(inner.table)} "  # type: ignore[union-attr]
            f"WHERE {_rows_of_source(inner, by_model)})")


def _expression(field: models.Field[Any, Any], offsets: dict[type[models.Model], int],
                copy: int, fixed: dict[str, Any]) -> tuple[str, list[Any]]:
    """The value a copied row gets for ``field``, as SQL and parameters."""
    user = get_user_model()
    column = _q(field.column)
    if field.name in fixed:
        return "%s", [fixed[field.name]]
    if field.primary_key:
        return f"{column} + %s", [offsets[field.model]]
    if isinstance(field, models.ForeignKey):
        target = field.related_model
        if target is user:  # a patient moves to its copy; a clinician stays who they are
            return (f"CASE WHEN {column} IN (SELECT id FROM {SOURCE}) THEN {column} + %s "
                    f"ELSE {column} END", [offsets[user]])
        if target in offsets:
            return f"{column} + %s", [offsets[target]]  # type: ignore[index]
        return column, []
    if field.unique:
        if isinstance(field, models.EmailField):
            return f"%s || {column}", [f"copy{copy}."]
        if isinstance(field, models.UUIDField):
            return "gen_random_uuid()", []
        if isinstance(field, models.CharField) and field.max_length:
            return f"left(md5(random()::text || {column}), %s)", [field.max_length]
        raise ValueError(f"cannot copy the unique field {field.model.__name__}.{field.name}")
    return column, []


def _copy_table(model: type[models.Model], where: str, offsets: dict[type[models.Model], int],
                copy: int, fixed: dict[str, Any]) -> None:
    fields = model._meta.concrete_fields
    values, params = [], []
    for field in fields:
        sql, more = _expression(field, offsets, copy, fixed)
        values.append(sql)
        params += more
    table = _q(model._meta.db_table)
    columns = ", ".join(_q(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {', '.join(values)} "
                       f"FROM {table} WHERE {where}", params)


def _counts(owned: list[Owned], by_model: dict[type[models.Model], Owned],
            patients_sql: str, params: list[Any]) -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {SOURCE} (id bigint PRIMARY KEY)")
        cursor.execute(f"TRUNCATE {SOURCE}")
        cursor.execute(f"INSERT INTO {SOURCE} {patients_sql}", params)
        for o in owned:
            cursor.execute(f"SELECT count(*) FROM {_q(o.table)} "
                           f"WHERE {_rows_of_source(o, by_model)}")
            counts[o.table] = cursor.fetchone()[0]
    return counts


def copy_patients(source: list[int], copies: int, *, responsible: int) -> None:
    """``copies`` copies of every row the ``source`` patients own, given to ``responsible``.

    Each copy is one transaction. New ids are the old ones plus the table's
    largest id before the copy, so they cannot collide; the tables' sequences
    are moved past them afterwards. E-mail addresses get a ``copyN.`` prefix,
    client UUIDs are new.
    """
    if connection.vendor != "postgresql":
        raise RuntimeError("copies are made by PostgreSQL (make bench provides one)")
    user = get_user_model()
    owned = owned_models()
    by_model = {o.model: o for o in owned}
    source_sql = "SELECT unnest(%s::bigint[])"
    before = _counts(owned, by_model, source_sql, [source])
    first_copy = None
    for copy in range(1, copies + 1):
        with transaction.atomic():
            offsets = {}
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {SOURCE}")
                cursor.execute(f"INSERT INTO {SOURCE} {source_sql}", [source])
                for model in [user, *by_model]:
                    cursor.execute(f"SELECT coalesce(max({_q(model._meta.pk.column)}), 0) "
                                   f"FROM {_q(model._meta.db_table)}")
                    offsets[model] = int(cursor.fetchone()[0])
            first_copy = first_copy or offsets[user]
            _copy_table(user, f"id IN (SELECT id FROM {SOURCE})", offsets, copy, {})
            for o in owned:
                fixed = {"responsible": responsible} if o.model._meta.model_name == \
                    "enrolment" else {}
                _copy_table(o.model, _rows_of_source(o, by_model), offsets, copy, fixed)
            with connection.cursor() as cursor:
                for model in [user, *by_model]:
                    table, pk = model._meta.db_table, model._meta.pk.column
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                                   f"(SELECT max({_q(pk)}) FROM {_q(table)})) "
                                   f"WHERE EXISTS (SELECT 1 FROM {_q(table)})", [table, pk])
    after = _counts(owned, by_model, f"SELECT id FROM {_q(user._meta.db_table)} "
                    f"WHERE id >= %s AND email LIKE 'copy%%'", [first_copy or 0])
    wrong = {t: (after[t], before[t] * copies) for t in before if after[t] != before[t] * copies}
    if wrong:
        raise RuntimeError(f"copies incomplete (table: copied rows, expected): {wrong}")
