"""The proceeding types every committee starts with; a team adds its own."""

from django.db import migrations

BUILTIN = [
    ("removal", "Removal proceedings", "Procedimiento de deportación (remoción)"),
    ("bond_custody", "Bond and custody", "Fianza y custodia"),
    ("asylum_affirmative", "Affirmative asylum", "Asilo afirmativo"),
]


def add(apps, schema_editor):
    ProceedingType = apps.get_model("legal_aid", "ProceedingType")
    for slug, name_en, name_es in BUILTIN:
        ProceedingType.objects.update_or_create(
            committee=None, slug=slug, defaults={"name_en": name_en, "name_es": name_es}
        )


def remove(apps, schema_editor):
    ProceedingType = apps.get_model("legal_aid", "ProceedingType")
    ProceedingType.objects.filter(committee=None, slug__in=[b[0] for b in BUILTIN]).delete()


class Migration(migrations.Migration):
    dependencies = [("legal_aid", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
