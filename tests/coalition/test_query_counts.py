"""Must show 5: the partner list, the commitment list and the public page make as many
queries with many rows as with a few."""

import pytest
from django.urls import reverse

from coalition.models import (
    Commitment,
    CommitmentEvent,
    CommitmentIncident,
    NeighbourFact,
    OfficeHolder,
    Partner,
    PartnerPledge,
)

from ..factories import AgencyFactory
from ..helpers import assert_constant_queries

pytestmark = pytest.mark.django_db


def add_partners(committee, n):
    start = Partner.objects.count()
    partners = Partner.objects.bulk_create(
        [
            Partner(
                committee=committee, name=f"Partner {start + i:04d}", kind="union", offers=["space"]
            )
            for i in range(n)
        ]
    )
    PartnerPledge.objects.bulk_create(
        [PartnerPledge(partner=p, text="Sanctuary") for p in partners]
    )


def add_commitments(committee, n, *, published=False):
    agency = AgencyFactory(committee=committee)
    holder = OfficeHolder.objects.create(agency=agency, name="Sheriff Smith")
    commitments = Commitment.objects.bulk_create(
        [
            Commitment(
                committee=committee,
                agency=agency,
                office_holder=holder,
                kind="no_287g",
                status="broken",
                in_writing=True,
                published=published,
            )
            for _ in range(n)
        ]
    )
    CommitmentEvent.objects.bulk_create(
        [CommitmentEvent(commitment=c, status="broken", on="2026-11-01") for c in commitments]
    )
    CommitmentIncident.objects.bulk_create(
        [CommitmentIncident(commitment=c, incident_id=c.pk) for c in commitments]
    )


def test_partner_list_queries_do_not_grow_with_partners(committee, coordinator, client_for):
    client = client_for(coordinator)
    assert_constant_queries(
        lambda n: add_partners(committee, n), lambda: client.get(reverse("coalition:partner_list"))
    )


def test_commitment_list_queries_do_not_grow_with_commitments(
    committee, coordinator, client_for, django_assert_max_num_queries
):
    client = client_for(coordinator)
    many = assert_constant_queries(
        lambda n: add_commitments(committee, n),
        lambda: client.get(reverse("coalition:commitment_list")),
    )
    with django_assert_max_num_queries(many):
        assert client.get(reverse("coalition:commitment_list")).status_code == 200


def test_public_page_queries_do_not_grow_with_scorecard_and_facts(committee, anonymous):
    def add_rows(n):
        add_commitments(committee, n, published=True)
        NeighbourFact.objects.bulk_create(
            [
                NeighbourFact(committee=committee, text_en="Fact", text_es="Dato", source="Census")
                for _ in range(n)
            ]
        )

    url = reverse("coalition_public:page", kwargs={"committee_slug": committee.slug})
    many = assert_constant_queries(add_rows, lambda: anonymous.get(url))
    assert many <= 8
