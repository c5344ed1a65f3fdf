"""Who sees the fund: treasurers and coordinators; the legal team sees bonds; members
and other committees do not. Another committee's bond is a 404."""

import pytest
from django.urls import reverse

from members.audit import AuditEvent

from ..factories import make_bond

pytestmark = pytest.mark.django_db


@pytest.fixture
def bond(treasurer, viewer_of, legal_cases):
    return make_bond(viewer_of(treasurer), legal_cases, amount_cents=1_500_00)


def test_outsider_gets_404_for_the_bond(bond, outsider, client_for):
    response = client_for(outsider).get(reverse("bond_fund:bond_detail", args=[bond.pk]))
    assert response.status_code == 404


def test_member_cannot_open_the_fund_or_bonds(bond, vetted_member, client_for):
    client = client_for(vetted_member)
    assert client.get(reverse("bond_fund:dashboard")).status_code in (403, 404)
    assert client.get(reverse("bond_fund:bond_detail", args=[bond.pk])).status_code in (403, 404)


def test_legal_team_sees_the_bond_but_not_the_money(bond, legal_member, client_for):
    client = client_for(legal_member)
    page = client.get(reverse("bond_fund:bond_detail", args=[bond.pk]))
    assert page.status_code == 200
    assert b"Casa Libre" not in page.content  # the obligor is for treasurers
    assert client.get(reverse("bond_fund:ledger")).status_code == 403


def test_treasurer_opening_a_bond_is_audited(bond, treasurer, client_for):
    client_for(treasurer).get(reverse("bond_fund:bond_detail", args=[bond.pk]))
    event = AuditEvent.objects.get(kind="bond_fund.bond_viewed")
    assert event.target_id == bond.pk and event.person_id == bond.person_id


def test_the_requester_cannot_approve_their_own_payment_through_the_page(
    committee, bond, treasurer, second_treasurer, client_for, viewer_of
):
    from bond_fund import services
    from bond_fund.models import Disbursement

    from ..factories import fund_money_in

    fund_money_in(viewer_of(treasurer), committee, 10_000_00, key="in")
    services.fund_settings(committee)
    committee.fund_settings.two_person_threshold_cents = 1_000_00
    committee.fund_settings.save()
    client = client_for(treasurer)
    client.post(reverse("bond_fund:bond_pay", args=[bond.pk]), {"key": "k1"})
    client.post(reverse("bond_fund:bond_pay", args=[bond.pk]), {"key": "k1"})  # double click
    disbursement = Disbursement.objects.get()
    assert disbursement.status == "waiting"
    client.post(reverse("bond_fund:disbursement_approve", args=[disbursement.pk]))
    disbursement.refresh_from_db()
    assert disbursement.status == "waiting"
    client_for(second_treasurer).post(
        reverse("bond_fund:disbursement_approve", args=[disbursement.pk])
    )
    disbursement.refresh_from_db()
    assert disbursement.status == "paid"


def test_a_member_cannot_open_a_bond_request(vetted_member, viewer_of, legal_cases, committee):
    from django.core.exceptions import ValidationError

    from bond_fund import services

    with pytest.raises(ValidationError):
        services.bond_request_open(
            actor=viewer_of(vetted_member), case_id=legal_cases.add(committee)
        )


def test_the_treasurers_dashboard_shows_the_fund_panel(
    treasurer, client_for, django_assert_max_num_queries
):
    client = client_for(treasurer)
    client.get(reverse("dashboard"))
    with django_assert_max_num_queries(40):
        page = client.get(reverse("dashboard"))
    assert "Bond fund" in page.content.decode()
    assert "Not checked yet" in page.content.decode()
