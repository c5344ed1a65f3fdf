"""Must show 1: a commitment's status history, its document (access-checked, logged
download) and its link to the incident that broke it; the public scorecard shows
only what the committee chose to publish."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coalition import incidents, services
from coalition.models import Commitment, CommitmentEvent, Document
from committees.access import load_viewer
from committees.roles import Role
from members.audit import AuditEvent

from ..factories import AgencyFactory, CommitmentFactory, make_member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
INCIDENT = 4242


@pytest.fixture
def rapid_response(monkeypatch):
    """The rapid-response hand-off, as that part will answer it: one incident of ours."""
    labels = {INCIDENT: "2026-11-20 · Zone 3 · verified"}

    def incident_label(*, incident_id, committee):
        return labels.get(incident_id) if committee.slug == "eastside" else None

    def incidents_for_link(*, committee, since=None):
        return list(labels.items()) if committee.slug == "eastside" else []

    monkeypatch.setattr(incidents, "incident_label", incident_label)
    monkeypatch.setattr(incidents, "incidents_for_link", incidents_for_link)


@pytest.fixture
def sheriff_promise(committee, coordinator):
    actor = load_viewer(coordinator.person.user)
    agency = AgencyFactory(committee=committee, name="Eastside County Sheriff")
    commitment = services.commitment_create(
        actor=actor, agency=agency, kind="no_detainers", status="asked", on=date(2026, 3, 1)
    )
    services.commitment_status_set(
        actor=actor, commitment=commitment, status="promised_verbally", on=date(2026, 4, 2)
    )
    document = services.document_store(
        actor=actor, upload=SimpleUploadedFile("letter.pdf", PDF, "application/pdf")
    )
    services.commitment_document_attach(actor=actor, commitment=commitment, document=document)
    services.commitment_status_set(
        actor=actor,
        commitment=commitment,
        status="promised_in_writing",
        on=date(2026, 5, 3),
        source_url="https://example.org/letter",
    )
    return commitment


def test_status_history_keeps_every_change_and_links_the_breaking_incident(
    committee, coordinator, client_for, rapid_response, sheriff_promise
):
    client = client_for(coordinator)
    response = client.post(
        reverse("coalition:commitment_status", args=[sheriff_promise.pk]),
        {
            "status": "broken",
            "on": "2026-11-21",
            "note": "Deputies at the ICE raid",
            "incidents": [INCIDENT],
        },
    )
    assert response.status_code == 302

    commitment = Commitment.objects.get(pk=sheriff_promise.pk)
    assert commitment.status == "broken"
    assert commitment.in_writing  # the written promise stays on record
    history = list(
        CommitmentEvent.objects.filter(commitment=commitment)
        .order_by("on")
        .values_list("status", flat=True)
    )
    assert history == ["asked", "promised_verbally", "promised_in_writing", "broken"]
    assert list(commitment.incidents.values_list("incident_id", flat=True)) == [INCIDENT]

    page = client.get(reverse("coalition:commitment_detail", args=[commitment.pk]))
    body = page.content.decode()
    assert "Incident #4242" in body and "2026-11-20 · Zone 3 · verified" in body
    for label in ("Asked", "Promised verbally", "Promised in writing", "Broken"):
        assert label in body


def test_an_incident_of_another_committee_cannot_be_linked(
    committee, coordinator, rapid_response, sheriff_promise
):
    actor = load_viewer(coordinator.person.user)
    with pytest.raises(ValidationError):
        services.commitment_status_set(
            actor=actor, commitment=sheriff_promise, status="broken", incident_ids=[999]
        )
    assert Commitment.objects.get(pk=sheriff_promise.pk).status == "promised_in_writing"
    assert not sheriff_promise.incidents.exists()


def test_document_download_is_access_checked_and_logged(
    committee, coordinator, vetted_member, outsider, client_for, sheriff_promise
):
    url = reverse("coalition:commitment_document", args=[sheriff_promise.pk])
    stored = Document.objects.get(pk=sheriff_promise.document_id)
    assert PDF not in stored.ciphertext.encode()  # encrypted at rest

    legal = make_member(committee, roles=[Role.LEGAL], name="Beto Legal")
    response = client_for(legal).get(url)
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]

    event = AuditEvent.objects.get(kind="coalition.document_downloaded")
    assert event.actor == legal.person
    assert event.committee == committee
    assert event.target_id == sheriff_promise.pk

    # A responder without the documents right, and another committee's coordinator.
    assert client_for(vetted_member).get(url).status_code in (403, 404)
    assert client_for(outsider).get(url).status_code == 404
    assert AuditEvent.objects.filter(kind="coalition.document_downloaded").count() == 1


def test_public_scorecard_shows_only_what_the_committee_published(
    committee, coordinator, anonymous, sheriff_promise
):
    actor = load_viewer(coordinator.person.user)
    council = AgencyFactory(committee=committee, name="Eastside City Council", kind="city_council")
    hidden = CommitmentFactory(agency=council, kind="decline_stonegarden")
    url = reverse("coalition_public:page", kwargs={"committee_slug": committee.slug})

    body = anonymous.get(url).content.decode()
    assert "Eastside County Sheriff" not in body and "Eastside City Council" not in body

    services.commitment_publish(
        actor=actor, commitment=sheriff_promise, published=True, document_public=False
    )
    body = anonymous.get(url).content.decode()
    assert "Eastside County Sheriff" in body
    assert "No detainers honoured without a judicial warrant" in body
    assert "Eastside City Council" not in body and hidden.get_kind_display() not in body
    # Its document was not made public: no link, and the public URL is a 404.
    document_url = reverse(
        "coalition_public:document",
        kwargs={"committee_slug": committee.slug, "public_commitment_id": sheriff_promise.pk},
    )
    assert document_url not in body
    assert anonymous.get(document_url).status_code == 404

    services.commitment_publish(
        actor=actor, commitment=sheriff_promise, published=True, document_public=True
    )
    assert document_url in anonymous.get(url).content.decode()
    assert anonymous.get(document_url).content == PDF


def test_a_file_that_is_not_a_pdf_or_photo_is_refused(
    committee, coordinator, client_for, sheriff_promise
):
    client = client_for(coordinator)
    before = Document.objects.count()
    response = client.post(
        reverse("coalition:commitment_upload", args=[sheriff_promise.pk]),
        {"document": SimpleUploadedFile("evil.html", b"<script>alert(1)</script>", "text/html")},
        follow=True,
    )
    assert response.status_code == 200
    assert "Upload a PDF" in response.content.decode()
    assert Document.objects.count() == before


def test_one_more_incident_can_be_linked_to_a_broken_commitment(
    committee, coordinator, client_for, rapid_response, sheriff_promise, monkeypatch
):
    actor = load_viewer(coordinator.person.user)
    services.commitment_status_set(actor=actor, commitment=sheriff_promise, status="broken")
    client = client_for(coordinator)
    page = client.get(reverse("coalition:commitment_detail", args=[sheriff_promise.pk]))
    assert "Link this incident" in page.content.decode()

    client.post(
        reverse("coalition:commitment_incident_add", args=[sheriff_promise.pk]),
        {"incident": INCIDENT},
    )
    client.post(  # not one of ours: refused
        reverse("coalition:commitment_incident_add", args=[sheriff_promise.pk]),
        {"incident": 999},
    )
    assert list(sheriff_promise.incidents.values_list("incident_id", flat=True)) == [INCIDENT]


def test_volunteer_offers_are_listed_for_coordinators(committee, coordinator, client_for):
    from coalition.models import VolunteerInterest

    from ..factories import PersonFactory

    person = PersonFactory(committee=committee, preferred_name="Lucía Voluntaria")
    VolunteerInterest.objects.create(committee=committee, person=person, interests=["driving"])
    body = client_for(coordinator).get(reverse("coalition:home")).content.decode()
    assert "Lucía Voluntaria" in body and "Driving" in body
    trainer = make_member(committee, roles=[Role.TREASURER], name="Tere")
    assert (
        "Lucía Voluntaria"
        not in client_for(trainer).get(reverse("coalition:home")).content.decode()
    )
