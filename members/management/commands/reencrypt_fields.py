"""Rewrite every encrypted value under the current key, so that an old one can be retired.

    SECRET_KEY=<new> SECRET_KEY_FALLBACKS=<old> manage.py reencrypt_fields
    # then remove <old> from SECRET_KEY_FALLBACKS

Covers every encrypted model field of every installed app and the second-factor
secrets (allauth's authenticators, encrypted through committees.adapters). Works in
batches by primary key, each its own transaction, on the raw tokens (no plain text
passes through Python objects or logs; `updated_at` columns are not touched). Running
it twice is harmless. Stops at the first value no configured key can open, naming the
table, column and row id.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from lib.crypto import DecryptionError, encrypted_fields, reencrypt_token

BATCH = 500
# allauth.mfa stores these keys of Authenticator.data encrypted (adapter.encrypt).
AUTHENTICATOR_KEYS = ("secret", "seed")


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field under the current SECRET_KEY and salt."

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if fields and model._meta.managed and not model._meta.proxy:
                total += self._model(model, fields)
        total += self._authenticators()
        self.stdout.write(f"Re-encrypted {total} value(s) under the current key.")

    def _model(self, model, fields) -> int:
        qn = connection.ops.quote_name
        table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
        columns = [qn(f.column) for f in fields]
        select = (
            f"SELECT {pk}, {', '.join(columns)} FROM {table} "  # noqa: S608
            f"WHERE {pk} > %s ORDER BY {pk} LIMIT {BATCH}"
        )
        update = (
            f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in columns)} "  # noqa: S608
            f"WHERE {pk} = %s"
        )
        count, last = 0, None
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(select, [last if last is not None else _before_any(model)])
                rows = cursor.fetchall()
                if not rows:
                    break
                changed = []
                for row in rows:
                    values = [
                        self._rotate(v, model, fields[i], row[0]) for i, v in enumerate(row[1:])
                    ]
                    changed.append([*values, row[0]])
                    count += sum(1 for v in row[1:] if v)
                cursor.executemany(update, changed)
                last = rows[-1][0]
        if count:
            self.stdout.write(f"{model._meta.label}: {count}")
        return count

    @staticmethod
    def _rotate(value, model, field, row_id):
        if not value:
            return value
        try:
            return reencrypt_token(value)
        except DecryptionError:
            raise CommandError(
                f"{model._meta.db_table}.{field.column} row {row_id}: no configured key opens "
                "this value. Put the key it was written with in SECRET_KEY_FALLBACKS."
            )

    def _authenticators(self) -> int:
        from allauth.mfa.models import Authenticator

        count = 0
        for authenticator in Authenticator.objects.order_by("pk").iterator(chunk_size=BATCH):
            data = dict(authenticator.data)
            keys = [k for k in AUTHENTICATOR_KEYS if isinstance(data.get(k), str) and data[k]]
            if not keys:
                continue
            for key in keys:
                data[key] = self._rotate(data[key], Authenticator, _Column(key), authenticator.pk)
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
            count += len(keys)
        if count:
            self.stdout.write(f"mfa.Authenticator: {count}")
        return count


class _Column:
    def __init__(self, key):
        self.column = f"data->{key}"


def _before_any(model):
    """A primary key value below every row's."""
    return -1 if model._meta.pk.get_internal_type() != "CharField" else ""
