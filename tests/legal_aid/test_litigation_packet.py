"""Impact litigation, must show 3: the evidence packet of a matter with two incidents
and a court-watch form is a PDF listing each with its dates and sources, accents
intact, naming only the people who agreed."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from legal_aid import services
from legal_aid.models import CourtWatchReport

from ..factories import (
    ZoneFactory,
    make_case,
    make_hearing,
    make_incident,
    make_matter,
    make_member,
)

pytestmark = pytest.mark.django_db

LA = ZoneInfo("America/Los_Angeles")


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def english_lawyer(committee):
    from committees.roles import Role

    return make_member(committee, roles=[Role.LEGAL], name="Eva Counsel", language="en")


@pytest.fixture
def packet_matter(committee, legal_member, english_lawyer, viewer_of):
    agreed = make_member(committee, name="Alma Ruiz", language="es")
    silent = make_member(committee, name="Bruno Díaz", language="es")
    watcher = make_member(committee, name="Carla Vigía", language="en")
    zone_a = ZoneFactory(committee=committee, name="Boyle Heights – Calle Ñandú")
    zone_b = ZoneFactory(committee=committee, name="Pico-Union")
    first = make_incident(
        committee,
        zone=zone_a,
        observer=agreed,
        when=datetime(2026, 3, 4, 7, 15, tzinfo=LA),
        agencies=["ice", "police"],
        warrant="administrative",
        detained_count=2,
        note="Agentes entraron sin orden judicial al patio.",
    )
    second = make_incident(
        committee,
        zone=zone_b,
        observer=silent,
        when=datetime(2026, 4, 9, 16, 40, tzinfo=LA),
        agencies=["cbp"],
        warrant="none",
    )
    case = make_case(committee, team=[legal_member], name="Rosa Martínez")
    hearing = make_hearing(
        case, starts_at=datetime(2026, 5, 12, 9, 0, tzinfo=LA), place="Corte de Inmigración"
    )
    watch = CourtWatchReport.objects.create(
        hearing=hearing,
        reported_by=watcher.person,
        result="detained",
        interpreter_provided=False,
        notes="Two ICE officers waited by the elevator.",
        created_at=datetime(2026, 5, 12, 11, 5, tzinfo=LA),
    )
    matter = make_matter(
        committee,
        team=[legal_member, english_lawyer],
        public_name="Arrestos en la corte",
        court="U.S. District Court, C.D. Cal.",
        case_number="2:26-cv-01234",
    )
    actor = viewer_of(legal_member)
    links = [
        services.evidence_propose(
            actor=actor, matter=matter, source_kind=kind, source_id=pk, conduct=conduct
        )
        for kind, pk, conduct in (
            ("incident", first.pk, "warrantless_entry"),
            ("incident", second.pk, "no_warrant_detention"),
            ("court_watch", watch.pk, "courthouse_arrest"),
        )
    ]
    agreed_declarant = services.declarant_propose(
        actor=actor, matter=matter, evidence=links[0], person_id=agreed.person.pk
    )
    services.declarant_consent_record(
        actor=actor, declarant=agreed_declarant, granted=True, language="es"
    )
    services.declarant_propose(
        actor=actor, matter=matter, evidence=links[1], person_id=silent.person.pk
    )
    return matter


def test_packet_lists_incidents_and_court_watch_with_dates_sources_and_consented_names(
    client_for, english_lawyer, packet_matter
):
    response = client_for(english_lawyer).get(reverse("legal_aid:packet", args=[packet_matter.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    for expected in (
        "Evidence packet: Arrestos en la corte",
        "2:26-cv-01234",
        "Rapid-response incidents",
        "Boyle Heights – Calle Ñandú",
        "Pico-Union",
        "March 4, 2026",
        "April 9, 2026",
        "ICE, Local police or sheriff",
        "Border Patrol (CBP)",
        "Agentes entraron sin orden judicial al patio.",
        "Source: the committee's rapid-response incident log",
        "Court-watch forms",
        "May 12, 2026",
        "Corte de Inmigración",
        "Detained",
        "court-watch form filed May 12, 2026",
        "a trained court watcher",
        "Two ICE officers waited by the elevator.",
        "Alma Ruiz: agreed in person",
        "1 other possible declarant(s) have not agreed",
    ):
        assert expected in text, expected
    for absent in ("Bruno", "Díaz", "Carla", "Vigía", "Rosa", "Martínez"):
        assert absent not in text, absent


def test_packet_in_spanish(client_for, legal_member, packet_matter):
    response = client_for(legal_member, language="es").get(
        reverse("legal_aid:packet", args=[packet_matter.pk])
    )
    text = " ".join(pdf_text(response.content).split())
    assert "Paquete de pruebas: Arrestos en la corte" in text
    assert "Formularios de observación en la corte" in text and "Bruno" not in text
