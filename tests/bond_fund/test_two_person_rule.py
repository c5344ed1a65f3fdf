"""Must show 4: a disbursement over the threshold waits for a second person; the one
who asked cannot approve it; a retried request pays once."""

import pytest
from django.core.exceptions import ValidationError

from bond_fund import selectors, services
from bond_fund.models import Disbursement, DisbursementStatus, Transaction
from committees.roles import Role

from ..factories import fund_money_in, make_bond, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(committee, treasurer, viewer_of):
    fund_money_in(viewer_of(treasurer), committee, 20_000_00, key="in")


def test_over_the_threshold_waits_for_a_second_person(
    funded, treasurer, second_treasurer, viewer_of, legal_cases
):
    asker = viewer_of(treasurer)
    bond = make_bond(asker, legal_cases, amount_cents=8_000_00)  # threshold: $5,000
    disbursement = services.disbursement_request(actor=asker, bond=bond, idempotency_key="k")
    assert disbursement.status == DisbursementStatus.WAITING
    assert not Transaction.objects.filter(kind="bond_posted").exists()

    with pytest.raises(ValidationError) as refusal:
        services.disbursement_approve(actor=asker, disbursement=disbursement)
    assert refusal.value.code == "same_person"
    assert not Transaction.objects.filter(kind="bond_posted").exists()

    paid = services.disbursement_approve(
        actor=viewer_of(second_treasurer), disbursement=disbursement
    )
    assert paid.status == DisbursementStatus.PAID
    assert paid.approved_by_id == second_treasurer.person.pk
    # A second click on "approve" changes nothing.
    services.disbursement_approve(actor=viewer_of(second_treasurer), disbursement=disbursement)
    assert Transaction.objects.filter(kind="bond_posted").count() == 1
    assert selectors.fund_totals(viewer=asker).available == 12_000_00


def test_a_member_without_the_role_cannot_approve(
    funded, committee, treasurer, viewer_of, legal_cases
):
    asker = viewer_of(treasurer)
    bond = make_bond(asker, legal_cases, amount_cents=8_000_00)
    disbursement = services.disbursement_request(actor=asker, bond=bond, idempotency_key="k")
    legal = make_member(committee, roles=[Role.LEGAL])
    with pytest.raises(ValidationError):
        services.disbursement_approve(actor=viewer_of(legal), disbursement=disbursement)


def test_at_or_below_the_threshold_pays_at_once(funded, treasurer, viewer_of, legal_cases):
    asker = viewer_of(treasurer)
    bond = make_bond(asker, legal_cases, amount_cents=5_000_00)
    disbursement = services.disbursement_request(actor=asker, bond=bond, idempotency_key="k")
    assert disbursement.status == DisbursementStatus.PAID


def test_a_retried_request_pays_once(funded, treasurer, viewer_of, legal_cases):
    asker = viewer_of(treasurer)
    bond = make_bond(asker, legal_cases, amount_cents=2_000_00)
    first = services.disbursement_request(actor=asker, bond=bond, idempotency_key="click-1")
    again = services.disbursement_request(actor=asker, bond=bond, idempotency_key="click-1")
    # A new key (a second browser tab) still finds the live disbursement of the bond.
    other_tab = services.disbursement_request(actor=asker, bond=bond, idempotency_key="click-2")
    assert first.pk == again.pk == other_tab.pk
    assert Disbursement.objects.count() == 1
    assert Transaction.objects.filter(kind="bond_posted").count() == 1
    assert selectors.fund_totals(viewer=asker).available == 18_000_00


def test_a_fund_without_the_money_pays_nothing(committee, treasurer, viewer_of, legal_cases):
    asker = viewer_of(treasurer)
    fund_money_in(asker, committee, 1_000_00, key="in")
    bond = make_bond(asker, legal_cases, amount_cents=1_500_00)
    with pytest.raises(services.InsufficientFunds):
        services.disbursement_request(actor=asker, bond=bond, idempotency_key="k")
    assert not Disbursement.objects.exists()
    assert selectors.fund_totals(viewer=asker).available == 1_000_00


def test_only_a_coordinator_changes_the_threshold(committee, treasurer, coordinator, client_for):
    from django.urls import reverse

    url = reverse("bond_fund:settings")
    assert client_for(treasurer).post(url, {"threshold": "100"}).status_code == 403
    client_for(coordinator).post(url, {"threshold": "2,500"})
    assert services.fund_settings(committee).two_person_threshold_cents == 2_500_00


def test_a_mistake_is_corrected_from_the_ledger_page(committee, treasurer, viewer_of, client_for):
    from django.urls import reverse

    fund_money_in(viewer_of(treasurer), committee, 300_00, key="in")
    original = Transaction.objects.get()
    client = client_for(treasurer)
    client.post(reverse("bond_fund:transaction_reverse", args=[original.pk]), {"reason": ""})
    assert Transaction.objects.count() == 1
    client.post(
        reverse("bond_fund:transaction_reverse", args=[original.pk]), {"reason": "wrong pledge"}
    )
    reversal = Transaction.objects.get(reverses=original)
    assert reversal.kind == "reversal" and reversal.actor_id == treasurer.person.pk
    assert selectors.fund_totals(viewer=viewer_of(treasurer)).available == 0
