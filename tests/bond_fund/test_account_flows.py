"""The fund's balances come from running totals PostgreSQL keeps beside the ledger
(AccountFlow, added to by a trigger on every entry in the same transaction): they must
always equal the entries' sums, including after a rolled-back write."""

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from bond_fund import selectors, services
from bond_fund.check import fund_check
from bond_fund.models import AccountFlow, Entry
from bond_fund.services.ledger import accounts_for

from ..factories import fund_money_in, make_bond

pytestmark = pytest.mark.django_db

# The running totals are kept by a PostgreSQL trigger; on SQLite (a laptop) the fund's
# selectors sum the entries instead, and these tests say so rather than fail.
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="AccountFlow is kept by a PostgreSQL trigger"
)


def _summed(committee) -> dict:
    rows = (
        Entry.objects.filter(account__committee=committee)
        .values_list("account__kind", "transaction__kind")
        .annotate(total=Sum("amount_cents"))
    )
    return {(a, t): total for a, t, total in rows}


def _kept(committee) -> dict:
    rows = AccountFlow.objects.filter(account__committee=committee).values_list(
        "account__kind", "transaction_kind", "total_cents"
    )
    return {(a, t): total for a, t, total in rows}


@needs_postgresql
def test_running_totals_follow_every_kind_of_entry(
    committee, treasurer, second_treasurer, viewer_of, legal_cases
):
    actor = viewer_of(treasurer)
    fund_money_in(actor, committee, 3_000_00, key="one")
    fund_money_in(actor, committee, 1_500_00, key="two")
    bond = make_bond(actor, legal_cases, amount_cents=2_000_00)
    services.disbursement_request(actor=actor, bond=bond, idempotency_key="post")

    assert _kept(committee) == _summed(committee)
    totals = selectors.fund_totals(viewer=actor)
    assert totals.collected == 4_500_00
    assert totals.available == 2_500_00
    assert totals.disbursed == 2_000_00
    assert totals.out_on_bonds == 2_000_00
    assert fund_check(committee, save=False).ok


@needs_postgresql
def test_a_rolled_back_write_leaves_the_totals_as_they_were(committee, treasurer, viewer_of):
    actor = viewer_of(treasurer)
    fund_money_in(actor, committee, 1_000_00, key="kept")
    before = _kept(committee)
    with pytest.raises(RuntimeError), transaction.atomic():
        fund_money_in(actor, committee, 5_000_00, key="dropped")
        assert _kept(committee) != before  # counted inside the transaction
        raise RuntimeError("the request failed")
    assert _kept(committee) == before == _summed(committee)
    assert selectors.fund_totals(viewer=actor).available == 1_000_00


@needs_postgresql
def test_the_daily_check_notices_totals_that_drifted(committee, treasurer, viewer_of):
    actor = viewer_of(treasurer)
    fund_money_in(actor, committee, 1_000_00, key="in")
    cash = accounts_for(committee)["cash"]
    AccountFlow.objects.filter(account=cash).update(total_cents=1)
    result = fund_check(committee, save=False)
    assert not result.ok
    assert any("running total" in problem for problem in result.problems)


def test_the_monthly_chart_shows_a_new_entry_at_once(committee, treasurer, viewer_of):
    """The chart's series is cached under the number of cash entries (PostgreSQL): a new
    payment is in the next view."""
    from bond_fund.selectors import _monthly_series

    actor = viewer_of(treasurer)
    fund_money_in(actor, committee, 2_000_00, key="now")
    first = selectors.monthly_series(viewer=actor)
    assert sum(month["inflow"] for month in first) == 2_000_00
    assert selectors.monthly_series(viewer=actor) == first  # the same answer, from the cache
    fund_money_in(actor, committee, 700_00, key="late")
    second = selectors.monthly_series(viewer=actor)
    assert sum(month["inflow"] for month in second) == 2_700_00
    assert second == _monthly_series(committee)  # what summing the entries says
