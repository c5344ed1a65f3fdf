"""Impact litigation, must show 4: the matter list, a matter's page and the patterns page
make as many queries with many matters or linked incidents as with a few."""

from itertools import count

import pytest
from django.urls import reverse

from legal_aid.models import Evidence, Matter, MatterTeamMember
from rapid_response.models import Incident, ObserverLog

from ..factories import ZoneFactory, make_matter
from ..helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

serial = count()


def add_incidents(committee, zone, observer, n, matter=None):
    incidents = Incident.objects.bulk_create(
        Incident(committee=committee, zone=zone, status="confirmed", report_count=1)
        for _ in range(n)
    )
    ObserverLog.objects.bulk_create(
        ObserverLog(
            incident=i, agencies=["ice", "police"], warrant="none", filed_by=observer, note="x"
        )
        for i in incidents
    )
    if matter is not None:
        Evidence.objects.bulk_create(
            Evidence(matter=matter, source_kind="incident", source_id=i.pk, conduct="other")
            for i in incidents
        )
    return incidents


def test_matter_page_is_constant_with_many_linked_incidents(
    client_for, committee, legal_member, other_legal_member
):
    matter = make_matter(committee, team=[legal_member, other_legal_member])
    zone = ZoneFactory(committee=committee)
    client = client_for(legal_member)
    assert_constant_queries(
        lambda n: add_incidents(committee, zone, other_legal_member, n, matter),
        lambda: client.get(reverse("legal_aid:matter", args=[matter.pk])),
        small=5,
        large=150,
    )


def test_matter_list_is_constant_with_many_matters(
    client_for, committee, legal_member, coordinator
):
    zone = ZoneFactory(committee=committee)

    def add_matters(n):
        matters = Matter.objects.bulk_create(
            Matter(committee=committee, public_name=f"M{next(serial)}", claim_kind="other")
            for _ in range(n)
        )
        MatterTeamMember.objects.bulk_create(
            MatterTeamMember(matter=m, membership=legal_member) for m in matters
        )
        for matter in matters[:3]:
            add_incidents(committee, zone, legal_member, 20, matter)

    for member in (legal_member, coordinator):
        client = client_for(member)
        assert_constant_queries(
            add_matters, lambda c=client: c.get(reverse("legal_aid:matters")), small=5, large=40
        )


def test_patterns_page_is_constant_with_many_incidents(client_for, committee, coordinator):
    zones = [ZoneFactory(committee=committee) for _ in range(3)]
    client = client_for(coordinator)
    assert_constant_queries(
        lambda n: [add_incidents(committee, z, coordinator, n // 3 or 1) for z in zones],
        lambda: client.get(reverse("legal_aid:patterns")),
        small=6,
        large=300,
    )
