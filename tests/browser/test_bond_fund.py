"""The bond fund's screens on a 360 px phone and a 1280 px laptop, in English and in
Spanish: nothing wider than the screen, money written $1,500.00 in both languages."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from bond_fund import cases, services
from bond_fund.demo import seed_bond_fund

from ..bond_fund.conftest import LegalCases
from ..factories import fund_money_in, make_bond
from .conftest import assert_fits_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


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


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
@pytest.mark.parametrize("language", ["English", "Español"])
def test_treasurer_screens_fit_and_speak_both_languages(
    browser, live_server, committee, treasurer, fund, viewport, language
):
    context = browser.new_context(
        viewport={"width": 360, "height": 740} if viewport == "phone" else LAPTOP,
        base_url=live_server.url,
    )
    page = context.new_page()
    sign_in(page, live_server, treasurer.person.user)
    page.goto("/fund/")
    page.get_by_role("button", name=language).click()
    heading = "Bond fund" if language == "English" else "Fondo de fianzas"
    page.get_by_role("heading", name=heading, exact=True).wait_for()
    assert "$" in page.content() and "US$" not in page.content()
    assert page.locator("svg[role=img]").count() == 1
    for path in [
        "/fund/",
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
    context.close()
