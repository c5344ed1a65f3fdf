"""Inserting many rows of one model at once."""

from __future__ import annotations

import contextlib
import datetime
import decimal

from django.db import connection

from lib.crypto import EncryptedFieldMixin

BATCH = 1000  # rows per INSERT


def bulk_insert(objs: list) -> list:
    """`bulk_create` for many rows of one model, faster on PostgreSQL; sets their ids.

    `bulk_create` prepares every field of every row (37 × 10,000 calls for messages);
    here a value repeated across rows (the committee, the purpose, the time, a text
    shared by many: encrypted once, like a group message's) is prepared once, and
    psycopg2 builds each INSERT of BATCH rows in C. Elsewhere
    (SQLite on a laptop) it is plain `bulk_create`.
    """
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return type(objs[0]).objects.bulk_create(objs, batch_size=BATCH)
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    prepared: dict = {}

    # Only date fields with auto_now(_add) compute their value in pre_save.
    computed = {f.attname for f in fields if getattr(f, "auto_now", False)}
    computed |= {f.attname for f in fields if getattr(f, "auto_now_add", False)}

    def prep(field, obj):
        if field.attname in computed:
            value = field.pre_save(obj, add=True)
        else:
            value = getattr(obj, field.attname)
        try:
            key = (field.attname, value)
            hit = prepared.get(key, prepared)
        except TypeError:  # unhashable
            return field.get_db_prep_save(value, connection)
        if hit is prepared:
            if isinstance(field, EncryptedFieldMixin):
                # What the field's own preparation does, without first trying to
                # decrypt the plain text (it costs as much as encrypting it).
                hit = field.f.encrypt(str(value).encode()).decode() if value else None
            else:
                hit = field.get_db_prep_save(value, connection)
            prepared[key] = hit
        return hit

    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    # Only quoted names from the model's metadata are interpolated; every value is
    # quoted by psycopg2 (mogrify), as it would be as a query parameter.
    head = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    tail = f" RETURNING {qn(model._meta.pk.column)}"
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    ids = []
    with connection.cursor() as cursor:
        mogrify = cursor.cursor.mogrify
        for start in range(0, len(objs), BATCH):
            values = b", ".join(
                mogrify(row, [prep(field, obj) for field in fields])
                for obj in objs[start : start + BATCH]
            )
            cursor.execute(head + values.decode() + tail)  # one statement, counted
            ids += [pk for (pk,) in cursor.fetchall()]
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    return objs


