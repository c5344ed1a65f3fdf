from django.urls import reverse

from committees.roles import MembershipStatus, Role

from ..factories import ZoneFactory, make_member
from ..helpers import assert_constant_queries


def test_member_list_query_count_does_not_grow(coordinator, client_for):
    client = client_for(coordinator)
    committee = coordinator.committee

    def add(n):
        for i in range(n):
            make_member(
                committee,
                roles=[Role.RESPONDER] if i % 2 else [],
                with_login=False,
                status=MembershipStatus.PROBATIONARY if i % 3 else MembershipStatus.VETTED,
            )

    assert_constant_queries(
        add, lambda: client.get(reverse("committees:membership_list")), large=120
    )


def test_dashboard_and_newcomers_query_count_does_not_grow(coordinator, client_for):
    client = client_for(coordinator)

    def add(n):
        for _ in range(n):
            make_member(
                coordinator.committee, with_login=False, status=MembershipStatus.PROBATIONARY
            )

    assert_constant_queries(add, lambda: client.get(reverse("dashboard")), large=80)
    assert_constant_queries(
        lambda n: add(n), lambda: client.get(reverse("committees:vouch_list")), small=1, large=60
    )


def test_zone_and_invitation_lists_query_count_does_not_grow(coordinator, client_for):
    client = client_for(coordinator)

    def add_zones(n):
        for _ in range(n):
            ZoneFactory(committee=coordinator.committee)

    assert_constant_queries(add_zones, lambda: client.get(reverse("committees:zone_list")))

    def add_invitations(n):
        for i in range(n):
            client.post(reverse("committees:invitation_list"), {"email": f"p{i}-{n}@example.org"})

    assert_constant_queries(
        add_invitations,
        lambda: client.get(reverse("committees:invitation_list")),
        small=3,
        large=60,
    )
