"""Must show 3: the ledger is append-only and balanced in the database itself.

The triggers exist only in PostgreSQL (CI runs there); on SQLite the services are the
only writer and bond_fund_check verifies the same rules, so the database-level tests
are skipped there with that reason. The Python-level refusals run everywhere.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from bond_fund import services
from bond_fund.models import Account, Entry, Transaction

from ..factories import fund_money_in

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="ledger triggers are PostgreSQL's (set DATABASE_URL); CI runs it on PostgreSQL",
)


@pytest.fixture
def booked(committee, treasurer, viewer_of):
    fund_money_in(viewer_of(treasurer), committee, 100_00, key="in")
    return Entry.objects.order_by("id").first()


@needs_postgresql
def test_update_of_an_entry_fails_at_the_database(booked):
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(pk=booked.pk).update(amount_cents=1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE bond_fund_entry SET amount_cents = 1 WHERE id = %s", [booked.pk])
    booked.refresh_from_db()
    assert booked.amount_cents == 100_00


@needs_postgresql
def test_delete_of_an_entry_or_transaction_fails_at_the_database(booked):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM bond_fund_entry WHERE id = %s", [booked.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM bond_fund_transaction WHERE id = %s", [booked.transaction_id])
    assert Entry.objects.filter(pk=booked.pk).exists()


@needs_postgresql
def test_an_unbalanced_transaction_is_refused_at_commit(booked, committee):
    cash = Account.objects.get(committee=committee, kind="cash")
    with pytest.raises(DatabaseError), transaction.atomic():
        txn = Transaction.objects.create(
            committee=committee, kind="payment", reason="forged", idempotency_key="forged"
        )
        Entry.objects.create(transaction=txn, account=cash, amount_cents=500_00)
        # Deferred: checked when the transaction (here, the savepoint's outer block) ends.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert not Transaction.objects.filter(idempotency_key="forged").exists()


def test_services_refuse_an_unbalanced_transaction(committee):
    with pytest.raises(ValidationError):
        services.transaction_post(
            committee=committee,
            kind="payment",
            lines=[("cash", 100), ("donations", -99)],
            reason="typo",
            idempotency_key="x",
        )
    assert not Transaction.objects.exists()


def test_a_mistake_is_corrected_by_a_reversal_not_an_edit(committee, treasurer, viewer_of):
    from django.core.management import call_command

    actor = viewer_of(treasurer)
    pledge = fund_money_in(actor, committee, 100_00, key="in")
    original = Transaction.objects.get()
    reversal = services.transaction_reverse(actor=actor, original=original, reason="wrong pledge")
    assert sorted(e.amount_cents for e in reversal.entries.all()) == [-100_00, 100_00]
    assert Transaction.objects.count() == 2
    # Reversing again returns the same correction: no double reversal.
    again = services.transaction_reverse(actor=actor, original=original, reason="wrong pledge")
    assert again.pk == reversal.pk
    pledge.refresh_from_db()
    assert (pledge.paid_cents, pledge.status) == (0, "open")
    call_command("bond_fund_check")  # the books still balance after the correction