def insert_arrays(
    model,
    columns: dict[str, list],
    *,
    sql: dict[str, str] | None = None,
    join: str = "",
    conflict: str = "",
    returning: tuple[str, ...] = ("id",),
) -> list[tuple]:
    """Insert rows in ONE statement whatever their number, PostgreSQL only:
    `INSERT … SELECT … FROM unnest(one array per column)`.

    `columns` maps field attnames to their values, one per row (a column whose values
    are all the same is sent once). `sql` holds columns the database computes from the
    row (`{attname}` stands for a column's value) and from `join` (say `LEFT JOIN
    members_person p ON p.id = {person_id}`): a value copied from another table,
    ciphertext and all, never passes through Python. Values are prepared as
    `bulk_insert` does (encrypted fields encrypted, a repeated value prepared once).
    `conflict` is appended as it is (`ON CONFLICT (…) DO NOTHING`). Returns the
    `returning` columns of the rows inserted, in id order when "id" is among them (ids
    are drawn in the rows' order).
    """
    sql = sql or {}
    if not columns or not next(iter(columns.values())):
        return []
    qn = connection.ops.quote_name
    fields = {f.attname: f for f in model._meta.concrete_fields}
    prepared: dict = {}

    def prep(field, value):
        try:
            key = (field.attname, value)
            hit = prepared.get(key, prepared)
        except TypeError:  # unhashable
            return field.get_db_prep_save(value, connection)
        if hit is prepared:
            if isinstance(field, EncryptedFieldMixin):
                hit = field.f.encrypt(str(value).encode()).decode() if value else None
            else:
                hit = field.get_db_prep_save(value, connection)
            prepared[key] = hit
        return hit

    names, values, where = [], [], {}
    arrays, casts, same, constants = [], [], [], []
    for name, column in columns.items():
        field = fields[name]
        names.append(qn(field.column))
        kind = field.db_type(connection)
        first = column[0]
        if all(value is first or value == first for value in column):
            where[name] = f"k.k{len(same)}"
            constants.append(f"%s::{kind} AS k{len(same)}")
            same.append(prep(field, first))
        else:
            where[name] = f"v.c{len(arrays)}"
            casts.append(f"%s::{kind}[]")
            if _plain(field) and all(type(v) in (int, str) or v is None for v in column):
                # What the field's preparation would return anyway (an int or a str).
                arrays.append(_array_literal(column))
            else:
                arrays.append(_array_literal([prep(field, value) for value in column]))
        values.append(where[name])
    for name, expression in sql.items():
        names.append(qn(fields[name].column))
        values.append(expression.format(**where))
    if not arrays:  # every row the same: still one row per value
        casts.append("%s::integer[]")
        arrays.append(list(range(len(next(iter(columns.values()))))))
    alias = ", ".join([*(f"c{i}" for i in range(len(arrays))), "ord"])
    back = ", ".join(qn(model._meta.get_field(name).column) for name in returning)
    shared = f"CROSS JOIN (SELECT {', '.join(constants)}) k" if constants else ""
    # Only quoted names from the model's metadata and the caller's own SQL are
    # interpolated; every value is a parameter.
    statement = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(names)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM unnest({', '.join(casts)}) WITH ORDINALITY "
        f"AS v({alias}) {shared} {join.format(**where)} ORDER BY v.ord {conflict} RETURNING {back}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*arrays, *same])
        found = cursor.fetchall()
    if "id" in returning:
        found.sort(key=lambda row: row[returning.index("id")])
    return found


def _plain(field) -> bool:
    """Does the field store an int or a str as it is (no encryption, no conversion)?"""
    from django.db import models

    if isinstance(field, EncryptedFieldMixin):
        return False
    plain = (models.CharField, models.TextField, models.IntegerField, models.ForeignKey)
    return isinstance(field, plain) and not isinstance(field, models.EmailField)


# What an array literal can carry as text; anything else goes as a list of parameters.
_LITERAL = (str, int, float, datetime.date, datetime.time, decimal.Decimal)


def _array_literal(values: list):
    """`values` as ONE PostgreSQL array literal (`{"a","b",NULL}`): the server parses a
    single string instead of an ARRAY[...] of 10,000 constants (which costs more to plan
    than the insert takes). A list, left to psycopg2, if a value is of another type."""
    parts = []
    for value in values:
        if value is None:
            parts.append("NULL")
            continue
        if isinstance(value, bool):
            text = "t" if value else "f"
        elif isinstance(value, _LITERAL):
            text = str(value)
        else:
            return values
        parts.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(parts) + "}"


def insert_objects(objs: list) -> list:
    """`bulk_insert` in one statement whatever the number of rows (`insert_arrays`) on
    PostgreSQL; sets their ids. Elsewhere, `bulk_insert`."""
    if not objs or connection.vendor != "postgresql":
        return bulk_insert(objs)
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                field.pre_save(obj, add=True)
    ids = insert_arrays(model, {f.attname: [getattr(o, f.attname) for o in objs] for f in fields})
    for obj, (pk,) in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    return objs


@contextlib.contextmanager
def constraints_checked_at_once():
    """Check the foreign keys of the rows written inside as each statement ends, rather
    than all at COMMIT (Django makes them DEFERRABLE INITIALLY DEFERRED).

    The same checks either way; but thousands of rows' checks left for COMMIT took seconds
    there while workers were busy on the same tables (the bench's alert behind a
    reminder backlog: 7.7 s at COMMIT deferred, 0.65 s for the whole write checked at
    once). PostgreSQL only, inside a transaction; afterwards the transaction's
    constraints are deferred again (the schema has none deferrable that start
    immediate). After an error the transaction or savepoint rolls back, and with it
    this setting.
    """
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
