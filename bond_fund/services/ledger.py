"""Writing to the ledger: the only code that inserts transactions and entries.

Every posting locks the accounts it touches (`select_for_update`, in primary-key order,
so two postings never wait on each other in opposite orders) and only then reads the
balances it must keep above zero. Fifty disbursements at once therefore queue on the
cash account's row and each sees the balance the previous one left.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ASSET_KINDS, Account, AccountKind, Entry, Transaction, TransactionKind


class InsufficientFunds(ValidationError):
    pass


def accounts_for(committee) -> dict[str, Account]:
    """The committee's accounts by kind, created the first time they are needed."""
    accounts = {a.kind: a for a in Account.objects.filter(committee=committee)}
    missing = [k for k in AccountKind if k not in accounts]
    if missing:
        Account.objects.bulk_create(
            [Account(committee=committee, kind=k) for k in missing], ignore_conflicts=True
        )
        accounts = {a.kind: a for a in Account.objects.filter(committee=committee)}
    return accounts


def balance_of(account: Account) -> int:
    return Entry.objects.filter(account=account).aggregate(total=Sum("amount_cents"))["total"] or 0


def transaction_post(
    *,
    committee,
    kind: str,
    lines: Iterable[tuple[str, int]],
    reason: str,
    idempotency_key: str,
    actor=None,
    at=None,
    pledge=None,
    payment=None,
    bond=None,
    document=None,
    reverses=None,
) -> Transaction:
    """Write one balanced transaction; return the existing one for a key already used.

    `lines` are (account kind, cents) pairs, debit positive, credit negative; they must
    sum to zero. Raises InsufficientFunds if an asset account would go below zero, and
    ValidationError for an unbalanced or empty transaction. Side effects: one
    Transaction row and its Entry rows.
    """
    lines = [(AccountKind(k), int(cents)) for k, cents in lines if int(cents) != 0]
    if len(lines) < 2 or sum(cents for _k, cents in lines) != 0:
        raise ValidationError(_("A ledger transaction needs two or more lines that balance."))
    with transaction.atomic():
        accounts = accounts_for(committee)
        touched = sorted({accounts[k].pk for k, _c in lines})
        # Lock in a consistent order before reading anything we decide on.
        list(Account.objects.select_for_update().filter(pk__in=touched).order_by("pk"))
        existing = Transaction.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        for account_kind in {k for k, cents in lines if cents < 0 and k in ASSET_KINDS}:
            change = sum(c for k, c in lines if k == account_kind)
            if change < 0 and balance_of(accounts[account_kind]) + change < 0:
                raise InsufficientFunds(
                    _("The fund does not have enough money for this."), code="insufficient"
                )
        try:
            with transaction.atomic():
                posted = Transaction.objects.create(
                    committee=committee,
                    kind=kind,
                    at=at or timezone.now(),
                    actor=actor.person if actor is not None else None,
                    reason=reason[:300],
                    pledge=pledge,
                    payment=payment,
                    bond=bond,
                    document=document,
                    reverses=reverses,
                    idempotency_key=idempotency_key,
                )
                Entry.objects.bulk_create(
                    [
                        Entry(transaction=posted, account=accounts[k], amount_cents=cents)
                        for k, cents in lines
                    ]
                )
        except IntegrityError:
            # The same key, committed by a caller that did not need our locks.
            return Transaction.objects.get(idempotency_key=idempotency_key)
        return posted


def transaction_reverse(*, actor, original: Transaction, reason: str) -> Transaction:
    """Correct a mistake: a new transaction with every entry negated. The original stays.

    Reversing a payment also takes it off its pledge's paid total (the pledge reopens if
    that leaves it short). Bond movements are corrected through the bond's own steps."""
    if original.kind == TransactionKind.REVERSAL:
        raise ValidationError(_("A correction cannot itself be reversed; post a new entry."))
    if not reason.strip():
        raise ValidationError(_("Say why this is being corrected."))
    if original.kind not in (TransactionKind.PAYMENT, TransactionKind.FEE):
        raise ValidationError(
            _("Only payments are corrected here; a bond's money moves with the bond's steps.")
        )
    lines = [(e.account.kind, -e.amount_cents) for e in original.entries.select_related("account")]
    with transaction.atomic():
        reversal = _reverse(original, lines, actor, reason)
        if original.payment_id and not getattr(reversal, "_existing", False):
            _unpay(original.payment)
    return reversal


def _unpay(payment) -> None:
    from django.db.models import F

    from ..models import Pledge, PledgeStatus

    Pledge.objects.filter(pk=payment.pledge_id).update(
        paid_cents=F("paid_cents") - payment.amount_cents
    )
    Pledge.objects.filter(
        pk=payment.pledge_id, status=PledgeStatus.PAID, paid_cents__lt=F("amount_cents")
    ).update(status=PledgeStatus.OPEN)


def _reverse(original, lines, actor, reason) -> Transaction:
    if Transaction.objects.filter(reverses=original).exists():
        existing = Transaction.objects.get(reverses=original)
        existing._existing = True
        return existing
    return transaction_post(
        committee=original.committee,
        kind=TransactionKind.REVERSAL,
        lines=lines,
        reason=reason,
        idempotency_key=f"reversal:{original.pk}",
        actor=actor,
        pledge=original.pledge,
        payment=original.payment,
        bond=original.bond,
        reverses=original,
    )
