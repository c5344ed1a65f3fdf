"""On PostgreSQL, the directory's order index also carries `search_name` and `language`.

A name search walks the committee's people in name order and keeps those whose
`search_name` contains the text, until a page is full. When the matches cluster
in one part of the alphabet ("maria", "verónica") that walk read the table row by
row for most of the committee: 60-150 ms at 100,000 people. With the two columns
in the index the walk never leaves it (an index-only scan): 10-12 ms at worst,
under 1 ms for a common surname, and the plain list needs no table read either.

Same name, keys and condition as the model's `person_directory_order`, so Django's
migration state is unchanged; SQLite keeps the plain index.
"""

from django.db import migrations

INDEX = "person_directory_order"
KEYS = "members_person (committee_id, preferred_name, id)"
CONDITION = "WHERE erased_at IS NULL"


def _replace(schema_editor, include: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON {KEYS} {include} {CONDITION}")


def add_covering_columns(apps, schema_editor):
    _replace(schema_editor, "INCLUDE (search_name, language)")


def remove_covering_columns(apps, schema_editor):
    _replace(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_search_name_trigram"),
    ]

    operations = [
        migrations.RunPython(add_covering_columns, remove_covering_columns),
    ]
