"""Fill `search_name` for existing people and, on PostgreSQL, index it for substring search.

A GIN trigram index (pg_trgm) lets `search_name LIKE '%ana%'` use an index at 100,000
people. SQLite has no trigram index; there the operation does nothing.
"""

from django.db import migrations

INDEX = "person_search_name_trgm"


def backfill(apps, schema_editor):
    from members.text import search_key

    Person = apps.get_model("members", "Person")
    batch = []
    for person in Person.objects.only("id", "preferred_name", "full_name").iterator(chunk_size=2000):
        person.search_name = search_key(f"{person.preferred_name} {person.full_name}")
        batch.append(person)
        if len(batch) == 2000:
            Person.objects.bulk_update(batch, ["search_name"])
            batch = []
    Person.objects.bulk_update(batch, ["search_name"])


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_person "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0003_people_directory"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
