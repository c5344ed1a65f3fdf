"""Reconciliation: verify every invariant of the ledger from the rows themselves.

Run by `manage.py bond_fund_check` (daily from beat). Reads only; the result is saved
on each committee's FundSettings for the treasurer's dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone

from .models import (
    ASSET_KINDS,
    AWAITING_REFUND,
    Account,
    BondRequest,
    BondStatus,
    Entry,
    FundSettings,
    Payment,
    Pledge,
    Transaction,
)


@dataclass
class CheckResult:
    problems: list[str] = field(default_factory=list)
    transactions: int = 0
    entries: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


RUNNING_BALANCE_SQL = """
SELECT account_id, transaction_id, running FROM (
    SELECT e.account_id, e.transaction_id,
           SUM(SUM(e.amount_cents)) OVER (
               PARTITION BY e.account_id ORDER BY e.transaction_id
           ) AS running
    FROM bond_fund_entry e
    WHERE e.account_id IN ({placeholders})
    GROUP BY e.account_id, e.transaction_id
) balances
WHERE running < 0
LIMIT 20
"""


def _unbalanced(committee_filter) -> list[str]:
    rows = (
        Transaction.objects.filter(**committee_filter)
        .annotate(total=Sum("entries__amount_cents"), lines=Count("entries"))
        .filter(Q(lines__lt=2) | ~Q(total=0))
        .values_list("pk", "total", "lines")[:20]
    )
    return [
        f"transaction {pk}: {lines} entries summing to {total or 0} cents"
        for pk, total, lines in rows
    ]


def _negative_in_history(accounts) -> list[str]:
    asset_ids = [a.pk for a in accounts if a.kind in ASSET_KINDS]
    if not asset_ids:
        return []
    sql = RUNNING_BALANCE_SQL.format(placeholders=", ".join(["%s"] * len(asset_ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, asset_ids)
        rows = cursor.fetchall()
    return [
        f"account {account} went to {running} cents after transaction {txn}"
        for account, txn, running in rows
    ]


def _bonds_match(committee) -> list[str]:
    problems = []
    out = dict(
        Entry.objects.filter(account__committee=committee, account__kind="bonds_out")
        .values_list("transaction__bond")
        .annotate(total=Sum("amount_cents"))
        .values_list("transaction__bond", "total")
    )
    bonds = BondRequest.objects.filter(committee=committee).values_list(
        "pk", "status", "amount_cents"
    )
    for pk, status, amount in bonds.iterator():
        held = out.pop(pk, 0) or 0
        if status in AWAITING_REFUND:
            expected = amount or 0
        elif status in (BondStatus.REFUNDED, BondStatus.BREACHED):
            expected = 0
        else:
            # Paid but not yet marked posted, or not paid.
            expected = held if held in (0, amount) else amount
        if held != expected:
            problems.append(f"bond {pk} ({status}): ledger holds {held}, expected {expected}")
    for pk, held in out.items():
        if pk is None and held:
            problems.append(f"{held} cents out on bonds without a bond")
    return problems


def _pledges_match(committee) -> list[str]:
    # A payment reversed in the ledger no longer counts towards its pledge.
    live = Payment.objects.filter(committee=committee).exclude(
        transactions__reversed_by__isnull=False
    )
    paid = dict(
        live.values_list("pledge")
        .annotate(total=Sum("amount_cents"))
        .values_list("pledge", "total")
    )
    problems = [
        f"pledge {pk}: paid {stored} recorded, payments add up to {paid.get(pk, 0)}"
        for pk, stored in Pledge.objects.filter(committee=committee)
        .values_list("pk", "paid_cents")
        .iterator()
        if stored != paid.get(pk, 0)
    ]
    # Every payment is in the ledger, for its amount (the reversals are separate rows).
    in_ledger = dict(
        Entry.objects.filter(
            account__committee=committee,
            account__kind="donations",
            transaction__payment__isnull=False,
            transaction__reverses__isnull=True,
        )
        .values_list("transaction__payment")
        .annotate(total=Sum("amount_cents"))
        .values_list("transaction__payment", "total")
    )
    for pk, amount in Payment.objects.filter(committee=committee).values_list("pk", "amount_cents"):
        if -(in_ledger.get(pk) or 0) != amount:
            problems.append(f"payment {pk} of {amount} is in the ledger as {in_ledger.get(pk)}")
    return problems


def _flows_match(committee) -> list[str]:
    """The running totals PostgreSQL keeps (AccountFlow) equal the entries' sums."""
    from django.db import connection

    from .models import AccountFlow

    if connection.vendor != "postgresql":
        return []
    summed = {
        (account, kind): (total, lines)
        for account, kind, total, lines in Entry.objects.filter(account__committee=committee)
        .values_list("account_id", "transaction__kind")
        .annotate(total=Sum("amount_cents"), lines=Count("id"))
        .values_list("account_id", "transaction__kind", "total", "lines")
    }
    kept = {
        (account, kind): (total, lines)
        for account, kind, total, lines in AccountFlow.objects.filter(
            account__committee=committee
        ).values_list("account_id", "transaction_kind", "total_cents", "entries")
    }
    return [
        f"account {account} ({kind}): running total {kept.get((account, kind))}, "
        f"entries {summed.get((account, kind))}"
        for account, kind in sorted(set(summed) | set(kept))
        if kept.get((account, kind), (0, 0)) != summed.get((account, kind), (0, 0))
    ]


def fund_check(committee=None, *, save: bool = True) -> CheckResult:
    """Verify one committee's fund (or every committee's)."""
    from committees.models import Committee

    committees = [committee] if committee is not None else list(Committee.objects.all())
    overall = CheckResult()
    for one in committees:
        result = CheckResult()
        accounts = list(Account.objects.filter(committee=one))
        result.problems += _unbalanced({"committee": one})
        result.problems += _negative_in_history(accounts)
        result.problems += _bonds_match(one)
        result.problems += _pledges_match(one)
        result.problems += _flows_match(one)
        result.transactions = Transaction.objects.filter(committee=one).count()
        if save and (accounts or result.problems):
            FundSettings.objects.update_or_create(
                committee=one,
                defaults={
                    "checked_at": timezone.now(),
                    "check_ok": result.ok,
                    "check_problems": result.problems[:50],
                },
            )
        overall.problems += [f"{one.slug}: {p}" for p in result.problems]
        overall.transactions += result.transactions
    overall.entries = Entry.objects.count()
    return overall
