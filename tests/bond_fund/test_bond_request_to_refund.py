"""Must show 1: a bond from request to refund, with pledges, payments, posting (with the
I-305), cancellation (I-391) and refund; `bond_fund_check` passes after it and fails once
the database is altered behind the app's back."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from bond_fund import selectors, services
from bond_fund.models import BondEvent, BondStatus, Entry, PledgeStatus

from ..factories import PersonFactory, make_bond

pytestmark = pytest.mark.django_db


def pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4 form", content_type="application/pdf")


def run_check():
    call_command("bond_fund_check")


def bond_through_refund(actor, legal_cases, committee):
    bond = make_bond(actor, legal_cases, amount_cents=3_000_00, status="funding")
    rosa, luis = PersonFactory(committee=committee), PersonFactory(committee=committee)
    due = timezone.localdate() + timedelta(days=14)
    pledge_a = services.pledge_create(
        committee=committee,
        person=rosa,
        amount_cents=2_000_00,
        due_on=due,
        source="treasurer",
        bond=bond,
    )
    pledge_b = services.pledge_create(
        committee=committee,
        person=luis,
        amount_cents=1_000_00,
        due_on=due,
        source="public",
        bond=bond,
    )
    # Rosa pays in two parts, the second through a processor with its fee; Luis pays more
    # than he promised.
    services.payment_record(
        actor=actor, pledge=pledge_a, amount_cents=1_500_00, method="cash", idempotency_key="a1"
    )
    services.payment_record(
        actor=actor,
        pledge=pledge_a,
        amount_cents=500_00,
        fee_cents=15_00,
        method="processor",
        reference="po_123",
        idempotency_key="a2",
    )
    services.payment_record(
        actor=actor, pledge=pledge_b, amount_cents=1_100_00, method="check", idempotency_key="b1"
    )
    disbursement = services.disbursement_request(actor=actor, bond=bond, idempotency_key="d1")
    receipt = services.document_add(actor=actor, bond=bond, kind="i305", upload=pdf("i305.pdf"))
    bond = services.bond_mark_posted(actor=actor, bond=bond, document=receipt)
    cancellation = services.document_add(
        actor=actor, bond=bond, kind="i391", upload=pdf("i391.pdf")
    )
    bond = services.bond_mark_cancelled(actor=actor, bond=bond, document=cancellation)
    bond = services.bond_refund_claim(actor=actor, bond=bond)
    bond = services.bond_refund_record(
        actor=actor, bond=bond, interest_cents=42_17, idempotency_key="r1"
    )
    return bond, pledge_a, pledge_b, disbursement


def test_bond_from_request_to_refund_keeps_the_books_straight(
    committee, treasurer, viewer_of, legal_cases
):
    actor = viewer_of(treasurer)
    bond, pledge_a, pledge_b, disbursement = bond_through_refund(actor, legal_cases, committee)

    assert bond.status == BondStatus.REFUNDED
    assert list(BondEvent.objects.filter(bond=bond).values_list("to_status", flat=True)) == [
        "requested",
        "approved",
        "funding",
        "posted",
        "cancelled",
        "refund_claimed",
        "refunded",
    ]
    assert all(e.actor_id == treasurer.pk for e in BondEvent.objects.filter(bond=bond))
    pledge_a.refresh_from_db()
    pledge_b.refresh_from_db()
    assert (pledge_a.status, pledge_a.paid_cents) == (PledgeStatus.PAID, 2_000_00)
    assert (pledge_b.status, pledge_b.over_cents) == (PledgeStatus.PAID, 100_00)

    totals = selectors.fund_totals(viewer=actor)
    assert totals.collected == 3_100_00
    assert totals.fees == 15_00
    assert totals.disbursed == 3_000_00
    assert totals.refunded == 3_042_17
    assert totals.interest == 42_17
    assert totals.out_on_bonds == 0
    # 3,100 in, less the 15 fee, out 3,000 and back 3,000 with 42.17 interest.
    assert totals.available == 3_100_00 - 15_00 + 42_17
    assert services.bond_out_cents(bond) == 0
    run_check()  # passes: no exception


def test_check_fails_when_an_entry_is_altered_behind_the_apps_back(
    committee, treasurer, viewer_of, legal_cases
):
    actor = viewer_of(treasurer)
    bond_through_refund(actor, legal_cases, committee)
    run_check()
    entry = Entry.objects.filter(account__kind="cash").order_by("id").first()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The test never commits: run the deferred zero-sum checks of the inserts
            # above now, then switch triggers off as only a superuser can (the app cannot).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE bond_fund_entry SET amount_cents = amount_cents + 100 WHERE id = %s",
            [entry.pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
    with pytest.raises(CommandError, match="problem"):
        run_check()


def test_check_fails_when_a_payment_is_altered_behind_the_apps_back(
    committee, treasurer, viewer_of, legal_cases
):
    actor = viewer_of(treasurer)
    _bond, pledge_a, _b, _d = bond_through_refund(actor, legal_cases, committee)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE bond_fund_payment SET amount_cents = amount_cents + 1 WHERE pledge_id = %s",
            [pledge_a.pk],
        )
    with pytest.raises(CommandError):
        run_check()
    assert selectors.last_check(viewer=actor).check_ok is False


def test_posting_needs_the_i305_and_cancelling_needs_the_i391(
    committee, treasurer, viewer_of, legal_cases
):
    actor = viewer_of(treasurer)
    bond = make_bond(actor, legal_cases, amount_cents=1_500_00)
    from tests.factories import fund_money_in

    fund_money_in(actor, committee, 1_500_00, key="in")
    services.disbursement_request(actor=actor, bond=bond, idempotency_key="d")
    other_form = services.document_add(actor=actor, bond=bond, kind="i352", upload=pdf("c.pdf"))
    with pytest.raises(ValidationError):
        services.bond_mark_posted(actor=actor, bond=bond, document=other_form)
    receipt = services.document_add(actor=actor, bond=bond, kind="i305", upload=pdf("r.pdf"))
    bond = services.bond_mark_posted(actor=actor, bond=bond, document=receipt)
    with pytest.raises(ValidationError):
        services.bond_mark_cancelled(actor=actor, bond=bond, document=receipt)
    bond.refresh_from_db()
    assert bond.status == BondStatus.POSTED


def test_breach_writes_the_bond_off(committee, treasurer, viewer_of, legal_cases):
    from tests.factories import fund_money_in

    actor = viewer_of(treasurer)
    bond = make_bond(actor, legal_cases, amount_cents=1_500_00)
    fund_money_in(actor, committee, 2_000_00, key="in")
    services.disbursement_request(actor=actor, bond=bond, idempotency_key="d")
    receipt = services.document_add(actor=actor, bond=bond, kind="i305", upload=pdf("r.pdf"))
    bond = services.bond_mark_posted(actor=actor, bond=bond, document=receipt)
    notice = services.document_add(actor=actor, bond=bond, kind="i323", upload=pdf("b.pdf"))
    bond = services.bond_mark_breached(actor=actor, bond=bond, document=notice)
    totals = selectors.fund_totals(viewer=actor)
    assert (bond.status, totals.written_off, totals.out_on_bonds) == ("breached", 1_500_00, 0)
    assert totals.available == 500_00
    run_check()


def test_bond_below_the_minimum_is_refused(committee, treasurer, viewer_of, legal_cases):
    actor = viewer_of(treasurer)
    case_id = legal_cases.add(committee)
    with pytest.raises(ValidationError):
        services.bond_request_open(actor=actor, case_id=case_id, amount_cents=1_499_99)
    bond = services.bond_request_open(
        actor=actor, case_id=case_id, amount_cents=500_00, bond_type="voluntary_departure"
    )
    assert bond.amount_cents == 500_00


def test_bond_request_needs_a_case_of_the_committee(
    committee, other_committee, treasurer, viewer_of, legal_cases
):
    elsewhere = legal_cases.add(other_committee)
    with pytest.raises(ValidationError):
        services.bond_request_open(actor=viewer_of(treasurer), case_id=elsewhere)
