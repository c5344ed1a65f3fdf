"""Demo data: a year of history with a bond in every state and overdue pledges, that
balances and can be seeded twice. Erasing a pledger keeps the amounts, not the person."""

import io

import pytest
from django.core.management import call_command

from bond_fund import selectors
from bond_fund.demo import seed_bond_fund
from bond_fund.models import BondRequest, BondStatus, Entry, OnCallDonor, Pledge
from members import erasure

from ..factories import PersonFactory, fund_money_in

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_balances_and_is_idempotent(committee, treasurer, viewer_of):
    for n in range(5):
        PersonFactory(committee=committee, preferred_name=f"Neighbour {n}")
    seed_bond_fund(committee, stdout=io.StringIO())
    entries = Entry.objects.count()
    seed_bond_fund(committee, stdout=io.StringIO())
    assert Entry.objects.count() == entries
    assert set(BondRequest.objects.values_list("status", flat=True)) == set(BondStatus.values)
    viewer = viewer_of(treasurer)
    assert selectors.overdue_pledges(viewer=viewer).count() >= 3
    series = selectors.monthly_series(viewer=viewer)
    assert len(series) >= 11
    call_command("bond_fund_check", stdout=io.StringIO())


def test_erasing_a_pledger_keeps_the_books(committee, treasurer, viewer_of):
    person = PersonFactory(committee=committee)
    pledge = fund_money_in(viewer_of(treasurer), committee, 100_00, key="in", person=person)
    Pledge.objects.filter(pk=pledge.pk).update(public_name="Marta G.")
    OnCallDonor.objects.create(committee=committee, person=person)
    erasure.run_hooks(person)
    pledge = Pledge.objects.get(pk=pledge.pk)
    assert pledge.person_id is None and pledge.public_name == ""
    assert pledge.paid_cents == 100_00
    assert not OnCallDonor.objects.exists()
    call_command("bond_fund_check", stdout=io.StringIO())


def test_a_former_treasurer_who_moved_money_can_be_erased(
    committee, treasurer, coordinator, viewer_of, legal_cases
):
    from bond_fund import services
    from bond_fund.models import Transaction
    from members.services.erasure import person_erase

    from ..factories import make_bond

    actor = viewer_of(treasurer)
    fund_money_in(actor, committee, 2_000_00, key="in")
    services.disbursement_request(
        actor=actor, bond=make_bond(actor, legal_cases, amount_cents=1_500_00), idempotency_key="d"
    )
    person_erase(actor=viewer_of(coordinator), person=treasurer.person)
    # The ledger still says who moved the money: the (scrubbed) person record.
    assert Transaction.objects.filter(actor=treasurer.person).count() == 2
    call_command("bond_fund_check", stdout=io.StringIO())
