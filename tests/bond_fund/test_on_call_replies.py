"""Must show 5 (second half): when a bond starts raising money, on-call donors are texted;
a donor's "SÍ 200" through the signed SMS webhook becomes a $200 pledge to that bond,
and the answer comes back in their language."""

import pytest
from django.test import Client

from bond_fund import services
from bond_fund.models import OnCallDonor, Pledge
from notifications.backends import locmem
from notifications.models import Conversation

from ..factories import donor, make_bond
from ..notifications.conftest import COMMITTEE_NUMBER, inbound_params, signed_post

pytestmark = pytest.mark.django_db


def text_in(person, body, capture):
    with capture(execute=True):
        response = signed_post(
            Client(), "/sms/inbound/", inbound_params(from_number=str(person.phone), body=body)
        )
    assert response.status_code == 200


def texts_to(person):
    return [sms.body for sms in locmem.outbox if sms.to == str(person.phone)]


@pytest.fixture
def on_call(committee):
    committee.sms_number = COMMITTEE_NUMBER
    committee.quiet_hours_start = committee.quiet_hours_end = "00:00"
    committee.save()
    rosa = donor(committee, language="es")
    OnCallDonor.objects.create(committee=committee, person=rosa)
    return rosa


def test_on_call_donors_si_200_becomes_a_pledge(
    committee, on_call, treasurer, viewer_of, legal_cases, django_capture_on_commit_callbacks
):
    actor = viewer_of(treasurer)
    with django_capture_on_commit_callbacks(execute=True):
        bond = make_bond(actor, legal_cases, amount_cents=3_000_00, status="funding")
    [ask] = texts_to(on_call)
    assert "$3,000.00" in ask
    assert Conversation.objects.filter(person=on_call, kind="bond_fund.on_call").exists()

    text_in(on_call, "SÍ 200", django_capture_on_commit_callbacks)

    pledge = Pledge.objects.get(person=on_call)
    assert (pledge.bond_id, pledge.amount_cents, pledge.source) == (bond.pk, 200_00, "sms")
    answer = texts_to(on_call)[-1]
    assert "$200.00" in answer and "Gracias" in answer


def test_yes_with_an_amount_in_english_and_a_dollar_sign(
    committee, treasurer, viewer_of, legal_cases, django_capture_on_commit_callbacks
):
    committee.sms_number = COMMITTEE_NUMBER
    committee.quiet_hours_start = committee.quiet_hours_end = "00:00"
    committee.save()
    james = donor(committee, language="en")
    OnCallDonor.objects.create(committee=committee, person=james)
    with django_capture_on_commit_callbacks(execute=True):
        make_bond(viewer_of(treasurer), legal_cases, status="funding")
    text_in(james, "yes $150.50", django_capture_on_commit_callbacks)
    assert Pledge.objects.get(person=james).amount_cents == 150_50


def test_a_bare_yes_is_not_a_pledge(
    committee, on_call, treasurer, viewer_of, legal_cases, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_bond(viewer_of(treasurer), legal_cases, status="funding")
    text_in(on_call, "SÍ", django_capture_on_commit_callbacks)
    assert not Pledge.objects.exists()


@pytest.mark.parametrize(
    "text,cents",
    [("SÍ 200", 200_00), ("si 1,000", 1_000_00), ("Yes, 75", 75_00), ("y 20 dolares", 20_00)],
)
def test_pledge_replies_are_read(text, cents):
    found = services.PLEDGE_RE.match(text)
    assert found is not None
    assert services.parse_money(found.group("amount").replace(",", "")) == cents


@pytest.mark.parametrize("text", ["SÍ", "200", "no 200", "sí mañana", "YES 200 STOP"])
def test_other_replies_are_not_pledges(text):
    assert services.PLEDGE_RE.match(text) is None
