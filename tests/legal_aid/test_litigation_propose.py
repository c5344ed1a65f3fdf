"""A team member proposes an incident seen on its own page as evidence for one of their
matters; someone on no team sees no link, and the page is a 404 to them."""

import pytest
from django.urls import reverse

from legal_aid.models import Evidence

from ..factories import make_incident, make_matter

pytestmark = pytest.mark.django_db


def test_incident_page_links_to_propose_and_the_link_creates_evidence(
    client_for, committee, legal_member, dispatcher
):
    matter = make_matter(committee, team=[legal_member])
    incident = make_incident(committee)
    client = client_for(legal_member, language="en")
    url = reverse("legal_aid:propose", args=["incident", incident.pk])
    page = client.get(reverse("rapid_response:incident", args=[incident.pk]))
    assert url in page.content.decode()
    response = client.post(url, {"matter": matter.pk, "conduct": "warrantless_entry"})
    assert response.status_code == 302
    link = Evidence.objects.get()
    assert (link.matter, link.source_kind, link.source_id) == (matter, "incident", incident.pk)
    dispatch_page = client_for(dispatcher).get(
        reverse("rapid_response:incident", args=[incident.pk])
    )
    assert url not in dispatch_page.content.decode()
    assert client_for(dispatcher).get(url).status_code == 404
