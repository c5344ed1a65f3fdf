"""The refund pipeline: posted bonds are receivables listed by age; a missed hearing of
the bonded person becomes a deadline on the bond; late refunds are emailed to the
treasurers once a week."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from bond_fund import selectors, services
from bond_fund.models import BondRequest
from notifications.models import Message

from ..factories import fund_money_in, make_bond
from .conftest import FakeHearing

pytestmark = pytest.mark.django_db


def pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4", content_type="application/pdf")


def posted_bond(actor, legal_cases, amount=1_500_00):
    bond = make_bond(actor, legal_cases, amount_cents=amount)
    services.disbursement_request(actor=actor, bond=bond, idempotency_key="d")
    receipt = services.document_add(actor=actor, bond=bond, kind="i305", upload=pdf("r.pdf"))
    return services.bond_mark_posted(actor=actor, bond=bond, document=receipt)


def test_posted_bonds_are_listed_oldest_first_with_their_age(
    committee, treasurer, viewer_of, legal_cases, client_for
):
    actor = viewer_of(treasurer)
    fund_money_in(actor, committee, 10_000_00, key="in")
    with freeze_time(timezone.now() - timedelta(days=200)):
        old = posted_bond(actor, legal_cases, 2_000_00)
    new = posted_bond(actor, legal_cases, 1_500_00)
    assert list(selectors.awaiting_refund(viewer=actor)) == [old, new]
    ages = selectors.awaiting_by_age(viewer=actor)
    assert [(a["count"], a["cents"]) for a in ages] == [
        (1, 1_500_00),
        (0, 0),
        (1, 2_000_00),
        (0, 0),
    ]
    page = client_for(treasurer).get(reverse("bond_fund:refunds")).content.decode()
    assert page.index(f"#{old.pk} ") < page.index(f"#{new.pk} ")


def test_a_missed_hearing_becomes_a_deadline_on_the_bond(
    committee, treasurer, viewer_of, legal_cases
):
    actor = viewer_of(treasurer)
    fund_money_in(actor, committee, 10_000_00, key="in")
    bond = posted_bond(actor, legal_cases)
    missed_at = timezone.now() - timedelta(days=2)
    legal_cases.hearings[bond.case_id] = [
        FakeHearing(1, bond.case_id, missed_at, "master", "missed")
    ]
    assert services.refunds.missed_hearings_mark(committee=committee) == 1
    bond.refresh_from_db()
    assert bond.deadline_on == timezone.localdate(missed_at + timedelta(days=30))
    assert "Missed hearing" in bond.deadline_reason


def test_late_refunds_are_emailed_to_treasurers_once_a_week(
    committee, treasurer, viewer_of, legal_cases
):
    actor = viewer_of(treasurer)
    fund_money_in(actor, committee, 10_000_00, key="in")
    bond = posted_bond(actor, legal_cases)
    notice = services.document_add(actor=actor, bond=bond, kind="i391", upload=pdf("c.pdf"))
    services.bond_mark_cancelled(actor=actor, bond=bond, document=notice)
    assert services.refunds.treasurers_remind(committee=committee) == 0  # not late yet
    later = timezone.now() + timedelta(days=40)
    assert services.refunds.treasurers_remind(committee=committee, now=later) == 1
    services.refunds.treasurers_remind(committee=committee, now=later + timedelta(hours=1))
    [note] = Message.objects.filter(person=treasurer.person, template="bond_fund_refunds_late")
    assert f"#{bond.pk}" in note.body
    assert BondRequest.objects.get(pk=bond.pk).status == "cancelled"
