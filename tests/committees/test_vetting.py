"""Vetting takes two people: vouches from vetted members other than the approver, as many
as the committee requires, and the approver sees who vouched, for how long they have been
vetted and what they wrote."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from committees import services
from committees.access import load_viewer
from committees.models import Vouch
from committees.roles import MembershipStatus, Role

from ..factories import make_member

pytestmark = pytest.mark.django_db


def viewer_of(membership):
    return load_viewer(membership.person.user)


def test_coordinator_who_vouched_cannot_approve_the_same_newcomer(
    committee, coordinator, probationary_member
):
    services.membership_vouch(
        actor=viewer_of(coordinator), membership=probationary_member, note="My neighbour"
    )
    with pytest.raises(ValidationError, match="another coordinator must approve"):
        services.membership_approve(actor=viewer_of(coordinator), membership=probationary_member)
    probationary_member.refresh_from_db()
    assert probationary_member.status == MembershipStatus.PROBATIONARY


def test_approver_who_vouched_is_refused_even_when_someone_else_vouched_too(
    committee, coordinator, vetted_member, probationary_member
):
    services.membership_vouch(actor=viewer_of(vetted_member), membership=probationary_member)
    services.membership_vouch(actor=viewer_of(coordinator), membership=probationary_member)
    with pytest.raises(ValidationError):
        services.membership_approve(actor=viewer_of(coordinator), membership=probationary_member)


def test_nobody_is_approved_without_a_vouch(committee, coordinator, probationary_member):
    with pytest.raises(ValidationError, match="must vouch for this person first"):
        services.membership_approve(actor=viewer_of(coordinator), membership=probationary_member)
    probationary_member.refresh_from_db()
    assert probationary_member.status == MembershipStatus.PROBATIONARY


def test_committee_requiring_two_vouches_refuses_approval_after_one(
    committee, coordinator, vetted_member, probationary_member
):
    committee.vouches_required = 2
    committee.save()
    services.membership_vouch(actor=viewer_of(vetted_member), membership=probationary_member)
    with pytest.raises(ValidationError, match="2 vetted members must vouch"):
        services.membership_approve(actor=viewer_of(coordinator), membership=probationary_member)
    second = make_member(committee, roles=[Role.TRAINER], name="Teo Trainer")
    services.membership_vouch(actor=viewer_of(second), membership=probationary_member)
    services.membership_approve(actor=viewer_of(coordinator), membership=probationary_member)
    probationary_member.refresh_from_db()
    assert probationary_member.status == MembershipStatus.VETTED
    assert probationary_member.approved_by == coordinator


def test_a_suspended_vouchers_vouch_does_not_count(
    committee, coordinator, vetted_member, probationary_member
):
    services.membership_vouch(actor=viewer_of(vetted_member), membership=probationary_member)
    services.membership_suspend(actor=viewer_of(coordinator), membership=vetted_member)
    with pytest.raises(ValidationError):
        services.membership_approve(actor=viewer_of(coordinator), membership=probationary_member)


def test_approve_button_is_not_offered_until_enough_people_vouched(
    committee, coordinator, vetted_member, probationary_member, client_for
):
    url = reverse("committees:membership_detail", args=[probationary_member.pk])
    approve = reverse("committees:membership_approve", args=[probationary_member.pk])
    page = client_for(coordinator).get(url).content.decode()
    assert approve not in page
    assert "must vouch for this person first" in page
    services.membership_vouch(
        actor=viewer_of(vetted_member), membership=probationary_member, note="x"
    )
    assert approve in client_for(coordinator).get(url).content.decode()


def test_approver_sees_who_vouched_how_long_vetted_and_what_they_wrote(
    committee, coordinator, probationary_member, client_for
):
    voucher = make_member(committee, roles=[Role.RESPONDER], name="Rosa")
    voucher.person.set_names(preferred_name="Rosa", full_name="Rosa María Delgado")
    voucher.person.save()
    voucher.approved_at = timezone.now() - timedelta(days=400)
    voucher.save()
    response = client_for(voucher).post(
        reverse("committees:membership_vouch", args=[probationary_member.pk]),
        {"note": "We ran the school pickup rota together for two years."},
    )
    assert response.status_code == 302
    page = client_for(coordinator).get(
        reverse("committees:membership_detail", args=[probationary_member.pk])
    )
    text = page.content.decode()
    assert "Rosa María Delgado" in text
    assert "vetted for 1\xa0year" in text
    assert "We ran the school pickup rota together for two years." in text
    newcomers = client_for(coordinator).get(reverse("committees:vouch_list")).content.decode()
    assert "Rosa María Delgado" in newcomers and "school pickup rota" in newcomers


def test_the_vouch_note_is_encrypted_and_required(
    committee, vetted_member, probationary_member, client_for
):
    url = reverse("committees:membership_vouch", args=[probationary_member.pk])
    assert client_for(vetted_member).post(url, {"note": ""}).status_code == 400
    assert not Vouch.objects.exists()
    client_for(vetted_member).post(url, {"note": "Known from church"})
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM committees_vouch")
        (stored,) = cursor.fetchone()
    assert "church" not in stored


def test_coordinator_sets_one_or_two_vouches(committee, coordinator, vetted_member, client_for):
    url = reverse("committees:settings")
    assert client_for(vetted_member).get(url).status_code == 403
    assert client_for(coordinator).post(url, {"vouches_required": "3"}).status_code == 400
    assert client_for(coordinator).post(url, {"vouches_required": "2"}).status_code == 302
    committee.refresh_from_db()
    assert committee.vouches_required == 2


def test_newcomers_page_queries_do_not_grow_with_rows(
    committee, coordinator, client_for, django_assert_max_num_queries
):
    vouchers = [make_member(committee, roles=[Role.RESPONDER]) for _ in range(3)]
    for _ in range(30):
        newcomer = make_member(committee, status=MembershipStatus.PROBATIONARY)
        for voucher in vouchers:
            Vouch.objects.create(membership=newcomer, voucher=voucher, note="ok")
    client = client_for(coordinator)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("committees:vouch_list"))
    assert response.status_code == 200


def test_dashboard_panel_lists_the_oldest_newcomers_and_whether_someone_vouched(
    committee, coordinator, vetted_member, client_for
):
    """The panel reads plain values (no model instances): names, order and badges."""
    newcomers = []
    for i, name in enumerate(["Ana Newcomer", "Beto Newcomer", "Cata Newcomer"]):
        membership = make_member(
            committee, status=MembershipStatus.PROBATIONARY, with_login=False, name=name
        )
        membership.joined_at = timezone.now() - timedelta(days=10 - i)
        membership.save(update_fields=["joined_at"])
        newcomers.append(membership)
    services.membership_vouch(
        actor=viewer_of(vetted_member), membership=newcomers[1], note="Known her for years"
    )
    page = client_for(coordinator).get(reverse("dashboard")).content.decode()
    panel = page[page.index('id="newcomers-heading"') :]
    assert panel.index("Ana Newcomer") < panel.index("Beto Newcomer") < panel.index("Cata")
    beto = panel[panel.index("Beto Newcomer") : panel.index("Cata Newcomer")]
    assert "vouched" in beto and "needs a vouch" not in beto
    ana = panel[panel.index("Ana Newcomer") : panel.index("Beto Newcomer")]
    assert "needs a vouch" in ana
