"""Must show 6: the treasurer's pages take the same number of queries with 10 ledger
entries as with 10,000 (and a page of many bonds, pledges and refunds)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..factories import bulk_ledger, fund_money_in, make_bond

pytestmark = pytest.mark.django_db

PAGES = [
    "bond_fund:dashboard",
    "bond_fund:ledger",
    "bond_fund:refunds",
    "bond_fund:pledge_list",
    "bond_fund:bond_list",
]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def treasurer_client(treasurer, client_for):
    return client_for(treasurer)


def some_of_everything(actor, committee, legal_cases, n):
    for index in range(n):
        fund_money_in(actor, committee, 2_000_00, key=f"in-{index}")
        make_bond(actor, legal_cases, amount_cents=1_500_00)


@pytest.mark.parametrize("name", PAGES)
def test_page_queries_do_not_grow_with_the_ledger(
    name, committee, treasurer, treasurer_client, viewer_of, legal_cases
):
    actor = viewer_of(treasurer)
    some_of_everything(actor, committee, legal_cases, 2)
    bulk_ledger(committee, 10, actor=treasurer)
    url = reverse(name)
    queries_for(treasurer_client, url)  # warm the per-process caches (menu, content types)
    few = queries_for(treasurer_client, url)

    some_of_everything(actor, committee, legal_cases, 60)
    bulk_ledger(committee, 10_000, actor=treasurer)
    queries_for(treasurer_client, url)  # warm again: new entries key a new cached chart
    many = queries_for(treasurer_client, url)
    assert many == few, f"{name}: {few} queries with 10 entries, {many} with 10,000"
    assert many <= 25


def test_bond_and_pledge_pages_are_constant(
    committee, treasurer, treasurer_client, viewer_of, legal_cases, django_assert_max_num_queries
):
    actor = viewer_of(treasurer)
    bond = make_bond(actor, legal_cases, amount_cents=1_500_00, status="funding")
    pledge = fund_money_in(actor, committee, 1_000_00, key="in")
    for index in range(40):
        fund_money_in(actor, committee, 100_00, key=f"more-{index}")
    with django_assert_max_num_queries(30):
        assert (
            treasurer_client.get(reverse("bond_fund:bond_detail", args=[bond.pk])).status_code
            == 200
        )
    with django_assert_max_num_queries(30):
        assert (
            treasurer_client.get(reverse("bond_fund:pledge_detail", args=[pledge.pk])).status_code
            == 200
        )
    with django_assert_max_num_queries(15):
        response = treasurer_client.get(
            reverse("bond_fund_public:bond", args=[committee.slug, bond.pk])
        )
        assert response.status_code == 200
