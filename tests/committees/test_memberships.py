import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from committees import services
from committees.access import load_viewer
from committees.roles import MembershipStatus, Role

from ..factories import make_member


def viewer_of(membership):
    return load_viewer(membership.person.user)


def test_suspending_a_member_ends_their_sessions_at_once(coordinator, vetted_member, client_for):
    member_client = client_for(vetted_member)
    second_device = client_for(vetted_member)
    assert member_client.get(reverse("dashboard")).status_code == 200
    response = client_for(coordinator).post(
        reverse("committees:membership_suspend", args=[vetted_member.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 302
    vetted_member.refresh_from_db()
    assert vetted_member.status == MembershipStatus.SUSPENDED
    for client in (member_client, second_device):
        response = client.get(reverse("dashboard"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_suspended_member_who_signs_in_again_sees_no_committee(
    coordinator, vetted_member, client_for
):
    services.membership_suspend(actor=viewer_of(coordinator), membership=vetted_member)
    vetted_member.person.user.refresh_from_db()
    response = client_for(vetted_member).get(reverse("dashboard"))
    assert "not part of a committee" in response.content.decode()


def test_vetting_needs_a_vouch_then_a_coordinator(
    committee, coordinator, vetted_member, probationary_member
):
    with pytest.raises(ValidationError):
        services.membership_approve(actor=viewer_of(coordinator), membership=probationary_member)
    services.membership_vouch(actor=viewer_of(vetted_member), membership=probationary_member)
    services.membership_approve(actor=viewer_of(coordinator), membership=probationary_member)
    probationary_member.refresh_from_db()
    assert probationary_member.status == MembershipStatus.VETTED
    assert probationary_member.vouched_by == vetted_member
    assert probationary_member.approved_by == coordinator


def test_probationary_member_cannot_vouch(probationary_member, committee):
    other = make_member(committee, status=MembershipStatus.PROBATIONARY)
    with pytest.raises(PermissionDenied):
        services.membership_vouch(actor=viewer_of(probationary_member), membership=other)
    other.refresh_from_db()
    assert other.vouched_by is None


def test_nobody_vouches_for_themselves(committee, coordinator):
    newcomer = make_member(committee, status=MembershipStatus.PROBATIONARY)
    with pytest.raises(PermissionDenied):
        services.membership_vouch(actor=viewer_of(newcomer), membership=newcomer)


def test_last_coordinator_cannot_lose_the_role(coordinator):
    with pytest.raises(ValidationError):
        services.membership_set_roles(
            actor=viewer_of(coordinator), membership=coordinator, roles=[]
        )
    assert coordinator.roles.filter(role=Role.COORDINATOR).exists()


def test_coordinator_changes_roles_on_the_screen(coordinator, vetted_member, client_for):
    client = client_for(coordinator)
    url = reverse("committees:membership_detail", args=[vetted_member.pk])
    client.post(url, {"roles": ["trainer", "dispatcher"]})
    assert set(vetted_member.roles.values_list("role", flat=True)) == {
        "trainer",
        "dispatcher",
        "member",
    }


def test_probationary_roles_are_not_in_force(committee, client_for):
    newcomer = make_member(
        committee, roles=[Role.COORDINATOR], status=MembershipStatus.PROBATIONARY
    )
    client = client_for(newcomer)
    assert client.get(reverse("committees:membership_list")).status_code == 403
    assert client.get(reverse("committees:invitation_list")).status_code == 403


def test_outsider_cannot_act_on_another_committees_member(outsider, vetted_member, client_for):
    response = client_for(outsider).post(
        reverse("committees:membership_suspend", args=[vetted_member.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 404
    vetted_member.refresh_from_db()
    assert vetted_member.status == MembershipStatus.VETTED


def test_member_switches_committee_and_data_never_mixes(coordinator, outsider, client_for):
    # The outsider's user also joins the first committee, as a plain member.
    from committees.models import Membership, MembershipRole
    from members.models import Person

    person = Person.objects.create(
        committee=coordinator.committee, user=outsider.person.user, preferred_name="Otto in East"
    )
    membership = Membership.objects.create(
        committee=coordinator.committee, person=person, status=MembershipStatus.VETTED
    )
    MembershipRole.objects.create(membership=membership, role=Role.MEMBER)
    client = client_for(outsider)
    # Active committee: the first by name (Eastside) -> plain member, no members screen.
    assert client.get(reverse("committees:membership_list")).status_code == 403
    client.post(reverse("committees:switch"), {"committee_id": outsider.committee_id})
    page = client.get(reverse("committees:membership_list"))
    assert page.status_code == 200
    names = [m.person.preferred_name for m in page.context["page"]]
    assert names == ["Otto Outsider"]
    # A committee they do not belong to cannot be switched to.
    from ..factories import CommitteeFactory

    stranger = CommitteeFactory()
    assert (
        client.post(reverse("committees:switch"), {"committee_id": stranger.pk}).status_code == 404
    )


def test_zone_names_are_unique_per_committee(coordinator, client_for, zone):
    client = client_for(coordinator)
    response = client.post(reverse("committees:zone_list"), {"name": "zone 3", "description": ""})
    assert response.status_code == 200
    assert "already a zone" in response.content.decode()
    assert coordinator.committee.zones.count() == 1


def test_idle_session_is_signed_out_with_a_message(vetted_member, client_for, settings):
    from datetime import timedelta

    from django.utils import timezone
    from freezegun import freeze_time

    client = client_for(vetted_member)
    assert client.get(reverse("dashboard")).status_code == 200
    with freeze_time(timezone.now() + timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 5)):
        response = client.get(reverse("dashboard"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        page = client.get(response["Location"])
    assert "without activity" in page.content.decode()


def test_the_last_coordinator_cannot_be_suspended(committee, coordinator):
    second = make_member(committee, roles=[Role.COORDINATOR])
    services.membership_suspend(actor=viewer_of(second), membership=coordinator)
    second.refresh_from_db()
    with pytest.raises(PermissionDenied):
        # Suspended: no longer acts for the committee at all.
        services.membership_suspend(actor=viewer_of(coordinator), membership=second)
    with pytest.raises(ValidationError):
        services.membership_set_roles(actor=viewer_of(second), membership=second, roles=[])
