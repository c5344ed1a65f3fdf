"""Must show 2: fifty disbursements at the same moment, each in its own thread with its
own connection, against a fund that can pay ten bonds: exactly ten are paid and the
available balance never goes below zero.

Needs PostgreSQL's row locks (CI runs on PostgreSQL); SQLite locks the whole file and
cannot show this, so there the test is skipped with that reason.
"""

import pytest
from django.core.management import call_command
from django.db import connection

from bond_fund import selectors, services
from bond_fund.models import Disbursement, Transaction

from ..factories import fund_money_in, make_bond
from ..trainings.test_concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (set DATABASE_URL); CI runs it on PostgreSQL")


def test_fifty_concurrent_disbursements_against_a_fund_for_ten(
    committee, treasurer, viewer_of, legal_cases
):
    actor = viewer_of(treasurer)
    fund_money_in(actor, committee, 15_000_00, key="in")
    bonds = [make_bond(actor, legal_cases, amount_cents=1_500_00) for _ in range(50)]

    def pay(bond):
        def call():
            try:
                services.disbursement_request(
                    actor=viewer_of(treasurer), bond=bond, idempotency_key="pay"
                )
                return "paid"
            except services.InsufficientFunds:
                return "refused"

        return call

    outcomes = run_at_once([pay(b) for b in bonds])
    assert outcomes.count("paid") == 10
    assert outcomes.count("refused") == 40
    assert Disbursement.objects.filter(status="paid").count() == 10
    assert Transaction.objects.filter(kind="bond_posted").count() == 10
    assert selectors.fund_totals(viewer=actor).available == 0
    call_command("bond_fund_check")  # includes: never negative at any point in history


def test_the_same_disbursement_retried_at_once_pays_once(
    committee, treasurer, viewer_of, legal_cases
):
    actor = viewer_of(treasurer)
    fund_money_in(actor, committee, 15_000_00, key="in")
    bond = make_bond(actor, legal_cases, amount_cents=1_500_00)

    def retry():
        return services.disbursement_request(
            actor=viewer_of(treasurer), bond=bond, idempotency_key="click"
        ).pk

    ids = run_at_once([retry for _ in range(10)])
    assert len(set(ids)) == 1
    assert Transaction.objects.filter(kind="bond_posted").count() == 1
