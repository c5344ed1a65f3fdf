"""The bond fund's screens on a 360 px phone and a 1280 px laptop, in English and in
Spanish: nothing wider than the screen, money written $1,500.00 in both languages, and
axe finds nothing on any of them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bond_fund import cases, services
from bond_fund.demo import seed_bond_fund

from ..bond_fund.conftest import LegalCases
from ..factories import fund_money_in, make_bond
from .a11y import audit
from .conftest import assert_fits_phone, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fund(committee, treasurer, viewer_of, monkeypatch):
    registry = LegalCases()
    monkeypatch.setattr(cases, "case_summary", registry.summary)
    monkeypatch.setattr(cases, "hearings_for_cases", registry.hearings_for)
    monkeypatch.setattr(cases, "cases_for_bond_choice", registry.choices)
    actor = viewer_of(treasurer)
    seed_bond_fund(committee, stdout=type("Quiet", (), {"write": lambda self, text: None})())
    fund_money_in(actor, committee, 2_500_00, key="browser")
    bond = make_bond(actor, registry, amount_cents=1_500_00, status="funding")
    bond.story_en = "A father of two, detained at a traffic stop."
    bond.story_es = "Un padre de dos hijos, detenido en un control de tráfico."
    bond.save()
    services.pledge_create(
        committee=committee,
        person=bond.person,
        amount_cents=500_00,
        bond=bond,
        due_on=timezone.localdate() + timedelta(days=3),
        source="treasurer",
    )
    return bond


@pytest.mark.parametrize("language", ["English", "Español"])
def test_treasurer_screens_fit_and_speak_both_languages(
    screen, live_server, committee, treasurer, fund, language
):
    page = screen
    sign_in_as(page, live_server, treasurer.person.user)
    page.goto("/fund/")
    page.get_by_role("button", name=language).click()
    heading = "Bond fund" if language == "English" else "Fondo de fianzas"
    page.get_by_role("heading", name=heading, exact=True).wait_for()
    assert "$" in page.content() and "US$" not in page.content()
    assert page.locator("svg[role=img]").count() == 1
    audit(page)
    for path in [
        "/fund/bonds/",
        f"/fund/bonds/{fund.pk}/",
        "/fund/ledger/",
        "/fund/refunds/",
        "/fund/pledges/",
        f"/give/{committee.slug}/",
        f"/give/{committee.slug}/{fund.pk}/",
    ]:
        page.goto(path)
        assert_fits_phone(page)
        assert "$1,500.00" in page.content() or path in ("/fund/ledger/", "/fund/pledges/")
        audit(page)
