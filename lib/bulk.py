"""Inserting many rows of one model at once."""

from __future__ import annotations

import contextlib

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
