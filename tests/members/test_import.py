"""CSV import: a preview of every row, nothing written before the organizer confirms,
all-or-nothing, no twins, and a clear message for any file we cannot use."""

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

from ..factories import PersonFactory
from .importing import HEADER, confirm, imported_people, people_csv, thousand_rows, upload


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
    # The default adds what is new but never renames the "Rosa" people know.
    assert existing.preferred_name == "Rosa" and existing.email == "rosa@example.org"

    upload(
        client,
        people_csv([["Rosa M.", "+1 213 555 0142", "rosa@example.org", "", "Zone 1", "medic"]]),
    )
    confirm(client, ImportBatch.objects.latest("created_at").pk, existing="replace")
    existing.refresh_from_db()
    assert existing.preferred_name == "Rosa M."
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
