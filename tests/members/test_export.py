"""CSV export: coordinators only, after re-entering their password, every one in the
audit log, and no cell a spreadsheet would run as a formula."""

import csv
import io

import pytest
from django.urls import reverse

from committees.roles import Role
from members.audit import AuditEvent
from members.consent import Channel, ConsentSource, Purpose, consent_record

from ..factories import PersonFactory, ZoneFactory, make_member

PASSWORD = "correct horse battery staple"


def reauthenticate(client):
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads the accents
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("role", [Role.LEGAL, Role.DISPATCHER, Role.TRAINER, Role.RESPONDER])
def test_only_coordinators_may_export(committee, client_for, role):
    member = make_member(committee, roles=[role])
    response = client_for(member).get(reverse("members:export"))
    assert response.status_code == 403  # the role may not export, before any password prompt
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORTED).exists()


def test_probationary_member_may_not_export(probationary_member, client_for):
    response = client_for(probationary_member).get(reverse("members:export"))
    assert response.status_code == 403


def test_coordinator_must_reauthenticate_then_export_is_in_the_audit_log(
    coordinator, client_for, committee
):
    zone = ZoneFactory(committee=committee, name="Zone 3")
    in_zone = PersonFactory(committee=committee, preferred_name="Marta")
    in_zone.zones.add(zone)
    PersonFactory(committee=committee, preferred_name="Elsewhere")
    client = client_for(coordinator)
    url = reverse("members:export") + f"?zone={zone.pk}"

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORTED).exists()

    reauthenticate(client)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    rows = read_csv(response)
    assert rows[0][:4] == ["name", "full name", "phone", "email"]
    assert [row[0] for row in rows[1:]] == ["Marta"]

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORTED)
    assert event.actor == coordinator.person
    assert event.row_count == 1
    assert event.details == {"zone": zone.pk}
    assert event.committee == committee


def test_export_audit_never_records_the_searched_name(coordinator, client_for, committee):
    PersonFactory(committee=committee, preferred_name="Secreta Persona")
    client = client_for(coordinator)
    reauthenticate(client)
    response = client.get(reverse("members:export"), {"q": "Secreta"})
    assert [row[0] for row in read_csv(response)[1:]] == ["Secreta Persona"]
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORTED)
    assert "Secreta" not in str(event.details)


def test_exported_cells_cannot_run_as_formulas(coordinator, client_for, committee):
    dangerous = ['=HYPERLINK("http://evil.example","x")', "+SUM(1)", "-2+3", "@cmd"]
    for name in dangerous:
        PersonFactory(committee=committee, preferred_name=name, full_name="\tTabbed")
    client = client_for(coordinator)
    reauthenticate(client)
    rows = read_csv(client.get(reverse("members:export")))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    names = {row[0] for row in rows[1:]}
    assert {f"'{name}" for name in dangerous} <= names
    phones = {row[2] for row in rows[1:]}
    assert all(phone.startswith("'+1") for phone in phones)


def test_export_has_consent_and_details_in_the_readers_language(coordinator, client_for):
    committee = coordinator.committee
    person = PersonFactory(committee=committee, preferred_name="Paz")
    consent_record(
        person=person,
        purpose=Purpose.RAID_ALERTS,
        channel=Channel.SMS,
        granted=True,
        wording="w",
        language="es",
        source=ConsentSource.WEB_FORM,
    )
    coordinator.person.user.language = "es"
    coordinator.person.user.save()
    client = client_for(coordinator)
    reauthenticate(client)
    rows = read_csv(client.get(reverse("members:export"), {"q": "Paz"}))
    header, paz = rows[0], rows[1]
    assert header[:4] == ["nombre", "nombre completo", "teléfono", "correo electrónico"]
    column = header.index("consentimiento: Alertas de redadas por Mensaje de texto (SMS)")
    assert paz[column] == "sí"


def test_an_exported_file_imports_back_without_creating_anyone(coordinator, client_for):
    committee = coordinator.committee
    zone = ZoneFactory(committee=committee, name="Zona 1 – Boyle Heights")
    for n in range(5):
        person = PersonFactory(committee=committee, preferred_name=f"Ida {n}")
        person.zones.add(zone)
    client = client_for(coordinator)
    reauthenticate(client)
    exported = b"".join(client.get(reverse("members:export")).streaming_content)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from members.models import ImportBatch, Person

    before = Person.objects.count()
    client.post(
        reverse("members:import_upload"),
        {"file": SimpleUploadedFile("export.csv", exported, "text/csv")},
    )
    batch = ImportBatch.objects.get()
    assert (batch.error_count, batch.new_count) == (0, 0)
    assert batch.unchanged_count == 6
    assert Person.objects.count() == before
