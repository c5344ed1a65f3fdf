"""The public pledge pages: a story without names, the amount needed and a progress bar;
a pledge is a promise (no card payment); bots and floods are refused; consent is
recorded only for a new person, and an existing person's record is never changed."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bond_fund.models import OnCallDonor, Pledge
from lib.antibot import FORM_SALT
from members.consent import may_contact
from members.models import Person

from ..factories import PersonFactory, make_bond

pytestmark = pytest.mark.django_db


@pytest.fixture
def bond(treasurer, viewer_of, legal_cases, committee):
    rosa = PersonFactory(
        committee=committee, preferred_name="Rosalinda", full_name="Rosalinda Vega"
    )
    bond = make_bond(
        viewer_of(treasurer), legal_cases, amount_cents=4_000_00, status="approved", person=rosa
    )
    bond.story_en = "A mother of two, detained at a check-in."
    bond.save()
    from bond_fund import services

    return services.bond_funding_open(actor=viewer_of(treasurer), bond=bond)


def form_data(**overrides):
    data = {
        "amount": "250",
        "due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "name": "Marta",
        "phone": "(213) 555-0177",
        "email": "",
        "language": "es",
        "public_name": "",
        "consent": "on",
        "website": "",
        "started": signing.dumps(int(time.time()) - 30, salt=FORM_SALT),
    }
    data.update(overrides)
    return data


def test_bond_page_shows_the_story_and_progress_but_no_names(committee, bond, anonymous):
    page = anonymous.get(reverse("bond_fund_public:bond", args=[committee.slug, bond.pk]))
    assert page.status_code == 200
    assert b"A mother of two" in page.content
    assert b"$4,000.00" in page.content and b"<progress" in page.content
    assert b"Rosalinda" not in page.content and b"Vega" not in page.content


def test_a_pledge_from_the_page_is_a_promise_with_consent_for_a_new_person(
    committee, bond, anonymous
):
    response = anonymous.post(
        reverse("bond_fund_public:bond", args=[committee.slug, bond.pk]),
        form_data(on_call="on"),
    )
    assert response.status_code == 200
    pledge = Pledge.objects.get()
    assert (pledge.bond_id, pledge.amount_cents, pledge.source) == (bond.pk, 250_00, "public")
    assert pledge.paid_cents == 0  # a promise: nothing collected
    assert may_contact(person=pledge.person, purpose="fundraising", channel="sms")
    assert OnCallDonor.objects.filter(person=pledge.person).exists()


def test_an_existing_persons_record_and_consent_are_not_changed(committee, bond, anonymous):
    known = PersonFactory(
        committee=committee, preferred_name="Known", contact__phone="+12135550177"
    )
    anonymous.post(
        reverse("bond_fund_public:bond", args=[committee.slug, bond.pk]), form_data(name="Impostor")
    )
    known.refresh_from_db()
    assert known.preferred_name == "Known"
    assert not may_contact(person=known, purpose="fundraising", channel="sms")
    pledge = Pledge.objects.get()
    assert pledge.person_id == known.pk and pledge.contact_confirmed is False
    assert not OnCallDonor.objects.exists()
    assert Person.objects.filter(committee=committee, phone_hash=known.phone_hash).count() == 1


def test_a_bot_filling_the_honeypot_is_refused(committee, bond, anonymous):
    response = anonymous.post(
        reverse("bond_fund_public:pledge", args=[committee.slug]), form_data(website="http://x")
    )
    assert response.status_code == 400
    assert not Pledge.objects.exists()


def test_too_many_pledges_from_one_number_are_throttled(committee, bond):
    client = Client()
    url = reverse("bond_fund_public:pledge", args=[committee.slug])
    codes = [client.post(url, form_data()).status_code for _ in range(7)]
    assert codes[:5] == [200] * 5
    assert codes[-1] == 429
    assert Pledge.objects.count() == 5


@pytest.mark.parametrize(
    "field,value",
    [
        ("amount", "-5"),
        ("amount", "ten"),
        ("amount", "1e9"),
        ("due_on", "2001-01-01"),
        ("phone", "12"),
    ],
)
def test_bad_input_is_a_400_not_a_500(committee, bond, anonymous, field, value):
    response = anonymous.post(
        reverse("bond_fund_public:pledge", args=[committee.slug]), form_data(**{field: value})
    )
    assert response.status_code == 400
    assert not Pledge.objects.exists()


def test_a_bond_not_raising_money_has_no_public_page(
    committee, treasurer, viewer_of, legal_cases, anonymous
):
    requested = make_bond(viewer_of(treasurer), legal_cases, status="requested")
    response = anonymous.get(reverse("bond_fund_public:bond", args=[committee.slug, requested.pk]))
    assert response.status_code == 404
