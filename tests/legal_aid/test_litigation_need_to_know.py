"""Impact litigation, must show 1: a matter's contents are for its team. Everyone else —
another legal member, a coordinator, an accompanier, another committee — gets a 404 for
the matter, its declarants, its documents and its packet; the committee sees only that
it exists, its public name and status. Every view is in the audit trail."""

import pytest
from django.urls import reverse

from committees.access import Action, load_viewer
from legal_aid.models import Declarant, Matter, MatterDocument
from members.audit import AuditEvent

from ..factories import PersonFactory, make_matter

pytestmark = pytest.mark.django_db

CLAIM = "Deputies hold people for ICE past their release"


@pytest.fixture
def matter(committee, legal_member):
    return make_matter(committee, team=[legal_member], public_name="Jail holds", claim=CLAIM)


@pytest.fixture
def declarant(committee, matter):
    return Declarant.objects.create(matter=matter, person=PersonFactory(committee=committee))


@pytest.fixture
def document(matter):
    return MatterDocument.objects.create(
        matter=matter,
        kind="complaint",
        filename="complaint.pdf",
        content_type="application/pdf",
        size=8,
        content="JVBERi0xLjQ=",
    )


def _urls(matter, declarant, document):
    return [
        reverse("legal_aid:matter", args=[matter.pk]),
        reverse("legal_aid:packet", args=[matter.pk]),
        reverse("legal_aid:declarant", args=[declarant.pk]),
        reverse("legal_aid:matter_document", args=[document.pk]),
    ]


def test_team_member_sees_the_matter_and_every_view_is_audited(
    client_for, legal_member, matter, declarant, document
):
    client = client_for(legal_member)
    page = client.get(reverse("legal_aid:matter", args=[matter.pk]))
    assert page.status_code == 200 and CLAIM in page.content.decode()
    for url in _urls(matter, declarant, document)[1:]:
        assert client.get(url).status_code == 200, url
    kinds = sorted(
        AuditEvent.objects.filter(actor=legal_member.person).values_list("kind", flat=True)
    )
    assert kinds == [
        "legal_aid.matter_document_viewed",
        "legal_aid.matter_viewed",
        "legal_aid.packet_exported",
    ]
    # The declarant has not agreed: the page shows no contact, and so no contact view.
    assert not AuditEvent.objects.filter(kind="legal_aid.declarant_viewed").exists()


@pytest.mark.parametrize(
    "who", ["other_legal_member", "coordinator", "accompanier", "vetted_member", "outsider"]
)
def test_everyone_off_the_team_gets_404(request, client_for, who, matter, declarant, document):
    client = client_for(request.getfixturevalue(who))
    for url in _urls(matter, declarant, document):
        assert client.get(url).status_code == 404, (who, url)
    posts = [
        reverse("legal_aid:matter_edit", args=[matter.pk]),
        reverse("legal_aid:evidence_add", args=[matter.pk]),
        reverse("legal_aid:declarant_ask", args=[declarant.pk]),
        reverse("legal_aid:declarant_consent", args=[declarant.pk]),
    ]
    for url in posts:
        assert client.post(url, {"status": "filed"}).status_code == 404, (who, url)
    assert not AuditEvent.objects.filter(kind__startswith="legal_aid.").exists()
    assert Matter.objects.get(pk=matter.pk).status == "investigating"


def test_the_committee_sees_existence_and_public_status_only(
    client_for, coordinator, other_legal_member, matter
):
    for member in (coordinator, other_legal_member):
        listing = client_for(member).get(reverse("legal_aid:matters"))
        html = listing.content.decode()
        assert listing.status_code == 200
        assert f"#{matter.pk} Jail holds" in html and "Investigating" in html
        assert CLAIM not in html
        assert reverse("legal_aid:matter", args=[matter.pk]) not in html


def test_outsider_does_not_see_the_matter_exists(client_for, outsider, matter):
    response = client_for(outsider).get(reverse("legal_aid:matters"))
    assert "Jail holds" not in response.content.decode()


def test_access_module_decides(matter, legal_member, other_legal_member, coordinator, outsider):
    matter = Matter.objects.prefetch_related("team").get(pk=matter.pk)
    team, legal, coord, out = (
        load_viewer(m.person.user)
        for m in (legal_member, other_legal_member, coordinator, outsider)
    )
    assert team.can(Action.VIEW_MATTER, matter) and team.can(Action.EDIT_MATTER, matter)
    assert legal.can(Action.VIEW_MATTER) and not legal.can(Action.VIEW_MATTER, matter)
    assert coord.can(Action.VIEW_MATTER_STATUS) and not coord.can(Action.VIEW_MATTER)
    assert not out.can(Action.VIEW_MATTER_STATUS, matter)
