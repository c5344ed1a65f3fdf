"""Import for real spreadsheets: the good rows go in and the bad ones come back as a CSV
to correct; names are never overwritten by default; skills and languages are read in
both languages and their common variants; the app's own export imports back with no
change."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import ImportBatch, Person, Skill, SpokenLanguage

from ..factories import PersonFactory, ZoneFactory
from .test_export import reauthenticate

pytestmark = pytest.mark.django_db

HEADER = ["name", "full name", "phone", "email", "language", "zone", "skills"]


def sheet(rows, header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def upload(client, data, name="people.csv"):
    response = client.post(
        reverse("members:import_upload"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )
    assert response.status_code == 302, response.content.decode()[:400]
    return ImportBatch.objects.latest("created_at")


def confirm(client, batch, **extra):
    data = {"existing": "update", "wording_language": "en", **extra}
    return client.post(reverse("members:import_detail", args=[batch.pk]), data)


def read(content: bytes):
    text = content.decode("utf-8")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.fixture
def zones(committee):
    return [ZoneFactory(committee=committee, name=name) for name in ("Zona 1", "Zona 3")]


def test_3000_rows_with_bad_ones_import_the_good_and_return_the_bad_as_a_csv(
    coordinator, client_for, zones
):
    committee = coordinator.committee
    known = []
    for n in range(10):
        person = PersonFactory(committee=committee, preferred_name=f"Conocida {n}")
        person.set_contact(phone=f"+1323555{n:04d}", email="")
        person.save()
        known.append(person)
    rows = [
        [
            f"Vecino {n}",
            f"Vecino {n} Apellido",
            f"(424) 555-{n:04d}",
            f"vecino{n}@example.org",
            "Spanish" if n % 2 else "English",
            "Zona 3" if n % 3 else "Zona 1",
            "Conductor(a); Intérprete" if n % 7 == 0 else "",
        ]
        for n in range(3000)
    ]
    bad = {}
    for n in range(0, 3000, 100):  # 30 bad rows, three kinds of problem
        kind = (n // 100) % 3
        column, value = [(2, "555-12"), (3, "vecino@@example"), (5, "Zona 99")][kind]
        bad[n] = (column, rows[n][column])
        rows[n][column] = value
    for n, person in enumerate(known):  # ten rows are people we already know, renamed
        rows[1001 + n * 7] = [
            f"Otro nombre {n}",
            "",
            person.phone,
            f"conocida{n}@example.org",
            "",
            "",
            "",
        ]

    client = client_for(coordinator)
    batch = upload(client, sheet(rows))
    assert batch.error_count == 30
    preview = client.get(reverse("members:import_detail", args=[batch.pk])).content.decode()
    assert "Import the 2,970 rows without problems" in preview

    response = confirm(client, batch, skip_bad_rows="on")
    assert response.status_code == 302
    assert response["Location"] == reverse("members:import_detail", args=[batch.pk])
    people = Person.objects.filter(committee=committee)
    assert people.filter(preferred_name__startswith="Vecino ").count() == 2960
    for n, person in enumerate(known):
        person.refresh_from_db()
        assert person.preferred_name == f"Conocida {n}"  # never renamed by default
        assert person.email == f"conocida{n}@example.org"  # but the new detail is added
    assert not people.filter(preferred_name__startswith="Otro nombre").exists()

    page = client.get(response["Location"]).content.decode()
    assert "30 rows were left out" in page
    rejects = client.get(reverse("members:import_rejects", args=[batch.pk]))
    assert rejects.status_code == 200
    assert rejects["Content-Type"].startswith("text/csv")
    header, *left_out = read(rejects.content)
    assert header[-1] == "problems to correct" and len(left_out) == 30
    assert {row[0] for row in left_out} == {f"Vecino {n}" for n in bad}
    assert "is not a valid phone number" in left_out[0][-1]

    # Corrected in the spreadsheet and uploaded again: they all go in.
    names = {f"Vecino {n}": n for n in bad}
    for row in left_out:
        n = names[row[0]]
        column, original = bad[n]
        row[column] = original  # same columns, same order as the file sent
    corrected = upload(client, sheet([row[:-1] for row in left_out], header=header[:-1]))
    assert (corrected.error_count, corrected.new_count) == (0, 30)
    confirm(client, corrected)
    assert people.filter(preferred_name__startswith="Vecino ").count() == 2990  # 10 were known
    assert people.get(preferred_name="Vecino 700").skills.count() == 2


def test_without_asking_for_it_a_file_with_bad_rows_imports_nothing(coordinator, client_for, zones):
    client = client_for(coordinator)
    batch = upload(
        client,
        sheet([["Ana", "", "555-1", "", "", "", ""], ["Bea", "", "", "b@x.org", "", "", ""]]),
    )
    confirm(client, batch)
    assert not Person.objects.filter(preferred_name__in=["Ana", "Bea"]).exists()


@pytest.mark.parametrize(
    ("cell", "slugs"),
    [
        ("Conductor", {"driver"}),
        ("Conductor(a)", {"driver"}),
        ("conductora", {"driver"}),
        ("driver", {"driver"}),
        ("DRIVER", {"driver"}),
        ("Chófer", {"driver"}),
        ("Conductor/a", {"driver"}),
        ("intérprete; PRIMEROS AUXILIOS", {"interpreter", "medic"}),
        ("Interpreter (spoken), first aid", {"interpreter", "medic"}),
        ("cuidado de ninos | Tecnología", {"childcare", "tech"}),
        ("Traductora", {"translator"}),
    ],
)
def test_skills_are_read_in_both_languages_and_their_variants(
    coordinator, client_for, zones, cell, slugs
):
    client = client_for(coordinator)
    batch = upload(client, sheet([["Lola", "", "+12135550100", "", "", "", cell]]))
    assert batch.error_count == 0, cell
    confirm(client, batch)
    lola = Person.objects.get(preferred_name="Lola")
    assert {skill.slug for skill in lola.skills.all()} == slugs


def test_other_languages_are_read_in_both_languages_and_their_variants(coordinator, client_for):
    client = client_for(coordinator)
    header = ["nombre", "teléfono", "otros idiomas"]
    batch = upload(
        client,
        sheet([["Tito", "+12135550101", "Inglés; portugues; Kreyol; MAM; english"]], header),
    )
    assert batch.error_count == 0
    confirm(client, batch)
    tito = Person.objects.get(preferred_name="Tito")
    assert {lang.code for lang in tito.other_languages.all()} == {"en", "pt", "ht", "mam"}


def _snapshot(committee):
    return {
        person.pk: (
            person.preferred_name,
            person.full_name,
            person.phone,
            person.email,
            person.language,
            sorted(lang.code for lang in person.other_languages.all()),
            sorted(skill.pk for skill in person.skills.all()),
            sorted(zone.pk for zone in person.zones.all()),
            person.updated_at,
        )
        for person in Person.objects.filter(committee=committee).prefetch_related(
            "other_languages", "skills", "zones"
        )
    }


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_apps_own_export_imports_back_with_no_change(coordinator, client_for, zones, language):
    committee = coordinator.committee
    driver = Skill.objects.get(slug="driver")
    custom = Skill.objects.create(
        committee=committee, slug="cook", name_en="Cook", name_es="Cocina"
    )
    for n in range(12):
        person = PersonFactory(
            committee=committee,
            preferred_name=f"José {n}",
            full_name=f"José María Peña {n}",
            language="es" if n % 2 else "en",
        )
        person.zones.add(zones[n % 2])
        person.skills.add(driver, *([custom] if n % 3 == 0 else []))
        person.other_languages.add(*SpokenLanguage.objects.filter(code__in=["en", "mam", "ht"]))
    nobody = PersonFactory(committee=committee, preferred_name="Sin correo")
    nobody.set_contact(phone="+12135550999", email="")
    nobody.save()
    before = _snapshot(committee)

    client = client_for(coordinator, language=language)
    reauthenticate(client)
    exported = b"".join(client.get(reverse("members:export")).streaming_content)
    batch = upload(client, exported)
    assert (batch.error_count, batch.new_count, batch.update_count) == (0, 0, 0)
    assert batch.unchanged_count == len(before)
    confirm(client, batch, existing="replace")
    assert _snapshot(committee) == before
